"""Scheduled: re-drive or fail overdue items and stuck jobs, so no job ever sticks; and purge
deleted tenants once more, for what work in flight wrote after their purge."""

import flask
import functions_framework

from adgenius.observability import configure_logging
from adgenius.pipeline import steps, tenant_purge

configure_logging()


@functions_framework.http
def sweep(request: flask.Request) -> tuple[dict, int]:
    return {**steps.sweep(), "tenant_rechecks": tenant_purge.recheck_due()}, 200

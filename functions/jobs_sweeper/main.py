"""Scheduled: re-drive or fail overdue items and stuck jobs, so no job ever sticks."""

import flask
import functions_framework

from adgenius.observability import configure_logging
from adgenius.pipeline import steps

configure_logging()


@functions_framework.http
def sweep(request: flask.Request) -> tuple[dict, int]:
    return steps.sweep(), 200

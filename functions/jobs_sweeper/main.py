"""Scheduled: re-drive or fail overdue items and stuck jobs, so no job ever sticks; and purge
deleted tenants once more, for what work in flight wrote after their purge."""

import logging

import flask
import functions_framework

from adgenius.observability import configure_logging, log_fields
from adgenius.pipeline import sweeper

configure_logging()
log = logging.getLogger("adgenius.sweeper")


@functions_framework.http
def sweep(request: flask.Request) -> tuple[dict, int]:
    result = sweeper.sweep()
    # One entry per sweep: the "stuck jobs" log-based metric and its alert count these fields.
    log.info("sweep", extra=log_fields(sweep=result))
    return result, 200

"""Firestore trigger: a diagnostics run was created."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_run_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    if change.after is None:
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.diagnostics import pipeline

    with correlation(change.after.fields.get("correlation_id")):
        pipeline.on_run_created(change.after.id)

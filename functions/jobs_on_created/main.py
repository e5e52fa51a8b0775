"""Firestore trigger: a job document was created -> publish its planning step."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging, correlation
from adgenius.pipeline import steps

configure_logging()


@functions_framework.cloud_event
def on_job_created(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    if change.after is None:
        return
    fields = change.after.fields
    with correlation(fields.get("correlation_id")):
        steps.on_job_created(str(fields["tenant_id"]), change.after.id)

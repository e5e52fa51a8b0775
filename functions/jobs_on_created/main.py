"""Firestore trigger: a job document was created -> publish its planning step."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius import tracing
from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_job_created(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    if change.after is None:
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.pipeline import steps

    fields = change.after.fields
    tenant_id = str(fields["tenant_id"])
    with (
        correlation(fields.get("correlation_id")),
        tracing.span(
            "jobs.on_created",
            parent=tracing.clean_carrier(fields.get(tracing.DOCUMENT_FIELD)),
            kind=tracing.CONSUMER,
            attributes=steps.job_span_attributes(tenant_id, change.after.id, "jobs_on_created"),
        ),
    ):
        steps.on_job_created(tenant_id, change.after.id)

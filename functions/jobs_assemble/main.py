"""Pub/Sub step: stitch a video job's scenes into its final renditions."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius import tracing
from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation
from adgenius.pipeline.model import JobMessage

configure_logging()


@functions_framework.cloud_event
def on_assemble_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    job = JobMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.pipeline import steps

    with (
        correlation(message.attributes.get(CORRELATION_ATTRIBUTE)),
        tracing.span(
            "jobs.assemble",
            parent=tracing.clean_carrier(message.attributes),
            kind=tracing.CONSUMER,
            attributes=steps.job_span_attributes(job.tenant_id, job.job_id, "jobs_assemble"),
        ),
    ):
        steps.on_assemble(job)

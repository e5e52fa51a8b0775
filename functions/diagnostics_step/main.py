"""Pub/Sub step of a diagnostics run."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_step_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    run_id = str(message.data["run_id"])  # a message without one raises (redelivered)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.diagnostics import pipeline

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        pipeline.on_step(run_id)

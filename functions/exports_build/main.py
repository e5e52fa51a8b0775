"""Pub/Sub step: build a big export (a ZIP of many videos) into Storage."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_pubsub_event
from adgenius.exports.messages import ExportMessage
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_build_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    body = ExportMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.exports import service

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        service.on_build(body)

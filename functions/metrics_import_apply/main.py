"""Pub/Sub step: apply one staged chunk of facts atomically (idempotent)."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.analytics.messages import ChunkMessage
from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_apply_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    body = ChunkMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.analytics import imports

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        imports.on_apply(body)

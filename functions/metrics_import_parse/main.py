"""Pub/Sub step: parse and match a report file, stage its facts in chunks, fan them out."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.analytics.messages import ImportMessage
from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_parse_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    # A malformed message raises: Pub/Sub redelivers it, then parks it on the dead-letter topic.
    body = ImportMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.analytics import imports

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        imports.on_parse(body)

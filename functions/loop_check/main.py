"""Pub/Sub step: run the fatigue test on one campaign's creatives; a `loop-act` message per
fatigued creative."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_pubsub_event
from adgenius.loop.messages import CheckMessage
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_check_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    # A malformed message raises: Pub/Sub redelivers it, then parks it on the dead-letter topic.
    request = CheckMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.loop import detection

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        detection.check_campaign(
            request.tenant_id, request.campaign_id, decisions=request.decisions
        )

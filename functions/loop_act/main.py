"""Pub/Sub step: act on one replacement candidate as its campaign's loop mode says (nothing,
a suggestion, or a regenerate job within the daily cap and the quota)."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_pubsub_event
from adgenius.loop.messages import CandidateMessage
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_candidate_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    # A malformed message raises: Pub/Sub redelivers it, then parks it on the dead-letter topic.
    candidate = CandidateMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.loop import candidates

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        candidates.handle(candidate)

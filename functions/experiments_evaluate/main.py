"""Pub/Sub step: re-evaluate one experiment from all its facts and store the decision."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.analytics.messages import EvaluationMessage
from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation

configure_logging()


@functions_framework.cloud_event
def on_evaluate_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    # A malformed message raises: Pub/Sub redelivers it, then parks it on the dead-letter topic.
    request = EvaluationMessage.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.analytics.experiments import service

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        service.evaluate_experiment(request.tenant_id, request.experiment_id)

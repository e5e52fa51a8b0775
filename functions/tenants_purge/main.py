"""Pub/Sub step: purge a deleted tenant's data (Storage, brand memory, Firestore)."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_pubsub_event
from adgenius.observability import CORRELATION_ATTRIBUTE, configure_logging, correlation
from adgenius.tenancy.messages import TenantPurge

configure_logging()


@functions_framework.cloud_event
def on_purge_message(event: CloudEvent) -> None:
    message = parse_pubsub_event(event)
    # A malformed message raises: Pub/Sub redelivers it, then parks it on the dead-letter topic.
    request = TenantPurge.model_validate(message.data)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.pipeline import tenant_purge

    with correlation(message.attributes.get(CORRELATION_ATTRIBUTE)):
        tenant_purge.purge(request.tenant_id)

"""Firestore trigger: a creative was written -> keep its brand-memory points in step.

created -> indexed; status changed -> status payload; metrics changed -> performance payload;
deleted -> points deleted. Replays converge (deterministic point ids); see adgenius.rag.indexing.
"""

import logging

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging, correlation

configure_logging()
logger = logging.getLogger(__name__)


@functions_framework.cloud_event
def on_creative_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.rag import factory, indexing

    snapshot = change.after or change.before
    with correlation(snapshot.fields.get("correlation_id") if snapshot else None):
        try:
            indexing.on_creative_written(change)
        except factory.MemoryUnavailable as exc:
            # Local misconfiguration only (see the message); POST /v1/search/reindex repairs.
            logger.error("%s not indexed: %s", change.document, exc.message)

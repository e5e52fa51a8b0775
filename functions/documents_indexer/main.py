"""Firestore trigger: a brand document record was written -> index or drop its chunks.

The file itself is in Storage (`tenants/{t}/brands/{b}/documents/{id}`); see adgenius.rag.indexing.
"""

import logging

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging

configure_logging()
logger = logging.getLogger(__name__)


@functions_framework.cloud_event
def on_document_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.rag import factory, indexing

    try:
        indexing.on_document_written(change)
    except factory.MemoryUnavailable as exc:
        # Local misconfiguration only (see the message); POST /v1/search/reindex repairs.
        logger.error("%s not indexed: %s", change.document, exc.message)

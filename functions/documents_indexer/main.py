"""Firestore trigger: a brand document record was written -> index or drop its chunks.

The file itself is in Storage (`tenants/{t}/brands/{b}/documents/{id}`); see adgenius.rag.wiring.
"""

import functions_framework
from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging
from adgenius.rag import wiring
from cloudevents.http import CloudEvent

configure_logging()


@functions_framework.cloud_event
def on_document_written(event: CloudEvent) -> None:
    wiring.on_document_written(parse_firestore_event(event))

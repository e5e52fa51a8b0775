"""Firestore trigger: a report import was uploaded -> publish its parse step."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging

configure_logging()


@functions_framework.cloud_event
def on_import_created(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    if change.after is None:
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.analytics import imports

    imports.on_import_created(str(change.after.fields["tenant_id"]), change.after.id)

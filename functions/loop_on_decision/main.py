"""Firestore trigger: an experiment's decision was written -> a `loop-act` message for each
creative that newly became a loser."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging

configure_logging()


@functions_framework.cloud_event
def on_experiment_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    # the tenant comes from the document's path, never from its content
    parts = change.document.split("/")
    if len(parts) != 4 or parts[0] != "tenants" or change.after is None:
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.loop import detection

    before = change.before.fields if change.before else None
    detection.on_experiment_written(parts[1], before, change.after.fields)

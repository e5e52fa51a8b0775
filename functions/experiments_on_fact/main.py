"""Firestore trigger: a metric fact was written -> request evaluation of the running
experiments that include its creative (coalesced: at most one pending per experiment) and a
fatigue check of its campaign (coalesced: at most one pending per campaign; none while the
campaign's loop is off). The one trigger on metric facts: a report of 900 facts is 900 events,
not twice that."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging

configure_logging()


@functions_framework.cloud_event
def on_fact_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    # the tenant comes from the document's path, never from its content
    parts = change.document.split("/")
    if len(parts) < 4 or parts[0] != "tenants":
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.loop import detection

    facts = [snap.fields for snap in (change.before, change.after) if snap is not None]
    detection.on_facts_written(parts[1], facts)

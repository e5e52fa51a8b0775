"""Firestore trigger: a metric fact was written -> request evaluation of the running
experiments that include its creative (coalesced: at most one pending per experiment)."""

import functions_framework
from cloudevents.http import CloudEvent

from adgenius.events import parse_firestore_event
from adgenius.observability import configure_logging

configure_logging()


@functions_framework.cloud_event
def on_fact_written(event: CloudEvent) -> None:
    change = parse_firestore_event(event)
    creatives = {
        str(snap.fields["creative_id"])
        for snap in (change.before, change.after)
        if snap is not None and snap.fields.get("creative_id")
    }
    # the tenant comes from the document's path, never from its content
    parts = change.document.split("/")
    if len(parts) < 4 or parts[0] != "tenants" or not creatives:
        return
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.analytics.experiments import service

    service.on_facts_changed(parts[1], sorted(creatives))

"""A lease on a long step (video assembly): one runner at a time, taken over if it died."""

from __future__ import annotations

from datetime import timedelta

from google.api_core import exceptions as gexc
from google.cloud import firestore

from adgenius.pipeline.store import job_ref, now


def claim(tenant_id: str, job_id: str, name: str, lease_s: float) -> bool:
    ref = job_ref(tenant_id, job_id).collection("marks").document(f"lease.{name}")
    try:
        ref.create({"at": now()})
        return True
    except gexc.AlreadyExists:
        pass
    snap = ref.get()
    held_at = (snap.to_dict() or {}).get("at")
    if held_at is not None and now() - held_at < timedelta(seconds=lease_s):
        return False  # someone is on it
    try:
        # Only one of several expired-lease takers wins: the update is conditional.
        ref.update(
            {"at": now()}, option=firestore.Client.write_option(last_update_time=snap.update_time)
        )
    except (gexc.FailedPrecondition, gexc.NotFound):
        return False
    return True

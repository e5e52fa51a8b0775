"""Reading what a job produced, straight from Firestore (the admin path)."""

from __future__ import annotations

import time
from collections.abc import Callable

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.workspace import Workspace
from adgenius.pipeline import store
from adgenius.pipeline.model import Job


def creatives_of(ws: Workspace, job_id: str) -> list[dict]:
    docs = (
        firestore_client()
        .collection(f"tenants/{ws.tenant_id}/creatives")
        .where("job_id", "==", job_id)
        .stream()
    )
    return [d.to_dict() for d in docs]


def assets_of(ws: Workspace, creative_ids: list[str]) -> list[dict]:
    out = []
    for cid in creative_ids:
        docs = (
            firestore_client()
            .collection(f"tenants/{ws.tenant_id}/assets")
            .where("creative_id", "==", cid)
            .stream()
        )
        out += [d.to_dict() for d in docs]
    return out


def wait_in_firestore(
    ws: Workspace, job_id: str, condition: Callable[[Job], bool], timeout_s: float = 120
) -> Job:
    """Read the job document directly, not through the API: the API shares the functions host
    with the job's items, so under load its answers can come seconds late (a job can end before
    a test polling the API sees it running)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = store.read_job(ws.tenant_id, job_id)
        if job is not None and condition(job):
            return job
        time.sleep(0.02)
    raise AssertionError(f"{job_id}: condition not met in {timeout_s} s")

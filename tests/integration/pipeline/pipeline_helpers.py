"""Reading what a job produced, straight from Firestore (the admin path)."""

from __future__ import annotations

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.workspace import Workspace


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

"""Purging a deleted tenant's data: the `tenants_purge` Pub/Sub step and its sweeper recheck.

`DELETE /v1/tenant` (tenancy.deletion) ends access at once and publishes `tenant-purge`; this
step deletes the media under `tenants/{t}/` in Storage, the tenant's points in brand memory,
every Firestore document under `tenants/{t}` and the top-level index and idempotency records,
and marks the tombstone `purged` with what it deleted. It is safe to run again (redelivery adds
zeros), and refuses a tenant without a tombstone, so a stray message never deletes a live one.
Work in flight at the moment of deletion can still write after the purge, so the scheduled
sweeper purges each tenant once more, `RECHECK_AFTER` later.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

from google.cloud import firestore
from pydantic import BaseModel

from adgenius.cloud import messaging
from adgenius.observability import log_fields
from adgenius.pipeline import due
from adgenius.tenancy import store
from adgenius.tenancy.messages import TenantPurge
from adgenius.tenancy.tombstones import PURGE_TOPIC

_COUNTS = ("blobs", "points", "documents", "index_records")
RECHECK_AFTER = timedelta(minutes=10)

log = logging.getLogger(__name__)


class PurgeReport(BaseModel):
    tenant_id: str
    status: Literal["purged", "skipped"]
    blobs: int = 0
    points: int = 0
    documents: int = 0
    index_records: int = 0


def purge(tenant_id: str) -> PurgeReport:
    """Delete everything of a tenant whose deletion was requested; safe to run again."""
    # The deletion service (members, API keys, Firebase Auth) and Storage load here: the sweeper
    # imports this module at its start for `recheck_due`, which needs neither.
    from adgenius.cloud.storage import blob_store, tenant_path
    from adgenius.tenancy import deletion

    tombstone = deletion.tombstone_ref(tenant_id).get()
    if not tombstone.exists:
        log.error("purge refused: no deletion was requested", extra=log_fields(tenant_id=tenant_id))
        return PurgeReport(tenant_id=tenant_id, status="skipped")
    blobs = blob_store().delete_prefix(tenant_path(tenant_id) + "/")
    # Brand memory (numpy, the vector store's client) loads here too.
    from adgenius.rag.factory import brand_memory

    memory = brand_memory().scope(tenant_id)
    points = memory.count()
    memory.delete()
    tenant = store.tenant_ref(tenant_id)
    documents = sum(store.db().recursive_delete(c) for c in tenant.collections())
    if tenant.get().exists:
        tenant.delete()
        documents += 1
    index_records = sum(
        deletion.delete_all(deletion.top_level_refs(collection, tenant_id))
        for collection in (store.API_KEY_INDEX, store.INVITATION_INDEX, store.IDEMPOTENCY)
    )
    report = PurgeReport(
        tenant_id=tenant_id, status="purged", blobs=blobs, points=points,
        documents=documents, index_records=index_records,
    )  # fmt: skip
    # Counts add up over runs: a purge run again (a redelivery) adds its zeros.
    changes = {
        "status": report.status,
        "purged_at": store.now(),
        **{k: firestore.Increment(v) for k, v in report.model_dump().items() if k in _COUNTS},
    }
    if not (tombstone.to_dict() or {}).get("rechecked"):
        changes["recheck_after"] = store.now() + RECHECK_AFTER
    deletion.tombstone_ref(tenant_id).update(changes)
    log.info("tenant purged", extra=log_fields(**report.model_dump()))
    return report


def recheck_due(limit: int = 50) -> int:
    """Purge once more the tenants purged `RECHECK_AFTER` ago (the scheduled sweeper calls it)."""
    count = 0
    for snap in due.recheck_due_query(limit).stream():
        # Published first: if this process dies before the update, the next sweep publishes again.
        messaging.publish(PURGE_TOPIC, TenantPurge(tenant_id=snap.id))
        snap.reference.update({"recheck_after": firestore.DELETE_FIELD, "rechecked": True})
        count += 1
    return count

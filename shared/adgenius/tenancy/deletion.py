"""Deleting a tenant: access ends at once, then all of its data is purged.

`DELETE /v1/tenant` (owners only; the body repeats the tenant's name) ends access in one commit:
the members and their `users/{uid}` records, the API keys' and invitations' index entries. The
same commit writes the tombstone `deleted_tenants/{t}` (status `purging`). Then it publishes
`tenant-purge`. The purge step (Pub/Sub, safe to run again) deletes the media under
`tenants/{t}/` in Storage, the tenant's points in brand memory, every Firestore document under
`tenants/{t}` (jobs, items, creatives, audit, usage...) and the idempotency records, and marks the
tombstone `purged` with what it deleted. The tombstone keeps no personal data; a purge message
for a tenant without one is refused, so a stray message can never delete a live tenant.

Work in flight at the moment of deletion (an image being rendered) can still write a file after
the purge; so the scheduled sweeper purges each tenant once more, `RECHECK_AFTER` later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated, Literal

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, StringConstraints

from adgenius.cloud import messaging
from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.observability import log_fields
from adgenius.tenancy import auth, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.principal import Principal

PURGE_TOPIC = "tenant-purge"
TOMBSTONES = "deleted_tenants"
_COUNTS = ("blobs", "points", "documents", "index_records")
RECHECK_AFTER = timedelta(minutes=10)

log = logging.getLogger(__name__)


class TenantDeletion(store.StrictModel):
    confirm: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class DeletionAccepted(BaseModel):
    tenant_id: str
    status: Literal["deleting"] = "deleting"


class TenantPurge(BaseModel):
    tenant_id: str


class PurgeReport(BaseModel):
    tenant_id: str
    status: Literal["purged", "skipped"]
    blobs: int = 0
    points: int = 0
    documents: int = 0
    index_records: int = 0


def _tombstone(tenant_id: str) -> firestore.DocumentReference:
    return store.db().collection(TOMBSTONES).document(tenant_id)


def _top_level(collection: str, tenant_id: str) -> Iterable[firestore.DocumentReference]:
    query = (
        store.db().collection(collection).where(filter=FieldFilter("tenant_id", "==", tenant_id))
    )
    return (snap.reference for snap in query.stream())


def _delete_all(refs: Iterable[firestore.DocumentReference]) -> int:
    writer = store.db().bulk_writer()  # batches, parallelises and retries the deletes
    deleted = 0
    for ref in refs:
        writer.delete(ref)
        deleted += 1
    writer.close()
    return deleted


def request_deletion(
    tenant_id: str, body: TenantDeletion, principal: Principal
) -> DeletionAccepted:
    snap = store.tenant_ref(tenant_id).get()
    store.not_found_if_missing(snap, "tenant")
    name = (snap.to_dict() or {}).get("name")
    if body.confirm != name:
        raise InvalidInput(
            "the confirmation does not match",
            details=[FieldProblem("confirm", "must be the tenant's name, exactly")],
        )
    members = [s.id for s in store.tenant_collection(tenant_id, store.MEMBERS).stream()]
    # Access ends in one commit with the tombstone (members fit: a tenant has far fewer than 400).
    batch = store.db().batch()
    batch.set(
        _tombstone(tenant_id),
        {"tenant_id": tenant_id, "status": "purging", "requested_at": store.now()},
    )
    for uid in members:
        batch.delete(store.tenant_collection(tenant_id, store.MEMBERS).document(uid))
        batch.delete(store.db().collection(store.USERS).document(uid))
    batch.commit()
    _delete_all(_top_level(store.API_KEY_INDEX, tenant_id))
    _delete_all(_top_level(store.INVITATION_INDEX, tenant_id))
    for uid in members:
        try:
            auth.set_claims(uid, None, None, None)
        except Exception:  # the claims only save a lookup: access is checked against Firestore
            log.warning("claims not cleared", extra=log_fields(uid=uid, tenant_id=tenant_id))
    messaging.publish(PURGE_TOPIC, TenantPurge(tenant_id=tenant_id))
    log.info(
        "tenant deletion requested",
        extra=log_fields(tenant_id=tenant_id, by=principal.uid, members=len(members)),
    )
    return DeletionAccepted(tenant_id=tenant_id)


def purge(tenant_id: str) -> PurgeReport:
    """Delete everything of a tenant whose deletion was requested; safe to run again."""
    tombstone = _tombstone(tenant_id).get()
    if not tombstone.exists:
        log.error("purge refused: no deletion was requested", extra=log_fields(tenant_id=tenant_id))
        return PurgeReport(tenant_id=tenant_id, status="skipped")
    from adgenius.rag.wiring import brand_memory  # the vector store lives where purges run

    blobs = blob_store().delete_prefix(tenant_path(tenant_id) + "/")
    memory = brand_memory().scope(tenant_id)
    points = memory.count()
    memory.delete()
    tenant = store.tenant_ref(tenant_id)
    documents = sum(store.db().recursive_delete(c) for c in tenant.collections())
    if tenant.get().exists:
        tenant.delete()
        documents += 1
    index_records = sum(
        _delete_all(_top_level(collection, tenant_id))
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
    _tombstone(tenant_id).update(changes)
    log.info("tenant purged", extra=log_fields(**report.model_dump()))
    return report


def recheck_due(limit: int = 50) -> int:
    """Purge once more the tenants purged `RECHECK_AFTER` ago (the scheduled sweeper calls it)."""
    due = (
        store.db()
        .collection(TOMBSTONES)
        .where(filter=FieldFilter("recheck_after", "<", store.now()))
        .limit(limit)
        .stream()
    )
    count = 0
    for snap in due:
        # Published first: if this process dies before the update, the next sweep publishes again.
        messaging.publish(PURGE_TOPIC, TenantPurge(tenant_id=snap.id))
        snap.reference.update({"recheck_after": firestore.DELETE_FIELD, "rechecked": True})
        count += 1
    return count


def tombstone_of(tenant_id: str) -> dict[str, int | str | datetime] | None:
    snap = _tombstone(tenant_id).get()
    return snap.to_dict() if snap.exists else None

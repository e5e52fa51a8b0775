"""Deleting a tenant: access ends at once, then all of its data is purged.

`DELETE /v1/tenant` (owners only; the body repeats the tenant's name) ends access in one commit:
the tenant document is marked `status: deleting` (the security rules refuse every read of a
tenant not `active`, whatever the reader's token says), the members and their `users/{uid}`
records are deleted, and the tombstone `deleted_tenants/{t}` (status `purging`) is written. Then
the API keys' and invitations' index entries go, and it publishes `tenant-purge`; the purge step
(`pipeline.tenant_purge`) deletes every byte of the tenant and marks the tombstone `purged`. The
tombstone keeps no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Literal

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, StringConstraints

from adgenius.cloud import messaging
from adgenius.observability import log_fields
from adgenius.tenancy import auth, auth_cache, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.messages import TenantPurge as TenantPurge
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.tombstones import PURGE_TOPIC as PURGE_TOPIC
from adgenius.tenancy.tombstones import TOMBSTONES as TOMBSTONES

log = logging.getLogger(__name__)


class TenantDeletion(store.StrictModel):
    confirm: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class DeletionAccepted(BaseModel):
    tenant_id: str
    status: Literal["deleting"] = "deleting"


def tombstone_ref(tenant_id: str) -> firestore.DocumentReference:
    return store.db().collection(TOMBSTONES).document(tenant_id)


def top_level_refs(collection: str, tenant_id: str) -> Iterable[firestore.DocumentReference]:
    query = (
        store.db().collection(collection).where(filter=FieldFilter("tenant_id", "==", tenant_id))
    )
    return (snap.reference for snap in query.stream())


def delete_all(refs: Iterable[firestore.DocumentReference]) -> int:
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
    batch.update(store.tenant_ref(tenant_id), {"status": "deleting", "updated_at": store.now()})
    batch.set(
        tombstone_ref(tenant_id),
        {"tenant_id": tenant_id, "status": "purging", "requested_at": store.now()},
    )
    for uid in members:
        batch.delete(store.tenant_collection(tenant_id, store.MEMBERS).document(uid))
        batch.delete(store.db().collection(store.USERS).document(uid))
    batch.commit()
    delete_all(top_level_refs(store.API_KEY_INDEX, tenant_id))
    auth_cache.forget_tenant(tenant_id)  # at once here; elsewhere within its TTL
    delete_all(top_level_refs(store.INVITATION_INDEX, tenant_id))
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


def tombstone_of(tenant_id: str) -> dict[str, int | str | datetime] | None:
    snap = tombstone_ref(tenant_id).get()
    return snap.to_dict() if snap.exists else None

"""Invitations: an admin invites an email with a role; the signed-in owner of that email accepts.

The invitation id is unguessable and indexed top-level (`invitation_index/{id}`) because the
person accepting does not belong to the tenant yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from google.api_core import exceptions as gexc
from pydantic import EmailStr, Field

from adgenius.tenancy import audit, auth, auth_cache, store
from adgenius.tenancy.errors import Conflict, NotFound, PermissionDenied
from adgenius.tenancy.members import MAX_BRANDS_PER_MEMBER, Member, validate_brand_ids
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Role, roles_an_actor_may_grant

VALID_FOR = timedelta(days=7)


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"


class InvitationCreate(store.StrictModel):
    email: EmailStr
    role: Role
    brand_ids: list[store.DocId] | None = Field(default=None, max_length=MAX_BRANDS_PER_MEMBER)


class Invitation(store.Document):
    id: str
    tenant_id: str
    email: str
    role: Role
    brand_ids: list[str] | None = None
    status: InvitationStatus
    invited_by: dict[str, str | None]
    created_at: datetime
    expires_at: datetime
    accepted_by: str | None = None
    tenant_name: str | None = None


def create_invitation(tenant_id: str, body: InvitationCreate, principal: Principal) -> Invitation:
    grantable = roles_an_actor_may_grant(principal.role) if principal.role else frozenset()
    if body.role not in grantable:
        raise PermissionDenied(f"you cannot invite someone as {body.role.value}")
    validate_brand_ids(tenant_id, body.brand_ids, "brand_ids")
    inv_id = store.new_id()
    now = store.now()
    doc = {
        "id": inv_id,
        "tenant_id": tenant_id,
        "email": str(body.email).lower(),
        "role": body.role.value,
        "brand_ids": body.brand_ids,
        "status": InvitationStatus.PENDING.value,
        "invited_by": principal.actor,
        "created_at": now,
        "expires_at": now + VALID_FOR,
        "accepted_by": None,
        "tenant_name": (store.tenant_ref(tenant_id).get().to_dict() or {}).get("name"),
    }
    index_ref = store.db().collection(store.INVITATION_INDEX).document(inv_id)
    inv_ref = store.tenant_collection(tenant_id, store.INVITATIONS).document(inv_id)
    # a crashed first run's invitation stands
    (_, doc), _ = store.create_all_once([(index_ref, {"tenant_id": tenant_id}), (inv_ref, doc)])
    audit.record(
        tenant_id,
        "invitation.created",
        principal,
        target=f"invitations/{inv_id}",
        details={"email": doc["email"], "role": body.role.value},
    )
    return Invitation(**doc)


def list_invitations(tenant_id: str) -> list[Invitation]:
    snaps = store.tenant_collection(tenant_id, store.INVITATIONS).order_by("__name__").stream()
    return [Invitation(**store.data_with_id(s)) for s in snaps]


def delete_invitation(tenant_id: str, inv_id: str, principal: Principal) -> None:
    snap = store.get_in_tenant(tenant_id, store.INVITATIONS, inv_id)
    batch = store.db().batch()
    batch.delete(snap.reference)
    batch.delete(store.db().collection(store.INVITATION_INDEX).document(inv_id))
    batch.commit()
    audit.record(tenant_id, "invitation.deleted", principal, target=f"invitations/{inv_id}")


def accept_invitation(inv_id: str, principal: Principal) -> Member:
    """The caller joins the tenant with the invited role. Once only, without a transaction:
    a compare-and-set on the invitation, then create() of users/{uid} (one tenant per user)."""
    if principal.kind != "user" or principal.uid is None:
        raise PermissionDenied("only a signed-in user can accept an invitation")
    if principal.tenant_id is not None:
        raise Conflict("you already belong to a tenant")
    if not inv_id or "/" in inv_id or len(inv_id) > 64:
        raise NotFound("invitation not found")
    index = store.db().collection(store.INVITATION_INDEX).document(inv_id).get()
    if not index.exists:
        raise NotFound("invitation not found")
    tenant_id = index.get("tenant_id")
    tenant = store.tenant_ref(tenant_id).get()
    if not tenant.exists or (tenant.to_dict() or {}).get("status", "active") != "active":
        raise NotFound("invitation not found")  # the tenant is being deleted (or is gone)
    snap = store.get_in_tenant(tenant_id, store.INVITATIONS, inv_id)
    inv = Invitation(**store.data_with_id(snap))
    if (principal.email or "").lower() != inv.email:
        raise PermissionDenied("this invitation was sent to another email address")
    if not principal.email_verified:
        raise PermissionDenied("verify your email address before accepting the invitation")
    if inv.status is not InvitationStatus.PENDING:
        raise Conflict("this invitation has already been accepted")
    now = store.now()
    if inv.expires_at < now:
        raise Conflict("this invitation has expired; ask for a new one")
    accepted = {"status": InvitationStatus.ACCEPTED.value, "accepted_by": principal.uid}
    if not store.update_unchanged_since(snap, accepted):
        raise Conflict("this invitation has already been accepted")
    try:
        store.db().collection(store.USERS).document(principal.uid).create(
            {"uid": principal.uid, "tenant_id": tenant_id, "created_at": now}
        )
    except gexc.AlreadyExists as exc:
        snap.reference.update({"status": InvitationStatus.PENDING.value, "accepted_by": None})
        raise Conflict("you already belong to a tenant") from exc
    member = {
        "uid": principal.uid,
        "tenant_id": tenant_id,
        "email": inv.email,
        "role": inv.role.value,
        "brand_ids": inv.brand_ids,
        "created_at": now,
        "updated_at": now,
    }
    store.tenant_collection(tenant_id, store.MEMBERS).document(principal.uid).set(member)
    auth_cache.forget_member(tenant_id, principal.uid)
    auth.set_claims(principal.uid, tenant_id, inv.role, inv.brand_ids)
    audit.record(
        tenant_id,
        "invitation.accepted",
        principal,
        target=f"members/{principal.uid}",
        details={"invitation": inv_id, "role": inv.role.value},
    )
    return Member(**member)

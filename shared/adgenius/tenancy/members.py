"""Members of a tenant: roles, brand limits, removal. Owners are protected from admins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore import DocumentSnapshot
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field

from adgenius.tenancy import audit, auth, auth_cache, store
from adgenius.tenancy.errors import Conflict, FieldProblem, InvalidInput, PermissionDenied
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Role, roles_an_actor_may_grant

# Brand limits travel in the ID token's custom claims (1000-byte cap), so keep the list short.
MAX_BRANDS_PER_MEMBER = 25


class Member(store.Document):
    uid: str
    tenant_id: str
    email: str | None = None
    role: Role
    brand_ids: list[str] | None = None
    created_at: datetime
    updated_at: datetime


class MemberPatch(store.StrictModel):
    role: Role | None = None
    brand_ids: list[store.DocId] | None = Field(
        default=None,
        max_length=MAX_BRANDS_PER_MEMBER,
        description="Limit the member to these brands; null removes the limit; absent keeps it.",
    )


def validate_brand_ids(tenant_id: str, brand_ids: list[str] | None, field: str) -> None:
    if brand_ids is None:
        return
    if len(set(brand_ids)) != len(brand_ids):
        raise InvalidInput("duplicate brand ids", details=[FieldProblem(field, "duplicates")])
    refs = [store.tenant_collection(tenant_id, store.BRANDS).document(b) for b in brand_ids]
    missing = sorted(s.id for s in store.db().get_all(refs) if not s.exists) if refs else []
    if missing:
        raise InvalidInput(
            "unknown brand", details=[FieldProblem(field, f"no brand '{missing[0]}'")]
        )


def _member(snap: DocumentSnapshot) -> Member:
    data = snap.to_dict()
    assert data is not None  # streamed and fetched member documents exist
    return Member(**data)


def list_members(tenant_id: str) -> list[Member]:
    snaps = store.tenant_collection(tenant_id, store.MEMBERS).order_by("__name__").stream()
    return [_member(s) for s in snaps]


def get_member(tenant_id: str, uid: str) -> Member:
    return _member(store.get_in_tenant(tenant_id, store.MEMBERS, uid))


def _owners(tenant_id: str) -> firestore.Query:
    return store.tenant_collection(tenant_id, store.MEMBERS).where(
        filter=FieldFilter("role", "==", "owner")
    )


def _write_keeping_an_owner(
    tenant_id: str, uid: str, leaving_owner: bool, write: Callable[[Any], None]
) -> None:
    """Apply `write` (to a batch or transaction). When an owner stops being one, the check that
    another owner remains and the write are one transaction: two owners demoting each other at
    the same moment both read both owner documents, so one of them retries and is refused."""
    if not leaving_owner:
        batch = store.db().batch()
        write(batch)
        batch.commit()
        return

    @firestore.transactional
    def check_and_write(transaction: firestore.Transaction) -> None:
        owners = _owners(tenant_id).limit(2).get(transaction=transaction)
        if not any(s.id != uid for s in owners):
            raise Conflict("a tenant must keep at least one owner")
        write(transaction)

    check_and_write(store.db().transaction())


def _leaves_owners(target: Member, new_role: Role | None, *, removed: bool = False) -> bool:
    """Whether the change makes `target` stop being an owner (`new_role` None: role unchanged)."""
    if target.role is not Role.OWNER:
        return False
    return removed or (new_role is not None and new_role is not Role.OWNER)


def _guard(principal: Principal, target: Member, new_role: Role | None) -> None:
    """Who may touch whom; that an owner remains is checked with the write itself."""
    assert principal.role is not None or principal.kind == "api_key"
    grantable = roles_an_actor_may_grant(principal.role) if principal.role else frozenset()
    if target.role not in grantable or (new_role is not None and new_role not in grantable):
        raise PermissionDenied("only an owner can change or remove owners")


def update_member(tenant_id: str, uid: str, patch: MemberPatch, principal: Principal) -> Member:
    target = get_member(tenant_id, uid)
    _guard(principal, target, patch.role)
    changes: dict = {}
    if patch.role is not None and patch.role is not target.role:
        changes["role"] = patch.role.value
    if "brand_ids" in patch.model_fields_set:
        validate_brand_ids(tenant_id, patch.brand_ids, "brand_ids")
        if patch.brand_ids != target.brand_ids:
            changes["brand_ids"] = patch.brand_ids
    if not changes:
        return target
    changes["updated_at"] = store.now()
    member_ref = store.tenant_collection(tenant_id, store.MEMBERS).document(uid)
    _write_keeping_an_owner(
        tenant_id,
        uid,
        _leaves_owners(target, patch.role),
        lambda w: w.update(member_ref, changes),
    )
    auth_cache.forget_member(tenant_id, uid)  # at once here; elsewhere within its TTL
    updated = get_member(tenant_id, uid)
    auth.set_claims(uid, tenant_id, updated.role, updated.brand_ids)
    if "role" in changes:
        audit.record(
            tenant_id,
            "member.role_changed",
            principal,
            target=f"members/{uid}",
            details={"from": target.role.value, "to": updated.role.value},
        )
    if "brand_ids" in changes:
        audit.record(
            tenant_id,
            "member.brands_changed",
            principal,
            target=f"members/{uid}",
            details={"brand_ids": updated.brand_ids},
        )
    return updated


def remove_member(tenant_id: str, uid: str, principal: Principal) -> None:
    target = get_member(tenant_id, uid)
    _guard(principal, target, None)

    def delete(w: Any) -> None:
        w.delete(store.tenant_collection(tenant_id, store.MEMBERS).document(uid))
        w.delete(store.db().collection(store.USERS).document(uid))

    _write_keeping_an_owner(tenant_id, uid, _leaves_owners(target, None, removed=True), delete)
    auth_cache.forget_member(tenant_id, uid)  # at once here; elsewhere within its TTL
    auth.set_claims(uid, None, None, None)
    audit.record(
        tenant_id,
        "member.removed",
        principal,
        target=f"members/{uid}",
        details={"role": target.role.value, "email": target.email},
    )

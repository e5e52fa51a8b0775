"""Tenants: onboarding (the caller becomes owner), reading plan, usage and quotas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from google.api_core import exceptions as gexc
from pydantic import StringConstraints

from adgenius.tenancy import audit, auth, auth_cache, limits, store
from adgenius.tenancy.errors import Conflict
from adgenius.tenancy.plans import PLANS, Plan, Quotas
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Role


class TenantCreate(store.StrictModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    plan: Plan = Plan.STARTER


class TenantPatch(store.StrictModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    plan: Plan | None = None


class Usage(store.Document):
    period: str
    text_calls: float
    images: float
    video_seconds: float


class Tenant(store.Document):
    id: str
    name: str
    plan: Plan
    created_at: datetime
    usage: Usage
    quotas: Quotas


class UsageReport(store.Document):
    period: str
    usage: Usage
    quotas: Quotas
    requests_per_minute: int


def _usage(tenant_id: str) -> Usage:
    period = limits.current_period()
    return Usage(period=period, **limits.read_usage(tenant_id, period))


def create_tenant(principal: Principal, body: TenantCreate) -> Tenant:
    """Onboarding: one tenant per user, guarded by create() of users/{uid} (no transaction)."""
    assert principal.uid is not None
    tenant_id = store.new_id()
    # A rerun after a crash may meet what its own first run did: the user already in this very
    # tenant (and maybe a refreshed token saying so). That is no conflict; any other tenant is.
    rerun_in_it = store.ids_are_replayed() and principal.tenant_id == tenant_id
    if principal.tenant_id is not None and not rerun_in_it:
        raise Conflict("you already belong to a tenant")
    now = store.now()
    user_ref = store.db().collection(store.USERS).document(principal.uid)
    try:
        user_ref.create({"uid": principal.uid, "tenant_id": tenant_id, "created_at": now})
    except gexc.AlreadyExists as exc:
        if not store.ids_are_replayed() or user_ref.get().get("tenant_id") != tenant_id:
            raise Conflict("you already belong to a tenant") from exc
    store.create_all_once(
        [
            (
                store.tenant_ref(tenant_id),
                {
                    "id": tenant_id,
                    "tenant_id": tenant_id,
                    "name": body.name,
                    "plan": body.plan.value,
                    # `deleting` once deletion starts; the security rules read it
                    "status": "active",
                    "created_at": now,
                    "created_by": principal.uid,
                },
            ),
            (
                store.tenant_collection(tenant_id, store.MEMBERS).document(principal.uid),
                {
                    "uid": principal.uid,
                    "tenant_id": tenant_id,
                    "email": principal.email,
                    "role": Role.OWNER.value,
                    "brand_ids": None,
                    "created_at": now,
                    "updated_at": now,
                },
            ),
        ]
    )
    auth_cache.forget_member(tenant_id, principal.uid)
    auth.set_claims(principal.uid, tenant_id, Role.OWNER, None)
    audit.record(
        tenant_id,
        "tenant.created",
        principal,
        target=f"tenants/{tenant_id}",
        details={"plan": body.plan.value},
    )
    return get_tenant(tenant_id)


def get_tenant(tenant_id: str) -> Tenant:
    snap = store.tenant_ref(tenant_id).get()
    store.not_found_if_missing(snap, "tenant")
    data = snap.to_dict() or {}
    plan = Plan(data["plan"])
    return Tenant(
        id=tenant_id,
        name=data["name"],
        plan=plan,
        created_at=data["created_at"],
        usage=_usage(tenant_id),
        quotas=PLANS[plan].quotas,
    )


def update_tenant(tenant_id: str, patch: TenantPatch, principal: Principal) -> Tenant:
    """Rename, or change plan (quotas and rate limits follow at once; there is no billing)."""
    before = get_tenant(tenant_id)
    changes = {
        k: (v.value if isinstance(v, Plan) else v)
        for k, v in patch.model_dump(exclude_none=True).items()
        if v != getattr(before, k)
    }
    if not changes:
        return before
    store.tenant_ref(tenant_id).update({**changes, "updated_at": store.now()})
    audit.record(
        tenant_id,
        "tenant.updated",
        principal,
        target=f"tenants/{tenant_id}",
        details={k: {"from": str(getattr(before, k)), "to": v} for k, v in changes.items()},
    )
    return get_tenant(tenant_id)


def usage_report(tenant_id: str) -> UsageReport:
    tenant = get_tenant(tenant_id)
    return UsageReport(
        period=tenant.usage.period,
        usage=tenant.usage,
        quotas=tenant.quotas,
        requests_per_minute=PLANS[tenant.plan].requests_per_minute,
    )


def plan_of(tenant_id: str) -> Plan:
    snap = store.tenant_ref(tenant_id).get()
    return Plan((snap.to_dict() or {}).get("plan", Plan.STARTER))

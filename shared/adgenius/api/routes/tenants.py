"""Onboarding, the caller's tenant and its usage."""

from __future__ import annotations

from adgenius.api.routing import Access, Call, Reply, Router
from adgenius.tenancy import tenants
from adgenius.tenancy.roles import Permission

router = Router(tag="tenants")


@router.post(
    "/v1/tenants",
    access=Access.USER,
    body=tenants.TenantCreate,
    response=tenants.Tenant,
    status=201,
    creates=True,
    errors=(409,),
)
def create_tenant(call: Call) -> Reply:
    """Create a tenant; the caller becomes its owner (refresh the ID token to get the claims)."""
    tenant = tenants.create_tenant(call.user, call.body)
    return Reply(tenant, status=201, headers={"Location": "/v1/tenant"})


@router.get("/v1/tenant", permission=Permission.TENANT_READ, response=tenants.Tenant)
def get_tenant(call: Call) -> tenants.Tenant:
    """The caller's tenant with this month's usage and the plan's quotas."""
    return tenants.get_tenant(call.tenant_id)


@router.get("/v1/usage", permission=Permission.USAGE_READ, response=tenants.UsageReport)
def get_usage(call: Call) -> tenants.UsageReport:
    """This month's generation usage against the plan's quotas."""
    return tenants.usage_report(call.tenant_id)

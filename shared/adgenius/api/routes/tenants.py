"""Onboarding, the caller's tenant and its usage."""

from __future__ import annotations

from adgenius.api.routing import Access, Call, Reply, Router
from adgenius.tenancy import deletion, tenants
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


@router.patch(
    "/v1/tenant", permission=Permission.TENANT_WRITE, body=tenants.TenantPatch,
    response=tenants.Tenant,
)  # fmt: skip
def update_tenant(call: Call) -> tenants.Tenant:
    """Rename the tenant or change its plan (owners)."""
    return tenants.update_tenant(call.tenant_id, call.body, call.user)


@router.route(
    "DELETE", "/v1/tenant", permission=Permission.TENANT_WRITE, body=deletion.TenantDeletion,
    response=deletion.DeletionAccepted, status=202,
)  # fmt: skip
def delete_tenant(call: Call) -> Reply:
    """Delete the tenant and all of its data (owners; `confirm` repeats the tenant's name).

    Access ends at once for every member and API key; the data is purged in the background.
    """
    return Reply(deletion.request_deletion(call.tenant_id, call.body, call.user), status=202)


@router.get("/v1/usage", permission=Permission.USAGE_READ, response=tenants.UsageReport)
def get_usage(call: Call) -> tenants.UsageReport:
    """This month's generation usage against the plan's quotas."""
    return tenants.usage_report(call.tenant_id)

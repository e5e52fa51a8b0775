"""API keys for integrations."""

from __future__ import annotations

from adgenius.api.routing import Call, Page, Reply, Router
from adgenius.tenancy import api_keys
from adgenius.tenancy.roles import Permission

router = Router(tag="api-keys")


@router.post(
    "/v1/api-keys",
    permission=Permission.API_KEYS_WRITE,
    body=api_keys.ApiKeyCreate,
    response=api_keys.ApiKeyCreated,
    status=201,
    creates=True,
)
def create_api_key(call: Call) -> Reply:
    """Create a key; the full key is in this response only."""
    created = api_keys.create_key(call.tenant_id, call.body, call.user)
    return Reply(created, status=201, headers={"Location": f"/v1/api-keys/{created.id}"})


@router.get("/v1/api-keys", permission=Permission.API_KEYS_READ, response=Page[api_keys.ApiKey])
def list_api_keys(call: Call) -> Page[api_keys.ApiKey]:
    """Keys of the tenant (never the secrets), including revoked ones."""
    return Page[api_keys.ApiKey](items=api_keys.list_keys(call.tenant_id))


@router.delete("/v1/api-keys/<key_id>", permission=Permission.API_KEYS_WRITE)
def revoke_api_key(call: Call) -> None:
    """Revoke a key; it stops working immediately."""
    api_keys.revoke_key(call.tenant_id, call.params["key_id"], call.user)

"""Who may call what: every endpoint x every role and API key scope, and other tenants' ids.

Allowed callers are probed with a request that fails *after* authorization (an unknown id ->
404, an invalid body -> 400) or reads (200), so the matrix changes no data. The expected sets
below are the policy documented in shared/adgenius/api/AUTHORIZATION.md, written out by hand.
"""

from __future__ import annotations

import io

import pytest
from api_helpers import Api, Org
from PIL import Image

ROLES = ("owner", "admin", "editor", "viewer", "limited")
SCOPES = ("read", "generate", "metrics:write", "admin")
EVERY_ROLE = set(ROLES)
MANAGERS = {"owner", "admin"}
EDITORS = {"owner", "admin", "editor", "limited"}
READERS_BY_KEY = {"key:read", "key:admin"}


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return buf.getvalue()


# (method, path, request kwargs, status when allowed, callers allowed)
ENDPOINTS: list[tuple[str, str, dict, int, set[str]]] = [
    ("GET", "/v1/tenant", {}, 200, EVERY_ROLE | READERS_BY_KEY),
    ("GET", "/v1/usage", {}, 200, EVERY_ROLE | READERS_BY_KEY),
    ("PATCH", "/v1/tenant", {"json": {"plan": "platinum"}}, 400, {"owner"}),
    ("DELETE", "/v1/tenant", {"json": {"confirm": ""}}, 400, {"owner"}),
    ("GET", "/v1/members", {}, 200, EVERY_ROLE | {"key:admin"}),
    ("GET", "/v1/audit", {}, 200, MANAGERS | {"key:admin"}),
    ("PATCH", "/v1/members/nobody", {"json": {"role": "viewer"}}, 404, MANAGERS),
    ("DELETE", "/v1/members/nobody", {}, 404, MANAGERS),
    ("POST", "/v1/invitations", {"json": {"email": "nope", "role": "viewer"}}, 400, MANAGERS),
    ("GET", "/v1/invitations", {}, 200, MANAGERS | {"key:admin"}),
    ("DELETE", "/v1/invitations/nothing", {}, 404, MANAGERS),
    ("POST", "/v1/api-keys", {"json": {"name": "", "scopes": []}}, 400, MANAGERS),
    ("GET", "/v1/api-keys", {}, 200, MANAGERS | {"key:admin"}),
    ("DELETE", "/v1/api-keys/agk_000000000000", {}, 404, MANAGERS),
    ("GET", "/v1/brands", {}, 200, EVERY_ROLE | READERS_BY_KEY),
    ("GET", "/v1/brands/nothing", {}, 404, EVERY_ROLE | READERS_BY_KEY),
    ("POST", "/v1/brands", {"json": {}}, 400, MANAGERS | {"key:admin"}),
    (
        "PATCH",
        "/v1/brands/nothing",
        {"json": {"name": "x"}, "headers": {"If-Match": '"1.000000000"'}},
        404,
        MANAGERS | {"key:admin"},
    ),
    ("DELETE", "/v1/brands/nothing", {}, 404, MANAGERS | {"key:admin"}),
    ("PUT", "/v1/brands/nothing/logo", {"content": _png()}, 404, MANAGERS | {"key:admin"}),
    ("GET", "/v1/campaigns", {}, 200, EVERY_ROLE | READERS_BY_KEY),
    ("GET", "/v1/campaigns/nothing", {}, 404, EVERY_ROLE | READERS_BY_KEY),
    ("POST", "/v1/campaigns", {"json": {}}, 400, EDITORS | {"key:generate", "key:admin"}),
    (
        "PATCH",
        "/v1/campaigns/nothing",
        {"json": {"name": "x"}, "headers": {"If-Match": '"1.000000000"'}},
        404,
        EDITORS | {"key:generate", "key:admin"},
    ),
    ("DELETE", "/v1/campaigns/nothing", {}, 404, EDITORS | {"key:generate", "key:admin"}),
    ("GET", "/v1/creatives", {}, 200, EVERY_ROLE | READERS_BY_KEY),
    ("GET", "/v1/creatives/nothing", {}, 404, EVERY_ROLE | READERS_BY_KEY),
    ("POST", "/v1/creatives/nothing/approve", {}, 404, EDITORS | {"key:admin"}),
    (
        "POST",
        "/v1/creatives/nothing/reject",
        {"json": {"comment": "x"}},
        404,
        EDITORS | {"key:admin"},
    ),
    ("POST", "/v1/creatives/nothing/archive", {}, 404, EDITORS | {"key:admin"}),
]
CALLERS = [*ROLES, *(f"key:{s}" for s in SCOPES)]


def _caller(org: Org, name: str) -> Api:
    return org.keys[name[4:]] if name.startswith("key:") else org.users[name]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "ok_status", "allowed"),
    [pytest.param(*e, id=f"{e[0]} {e[1]}") for e in ENDPOINTS],
)
def test_endpoint_permissions(
    org: Org, method: str, path: str, kwargs: dict, ok_status: int, allowed: set[str]
) -> None:
    for caller in CALLERS:
        response = _caller(org, caller).request(method, path, **kwargs)
        expected = ok_status if caller in allowed else 403
        assert response.status_code == expected, (caller, response.text)
        if expected == 403:
            assert response.json()["error"]["code"] == "permission_denied"


def test_anonymous_is_401_everywhere_but_the_contract(anonymous: Api) -> None:
    for method, path, kwargs, _, _ in ENDPOINTS:
        response = anonymous.request(method, path, **kwargs)
        assert response.status_code == 401, (method, path)
    assert anonymous.get("/v1/openapi.json").status_code == 200


def _other_tenant_calls(other: Org, inv_id: str, key_id: str) -> list[tuple[str, str, dict]]:
    etag = {"If-Match": '"1.000000000"'}
    return [
        ("GET", f"/v1/brands/{other.brand_a}", {}),
        ("PATCH", f"/v1/brands/{other.brand_a}", {"json": {"name": "mine"}, "headers": etag}),
        ("DELETE", f"/v1/brands/{other.brand_a}", {}),
        ("PUT", f"/v1/brands/{other.brand_a}/logo", {"content": _png()}),
        ("GET", f"/v1/campaigns/{other.campaign_a}", {}),
        ("PATCH", f"/v1/campaigns/{other.campaign_a}", {"json": {"name": "x"}, "headers": etag}),
        ("DELETE", f"/v1/campaigns/{other.campaign_a}", {}),
        ("GET", f"/v1/creatives/{other.creative_a}", {}),
        ("POST", f"/v1/creatives/{other.creative_a}/approve", {}),
        ("POST", f"/v1/creatives/{other.creative_a}/reject", {"json": {"comment": "no"}}),
        ("POST", f"/v1/creatives/{other.creative_a}/archive", {}),
        ("PATCH", f"/v1/members/{other.uids['viewer']}", {"json": {"role": "admin"}}),
        ("DELETE", f"/v1/members/{other.uids['viewer']}", {}),
        ("DELETE", f"/v1/invitations/{inv_id}", {}),
        ("DELETE", f"/v1/api-keys/{key_id}", {}),
    ]


def test_other_tenants_ids_are_404_and_reveal_nothing(org: Org, other: Org) -> None:
    inv = other.users["owner"].post(
        "/v1/invitations", {"email": "someone@example.com", "role": "viewer"}
    )
    key = other.users["owner"].post("/v1/api-keys", {"name": "theirs", "scopes": ["read"]})
    assert inv.status_code == key.status_code == 201
    secrets = [other.tenant_id, other.name, "rival secret headline", other.uids["viewer"]]
    for caller in (org.users["owner"], org.keys["admin"]):
        for method, path, kwargs in _other_tenant_calls(other, inv.json()["id"], key.json()["id"]):
            response = caller.request(method, path, **kwargs)
            if caller is org.keys["admin"] and (
                "/members/" in path or "/invitations/" in path or "/api-keys/" in path
            ):
                assert response.status_code == 403, (method, path)  # the scope stops it first
                continue
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["error"]["code"] == "not_found"
            assert not any(s in response.text for s in secrets), (method, path)

    # Nothing changed on the other side.
    owner = other.users["owner"]
    assert owner.get(f"/v1/creatives/{other.creative_a}").json()["status"] == "draft"
    assert owner.get(f"/v1/brands/{other.brand_a}").json()["name"] != "mine"
    assert owner.get("/v1/members").json()["items"][0]["tenant_id"] == other.tenant_id
    assert other.keys["read"].get("/v1/brands").status_code == 200
    listed = {m["uid"] for m in owner.get("/v1/members").json()["items"]}
    assert other.uids["viewer"] in listed


def test_filters_with_other_tenants_ids_return_nothing(org: Org, other: Org) -> None:
    owner = org.users["owner"]
    for path in (
        f"/v1/creatives?campaign_id={other.campaign_a}",
        f"/v1/creatives?brand_id={other.brand_a}",
        f"/v1/campaigns?brand_id={other.brand_a}",
    ):
        response = owner.get(path)
        assert response.status_code == 200
        assert response.json()["items"] == []


def test_creating_a_campaign_for_another_tenants_brand_fails(org: Org, other: Org) -> None:
    response = org.users["editor"].post(
        "/v1/campaigns",
        {
            "brand_id": other.brand_a,
            "name": "x",
            "objective": "sales",
            "offer": "y",
            "platforms": ["meta"],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"field": "brand_id", "problem": "no such brand"}
    ]

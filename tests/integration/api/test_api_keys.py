"""API keys: shown once, hashed at rest, scoped, revocable, last-used time, own rate limit."""

from __future__ import annotations

import hashlib

from api_helpers import Api, Org

from adgenius.tenancy import store


def test_key_is_shown_once_and_stored_only_as_hash(new_org: Org, api_url: str) -> None:
    owner = new_org.users["owner"]
    created = owner.post("/v1/api-keys", {"name": "CI", "scopes": ["read", "generate"]})
    assert created.status_code == 201
    body = created.json()
    key, key_id = body["key"], body["id"]
    assert key.startswith(f"{key_id}.") and body["prefix"] == key_id

    listed = owner.get("/v1/api-keys").json()["items"]
    mine = next(k for k in listed if k["id"] == key_id)
    assert "key" not in mine and mine["scopes"] == ["read", "generate"]
    secret = key.split(".", 1)[1]
    index = store.db().collection(store.API_KEY_INDEX).document(key_id).get().to_dict()
    stored = str(index) + str(
        store.tenant_collection(new_org.tenant_id, store.API_KEYS).document(key_id).get().to_dict()
    )
    assert secret not in stored
    assert index["secret_sha256"] == hashlib.sha256(secret.encode()).hexdigest()

    client = Api(api_url, api_key=key)
    assert client.get("/v1/brands").status_code == 200
    used = next(k for k in owner.get("/v1/api-keys").json()["items"] if k["id"] == key_id)
    assert used["last_used_at"] is not None

    wrong_secret = Api(api_url, api_key=f"{key_id}.{'x' * len(secret)}")
    assert wrong_secret.get("/v1/brands").status_code == 401

    assert owner.delete(f"/v1/api-keys/{key_id}").status_code == 204
    assert client.get("/v1/brands").status_code == 401
    revoked = next(k for k in owner.get("/v1/api-keys").json()["items"] if k["id"] == key_id)
    assert revoked["revoked_at"] is not None and revoked["revoked"] is True
    assert mine["revoked"] is False
    actions = [
        s.get("action")
        for s in store.tenant_collection(new_org.tenant_id, store.AUDIT).stream()
        if s.get("target") == f"api_keys/{key_id}"
    ]
    assert sorted(actions) == ["api_key.created", "api_key.revoked"]


def test_key_scopes(org: Org) -> None:
    read, generate = org.keys["read"], org.keys["generate"]
    assert read.get("/v1/creatives").status_code == 200
    assert read.post(f"/v1/creatives/{org.creative_a}/approve").status_code == 403
    assert generate.get("/v1/campaigns").status_code == 403
    assert generate.post("/v1/campaigns", {}).status_code == 400  # allowed, body invalid
    assert (
        org.keys["admin"].post("/v1/api-keys", {"name": "x", "scopes": ["admin"]}).status_code
        == 403
    )  # a key cannot mint keys


def test_key_validation(org: Org) -> None:
    owner = org.users["owner"]
    for body, field in (
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["root"]}, "scopes.0"),
        ({"name": "x", "scopes": ["read", "read"]}, "scopes"),
        ({"scopes": ["read"]}, "name"),
        ({"name": "n" * 101, "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": ["read"], "rate_limit_per_minute": 0}, "rate_limit_per_minute"),
        ({"name": "x", "scopes": ["read"], "secret": "mine"}, "secret"),
    ):
        response = owner.post("/v1/api-keys", body)
        assert response.status_code == 400, body
        assert field in {d["field"] for d in response.json()["error"]["details"]}


def test_key_rate_limit_is_429_with_retry_after(new_org: Org, api_url: str) -> None:
    created = (
        new_org.users["owner"]
        .post("/v1/api-keys", {"name": "tight", "scopes": ["read"], "rate_limit_per_minute": 3})
        .json()
    )
    client = Api(api_url, api_key=created["key"])
    responses = [client.get("/v1/brands") for _ in range(8)]
    statuses = [r.status_code for r in responses]
    # 3 per one-minute window; even if a window boundary falls inside the burst, at most 6 of
    # the 8 get through and at least 2 are refused.
    assert set(statuses) <= {200, 429} and statuses.count(429) >= 2, statuses
    refused = next(r for r in responses if r.status_code == 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    # The tenant's members are not throttled by one key's limit.
    assert new_org.users["viewer"].get("/v1/brands").status_code == 200

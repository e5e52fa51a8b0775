"""Idempotency-Key: replays (sequential and 20 concurrent) create exactly one object."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from api_helpers import Api, AuthEmulator, Org, unique_email
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.tenancy import store


def _count(tenant_id: str, collection: str, field: str, value: str) -> int:
    query = store.tenant_collection(tenant_id, collection).where(
        filter=FieldFilter(field, "==", value)
    )
    return len(list(query.stream()))


def test_sequential_replay_returns_the_first_response(new_org: Org) -> None:
    admin = new_org.users["admin"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = admin.post("/v1/brands", {"name": "Once"}, headers=key)
    second = admin.post("/v1/brands", {"name": "Once"}, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.headers.get("Idempotent-Replayed") is None
    assert _count(new_org.tenant_id, store.BRANDS, "name", "Once") == 1

    # Without a key, two POSTs are two objects.
    admin.post("/v1/brands", {"name": "Twice"})
    admin.post("/v1/brands", {"name": "Twice"})
    assert _count(new_org.tenant_id, store.BRANDS, "name", "Twice") == 2


def test_same_key_with_another_body_is_409(new_org: Org) -> None:
    admin = new_org.users["admin"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    assert admin.post("/v1/brands", {"name": "A"}, headers=key).status_code == 201
    reused = admin.post("/v1/brands", {"name": "B"}, headers=key)
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


def test_keys_are_per_caller(new_org: Org) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    a = new_org.users["owner"].post("/v1/brands", {"name": "Shared key"}, headers=key)
    b = new_org.users["admin"].post("/v1/brands", {"name": "Shared key"}, headers=key)
    assert a.json()["id"] != b.json()["id"]


def test_failed_first_attempt_does_not_poison_the_key(new_org: Org) -> None:
    editor = new_org.users["editor"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {
        "brand_id": "missing",
        "name": "n",
        "objective": "sales",
        "offer": "o",
        "platforms": ["meta"],
    }
    assert editor.post("/v1/campaigns", body, headers=key).status_code == 400
    body["brand_id"] = new_org.brand_a
    # A different body after a failure is a new attempt, not a reuse.
    assert editor.post("/v1/campaigns", body, headers=key).status_code == 201


@pytest.mark.parametrize("path", ["/v1/brands", "/v1/campaigns", "/v1/invitations"])
def test_twenty_concurrent_replays_make_one_object(new_org: Org, path: str) -> None:
    caller = new_org.users["owner"]
    marker = f"concurrent-{uuid.uuid4().hex[:8]}"
    body, collection, field = {
        "/v1/brands": ({"name": marker}, store.BRANDS, "name"),
        "/v1/campaigns": (
            {
                "brand_id": new_org.brand_a,
                "name": marker,
                "objective": "leads",
                "offer": "o",
                "platforms": ["google_pmax"],
            },
            store.CAMPAIGNS,
            "name",
        ),
        "/v1/invitations": (
            {"email": f"{marker}@example.com", "role": "viewer"},
            store.INVITATIONS,
            "email",
        ),
    }[path]
    value = body.get("name") or body["email"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    clients = [Api(caller.base_url, token=caller.token) for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda c: c.post(path, body, headers=key), clients))
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(new_org.tenant_id, collection, field, value) == 1


def test_concurrent_sign_ups_make_one_tenant(auth: AuthEmulator, api_url: str) -> None:
    email = unique_email("rush")
    uid = auth.sign_up(email)
    token = auth.id_token(email)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    clients = [Api(api_url, token=token) for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(
            pool.map(lambda c: c.post("/v1/tenants", {"name": "Rush"}, headers=key), clients)
        )
    assert {r.status_code for r in responses} == {201}
    tenant_ids = {r.json()["id"] for r in responses}
    assert len(tenant_ids) == 1
    assert store.db().collection(store.USERS).document(uid).get().get("tenant_id") in tenant_ids


def test_concurrent_sign_ups_without_key_still_make_one_tenant(
    auth: AuthEmulator, api_url: str
) -> None:
    email = unique_email("rush-nokey")
    auth.sign_up(email)
    token = auth.id_token(email)
    clients = [Api(api_url, token=token) for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(
            pool.map(lambda c: c.post("/v1/tenants", {"name": "Rush"}).status_code, clients)
        )
    assert statuses == [201] + [409] * 9


def test_invalid_idempotency_key_is_400(org: Org) -> None:
    response = org.users["admin"].post(
        "/v1/brands", {"name": "x"}, headers={"Idempotency-Key": "k" * 256}
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "Idempotency-Key"


def test_a_key_does_not_replay_another_tenants_response(
    new_org: Org, auth: AuthEmulator, api_url: str
) -> None:
    """A user creates a brand in tenant A with key K, is removed, makes tenant B and sends the
    same key and body: a new brand in B, not A's response (nor A's ids)."""
    email = unique_email("mover")
    uid = auth.sign_up(email)
    invited = new_org.users["owner"].post("/v1/invitations", {"email": email, "role": "admin"})
    user = Api(api_url, token=auth.id_token(email))
    assert user.post(f"/v1/invitations/{invited.json()['id']}/accept").status_code == 200
    user.token = auth.id_token(email)
    key, body = {"Idempotency-Key": uuid.uuid4().hex}, {"name": "Moving brand"}
    in_a = user.post("/v1/brands", body, headers=key)
    assert in_a.status_code == 201 and in_a.json()["tenant_id"] == new_org.tenant_id
    assert new_org.users["owner"].delete(f"/v1/members/{uid}").status_code == 204

    user.token = auth.id_token(email)
    tenant_b = user.post("/v1/tenants", {"name": "B"}).json()["id"]
    user.token = auth.id_token(email)
    in_b = user.post("/v1/brands", body, headers=key)
    assert in_b.status_code == 201, in_b.text
    assert in_b.headers.get("Idempotent-Replayed") is None
    assert in_b.json()["tenant_id"] == tenant_b and in_b.json()["id"] != in_a.json()["id"]
    assert _count(tenant_b, store.BRANDS, "name", "Moving brand") == 1
    again = user.post("/v1/brands", body, headers=key)  # and now it replays B's
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == in_b.json()["id"]


def test_onboarding_with_a_key_replays_until_the_user_leaves_the_tenant(
    auth: AuthEmulator, api_url: str
) -> None:
    email = unique_email("onboard-key")
    auth.sign_up(email)
    user = Api(api_url, token=auth.id_token(email))
    key, body = {"Idempotency-Key": uuid.uuid4().hex}, {"name": "First"}
    first = user.post("/v1/tenants", body, headers=key)
    assert first.status_code == 201, first.text
    user.token = auth.id_token(email)  # now a member: the retry still replays
    retry = user.post("/v1/tenants", body, headers=key)
    assert retry.status_code == 201 and retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json()["id"] == first.json()["id"]

    gone = user.request("DELETE", "/v1/tenant", json={"confirm": "First"})
    assert gone.status_code == 202, gone.text
    user.token = auth.id_token(email)
    second = user.post("/v1/tenants", body, headers=key)
    assert second.status_code == 201, second.text
    assert second.headers.get("Idempotent-Replayed") is None
    assert second.json()["id"] != first.json()["id"]

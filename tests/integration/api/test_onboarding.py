"""Sign-up: /v1/me before and after, POST /v1/tenants, claims, one tenant per user."""

from __future__ import annotations

import base64
import json

import pytest
from api_helpers import Api, AuthEmulator, Org, unique_email
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.tenancy import store


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_me_without_a_tenant(auth: AuthEmulator, api_url: str) -> None:
    email = unique_email("newbie")
    uid = auth.sign_up(email)
    me = Api(api_url, token=auth.id_token(email)).get("/v1/me")
    assert me.status_code == 200
    assert me.json() == {
        "uid": uid,
        "email": email,
        "tenant_id": None,
        "role": None,
        "brand_ids": None,
    }


def test_sign_up_creates_tenant_owner_claims_and_audit(auth: AuthEmulator, api_url: str) -> None:
    email = unique_email("founder")
    uid = auth.sign_up(email)
    user = Api(api_url, token=auth.id_token(email))
    created = user.post("/v1/tenants", {"name": "Founders Inc", "plan": "enterprise"})
    assert created.status_code == 201, created.text
    tenant = created.json()
    assert tenant["name"] == "Founders Inc" and tenant["plan"] == "enterprise"
    assert tenant["quotas"]["text_calls"] > 0 and tenant["usage"]["text_calls"] == 0

    # Before the token is refreshed the server already knows the membership...
    assert user.get("/v1/me").json()["role"] == "owner"
    # ...and the refreshed token carries the custom claims the web app and rules use.
    token = auth.id_token(email)
    assert _claims(token)["tenant_id"] == tenant["id"]
    assert _claims(token)["role"] == "owner"
    user.token = token
    assert user.get("/v1/tenant").json()["id"] == tenant["id"]

    again = user.post("/v1/tenants", {"name": "Second"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    entries = list(
        store.tenant_collection(tenant["id"], store.AUDIT)
        .where(filter=FieldFilter("action", "==", "tenant.created"))
        .stream()
    )
    assert [e.get("actor")["id"] for e in entries] == [uid]


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({}, "name", "required"),
        ({"name": 42}, "name", "Input should be a valid string"),
        ({"name": "x" * 101}, "name", "String should have at most 100 characters"),
        ({"name": "ok", "plan": "platinum"}, "plan", "Input should be"),
        ({"name": "ok", "owner": "me"}, "owner", "unknown field"),
        ([], "body", "Input should be a valid dictionary"),
    ],
)
def test_tenant_validation(
    auth: AuthEmulator, api_url: str, body: object, field: str, problem: str
) -> None:
    email = unique_email("val")
    auth.sign_up(email)
    response = Api(api_url, token=auth.id_token(email)).post("/v1/tenants", body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert any(d["field"] == field and problem in d["problem"] for d in error["details"]), error


def test_malformed_json_is_400(auth: AuthEmulator, api_url: str) -> None:
    email = unique_email("bad")
    auth.sign_up(email)
    response = Api(api_url, token=auth.id_token(email)).post(
        "/v1/tenants", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Key": "agk_000000000000.wrong"},
        {"X-API-Key": "garbage"},
    ],
)
def test_missing_or_bad_credentials_are_401(api_url: str, headers: dict[str, str]) -> None:
    for path in ("/v1/me", "/v1/tenant", "/v1/brands"):
        response = Api(api_url).get(path, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.json()["error"]["code"] == "unauthenticated"


def test_member_without_tenant_gets_403_on_tenant_endpoints(
    auth: AuthEmulator, api_url: str
) -> None:
    email = unique_email("loner")
    auth.sign_up(email)
    user = Api(api_url, token=auth.id_token(email))
    assert user.get("/v1/tenant").status_code == 403
    assert user.get("/v1/brands").status_code == 403


def test_api_key_cannot_onboard(org: Org) -> None:
    response = org.keys["admin"].post("/v1/tenants", {"name": "Via key"})
    assert response.status_code == 403
    assert org.keys["admin"].get("/v1/me").status_code == 403

"""HTTP behaviour shared by every endpoint: CORS, unknown routes, methods, error shape."""

from __future__ import annotations

import httpx
from api_helpers import Api, Org


def test_cors_preflight(api_url: str) -> None:
    response = httpx.options(
        f"{api_url}/v1/campaigns/abc",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, if-match, content-type",
        },
    )
    assert response.status_code == 204
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    for header in ("authorization", "content-type", "idempotency-key", "if-match", "x-api-key"):
        assert header in allowed
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_headers_on_responses_expose_etag(org: Org) -> None:
    response = org.users["viewer"].get(
        f"/v1/campaigns/{org.campaign_a}", headers={"Origin": "http://localhost:5173"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_unknown_route_and_method(org: Org) -> None:
    viewer = org.users["viewer"]
    missing = viewer.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = viewer.request("PUT", "/v1/me")
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]


def test_wrong_content_type_is_415(org: Org) -> None:
    response = org.users["admin"].post(
        "/v1/brands",
        content=b"name=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415


def test_correlation_id_is_echoed(org: Org) -> None:
    response = org.users["viewer"].get("/v1/me", headers={"X-Correlation-Id": "trace-123"})
    assert response.headers["X-Correlation-Id"] == "trace-123"
    error = org.users["viewer"].get("/v1/brands/missing", headers={"X-Correlation-Id": "t-9"})
    assert error.json()["error"]["correlation_id"] == "t-9"


def test_openapi_document_lists_every_route(anonymous: Api) -> None:
    doc = anonymous.get("/v1/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    paths = doc["paths"]
    for path, method in [
        ("/v1/me", "get"),
        ("/v1/tenants", "post"),
        ("/v1/members/{uid}", "patch"),
        ("/v1/invitations/{inv_id}/accept", "post"),
        ("/v1/api-keys/{key_id}", "delete"),
        ("/v1/brands/{brand_id}/logo", "put"),
        ("/v1/campaigns/{campaign_id}", "patch"),
        ("/v1/creatives/{creative_id}/reject", "post"),
        ("/v1/usage", "get"),
    ]:
        assert method in paths[path], (path, method)
    patch = paths["/v1/campaigns/{campaign_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert patch["x-permission"] == "campaigns:write"
    brand_schema = doc["components"]["schemas"]["BrandCreate"]
    assert brand_schema["additionalProperties"] is False

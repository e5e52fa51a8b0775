"""The request pipeline in-process (functions-framework test client), for behaviour that needs
no database: CORS, routing errors, credentials checks, the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import functions_framework
import pytest
from flask.testing import FlaskClient

from adgenius.api.openapi import document

MAIN = Path(__file__).resolve().parents[3] / "functions/api/main.py"


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    app = functions_framework.create_app("api", str(MAIN), "http")
    return app.test_client()


def test_preflight_answers_without_credentials(client: FlaskClient) -> None:
    response = client.options(
        "/v1/brands/x",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "DELETE"},
    )
    assert response.status_code == 204
    assert "X-API-Key" in response.headers["Access-Control-Allow-Headers"]
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_unknown_path_is_404_json(client: FlaskClient, prefix: str) -> None:
    response = client.get(f"{prefix}/v1/unknown")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/v1/me")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}
    assert set(response.json["error"]) == {"code", "message", "details", "correlation_id"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Token abc"},
        {"Authorization": "Bearer "},
        {"X-API-Key": "nodot"},
        {"X-API-Key": "wrongprefix.secret"},
    ],
)
def test_credentials_are_checked_before_anything_else(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    # Even an invalid body on a real route must not get past authentication.
    response = client.post("/v1/brands", data=b"{not json", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"


def test_openapi_is_served_publicly_and_covers_the_route_table(client: FlaskClient) -> None:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.json == document()


def test_openapi_document_shape() -> None:
    doc = document()
    assert doc["openapi"] == "3.1.0"
    schemas = doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            assert op["operationId"] and op["responses"], (method, path)
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"
                    }
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                name = body["schema"]["$ref"].rsplit("/", 1)[1]
                assert schemas[name]["additionalProperties"] is False, name
            for name in {p["name"] for p in op["parameters"] if p["in"] == "path"}:
                assert "{" + name + "}" in path
    # every $ref resolves
    import json
    import re

    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(doc))):
        assert ref in schemas, ref


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for ops in document()["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))

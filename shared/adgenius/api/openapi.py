"""The OpenAPI 3.1 document, generated from the route table and the same pydantic models that
validate requests and shape responses. There is no hand-kept copy to drift."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, JsonSchemaValue, models_json_schema

from adgenius.api.routing import Access, Route

if TYPE_CHECKING:
    from pydantic.dataclasses import PydanticDataclass


class ErrorDetail(BaseModel):
    field: str
    problem: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []
    correlation_id: str | None = None


class ErrorBody(BaseModel):
    """The one JSON error shape (what `adgenius.api.errors.body_of` writes)."""

    error: ErrorInfo


API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
COMMON_ERRORS = (400, 401, 403, 404, 429)
ERROR_TEXT = {
    400: "Invalid request (malformed JSON, validation errors per field)",
    401: "Missing or invalid credentials",
    402: "Monthly generation quota exceeded",
    403: "Authenticated, but not allowed to do this",
    404: "Not found (also for ids of other tenants)",
    405: "Method not allowed",
    409: "Conflict with the current state",
    412: "If-Match does not match the current ETag",
    413: "Body too large",
    415: "Unsupported media type",
    428: "If-Match header required",
    429: "Rate limit exceeded (see Retry-After)",
}


def _path(rule: str) -> tuple[str, list[str]]:
    names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule)
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule), names


def _models(
    routes: list[Route],
) -> tuple[
    dict[tuple[type[BaseModel] | type[PydanticDataclass], JsonSchemaMode], JsonSchemaValue],
    dict[str, Any],
]:
    wanted: set[tuple[type[BaseModel], JsonSchemaMode]] = {(ErrorBody, "serialization")}
    for route in routes:
        if route.body:
            wanted.add((route.body, "validation"))
        if route.response:
            wanted.add((route.response, "serialization"))
    keyed, top = models_json_schema(
        sorted(wanted, key=lambda km: (km[0].__module__, km[0].__qualname__, km[1])),
        ref_template=REF,
    )
    return keyed, top.get("$defs", {})


def _query_parameters(model: type[BaseModel]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
        }
        if description:
            param["description"] = description
        params.append(param)
    return params, schema.get("$defs", {})


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": ERROR_TEXT.get(status, "Error"),
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
    }


def _operation(route: Route, keyed: dict, defs: dict[str, Any]) -> dict[str, Any]:
    _, names = _path(route.path)
    op: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.tag],
        "parameters": [
            {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
        ],
    }
    if route.access is Access.PUBLIC:
        op["security"] = []
    elif route.access is Access.USER:
        op["security"] = [{"firebase": []}]
    if route.permission is not None:
        op["x-permission"] = route.permission.value
    if route.query is not None:
        params, query_defs = _query_parameters(route.query)
        op["parameters"] += params
        defs.update(query_defs)
    if route.creates:
        op["parameters"].append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Replaying the same key returns the first response.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    if 412 in route.errors:
        required = 428 in route.errors
        op["parameters"].append(
            {
                "name": "If-Match",
                "in": "header",
                "required": required,
                "description": "The ETag from GET"
                + ("." if required else "; without it the update is unconditional."),
                "schema": {"type": "string"},
            }
        )
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": keyed[(route.body, "validation")]}},
        }
    elif route.raw_body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {route.raw_body: {"schema": {"type": "string", "format": "binary"}}},
        }
    success: dict[str, Any] = {"description": "Success"}
    if route.response is not None:
        success["content"] = {
            "application/json": {"schema": keyed[(route.response, "serialization")]}
        }
    elif route.access is Access.PUBLIC:
        success["content"] = {"application/json": {"schema": {"type": "object"}}}
    if route.etag:
        success["headers"] = {"ETag": {"schema": {"type": "string"}}}
    statuses = set(route.errors)
    if route.access is not Access.PUBLIC:
        statuses |= set(COMMON_ERRORS)
    if route.body is not None:
        statuses |= {413, 415}
    op["responses"] = {
        str(route.status): success,
        **{str(s): _error_response(s) for s in sorted(statuses)},
    }
    return op


def document() -> dict[str, Any]:
    from adgenius.api.app import route_table

    routes = list(route_table()[1].values())
    keyed, defs = _models(routes)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        path, _ = _path(route.path)
        paths.setdefault(path, {})[route.method.lower()] = _operation(route, keyed, defs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AdGenius API",
            "version": API_VERSION,
            "description": "Multi-tenant generation of advertising creatives. "
            "Errors: {error: {code, message, details: [{field, problem}]}}.",
        },
        "servers": [{"url": "/api", "description": "the api Cloud Function"}],
        "security": [{"firebase": []}, {"apiKey": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "firebase": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "Firebase ID token",
                },
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
    }

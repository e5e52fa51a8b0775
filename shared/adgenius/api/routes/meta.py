"""The OpenAPI document, generated from the route table and its models."""

from __future__ import annotations

import json
from functools import cache

from adgenius.api.routing import Access, Call, Reply, Router

router = Router(tag="meta")


@router.get("/v1/openapi.json", access=Access.PUBLIC)
def get_openapi(call: Call) -> Reply:
    """This API's OpenAPI 3.1 document."""
    return Reply(raw_json=_document_json())


@cache
def _document_json() -> str:
    from adgenius.api.openapi import document  # the document needs the full route table

    return json.dumps(document())

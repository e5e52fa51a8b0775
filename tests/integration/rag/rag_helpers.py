"""Searching and waiting for the brand-memory index, over the real API."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.workspace import Workspace
from adgenius.rag.chunking import creative_text

INDEX_TIMEOUT_S = 30.0


def search(ws: Workspace, **params: Any) -> dict[str, Any]:
    r = ws.call("GET", "/search", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def ids(result: dict[str, Any]) -> list[str]:
    return [hit["creative"]["id"] for hit in result["items"]]


def wait_for_search(
    ws: Workspace,
    predicate: Callable[[dict[str, Any]], bool],
    timeout_s: float = INDEX_TIMEOUT_S,
    **params: Any,
) -> tuple[dict[str, Any], float]:
    """Poll /v1/search until `predicate(result)`; returns the result and the seconds waited."""
    start = time.monotonic()
    result: dict[str, Any] = {}
    while time.monotonic() - start < timeout_s:
        result = search(ws, **params)
        if predicate(result):
            return result, time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"search {params} did not reach the condition in {timeout_s} s: {result}")


def creatives_of_job(ws: Workspace, job_id: str) -> list[dict[str, Any]]:
    job = ws.job(job_id)
    out = []
    for item in job["items"]:
        r = ws.call("GET", f"/creatives/{item['creative_id']}")
        assert r.status_code == 200, r.text
        out.append(dict(r.json()))
    return out


def query_for(creative: dict[str, Any]) -> str:
    """The creative's first line of indexed text: a query it must match."""
    return creative_text(creative).splitlines()[0]


def creative_ref(ws: Workspace, creative_id: str) -> Any:
    return firestore_client().document(f"tenants/{ws.tenant_id}/creatives/{creative_id}")

"""Brand documents: upload -> Storage + Firestore -> `documents_indexer` trigger -> Qdrant,
observed through what generation would quote (`GET /v1/campaigns/{id}/grounding`)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from rag_helpers import INDEX_TIMEOUT_S, creatives_of_job

from adgenius.cloud.storage import blob_store
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace

pytestmark = pytest.mark.integration

STYLE_GUIDE = """# Northwind house style

Always describe our roast as **crema-first roasting**: slow drum roasting that keeps the
crema thick. Mention that every bag is packed within four hours of roasting.
Never promise delivery times; say "fresh to your door".
"""
MARKER = "crema-first roasting"


def _upload(ws: Workspace, body: bytes, content_type: str, **params: Any) -> httpx.Response:
    return ws.call(
        "POST",
        f"/brands/{ws.brand_id}/documents",
        content=body,
        params=params,
        headers={"Content-Type": content_type},
    )


def _grounding(ws: Workspace) -> dict[str, Any]:
    r = ws.call("GET", f"/campaigns/{ws.campaign_id}/grounding", params={"platform": "meta"})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _quotes_marker(g: dict[str, Any]) -> bool:
    return any(MARKER in c["text"] for c in g["context"])


def _wait(ws: Workspace, predicate: Any) -> dict[str, Any]:
    deadline = time.monotonic() + INDEX_TIMEOUT_S
    g: dict[str, Any] = {}
    while time.monotonic() < deadline:
        g = _grounding(ws)
        if predicate(g):
            return g
        time.sleep(0.1)
    raise AssertionError(f"grounding did not reach the condition: {g}")


def test_documents_and_approved_creatives_ground_generation_until_deleted(
    workspace: Workspace, stack: StackInfo
) -> None:
    assert not _quotes_marker(_grounding(workspace))
    r = _upload(workspace, STYLE_GUIDE.encode(), "text/markdown", title="House style")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["storage_path"] == (
        f"tenants/{workspace.tenant_id}/brands/{workspace.brand_id}/documents/{doc['id']}"
    )
    assert blob_store().get(doc["storage_path"]) == STYLE_GUIDE.encode()

    g = _wait(workspace, _quotes_marker)
    snippet = next(c for c in g["context"] if MARKER in c["text"])
    assert snippet["source"] == "House style"
    assert "**" not in snippet["text"] and "#" not in snippet["text"]  # Markdown stripped

    # another tenant never gets this tenant's document as context
    other = create_workspace(stack)
    assert not _quotes_marker(_grounding(other))

    # an approved creative becomes a winner; a draft never does
    job_id = workspace.start_job({"kind": "copy_batch", "platforms": ["meta"]})
    assert workspace.wait(job_id, 120)["status"] == "succeeded"
    (creative,) = creatives_of_job(workspace, job_id)
    assert creative["id"] not in [w["id"] for w in _grounding(workspace)["winners"]]
    assert workspace.call("POST", f"/creatives/{creative['id']}/approve").status_code == 200
    _wait(workspace, lambda g: creative["id"] in [w["id"] for w in g["winners"]])

    listed = workspace.call("GET", f"/brands/{workspace.brand_id}/documents").json()
    assert [d["id"] for d in listed["items"]] == [doc["id"]]

    r = workspace.call("DELETE", f"/brands/{workspace.brand_id}/documents/{doc['id']}")
    assert r.status_code == 204, r.text
    _wait(workspace, lambda g: not _quotes_marker(g))
    assert not blob_store().exists(doc["storage_path"])
    assert workspace.call("GET", f"/brands/{workspace.brand_id}/documents").json()["items"] == []
    again = workspace.call("DELETE", f"/brands/{workspace.brand_id}/documents/{doc['id']}")
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        (b"\x89PNG\r\n", "image/png", 415, "Content-Type"),
        (b"", "text/plain", 400, "body"),
        (b"   \n  ", "text/plain", 400, "body"),
        (b"x" * (2 * 1024 * 1024 + 1), "text/plain", 413, "body"),
        (b"%PDF-1.4 not really a pdf", "application/pdf", 400, "body"),
    ],
)
def test_bad_documents_are_refused_naming_the_problem(
    workspace: Workspace, body: bytes, content_type: str, status: int, field: str
) -> None:
    r = _upload(workspace, body, content_type)
    assert r.status_code == status, r.text
    assert field in [d["field"] for d in r.json()["error"]["details"]], r.json()


def test_documents_of_another_tenants_brand_are_not_found(
    workspace: Workspace, stack: StackInfo
) -> None:
    other = create_workspace(stack)
    r = other.call(
        "POST",
        f"/brands/{workspace.brand_id}/documents",
        content=b"hello",
        headers={"Content-Type": "text/plain"},
    )
    assert r.status_code == 404, r.text
    r = other.call("GET", f"/brands/{workspace.brand_id}/documents")
    assert r.status_code == 404, r.text

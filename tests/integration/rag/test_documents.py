"""Brand documents: upload -> Storage + Firestore -> `documents_indexer` trigger -> Qdrant,
observed through what generation would quote (`GET /v1/campaigns/{id}/grounding`)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from rag_helpers import INDEX_TIMEOUT_S, creatives_of_job

from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import blob_store
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.rag.document_text import LIMITS
from adgenius.testing import hostile

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
    assert doc["status"] == "processing"  # read by the indexer, not in the request
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
    assert listed["items"][0]["status"] == "ready"

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
        (b"not a pdf at all", "application/pdf", 400, "body"),
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


def _document(ws: Workspace, document_id: str) -> dict[str, Any]:
    snap = firestore_client().document(f"tenants/{ws.tenant_id}/documents/{document_id}").get()
    return snap.to_dict() or {}


def _wait_status(ws: Workspace, document_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + INDEX_TIMEOUT_S
    doc: dict[str, Any] = {}
    while time.monotonic() < deadline:
        doc = _document(ws, document_id)
        if doc.get("status") == status:
            return doc
        time.sleep(0.1)
    raise AssertionError(f"document {document_id} did not become {status}: {doc}")


def test_a_pdf_of_megabytes_of_text_operators_fails_in_bounded_work(
    workspace: Workspace,
) -> None:
    # ~6 kB on the wire, 3.5 MB of `(a) Tj` once inflated: a million tokens to parse.
    bomb = hostile.pdf([hostile.tj_bomb(3_500_000)])
    assert len(bomb) < 8 * 1024
    r = _upload(workspace, bomb, "application/pdf", title="bomb")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "processing"
    doc = _wait_status(workspace, r.json()["id"], "failed")
    assert "content operators" in doc["failure_reason"]
    work = doc["extraction"]
    assert work["operators"] == 0  # refused on the counters: not one operator was parsed
    assert LIMITS.max_content_tokens < work["content_tokens"]
    assert work["content_bytes"] <= LIMITS.max_content_bytes
    listed = workspace.call("GET", f"/brands/{workspace.brand_id}/documents").json()["items"]
    shown = next(d for d in listed if d["id"] == r.json()["id"])
    assert shown["status"] == "failed" and "content operators" in shown["failure_reason"]

    # A reindex neither parses it again nor indexes it.
    reindexed = workspace.call("POST", "/search/reindex")
    assert reindexed.status_code == 200, reindexed.text
    assert _document(workspace, r.json()["id"])["extraction"] == work


def test_a_pdf_is_read_once_and_reindex_reuses_its_text(workspace: Workspace) -> None:
    words = "Northwind grinds every batch for espresso"
    r = _upload(workspace, hostile.pdf([hostile.text_page(words)]), "application/pdf")
    assert r.status_code == 201, r.text
    doc = _wait_status(workspace, r.json()["id"], "ready")
    assert blob_store().get(doc["text_path"]).decode().strip() == words
    # Reindex reads the stored text: replace it, and the index follows the stored copy.
    stored = b"Coffee subscription roasted to order every week: stored copy marker"
    blob_store().put(doc["text_path"], stored, "text/plain")
    assert workspace.call("POST", "/search/reindex").status_code == 200
    g = _wait(workspace, lambda g: any("stored copy marker" in c["text"] for c in g["context"]))
    assert not any("espresso" in c["text"] for c in g["context"])
    assert (
        workspace.call(
            "DELETE", f"/brands/{workspace.brand_id}/documents/{r.json()['id']}"
        ).status_code
        == 204
    )


def test_a_broken_pdf_is_a_failed_document_naming_the_problem(workspace: Workspace) -> None:
    r = _upload(workspace, b"%PDF-1.4 not really a pdf", "application/pdf")
    assert r.status_code == 201, r.text
    doc = _wait_status(workspace, r.json()["id"], "failed")
    assert "PDF" in doc["failure_reason"]

"""The Qdrant server path, without a server: requests are recorded on the way to a local engine.

No Qdrant binary can be installed here, so this checks what the store SENDS to a server:
the multitenant collection layout, and a tenant filter on every read and write.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from adgenius.rag import qdrant_client_store
from adgenius.rag.memory import BrandDocument, BrandMemory
from adgenius.rag.qdrant_client_store import QdrantClientStore
from adgenius.rag.retrieve import retrieve_context
from adgenius.rag.search import search_creatives
from adgenius.rag.store import TENANT_FIELD

FILTER_ARGS = {
    "query_points": "query_filter",
    "scroll": "scroll_filter",
    "count": "count_filter",
    "set_payload": "points",
    "delete": "points_selector",
}


class RecordingClient:
    """Stands in for a remote QdrantClient: records calls, runs them on a local engine."""

    calls: list[tuple[str, dict[str, Any]]]

    def __init__(self, url: str, api_key: str | None = None) -> None:
        self.url, self.api_key, self.calls = url, api_key, []
        self._local = QdrantClient(location=":memory:")

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._local, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            # Record by parameter name, whether passed by position or keyword.
            self.calls.append(
                (name, dict(inspect.signature(method).bind(*args, **kwargs).arguments))
            )
            if name == "create_payload_index":
                return None  # the local engine ignores payload indexes (and warns)
            kwargs.pop("search_params", None)  # the local engine is exact and warns
            return method(*args, **kwargs)

        return call


@pytest.fixture
def server_memory(monkeypatch: pytest.MonkeyPatch, embedder: Any) -> BrandMemory:
    monkeypatch.setattr(qdrant_client_store, "QdrantClient", RecordingClient)
    store = QdrantClientStore("bm", embedder.dimension, url="https://q.example:6333", api_key="k")
    return BrandMemory(store, embedder)


def _tenant_of(native: Any) -> str:
    flt = native.filter if isinstance(native, qm.FilterSelector) else native
    first = flt.must[0]
    assert first.key == TENANT_FIELD
    return first.match.value


def test_server_collection_is_multitenant(server_memory: BrandMemory) -> None:
    client: RecordingClient = server_memory.store._client  # type: ignore[attr-defined]
    assert client.url == "https://q.example:6333" and client.api_key == "k"
    created = dict(client.calls)["create_collection"]
    assert created["hnsw_config"].m == 0 and created["hnsw_config"].payload_m == 16
    indexes = {
        kw["field_name"]: kw["field_schema"]
        for n, kw in client.calls
        if n == "create_payload_index"
    }
    assert indexes[TENANT_FIELD].is_tenant is True
    assert {"brand_id", "campaign_id", "platform", "status", "type", "source_id"} <= set(indexes)


def test_every_server_request_is_filtered_by_tenant(
    server_memory: BrandMemory, creative: Any
) -> None:
    client: RecordingClient = server_memory.store._client  # type: ignore[attr-defined]
    for tenant in ("t1", "t2"):
        server_memory.index_creative(creative("c1", tenant_id=tenant, headlines=["Boots sale"]))
        server_memory.index_document(BrandDocument(tenant_id=tenant, document_id="d", data="Tone"))
    client.calls.clear()
    search_creatives(server_memory, "t1", "boots")
    retrieve_context(server_memory, "t1", "boots")
    server_memory.set_performance("t1", "c1", {"ctr": 0.02})
    server_memory.set_status("t1", "c1", "archived")
    server_memory.index_creative(creative("c2", tenant_id="t1", headlines=["New"]))
    server_memory.delete_document("t1", "d")
    server_memory.scope("t1").scroll()
    server_memory.scope("t1").count()
    filtered = [(n, kw) for n, kw in client.calls if n in FILTER_ARGS]
    assert {n for n, _ in filtered} == set(FILTER_ARGS)
    assert all(_tenant_of(kw[FILTER_ARGS[n]]) == "t1" for n, kw in filtered)
    searches = [kw for n, kw in client.calls if n == "query_points"]
    assert all(kw["search_params"].hnsw_ef == 256 for kw in searches)
    upserts = [kw for n, kw in client.calls if n == "upsert"]
    assert all(p.payload[TENANT_FIELD] == "t1" for kw in upserts for p in kw["points"])
    assert server_memory.scope("t2").count() == 2  # the other tenant is untouched

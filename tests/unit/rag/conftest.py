"""Fixtures for brand-memory tests: every store implementation, the real local embedder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adgenius.models.local_embedding import WordLlamaEmbedder
from adgenius.rag.edge_store import EdgeStore
from adgenius.rag.memory import BrandMemory
from adgenius.rag.qdrant_client_store import QdrantClientStore
from adgenius.rag.store import VectorStore

STORE_KINDS = ["edge", "qdrant_client_local"]


def make_store(kind: str, path: Path, dimension: int) -> VectorStore:
    if kind == "edge":
        return EdgeStore(path / "edge", dimension)
    return QdrantClientStore("test", dimension, location=":memory:")


@pytest.fixture(scope="session")
def embedder() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()


@pytest.fixture(params=STORE_KINDS)
def memory(
    request: pytest.FixtureRequest, tmp_path: Path, embedder: WordLlamaEmbedder
) -> Iterator[BrandMemory]:
    store = make_store(request.param, tmp_path, embedder.dimension)
    yield BrandMemory(store, embedder)
    store.close()


@pytest.fixture
def edge_memory(tmp_path: Path, embedder: WordLlamaEmbedder) -> Iterator[BrandMemory]:
    store = EdgeStore(tmp_path / "edge", embedder.dimension)
    yield BrandMemory(store, embedder)
    store.close()


CreativeFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def creative() -> CreativeFactory:
    def make(
        id: str,
        tenant_id: str = "tenant-a",
        kind: str = "copy",
        status: str = "approved",
        brand_id: str = "brand-1",
        campaign_id: str = "camp-1",
        platform: str = "meta",
        metrics: dict[str, Any] | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": id,
            "tenant_id": tenant_id,
            "brand_id": brand_id,
            "campaign_id": campaign_id,
            "kind": kind,
            "platform": platform,
            "status": status,
            "content": content,
        }
        if metrics is not None:
            doc["metrics"] = metrics
        return doc

    return make

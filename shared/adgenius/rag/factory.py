"""Pick the vector store and embedder from settings."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from adgenius.models.base import EmbeddingModel
from adgenius.rag.memory import BrandMemory
from adgenius.rag.store import StoreLockedError, VectorStore
from adgenius.settings import Settings, get_settings
from adgenius.tenancy.errors import TenancyError


def collection_name(embedder: EmbeddingModel) -> str:
    """One collection per embedding space: vectors of different models never mix."""
    slug = re.sub(r"[^a-z0-9]+", "_", embedder.name.lower()).strip("_")
    return f"brand_memory__{slug}__{embedder.dimension}"


def default_embedder() -> EmbeddingModel:
    """The local default chosen by measurement (see rag/README.md): WordLlama, 256-d."""
    from adgenius.models.local_embedding import WordLlamaEmbedder

    return WordLlamaEmbedder()


def open_store(
    embedder: EmbeddingModel,
    *,
    qdrant_url: str | None = None,
    qdrant_api_key: str | None = None,
    path: Path | None = None,
) -> VectorStore:
    """Qdrant server/Cloud when a URL is given, else the embedded Rust engine at `path`.

    The embedded store is single-process: open it in ONE owner process (see rag/README.md).
    """
    name = collection_name(embedder)
    if qdrant_url:
        from adgenius.rag.qdrant_client_store import QdrantClientStore

        return QdrantClientStore(name, embedder.dimension, url=qdrant_url, api_key=qdrant_api_key)
    if path is None:
        raise ValueError("either qdrant_url or a local path is required")
    from adgenius.rag.edge_store import EdgeStore

    return EdgeStore(Path(path) / name, embedder.dimension)


def open_brand_memory(
    settings: Settings | None = None, embedder: EmbeddingModel | None = None
) -> BrandMemory:
    settings = settings or get_settings()
    embedder = embedder or default_embedder()
    store = open_store(
        embedder,
        qdrant_url=settings.qdrant_url,
        qdrant_api_key=settings.qdrant_api_key,
        path=settings.data_dir / "vectors",
    )
    return BrandMemory(store, embedder)


_SHARED_LOCK = threading.Lock()
_SHARED: BrandMemory | None = None


def get_brand_memory() -> BrandMemory:
    """The process-wide brand memory (stores are thread-safe; the embedded one is one-process).

    The local functions host serves every function from one threaded process, so they all
    share this object; never open the same embedded path from a second process.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = open_brand_memory()
        return _SHARED


def close_brand_memory() -> None:
    """Close the process-wide brand memory (tests, shutdown hooks)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is not None:
            _SHARED.store.close()
            _SHARED = None


class MemoryUnavailable(TenancyError):
    """The embedded vector store is owned by another process (a local misconfiguration)."""

    status, code = 503, "search_unavailable"


def brand_memory() -> BrandMemory:
    """`get_brand_memory()`, with a locked embedded store turned into `MemoryUnavailable`.

    Locally the store lives at `<ADGENIUS_DATA_DIR>/vectors` and only one process may open it:
    two local stacks sharing a data dir collide here. The cloud uses QDRANT_URL and never locks.
    """
    try:
        return get_brand_memory()
    except StoreLockedError as exc:
        raise MemoryUnavailable(
            "brand memory is unavailable: its embedded store is open in another process "
            "(give each local stack its own ADGENIUS_DATA_DIR, or set QDRANT_URL)"
        ) from exc

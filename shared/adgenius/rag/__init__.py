"""Brand memory: tenant-scoped vector retrieval of creatives and brand documents (Qdrant)."""

from adgenius.rag.factory import (
    close_brand_memory,
    collection_name,
    default_embedder,
    get_brand_memory,
    open_brand_memory,
    open_store,
)
from adgenius.rag.memory import ALL_BRANDS, BrandDocument, BrandMemory
from adgenius.rag.quoting import format_context
from adgenius.rag.retrieve import retrieve_context
from adgenius.rag.schema import (
    ContextItem,
    CreativeFilters,
    CreativeHit,
    Performance,
    PointType,
    RetrievedContext,
    Status,
)
from adgenius.rag.search import search_creatives
from adgenius.rag.store import TenantScope, VectorStore, point_id

__all__ = [
    "ALL_BRANDS",
    "BrandDocument",
    "BrandMemory",
    "ContextItem",
    "CreativeFilters",
    "CreativeHit",
    "Performance",
    "PointType",
    "RetrievedContext",
    "Status",
    "TenantScope",
    "VectorStore",
    "close_brand_memory",
    "collection_name",
    "default_embedder",
    "format_context",
    "get_brand_memory",
    "open_brand_memory",
    "open_store",
    "point_id",
    "retrieve_context",
    "search_creatives",
]

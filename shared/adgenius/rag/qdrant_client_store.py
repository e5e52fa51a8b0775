"""`VectorStore` on qdrant-client: a Qdrant server / Qdrant Cloud, or the embedded local mode.

The server path is the production one. The embedded local mode (`path=` or ":memory:") keeps
the same API but is pure Python (about 100 ms per filtered query at 10k points), so the local
stack uses `EdgeStore` by default and this class with `location=":memory:"` in tests.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from adgenius.rag.store import (
    INDEXED_FIELDS,
    TENANT_FIELD,
    PointRecord,
    ScopedFilter,
    ScoredHit,
    VectorStore,
)


def _native_filter(flt: ScopedFilter) -> qm.Filter:
    must: list[Any] = []
    for key, values in flt.conditions:
        match = (
            qm.MatchValue(value=values[0]) if len(values) == 1 else qm.MatchAny(any=list(values))
        )
        must.append(qm.FieldCondition(key=key, match=match))
    if flt.ids is not None:
        must.append(qm.HasIdCondition(has_id=list(flt.ids)))
    return qm.Filter(must=must)


class QdrantClientStore(VectorStore):
    def __init__(
        self,
        collection: str,
        dimension: int,
        *,
        url: str | None = None,
        api_key: str | None = None,
        path: str | None = None,
        location: str | None = None,
        hnsw_ef: int = 256,
    ) -> None:
        if url:
            self._client = QdrantClient(url=url, api_key=api_key)
        elif path:
            # Takes a file lock: only one process may open this path (see rag/README.md).
            self._client = QdrantClient(path=path)
        else:
            self._client = QdrantClient(location=location or ":memory:")
        self._remote = bool(url)
        # Local mode is not thread-safe (concurrent upserts and searches corrupt its sqlite and
        # numpy state; seen with 8 threads); the functions host is threaded, so serialise it.
        self._lock = threading.RLock()
        self.collection = collection
        self.dimension = dimension
        self.hnsw_ef = hnsw_ef  # the same beam width the embedded store was measured with
        self._ensure_collection()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        if self._remote:
            yield
            return
        with self._lock:
            yield

    def _ensure_collection(self) -> None:
        if self._client.collection_exists(self.collection):
            return
        self._client.create_collection(
            self.collection,
            vectors_config=qm.VectorParams(size=self.dimension, distance=qm.Distance.COSINE),
            # Per-tenant HNSW graphs instead of one global graph: searches are always
            # filtered by tenant, so the global graph would only cost memory.
            hnsw_config=qm.HnswConfigDiff(payload_m=16, m=0) if self._remote else None,
        )
        if not self._remote:
            return  # local mode ignores payload indexes (and warns); nothing to gain.
        self._client.create_payload_index(
            self.collection,
            TENANT_FIELD,
            field_schema=qm.KeywordIndexParams(type=qm.KeywordIndexType.KEYWORD, is_tenant=True),
        )
        for name in INDEXED_FIELDS:
            self._client.create_payload_index(
                self.collection, name, field_schema=qm.PayloadSchemaType.KEYWORD
            )

    def _upsert(self, points: Sequence[PointRecord]) -> None:
        if not points:
            return
        with self._guard():
            self._client.upsert(
                self.collection,
                points=[
                    qm.PointStruct(
                        id=p.id,
                        vector=np.asarray(p.vector, dtype=np.float32).tolist(),
                        payload=p.payload,
                    )
                    for p in points
                ],
                wait=True,
            )

    def _search(
        self,
        vector: np.ndarray,
        flt: ScopedFilter,
        limit: int,
        with_vectors: bool,
        exact: bool = False,
    ) -> list[ScoredHit]:
        with self._guard():
            response = self._client.query_points(
                self.collection,
                query=vector.tolist(),
                query_filter=_native_filter(flt),
                limit=limit,
                with_payload=True,
                with_vectors=with_vectors,
                # Local mode is always exact and warns about any search params.
                search_params=qm.SearchParams(exact=exact, hnsw_ef=None if exact else self.hnsw_ef)
                if self._remote
                else None,
            )
        return [
            ScoredHit(
                id=str(p.id),
                score=float(p.score),
                payload=dict(p.payload or {}),
                vector=np.asarray(p.vector, dtype=np.float32) if with_vectors else None,
            )
            for p in response.points
        ]

    def _scroll(self, flt: ScopedFilter, limit: int) -> list[ScoredHit]:
        out: list[ScoredHit] = []
        offset = None
        while len(out) < limit:
            with self._guard():
                records, offset = self._client.scroll(
                    self.collection,
                    scroll_filter=_native_filter(flt),
                    limit=min(256, limit - len(out)),
                    offset=offset,
                    with_payload=True,
                )
            out.extend(
                ScoredHit(id=str(r.id), score=0.0, payload=dict(r.payload or {})) for r in records
            )
            if offset is None:
                break
        return out

    def _set_payload(self, flt: ScopedFilter, payload: dict[str, Any]) -> None:
        with self._guard():
            self._client.set_payload(
                self.collection, payload=payload, points=_native_filter(flt), wait=True
            )

    def _delete(self, flt: ScopedFilter) -> None:
        with self._guard():
            self._client.delete(
                self.collection,
                points_selector=qm.FilterSelector(filter=_native_filter(flt)),
                wait=True,
            )

    def _count(self, flt: ScopedFilter) -> int:
        with self._guard():
            return self._client.count(
                self.collection, count_filter=_native_filter(flt), exact=True
            ).count

    def optimize(self) -> None:
        """The server indexes in the background; local mode has no index to build."""

    def close(self) -> None:
        with self._guard():
            self._client.close()

"""The vector store interface, and the tenant scope that is the only way to use it.

One collection holds every tenant of one embedding space; tenants are separated by the
`tenant_id` payload field (indexed as the tenant key). The backends only expose methods that
take a `ScopedFilter`, and the only code that builds a `ScopedFilter` is `TenantScope` below:
that is the single place where the tenant condition is added to searches, updates and
deletes. Nothing outside this module should call the backend's underscore methods.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

TENANT_FIELD = "tenant_id"

# Keyword payload fields with an index; the tenant field is additionally the tenant key.
INDEXED_FIELDS: tuple[str, ...] = (
    "type",
    "source_kind",
    "source_id",
    "brand_id",
    "campaign_id",
    "platform",
    "status",
)

# Fixed namespace so point ids are stable across processes and machines.
_POINT_NAMESPACE = uuid.UUID("6f1c6a52-3f3e-4d0e-9a59-2f8e4b7c1d11")

FieldValue = str | int | bool


def point_id(tenant_id: str, source_kind: str, source_id: str, chunk: int) -> str:
    """Deterministic point id: re-indexing the same chunk overwrites instead of duplicating."""
    return str(
        uuid.uuid5(_POINT_NAMESPACE, f"{tenant_id}\x1f{source_kind}\x1f{source_id}\x1f{chunk}")
    )


class StoreLockedError(RuntimeError):
    """Another process owns this (embedded) store directory."""


class PointRecord(BaseModel):
    """A point to write. The scope stamps the tenant id; a payload naming another is refused."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    vector: Any  # 1-d float32 numpy array or list of floats
    payload: dict[str, Any]


class ScoredHit(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    score: float
    payload: dict[str, Any]
    vector: Any = None  # numpy float32 array when requested


@dataclass(frozen=True)
class ScopedFilter:
    """Backend-neutral filter: AND of `field in values` conditions, optionally restricted to ids.

    Only `TenantScope` creates these, always with the tenant condition first.
    """

    conditions: tuple[tuple[str, tuple[FieldValue, ...]], ...]
    ids: tuple[str, ...] | None = None
    tenant_id: str = field(default="")

    def __post_init__(self) -> None:
        # Defence in depth: refuse any filter whose first condition is not this tenant.
        if (
            not self.tenant_id
            or not self.conditions
            or self.conditions[0] != (TENANT_FIELD, (self.tenant_id,))
        ):
            raise ValueError("a ScopedFilter must start with its tenant condition")


Filters = dict[str, FieldValue | Sequence[FieldValue] | None]


class VectorStore(ABC):
    """A collection of one embedding space. Use `for_tenant()`; the rest is for backends."""

    dimension: int

    def for_tenant(self, tenant_id: str) -> TenantScope:
        return TenantScope(self, tenant_id)

    @abstractmethod
    def _upsert(self, points: Sequence[PointRecord]) -> None: ...

    @abstractmethod
    def _search(
        self,
        vector: np.ndarray,
        flt: ScopedFilter,
        limit: int,
        with_vectors: bool,
        exact: bool = False,
    ) -> list[ScoredHit]: ...

    @abstractmethod
    def _scroll(self, flt: ScopedFilter, limit: int) -> list[ScoredHit]: ...

    @abstractmethod
    def _set_payload(self, flt: ScopedFilter, payload: dict[str, Any]) -> None: ...

    @abstractmethod
    def _delete(self, flt: ScopedFilter) -> None: ...

    @abstractmethod
    def _count(self, flt: ScopedFilter) -> int: ...

    @abstractmethod
    def optimize(self) -> None:
        """Build indexes after a bulk load (a no-op where the engine does it by itself)."""

    @abstractmethod
    def close(self) -> None:
        """Release files and connections."""


class TenantScope:
    """Everything one tenant may do with the store; every call is filtered by tenant here."""

    def __init__(self, store: VectorStore, tenant_id: str) -> None:
        if not isinstance(tenant_id, str) or not tenant_id.strip():
            raise ValueError("tenant_id must be a non-empty string")
        self._store = store
        self.tenant_id = tenant_id

    def _filter(
        self, filters: Filters | None = None, ids: Iterable[str] | None = None
    ) -> ScopedFilter:
        conditions: list[tuple[str, tuple[FieldValue, ...]]] = [(TENANT_FIELD, (self.tenant_id,))]
        for key, value in (filters or {}).items():
            if key == TENANT_FIELD:
                raise ValueError("the tenant is set by the scope, not by filters")
            if value is None:
                continue
            values = tuple(value) if isinstance(value, (list, tuple, set, frozenset)) else (value,)
            if not values:
                raise ValueError(f"empty value list for filter {key!r}")
            conditions.append((key, values))
        return ScopedFilter(
            conditions=tuple(conditions),
            ids=tuple(ids) if ids is not None else None,
            tenant_id=self.tenant_id,
        )

    def upsert(self, points: Sequence[PointRecord]) -> None:
        stamped = []
        for point in points:
            if point.payload.get(TENANT_FIELD, self.tenant_id) != self.tenant_id:
                raise ValueError("point payload names another tenant")
            stamped.append(
                point.model_copy(
                    update={"payload": {**point.payload, TENANT_FIELD: self.tenant_id}}
                )
            )
        self._store._upsert(stamped)

    def search(
        self,
        vector: np.ndarray,
        limit: int,
        filters: Filters | None = None,
        with_vectors: bool = False,
        exact: bool = False,
    ) -> list[ScoredHit]:
        return self._store._search(
            np.asarray(vector, dtype=np.float32), self._filter(filters), limit, with_vectors, exact
        )

    def scroll(self, filters: Filters | None = None, limit: int = 10_000) -> list[ScoredHit]:
        return self._store._scroll(self._filter(filters), limit)

    def count(self, filters: Filters | None = None) -> int:
        return self._store._count(self._filter(filters))

    def set_payload(
        self,
        payload: dict[str, Any],
        filters: Filters | None = None,
        ids: Iterable[str] | None = None,
    ) -> None:
        if TENANT_FIELD in payload:
            raise ValueError("the tenant of a point cannot be changed")
        self._store._set_payload(self._filter(filters, ids), payload)

    def delete(self, filters: Filters | None = None, ids: Iterable[str] | None = None) -> None:
        self._store._delete(self._filter(filters, ids))

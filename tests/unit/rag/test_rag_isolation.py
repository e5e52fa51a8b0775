"""Tenant isolation: 50 tenants with identical data; no path may touch another tenant."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adgenius.rag.edge_store import EdgeStore
from adgenius.rag.memory import BrandDocument, BrandMemory
from adgenius.rag.retrieve import retrieve_context
from adgenius.rag.search import search_creatives
from adgenius.rag.store import PointRecord, ScopedFilter, point_id

TENANTS = [f"tenant-{n:02d}" for n in range(50)]
TARGET = TENANTS[17]
TEXTS = {
    "c1": "Waterproof hiking boots that keep your feet dry on wet trails",
    "c2": "Freshly roasted coffee beans delivered to your door every two weeks",
    "c3": "Learn Spanish in ten minutes a day on your commute",
}


def _populate(memory: BrandMemory, creative: Any) -> None:
    for tenant in TENANTS:
        memory.reindex_tenant(
            tenant,
            creatives=[
                creative(cid, tenant_id=tenant, headlines=[text]) for cid, text in TEXTS.items()
            ],
            documents=[
                BrandDocument(
                    tenant_id=tenant,
                    document_id="guide",
                    data="Our voice is warm, outdoorsy and honest. We never use hype.",
                )
            ],
        )


def _snapshot(memory: BrandMemory, tenants: list[str]) -> dict[str, list[tuple[str, str]]]:
    return {
        t: sorted((h.id, repr(sorted(h.payload.items()))) for h in memory.scope(t).scroll())
        for t in tenants
    }


def test_no_path_touches_another_tenant(memory: BrandMemory, creative: Any) -> None:
    _populate(memory, creative)
    others = [t for t in TENANTS if t != TARGET]
    before = _snapshot(memory, others)
    assert all(len(points) == 4 for points in before.values())

    # Reads: every id returned belongs to the target tenant (ids are uuid5 of the tenant).
    own_ids = {point_id(TARGET, "creative", cid, 0) for cid in TEXTS} | {
        point_id(TARGET, "document", "guide", 0)
    }
    hits = search_creatives(memory, TARGET, "boots for rainy walks", limit=50)
    assert hits and {h.point_id for h in hits} <= own_ids
    assert len(hits) == len(TEXTS)  # identical texts in 49 other tenants are not returned
    context = retrieve_context(memory, TARGET, "boots for rainy walks", min_relevance=-1.0)
    assert context.point_ids and set(context.point_ids) <= own_ids
    raw = memory.scope(TARGET).search(memory.embed(["coffee"])[0], 500)
    assert {h.payload["tenant_id"] for h in raw} == {TARGET}

    # Writes through every path.
    memory.set_performance(TARGET, "c1", {"ctr": 0.05, "impressions": 900})
    memory.set_status(TARGET, "c2", "rejected")
    memory.archive_creative(TARGET, "c3")
    memory.archive_document(TARGET, "guide")
    memory.delete_creative(TARGET, "c1")
    memory.delete_document(TARGET, "guide")
    memory.index_creative(creative("c9", tenant_id=TARGET, headlines=["New winter sale"]))
    # A scope asked to delete or update another tenant's point by id must do nothing.
    foreign = point_id(TENANTS[3], "creative", "c2", 0)
    memory.scope(TARGET).delete(ids=[foreign])
    memory.scope(TARGET).set_payload({"status": "archived"}, ids=[foreign])
    memory.reindex_tenant(TARGET, creatives=[creative("c1", tenant_id=TARGET, headlines=["x"])])

    assert _snapshot(memory, others) == before
    assert [h.payload["source_id"] for h in memory.scope(TARGET).scroll()] == ["c1"]


def test_scope_refuses_to_cross_tenants(edge_memory: BrandMemory) -> None:
    scope = edge_memory.scope("tenant-a")
    vector = edge_memory.embed(["hello"])[0]
    with pytest.raises(ValueError):
        scope.upsert(
            [
                PointRecord(
                    id=point_id("b", "creative", "1", 0),
                    vector=vector,
                    payload={"tenant_id": "tenant-b"},
                )
            ]
        )
    with pytest.raises(ValueError):
        scope.search(vector, 5, filters={"tenant_id": "tenant-b"})
    with pytest.raises(ValueError):
        scope.set_payload({"tenant_id": "tenant-b"})
    with pytest.raises(ValueError):
        edge_memory.scope("  ")
    with pytest.raises(ValueError):  # a filter that does not start with its tenant
        ScopedFilter(conditions=(("status", ("approved",)),), tenant_id="tenant-a")
    with pytest.raises(ValueError):
        edge_memory.reindex_tenant("tenant-a", creatives=[{"id": "1", "tenant_id": "tenant-b"}])


def test_point_ids_are_deterministic_and_tenant_specific() -> None:
    assert point_id("t1", "creative", "c1", 0) == point_id("t1", "creative", "c1", 0)
    distinct = {
        point_id("t1", "creative", "c1", 0),
        point_id("t2", "creative", "c1", 0),
        point_id("t1", "document", "c1", 0),
        point_id("t1", "creative", "c2", 0),
        point_id("t1", "creative", "c1", 1),
    }
    assert len(distinct) == 5


def test_concurrent_threads_stay_isolated(memory: BrandMemory) -> None:
    """The local functions host is threaded: concurrent tenants must not mix or corrupt."""
    errors: list[BaseException] = []
    vectors = memory.embed([f"ad number {i} about boots and coffee" for i in range(30)])

    def work(tenant: str) -> None:
        scope = memory.scope(tenant)
        try:
            for i, vector in enumerate(vectors):
                scope.upsert(
                    [
                        PointRecord(
                            id=point_id(tenant, "creative", str(i), 0),
                            vector=vector,
                            payload={"source_id": str(i), "status": "approved"},
                        )
                    ]
                )
                hits = scope.search(vector, 5)
                assert {h.payload["tenant_id"] for h in hits} == {tenant}
                if i % 3 == 0:
                    scope.set_payload({"status": "archived"}, {"source_id": str(i)})
                if i % 5 == 0:
                    scope.delete({"source_id": str(i)})
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    for n in range(6):
        scope = memory.scope(f"t{n}")
        assert scope.count() == 30 - 6
        assert scope.count({"status": "archived"}) == 10 - 2  # i%3==0 minus deleted i%15==0


def test_embedded_store_has_one_owner_process(tmp_path: Path) -> None:
    store = EdgeStore(tmp_path / "owned", 8)
    store.for_tenant("t").upsert(
        [PointRecord(id=point_id("t", "creative", "1", 0), vector=np.ones(8), payload={})]
    )
    code = (
        "import sys; from adgenius.rag.edge_store import EdgeStore, StoreLockedError\n"
        "try:\n    EdgeStore(sys.argv[1], 8)\nexcept StoreLockedError:\n    sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "owned")], capture_output=True, timeout=60
    )
    assert result.returncode == 3, result.stderr.decode()
    store.close()
    reopened = EdgeStore(tmp_path / "owned", 8)  # after close, the next owner can open it
    assert reopened.for_tenant("t").count() == 1
    reopened.close()

"""Retrieval for generation: MMR diversity and performance weighting as documented."""

from __future__ import annotations

from typing import Any

import numpy as np

from adgenius.rag import retrieve
from adgenius.rag.memory import BrandDocument, BrandMemory
from adgenius.rag.retrieve import mmr_select, performance_score, retrieve_context
from adgenius.rag.schema import Performance


def test_mmr_skips_near_duplicates_that_pure_relevance_keeps() -> None:
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    scores = np.array([0.9, 0.89, 0.7])
    assert mmr_select(scores, vectors, 3, lambda_=1.0) == [0, 1, 2]
    assert mmr_select(scores, vectors, 3, lambda_=0.7) == [0, 2, 1]
    assert mmr_select(scores, vectors, 0) == []


def test_performance_score_follows_the_formula() -> None:
    assert performance_score(None) == 0.0
    assert performance_score(Performance()) == 0.0
    perf = Performance(
        ctr=retrieve.CTR_REF / 2, conversion_rate=retrieve.CVR_REF * 3, impressions=3000
    )
    confidence = 3000 / (3000 + retrieve.PRIOR_IMPRESSIONS)
    assert np.isclose(performance_score(perf), confidence * (0.5 + 1.0) / 2)
    # More evidence for the same rates means a larger boost.
    few = performance_score(Performance(ctr=0.04, impressions=100))
    many = performance_score(Performance(ctr=0.04, impressions=100_000))
    assert 0 < few < many <= 1


def _copy(creative: Any, cid: str, text: str, **kw: Any) -> dict[str, Any]:
    return creative(cid, headlines=[text], **kw)


def test_performance_weighting_reorders_creatives(edge_memory: BrandMemory, creative: Any) -> None:
    brief = "waterproof hiking boots for wet trails"
    edge_memory.index_creative(_copy(creative, "close", "Waterproof hiking boots for wet trails"))
    edge_memory.index_creative(
        _copy(creative, "less", "Waterproof hiking boots for wet trails and muddy paths")
    )
    before = retrieve_context(edge_memory, "tenant-a", brief, lambda_=1.0)
    assert before.creative_ids[:2] == ["close", "less"]
    gap = before.creatives[0].relevance / before.creatives[1].relevance
    # A winner: enough CTR and impressions that its boost exceeds the relevance gap.
    edge_memory.set_performance(
        "tenant-a", "less", {"ctr": 0.08, "conversion_rate": 0.2, "impressions": 1_000_000}
    )
    after = retrieve_context(edge_memory, "tenant-a", brief, lambda_=1.0)
    winner = next(item for item in after.creatives if item.source_id == "less")
    boost = 1 + retrieve.PERFORMANCE_WEIGHT * performance_score(winner.performance)
    assert boost > gap  # precondition of this test, from the documented formula
    assert after.creative_ids[:2] == ["less", "close"]
    assert np.isclose(winner.score, winner.relevance * boost)
    assert np.isclose(winner.relevance, before.creatives[1].relevance, atol=1e-5)


def test_only_approved_creatives_and_active_documents(
    edge_memory: BrandMemory, creative: Any
) -> None:
    for cid, status in [("a", "approved"), ("d", "draft"), ("r", "rejected"), ("x", "archived")]:
        edge_memory.index_creative(
            _copy(creative, cid, "Coffee beans roasted fresh", status=status)
        )
    edge_memory.index_creative(_copy(creative, "other", "Coffee beans", brand_id="brand-2"))
    edge_memory.index_document(
        BrandDocument(tenant_id="tenant-a", document_id="g", data="Coffee tone of voice guide")
    )
    edge_memory.index_document(
        BrandDocument(
            tenant_id="tenant-a", document_id="old", brand_id="brand-1", data="Old coffee guide"
        )
    )
    edge_memory.archive_document("tenant-a", "old")
    ctx = retrieve_context(edge_memory, "tenant-a", "coffee", brand_id="brand-1", min_relevance=-1)
    assert ctx.creative_ids == ["a"]
    assert ctx.document_ids == ["g"]  # brand-wide ("*") document included, archived one not
    edge_memory.set_status("tenant-a", "d", "approved")
    ctx = retrieve_context(edge_memory, "tenant-a", "coffee", brand_id="brand-1", min_relevance=-1)
    assert sorted(ctx.creative_ids) == ["a", "d"]


def test_retrieval_diversifies_near_duplicates(edge_memory: BrandMemory, creative: Any) -> None:
    texts = {
        "dup1": "Summer sale on waterproof hiking boots",
        "dup2": "Summer sale on waterproof hiking boots!",
        "tent": "Lightweight tent for hiking trips in summer",
    }
    for cid, text in texts.items():
        edge_memory.index_creative(_copy(creative, cid, text))
    brief = "summer hiking boots sale"
    plain = retrieve_context(edge_memory, "tenant-a", brief, k_creatives=2, lambda_=1.0)
    diverse = retrieve_context(edge_memory, "tenant-a", brief, k_creatives=2, lambda_=0.5)
    assert set(plain.creative_ids) == {"dup1", "dup2"}
    assert "tent" in diverse.creative_ids and len(diverse.creative_ids) == 2

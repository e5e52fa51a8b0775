"""Retrieval for generation: the brand's best past creatives and relevant brand-document chunks.

Ranking, for each candidate i returned by the vector search (cosine relevance r_i):

    p_i = confidence_i * mean(min(1, ctr_i / CTR_REF), min(1, cvr_i / CVR_REF))   in [0, 1]
    confidence_i = impressions_i / (impressions_i + PRIOR_IMPRESSIONS)  (0.5 when unknown)
    s_i = r_i * (1 + PERFORMANCE_WEIGHT * p_i)

p_i is 0 when nothing is measured, so unmeasured creatives are neither boosted nor punished;
a creative at or above the reference rates with plenty of impressions gains up to
PERFORMANCE_WEIGHT (30 %). Then maximal marginal relevance picks k items greedily:

    next = argmax_i  lambda * s_i - (1 - lambda) * max_{j already picked} cos(v_i, v_j)

so a near-duplicate of an already chosen item loses to a slightly less relevant but different
one. Only APPROVED creatives are candidates (winners are approved creatives with good metrics,
and performance weighting is what promotes them); brand chunks must be ACTIVE.
"""

from __future__ import annotations

import numpy as np

from adgenius.rag.memory import ALL_BRANDS, BrandMemory
from adgenius.rag.schema import (
    CREATIVE_TYPES,
    ContextItem,
    Performance,
    PointType,
    RetrievedContext,
    Status,
)
from adgenius.rag.store import Filters, ScoredHit

CTR_REF = 0.05  # a 5 % click-through rate counts as excellent for display/social ads
CVR_REF = 0.10  # a 10 % conversion rate likewise
PRIOR_IMPRESSIONS = 1_000
PERFORMANCE_WEIGHT = 0.3
MMR_LAMBDA = 0.7


def performance_score(performance: Performance | None) -> float:
    """p in [0, 1] as documented above; 0 when nothing is known."""
    if performance is None:
        return 0.0
    parts = []
    if performance.ctr is not None:
        parts.append(min(1.0, performance.ctr / CTR_REF))
    if performance.conversion_rate is not None:
        parts.append(min(1.0, performance.conversion_rate / CVR_REF))
    if not parts:
        return 0.0
    if performance.impressions is None:
        confidence = 0.5
    else:
        confidence = performance.impressions / (performance.impressions + PRIOR_IMPRESSIONS)
    return confidence * float(np.mean(parts))


def weighted_score(relevance: float, performance: Performance | None) -> float:
    return relevance * (1.0 + PERFORMANCE_WEIGHT * performance_score(performance))


def mmr_select(
    scores: np.ndarray, vectors: np.ndarray, k: int, lambda_: float = MMR_LAMBDA
) -> list[int]:
    """Indices of k items chosen by maximal marginal relevance (vectors L2-normalised)."""
    n = len(scores)
    if n == 0 or k <= 0:
        return []
    similarity = vectors @ vectors.T
    chosen: list[int] = []
    redundancy = np.full(n, -np.inf)
    available = np.ones(n, dtype=bool)
    for _ in range(min(k, n)):
        penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
        value = lambda_ * scores - (1.0 - lambda_) * penalty
        value[~available] = -np.inf
        best = int(np.argmax(value))
        chosen.append(best)
        available[best] = False
        redundancy = np.maximum(redundancy, similarity[best])
    return chosen


def _items(hits: list[ScoredHit], k: int, lambda_: float) -> list[ContextItem]:
    if not hits:
        return []
    performances = [
        Performance.model_validate(h.payload["performance"])
        if h.payload.get("performance")
        else None
        for h in hits
    ]
    scores = np.array([weighted_score(h.score, p) for h, p in zip(hits, performances, strict=True)])
    vectors = np.stack([h.vector for h in hits]).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return [
        ContextItem(
            point_id=hits[i].id,
            source_id=hits[i].payload["source_id"],
            type=PointType(hits[i].payload["type"]),
            text=hits[i].payload.get("text", ""),
            title=hits[i].payload.get("title"),
            relevance=hits[i].score,
            score=float(scores[i]),
            performance=performances[i],
        )
        for i in mmr_select(scores, vectors, k, lambda_)
    ]


def retrieve_context(
    memory: BrandMemory,
    tenant_id: str,
    brief: str,
    *,
    brand_id: str | None = None,
    k_creatives: int = 5,
    k_chunks: int = 4,
    candidates: int = 40,
    lambda_: float = MMR_LAMBDA,
    min_relevance: float = 0.0,
) -> RetrievedContext:
    """Top approved creatives and brand chunks for a brief, reranked and diversified.

    With a brand_id, creatives of that brand and documents of that brand or of all brands
    (stored with brand_id "*") are used.
    """
    scope = memory.scope(tenant_id)
    query = memory.embed([brief])[0]
    creative_filters: Filters = {
        "type": list(CREATIVE_TYPES),
        "status": Status.APPROVED.value,
    }
    chunk_filters: Filters = {
        "type": PointType.DOCUMENT.value,
        "status": Status.ACTIVE.value,
    }
    if brand_id is not None:
        creative_filters["brand_id"] = brand_id
        chunk_filters["brand_id"] = [brand_id, ALL_BRANDS]
    creative_hits = [
        h
        for h in scope.search(query, candidates, creative_filters, with_vectors=True)
        if h.score >= min_relevance
    ]
    chunk_hits = [
        h
        for h in scope.search(query, candidates, chunk_filters, with_vectors=True)
        if h.score >= min_relevance
    ]
    return RetrievedContext(
        creatives=_items(creative_hits, k_creatives, lambda_),
        brand_chunks=_items(chunk_hits, k_chunks, lambda_),
    )

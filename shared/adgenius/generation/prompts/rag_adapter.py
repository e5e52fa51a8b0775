"""Adapters from the retrieval package (``adgenius.rag``) to the prompt ports.

Brand document chunks become ``ContextSnippet``s; approved creatives, already reranked by
retrieval with their measured performance, become ``WinningExample``s. Retrieval does not filter
by platform, so winners may come from another platform: they are a style reference only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adgenius.domain.brief import Objective, Platform

from .providers import ContextSnippet, WinningExample

if TYPE_CHECKING:
    from ...rag.memory import BrandMemory
    from ...rag.schema import Performance


def _metric(performance: Performance | None) -> str:
    if performance is None:
        return ""
    parts = []
    if performance.ctr is not None:
        parts.append(f"CTR {performance.ctr:.1%}")
    if performance.conversion_rate is not None:
        parts.append(f"CVR {performance.conversion_rate:.1%}")
    if performance.impressions is not None:
        parts.append(f"{performance.impressions} impressions")
    return ", ".join(parts)


class BrandMemoryProviders:
    """``ContextProvider`` and ``WinnersProvider`` over one ``BrandMemory``."""

    def __init__(self, memory: BrandMemory) -> None:
        self.memory = memory

    def retrieve(
        self, query: str, *, tenant_id: str, brand_id: str | None = None, k: int = 5
    ) -> list[ContextSnippet]:
        from ...rag.retrieve import retrieve_context

        context = retrieve_context(
            self.memory, tenant_id, query, brand_id=brand_id, k_creatives=1, k_chunks=k
        )
        return [
            ContextSnippet(
                id=item.point_id,
                text=item.text,
                source=item.title or item.source_id,
                score=item.score,
            )
            for item in context.brand_chunks
        ]

    def winners(
        self,
        *,
        tenant_id: str,
        platform: Platform,
        objective: Objective,
        brand_id: str | None = None,
        query: str = "",
        k: int = 3,
    ) -> list[WinningExample]:
        from ...rag.retrieve import retrieve_context

        context = retrieve_context(
            self.memory,
            tenant_id,
            query or objective.value,
            brand_id=brand_id,
            k_creatives=k,
            k_chunks=1,
        )
        return [
            WinningExample(
                id=item.source_id,
                platform=platform,
                fields={"ad": [item.text]},
                metric=_metric(item.performance),
            )
            for item in context.creatives
        ]

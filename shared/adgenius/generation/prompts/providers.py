"""The two small ports that feed prompts: retrieval context and few-shot winners.

Retrieval and performance analytics are other modules; they implement these protocols. Anything
a provider returns is treated as untrusted DATA by the renderer (quoted, never as instructions).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from adgenius.domain.brief import Objective, Platform


class ContextSnippet(BaseModel):
    id: str  # stable id, e.g. "asset-123#chunk-4", so a creative can cite what it used
    text: str
    source: str = ""  # file name or URL, shown to the model for grounding
    score: float = 0.0


class WinningExample(BaseModel):
    id: str
    platform: Platform
    fields: dict[str, list[str]] = Field(default_factory=dict)  # e.g. {"headlines": [...]}
    metric: str = ""  # why it is a winner, e.g. "CTR 4.1% (top decile)"


@runtime_checkable
class ContextProvider(Protocol):
    def retrieve(
        self, query: str, *, tenant_id: str, brand_id: str | None = None, k: int = 5
    ) -> list[ContextSnippet]: ...


@runtime_checkable
class WinnersProvider(Protocol):
    def winners(
        self,
        *,
        tenant_id: str,
        platform: Platform,
        objective: Objective,
        brand_id: str | None = None,
        query: str = "",
        k: int = 3,
    ) -> list[WinningExample]: ...


class StaticContextProvider:
    """Returns fixed snippets (tests, local demos)."""

    def __init__(self, snippets: list[ContextSnippet]) -> None:
        self._snippets = snippets

    def retrieve(
        self, query: str, *, tenant_id: str, brand_id: str | None = None, k: int = 5
    ) -> list[ContextSnippet]:
        return self._snippets[:k]


class StaticWinnersProvider:
    def __init__(self, examples: list[WinningExample]) -> None:
        self._examples = examples

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
        return [e for e in self._examples if e.platform == platform][:k]

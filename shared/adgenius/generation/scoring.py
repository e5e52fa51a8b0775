"""Scores of one copy variant (a full set of text assets for one platform).

    compliance = 1 if the set has no error-severity violation, else 0      (hard gate)
    voice      = mean over the set's text items of cos(item, brand voice centroid), clipped to
                 [0, 1]; the centroid is the mean embedding of the brand's example ads (the
                 voice description when there are none)
    diversity  = (1 - mean pairwise cosine between the set's headlines (primary texts for Meta
                 when it has fewer than 2 headlines), clipped to [0, 1]) * (1 - near-duplicate
                 share); 1 when < 2 items
    near_duplicates = items that near-duplicate an earlier item of the same list: normalised
                 token Jaccard >= 0.6 (words; character bigrams for CJK) or embedding cosine
                 >= 0.95 ("Shop now: TrailRunner" vs "TrailRunner - Shop now")
    total      = compliance * (0.6 * voice + 0.4 * diversity)

Embeddings are L2-normalised, so a dot product is the cosine. A non-compliant set always scores
0 in total, whatever its voice or diversity, so it can never outrank a compliant one.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from pydantic import BaseModel

from adgenius.domain.brief import BrandKit

from ..models.base import EmbeddingModel
from .copy_set import CopySet
from .rules import Violation, is_compliant

VOICE_WEIGHT = 0.6
DIVERSITY_WEIGHT = 0.4
_TEXT_FIELDS = ("headlines", "descriptions", "long_headlines", "primary_texts")
NEAR_DUPLICATE = 0.6  # token Jaccard at or above which two lines say the same thing
NEAR_DUPLICATE_COSINE = 0.95
_WORDS = re.compile(r"\w+")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class VariantScore(BaseModel):
    compliance: float
    voice: float
    diversity: float
    total: float
    near_duplicates: int = 0


def tokens(text: str) -> frozenset[str]:
    """Normalised tokens: casefolded NFKC words; character bigrams for CJK (no spaces)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    out: set[str] = set()
    for word in _WORDS.findall(folded):
        if _WIDE.search(word) and len(word) > 1:
            out.update(word[i : i + 2] for i in range(len(word) - 1))
        else:
            out.add(word)
    return frozenset(out)


def jaccard(ta: frozenset[str], tb: frozenset[str]) -> float:
    union = ta | tb
    return len(ta & tb) / len(union) if union else 1.0


def token_jaccard(a: str, b: str) -> float:
    return jaccard(tokens(a), tokens(b))


def is_near_duplicate(a: str, b: str) -> bool:
    return token_jaccard(a, b) >= NEAR_DUPLICATE


def near_duplicates(texts: list[str], vectors: np.ndarray | None = None) -> int:
    """How many items near-duplicate an earlier item (tokens, or embeddings when given)."""
    count = 0
    for i in range(1, len(texts)):
        for j in range(i):
            close = is_near_duplicate(texts[i], texts[j]) or (
                vectors is not None and float(vectors[i] @ vectors[j]) >= NEAR_DUPLICATE_COSINE
            )
            if close:
                count += 1
                break
    return count


def voice_centroid(brand_kit: BrandKit, embedder: EmbeddingModel) -> np.ndarray:
    vectors = embedder.embed(brand_kit.example_ads or [brand_kit.voice])
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    return centroid / norm if norm > 0 else centroid


def diversity(vectors: np.ndarray) -> float:
    n = len(vectors)
    if n < 2:
        return 1.0
    sims = vectors @ vectors.T
    mean_off_diagonal = (sims.sum() - np.trace(sims)) / (n * (n - 1))
    return float(np.clip(1.0 - mean_off_diagonal, 0.0, 1.0))


def score_copy_set(
    copy: CopySet,
    violations: list[Violation],
    brand_kit: BrandKit,
    embedder: EmbeddingModel,
    *,
    centroid: np.ndarray | None = None,
) -> VariantScore:
    compliance = 1.0 if is_compliant(violations) else 0.0
    texts = [t for f in _TEXT_FIELDS for t in copy.items(f) if t.strip()]
    if not texts:
        return VariantScore(compliance=compliance, voice=0.0, diversity=0.0, total=0.0)
    centroid = voice_centroid(brand_kit, embedder) if centroid is None else centroid
    vectors = embedder.embed(texts)
    voice = float(np.clip((vectors @ centroid).mean(), 0.0, 1.0))
    spread_field = "headlines" if len(copy.headlines) >= 2 else "primary_texts"
    spread_texts = [t for t in copy.items(spread_field) if t.strip()]
    dups = 0
    div = 1.0
    if spread_texts:
        spread = embedder.embed(spread_texts)
        dups = near_duplicates(spread_texts, spread)
        div = diversity(spread) * (1.0 - dups / len(spread_texts))
    total = compliance * (VOICE_WEIGHT * voice + DIVERSITY_WEIGHT * div)
    return VariantScore(
        compliance=compliance,
        voice=round(voice, 4),
        diversity=round(div, 4),
        total=round(total, 4),
        near_duplicates=dups,
    )

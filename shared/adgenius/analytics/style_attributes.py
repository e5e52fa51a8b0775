"""Tone of copy and pace of video: two more attributes, deterministic and explainable.

Tone: the phrase banks' tone phrases (professional, friendly, playful, bold, luxury, in every
language the banks cover) plus a few marker words per tone in English; the tone with the
most hits, ties to the more distinctive tone (``_TIE_ORDER``), "none" without a hit. Pace of
a video: its mean scene length (duration / scenes): fast under 3 s a scene, slow from 6 s.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

TONES = ("professional", "friendly", "playful", "bold", "luxury")
_TIE_ORDER = ("luxury", "bold", "playful", "professional", "friendly")
# Marker words beyond the bank phrases (English only: other languages rely on the banks).
_MARKERS: dict[str, tuple[str, ...]] = {
    "professional": ("expert", "experts", "proven", "certified", "reliable", "results"),
    "friendly": ("you'll love", "made for you", "easy", "enjoy", "hello"),
    "playful": ("fun", "treat yourself", "why not", "yay", "oh"),
    "bold": ("no compromises", "go further", "dare", "unstoppable", "start today"),
    "luxury": ("elegance", "luxury", "exquisite", "crafted", "refined", "premium"),
}
_NO_SPACES = {"ja", "zh"}


@lru_cache(maxsize=16)
def _bank_tones(language: str) -> dict[str, tuple[str, ...]]:
    path = resources.files("adgenius.generation") / "phrasebanks" / f"{language}.json"
    try:
        bank = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {t: tuple(p.lower() for p in bank.get("tone", {}).get(t, ())) for t in TONES}


def _hit(text: str, phrase: str, language: str) -> bool:
    phrase = phrase.rstrip(" ?？!.")
    if language in _NO_SPACES:
        return phrase in text
    return re.search(rf"(?<![\w'-]){re.escape(phrase)}(?![\w'-])", text) is not None


def tone_of(text: str, language: str = "en") -> str:
    """The tone the copy leans on, or "none"."""
    language = language.split("-")[0].lower() or "en"
    low = text.lower()
    phrases = dict(_bank_tones(language))
    scores = {}
    for tone in TONES:
        terms = (*phrases.get(tone, ()), *(_MARKERS[tone] if language == "en" else ()))
        scores[tone] = sum(_hit(low, term, language) for term in dict.fromkeys(terms))
    best = max(_TIE_ORDER, key=lambda t: (scores[t], -_TIE_ORDER.index(t)))
    return best if scores[best] > 0 else "none"


def pace_of(duration_s: float, scenes: int) -> str | None:
    """slow / medium / fast by the mean scene length; None when either is unknown."""
    if duration_s <= 0 or scenes <= 0:
        return None
    per_scene = duration_s / scenes
    return "fast" if per_scene < 3 else "slow" if per_scene >= 6 else "medium"

"""What every rule family shares: the context of a check and a finding on served text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from adgenius.domain.brief import BrandKit, CopyBrief

HEADLINE_FIELDS = frozenset({"headlines", "long_headlines", "business_name"})
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HAN = regex.compile(r"\p{Han}")
_HANGUL = regex.compile(r"\p{Hangul}")


@dataclass(frozen=True)
class Finding:
    """A problem at [start, end) of the served text (mapped back to the original later)."""

    start: int
    end: int
    rule: str
    message: str
    severity: str | None = None  # None: the rule's own severity


@dataclass(frozen=True)
class PolicyContext:
    """What the rules need besides the text: the brand's own spellings, the brief's evidence."""

    language: str = "en"
    brand_terms: frozenset[str] = frozenset()  # written exactly as the brand writes them
    brand_name: str = ""
    substantiation: tuple[str, ...] = ()  # casefolded brief texts that back a claim

    @classmethod
    def build(
        cls,
        brand_kit: BrandKit | None = None,
        brief: CopyBrief | None = None,
        language: str | None = None,
    ) -> PolicyContext:
        terms: set[str] = set()
        name = ""
        if brand_kit is not None:
            name = brand_kit.name
            for term in [brand_kit.name, *brand_kit.allowed_terms]:
                terms.update(w.strip(".,:;!?()\"'") for w in term.split())
        evidence: list[str] = []
        if brief is not None:
            evidence.extend(c.casefold() for c in brief.substantiated_claims)
            from .lexicon import SUBSTANTIATION

            for fact in brief.product_facts:
                if any(re.search(p, fact, re.I) for p in SUBSTANTIATION):
                    evidence.append(fact.casefold())
        lang = language or (brief.language if brief is not None else "en")
        return cls(
            language=lang,
            brand_terms=frozenset(t for t in terms if t),
            brand_name=name,
            substantiation=tuple(evidence),
        )


def script_of(text: str) -> str:
    """ "ja", "zh", "ko" or "latin": which rules about words and case apply."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "latin"


def fold_digits(text: str) -> str:
    """Full-width digits and signs folded to ASCII, one character for one (spans stay valid)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 and ord(ch) >= 0xFF00 else ch)
    return "".join(out)

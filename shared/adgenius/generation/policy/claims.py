"""Advertiser claims (Google adwordspolicy 1331529): superlatives and comparatives need
third-party verification; in China they are not allowed at all."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Finding, PolicyContext, script_of
from .lexicon import SUPERLATIVES, SUPERLATIVES_ZH

_CLAIM = re.compile(
    r"(?<![\w#])(?:" + "|".join(SUPERLATIVES) + r")(?![\w])"
    r"|" + "|".join(p for p in SUPERLATIVES if not p[0].isascii()),
    re.I,
)
_ZH = re.compile("|".join(SUPERLATIVES_ZH) + r"|第一(?![次步天批届章节期季部课])")


def check(text: str, ctx: PolicyContext) -> Iterator[Finding]:
    if script_of(text) == "zh":
        for m in _ZH.finditer(text):
            yield Finding(
                m.start(),
                m.end(),
                "google.claims.superlative_zh",
                f"superlative {m.group(0)!r} is not allowed in Chinese ads",
            )
        return
    for m in _CLAIM.finditer(text):
        claim = m.group(0)
        if _substantiated(claim, ctx):
            continue
        yield Finding(
            m.start(),
            m.end(),
            "google.claims.superlative",
            f"unverified claim {claim!r}: needs third-party verification",
        )


def _substantiated(claim: str, ctx: PolicyContext) -> bool:
    key = " ".join(claim.casefold().replace("#", "# ").split()).replace("# ", "#")
    return any(key in " ".join(e.split()) for e in ctx.substantiation)

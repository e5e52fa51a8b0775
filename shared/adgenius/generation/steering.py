"""Steering: what performance says about the next creatives of a campaign.

Winners (creatives that won an experiment or lead on the metric) are exemplars: the local engine
ranks lines like them higher and the prompt shows them as style references. Losers' phrases
(word sequences of losing lines that no winner uses) are avoided. Confident insights become
"prefer: ...; avoid: ..." over attributes. Diversity is kept by the memorisation check: a
candidate whose normalised tokens overlap a winner's line by ``MEMORISATION`` (Jaccard) or more
is a near-copy; at most ``MAX_REUSE`` of a field's lines may be near-copies, so the loop keeps
a few proven lines and explores around them instead of repeating them.

Evidence short of a confident claim steers too, softly: each attribute effect the insights
estimated but could not yet call gets the weight ``2 * P(effect > 0) - 1`` (``weights``), the
expected vote of a Thompson draw from its posterior. An attribute that is probably good is
favoured a little, one that is probably bad is avoided a little, one the data says nothing about
is left to chance (the seed's jitter keeps exploring it). Waiting for a confident claim meant
that most simulated audiences steered nothing for rounds (`nox -s loop-demo`).

Every creative made with steering records ``record()`` as ``content.steering``: which winners,
losers and insights steered it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from adgenius.analytics.attributes import binary_features, copy_attributes, describe
from adgenius.analytics.insights import Insights

from .scoring import jaccard, tokens

MEMORISATION = 0.6  # token Jaccard at or above which a line is a near-copy of a winner's
# Share of a field's lines that may be near-copies of winners' lines. A winner's lines are
# the proven ones (a platform keeps its "Best" assets too); forbidding all of them halved what
# steering gained in the loop simulator (`nox -s loop-demo`), allowing all would stop the loop
# from exploring.
MAX_REUSE = 1 / 3
STEER_WEIGHT = 0.6  # relevance per preferred attribute (cosines span ~0.2-0.8; jitter 0-0.8)
_PHRASE_WORDS = (2, 3)  # loser phrases are 2- and 3-word sequences
_MAX_PHRASES = 20


class Exemplar(BaseModel):
    creative_id: str
    lines: list[str] = Field(default_factory=list)
    attributes: dict[str, object] = Field(default_factory=dict)


class Steering(BaseModel):
    winners: list[Exemplar] = Field(default_factory=list)
    losers: list[Exemplar] = Field(default_factory=list)
    # Arms of decided experiments that neither won nor lost: not evidence of what wins, but
    # the contrast that keeps a phrase every arm shares (the product's name) from being
    # "what lost" when an experiment has losers and no winner yet.
    kept: list[Exemplar] = Field(default_factory=list)
    prefer: list[str] = Field(default_factory=list)  # binary feature names, e.g. "has_number"
    avoid: list[str] = Field(default_factory=list)
    insights: list[str] = Field(default_factory=list)  # the summaries the features came from
    # Inconclusive effects: feature -> 2 * P(effect > 0) - 1, in (-1, 1); never a feature
    # already in ``prefer`` or ``avoid`` (those count +1 / -1).
    weights: dict[str, float] = Field(default_factory=dict)
    language: str = "en"

    def is_empty(self) -> bool:
        return not (self.winners or self.losers or self.prefer or self.avoid or self.weights)

    def winner_lines(self) -> list[str]:
        return [line for w in self.winners for line in w.lines]

    def avoid_phrases(self) -> list[str]:
        """2-3 word sequences of losing lines that no winning (or kept) line contains, longest
        first."""
        contrast = [*self.winner_lines(), *(line for k in self.kept for line in k.lines)]
        won = {" ".join(g) for line in contrast for g in _grams(_words(line))}
        found: dict[str, None] = {}
        for loser in self.losers:
            for line in loser.lines:
                for gram in _grams(_words(line)):
                    phrase = " ".join(gram)
                    if phrase not in won and not all(len(w) <= 3 for w in gram):
                        found.setdefault(phrase, None)
        return sorted(found, key=lambda p: (-len(p.split()), p))[:_MAX_PHRASES]

    def has_avoided_phrase(self, text: str, phrases: Sequence[str] | None = None) -> bool:
        padded = f" {' '.join(_words(text))} "
        found = self.avoid_phrases() if phrases is None else phrases
        return any(f" {p} " in padded for p in found)

    def is_near_copy(self, text: str) -> bool:
        """The memorisation check: too close to a line of a winner to count as new."""
        own = tokens(text)
        return any(jaccard(own, tokens(line)) >= MEMORISATION for line in self.winner_lines())

    def steer_score(self, text: str, field: str = "headlines") -> float:
        """+1 per preferred and -1 per avoided attribute the line has, plus the weight of each
        inconclusive attribute it has."""
        if not (self.prefer or self.avoid or self.weights):
            return 0.0
        feats = binary_features(copy_attributes({field: [text]}, self.language))
        return float(
            sum(1 for f in self.prefer if feats.get(f))
            - sum(1 for f in self.avoid if feats.get(f))
            + sum(w for f, w in self.weights.items() if feats.get(f))
        )

    def guidance(self) -> str:
        """ "prefer: ...; avoid: ..." in plain words, for prompts and notes."""
        parts = []
        if self.prefer:
            parts.append("prefer: " + ", ".join(describe(f) for f in self.prefer))
        if self.avoid:
            parts.append("avoid: " + ", ".join(describe(f) for f in self.avoid))
        return "; ".join(parts)

    def leaning(self, at_least: float = 0.5) -> str:
        """The inconclusive evidence worth a try ("more: ...; fewer: ..."), for prompts."""
        more = [describe(f) for f, w in self.weights.items() if w >= at_least]
        fewer = [describe(f) for f, w in self.weights.items() if w <= -at_least]
        parts = [f"more {', '.join(more)}"] if more else []
        if fewer:
            parts.append(f"fewer {', '.join(fewer)}")
        return "; ".join(parts)

    def record(self) -> dict[str, object]:
        """What is stored on a creative as ``content.steering``."""
        return {
            "winners": [w.creative_id for w in self.winners],
            "losers": [lo.creative_id for lo in self.losers],
            "kept": [k.creative_id for k in self.kept],
            "prefer": list(self.prefer),
            "avoid": list(self.avoid),
            "insights": list(self.insights),
            "weights": {f: round(w, 3) for f, w in self.weights.items()},
            "avoided_phrases": self.avoid_phrases(),
        }


def _words(text: str) -> list[str]:
    return [t for t in "".join(c.lower() if c.isalnum() else " " for c in text).split() if t]


def _grams(words: list[str]) -> Iterable[tuple[str, ...]]:
    for n in _PHRASE_WORDS:
        for i in range(len(words) - n + 1):
            yield tuple(words[i : i + n])


def _lines(content: dict[str, object]) -> list[str]:
    out: list[str] = []
    for name in ("headlines", "long_headlines", "descriptions", "primary_texts"):
        value = content.get(name)
        if isinstance(value, list):
            out.extend(str(v) for v in value if v)
    return out


def build_steering(
    insights: Insights | None,
    winners: Sequence[tuple[str, dict[str, object]]] = (),
    losers: Sequence[tuple[str, dict[str, object]]] = (),
    language: str = "en",
    kept: Sequence[tuple[str, dict[str, object]]] = (),
    line_insights: Insights | None = None,
) -> Steering:
    """Steering from confident insights and (creative id, content) of winners and losers.
    Only confident effects steer: an inconclusive one is not a reason to change anything."""
    prefer: list[str] = []
    avoid: list[str] = []
    summaries: list[str] = []
    # Creative-level insights first, then headline-level ones (asset reports); a feature one
    # of them already speaks about is not counted twice or contradicted.
    for found in (insights, line_insights):
        if found is None:
            continue
        for e in found.prefer():
            if e.feature not in prefer and e.feature not in avoid:
                prefer.append(e.feature)
                summaries.append(e.summary)
        for e in found.avoid():
            if e.feature not in prefer and e.feature not in avoid:
                avoid.append(e.feature)
                summaries.append(e.summary)

    def exemplar(cid: str, content: dict[str, object]) -> Exemplar:
        return Exemplar(creative_id=cid, lines=_lines(content), attributes=copy_attributes(content))

    won = [exemplar(c, x) for c, x in winners]
    lost = [exemplar(c, x) for c, x in losers]
    # A decided experiment is evidence too: an attribute every winner has and no loser has
    # (or the reverse) steers, when no confident insight already speaks about it.
    if won and lost:
        w_feats = [binary_features(w.attributes) for w in won]
        l_feats = [binary_features(lo.attributes) for lo in lost]
        for f in sorted(set().union(*w_feats, *l_feats)):
            if f in prefer or f in avoid or f == "has_cta":
                continue
            if all(x.get(f) for x in w_feats) and not any(x.get(f) for x in l_feats):
                prefer.append(f)
            elif all(x.get(f) for x in l_feats) and not any(x.get(f) for x in w_feats):
                avoid.append(f)
    # The rest of the evidence, softly: the most decided reading of each attribute that no
    # confident effect or experiment speaks about.
    weights: dict[str, float] = {}
    for found in (insights, line_insights):
        for e in found.effects if found is not None else []:
            if e.feature in prefer or e.feature in avoid:
                continue
            w = 2.0 * e.prob_positive - 1.0
            if abs(w) > abs(weights.get(e.feature, 0.0)):
                weights[e.feature] = w
    return Steering(
        weights=weights,
        winners=won,
        losers=lost,
        kept=[exemplar(c, x) for c, x in kept],
        prefer=prefer,
        avoid=avoid,
        insights=summaries,
        language=language,
    )

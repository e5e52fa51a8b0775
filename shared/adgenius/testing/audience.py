"""A synthetic audience for the loop simulator: hidden preferences over copy attributes.

Each line of an ad (a headline or a description) has the attributes the product measures
(``analytics.attributes``: angle, a number, a question, the length, a call to action). The
audience has a hidden weight per attribute, drawn at random per seed (``draw_preferences``),
never chosen to suit the generator.

A responsive search ad shows ``SHOWN`` of its lines per field on each impression, drawn evenly.
The click probability of one impression:
    logit(p) = logit(base_ctr) + appeal of the shown lines + quality(ad) + day noise
    p *= fatigue = 0.5 ** (impressions the ad has already had / fatigue_half_life)
with the appeal the mean of the shown lines' weights (headlines ``HEADLINE_SHARE``,
descriptions the rest). ``quality`` is what attributes do not explain (the wording itself;
drawn per ad text, so the same ad always has the same quality); day noise is per ad and day.
Conversions per click follow the same form with their own hidden weights (``cvr_weights``).
Delivery splits a day's impressions by the allocation weights (multinomial), then draws each
impression's lines and click: what a platform's ad report and asset report would show.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from adgenius.analytics.attributes import ANGLES, copy_attributes

# The line attributes the audience reacts to: what the generator can vary.
FEATURES: tuple[str, ...] = (
    *(f"angle:{a}" for a in ANGLES),
    "has_number",
    "is_question",
    "has_cta",
    "length:short",
    "length:long",
)
HEADLINE_SHARE = 0.7  # headlines carry most of a search ad's attention
FIELD_SHARES = (("headlines", HEADLINE_SHARE), ("descriptions", 1 - HEADLINE_SHARE))
SHOWN = {"headlines": 3, "descriptions": 2}  # lines of each field one impression shows
PREFERENCE_SD = 0.3  # log-odds: one attribute moves CTR by about -26% .. +35% at one sd
QUALITY_SD = 0.1
DAY_NOISE_SD = 0.05


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class Preferences:
    """What this audience likes (log-odds per attribute); hidden from the product."""

    seed: int
    ctr_weights: dict[str, float]
    cvr_weights: dict[str, float]
    base_ctr: float = 0.03
    base_cvr: float = 0.05
    fatigue_half_life: float = 300_000.0  # impressions after which an ad's CTR has halved

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        """The strongest preferences, for the report (never read by the loop)."""
        return sorted(self.ctr_weights.items(), key=lambda kv: -abs(kv[1]))[:n]


def draw_preferences(seed: int) -> Preferences:
    """Independent normal weights per attribute (sd ``PREFERENCE_SD``; CVR weights half as
    large): a different audience per seed, nothing tuned to the generator."""
    rng = np.random.default_rng([seed, 0xAD])
    ctr = {f: float(rng.normal(0.0, PREFERENCE_SD)) for f in FEATURES}
    cvr = {f: float(rng.normal(0.0, PREFERENCE_SD / 2)) for f in FEATURES}
    return Preferences(seed=seed, ctr_weights=ctr, cvr_weights=cvr)


@lru_cache(maxsize=8192)
def line_features(text: str, field: str, language: str = "en") -> dict[str, bool]:
    """The attributes of one line, as the product's attribute extractor reads them (cached:
    callers must not change the dict)."""
    attrs = copy_attributes({"headlines" if field == "headlines" else field: [text]}, language)
    angles = set(attrs["angles"])
    out = {f"angle:{a}": a in angles for a in ANGLES}
    out["has_number"] = bool(attrs["has_number"])
    out["is_question"] = bool(attrs["is_question"])
    out["has_cta"] = bool(attrs["cta"])
    # Length matters for headlines only (a 90-character description is simply a description).
    out["length:short"] = field == "headlines" and attrs["length"] == "short"
    out["length:long"] = field == "headlines" and attrs["length"] == "long"
    return out


@dataclass(frozen=True)
class Ad:
    """An ad as delivered: its id (from the export) and its lines per field."""

    creative_id: str
    lines: Mapping[str, Sequence[str]]

    def key(self) -> str:
        """Identity of the wording (quality belongs to the text, not to the id)."""
        joined = "\n".join(f"{f}:{t}" for f in sorted(self.lines) for t in self.lines[f])
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass
class Delivery:
    creative_id: str
    impressions: int
    clicks: int
    conversions: int
    # (field, line) -> [impressions showing the line, clicks on them]: an asset report's rows
    lines: dict[tuple[str, str], list[int]] = field(default_factory=dict)


@dataclass
class Audience:
    prefs: Preferences
    exposure: dict[str, int] = field(default_factory=dict)  # creative id -> impressions so far

    @staticmethod
    def _line_appeal(text: str, fld: str, weights: Mapping[str, float]) -> float:
        feats = line_features(text, fld)
        return sum(w for f, w in weights.items() if feats.get(f))

    def _appeal(self, ad: Ad, weights: Mapping[str, float]) -> float:
        """The expected appeal over evenly drawn lines: the mean of the lines' appeals."""
        parts: list[tuple[float, float]] = []
        for fld, share in FIELD_SHARES:
            lines = [t for t in ad.lines.get(fld, ()) if t]
            if not lines:
                continue
            scores = [self._line_appeal(t, fld, weights) for t in lines]
            parts.append((share, sum(scores) / len(scores)))
        total = sum(s for s, _ in parts)
        return sum(s * v for s, v in parts) / total if total else 0.0

    def _quality(self, ad: Ad, salt: int) -> float:
        digest = hashlib.sha256(f"{self.prefs.seed}:{salt}:{ad.key()}".encode()).digest()
        u = (int.from_bytes(digest[:8], "big") + 0.5) / 2**64
        return QUALITY_SD * NormalDist().inv_cdf(u)

    def appeal(self, ad: Ad) -> float:
        """Log-odds shift of the ad's CTR from the audience's preferences alone."""
        return self._appeal(ad, self.prefs.ctr_weights)

    def ctr(self, ad: Ad, day_noise: float = 0.0) -> float:
        p = self.prefs
        logit = _logit(p.base_ctr) + self.appeal(ad) + self._quality(ad, 1) + day_noise
        fatigue = 0.5 ** (self.exposure.get(ad.creative_id, 0) / p.fatigue_half_life)
        return _sigmoid(logit) * fatigue

    def cvr(self, ad: Ad) -> float:
        p = self.prefs
        logit = _logit(p.base_cvr) + self._appeal(ad, p.cvr_weights) + self._quality(ad, 2)
        return _sigmoid(logit)

    def deliver(
        self,
        ads: Sequence[Ad],
        weights: Sequence[float],
        impressions: int,
        rng: np.random.Generator,
    ) -> list[Delivery]:
        """One day: impressions split by the allocation weights; each impression shows
        ``SHOWN`` lines of each field drawn evenly from the ad's, and is clicked with the
        probability of those lines' appeal; conversions per click are drawn per ad. Each ad's
        exposure (its fatigue) grows by what it was shown."""
        w = np.asarray(weights, dtype=float)
        w = w / w.sum() if w.sum() > 0 else np.full(len(ads), 1.0 / len(ads))
        shown = rng.multinomial(impressions, w)
        out = []
        p = self.prefs
        for ad, n in zip(ads, shown.tolist(), strict=True):
            noise = float(rng.normal(0.0, DAY_NOISE_SD))
            fatigue = 0.5 ** (self.exposure.get(ad.creative_id, 0) / p.fatigue_half_life)
            base = _logit(p.base_ctr) + self._quality(ad, 1) + noise
            appeal = np.zeros(n)
            picks: list[tuple[str, list[str], np.ndarray]] = []
            fields = [(f, s) for f, s in FIELD_SHARES if [t for t in ad.lines.get(f, ()) if t]]
            total_share = sum(s for _, s in fields) or 1.0
            for fld, share in fields:
                lines = [t for t in ad.lines[fld] if t]
                k = min(SHOWN[fld], len(lines))
                keys = rng.random((n, len(lines)))
                idx = np.argpartition(keys, k - 1, axis=1)[:, :k] if k < len(lines) else (
                    np.tile(np.arange(len(lines)), (n, 1))
                )  # fmt: skip
                u = np.array([self._line_appeal(t, fld, p.ctr_weights) for t in lines])
                appeal += (share / total_share) * u[idx].mean(axis=1)
                picks.append((fld, lines, idx))
            prob = fatigue / (1.0 + np.exp(-(base + appeal)))
            clicked = rng.random(n) < prob
            clicks = int(clicked.sum())
            conversions = int(rng.binomial(clicks, self.cvr(ad))) if clicks else 0
            per_line: dict[tuple[str, str], list[int]] = {}
            for fld, lines, idx in picks:
                imp = np.bincount(idx.ravel(), minlength=len(lines))
                clk = np.bincount(idx[clicked].ravel(), minlength=len(lines))
                for j, text in enumerate(lines):
                    got = per_line.setdefault((fld, text), [0, 0])
                    got[0] += int(imp[j])
                    got[1] += int(clk[j])
            out.append(Delivery(ad.creative_id, n, clicks, conversions, per_line))
            self.exposure[ad.creative_id] = self.exposure.get(ad.creative_id, 0) + n
        return out

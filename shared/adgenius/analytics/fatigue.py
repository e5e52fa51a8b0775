"""Creative fatigue: is a creative's daily CTR falling, beyond what day-to-day noise explains?

The test, chosen to be simple and honest rather than sensitive:

1. Take the creative's last `window_days` days (one platform and attribution setting: the one
   with the most impressions, since impressions are never added across attribution settings)
   and keep the days with at least `min_daily_impressions`. Fewer than `min_days` such days, or
   fewer than `min_impressions` in all: no verdict (`insufficient_data`).
2. Fit a straight line to the daily log-odds of CTR against the day (weighted least squares,
   each day weighted by the inverse of its binomial variance, with 0.5 added to both counts).
3. Daily CTRs scatter more than binomial sampling says (auctions, weekdays, audiences), so the
   slope's standard error is scaled by the residual dispersion when that is above 1 (the
   quasi-binomial correction, the same idea as Knapp-Hartung in the insights model), and the
   slope is compared with a t distribution on (days - 2) degrees of freedom.
4. Fatigued only if BOTH the one-sided p-value of "the slope is below 0" is under `alpha` AND
   the fitted trend loses at least `min_decline` of the CTR from the first to the last day: a
   statistically clear but tiny decline is not worth replacing a creative for.

What it does not claim: the test is run whenever new facts land, so a creative is looked at
many times; `alpha` bounds the chance per look, not over a campaign's life. The loop acts at
most once per creative and reason (its candidates are idempotent), and the unit tests measure
the false-alarm rate on flat, over-dispersed series (tests/unit/analytics/test_fatigue.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from pydantic import BaseModel, Field

from adgenius.analytics.experiments.facts import Fact
from adgenius.analytics.experiments.stats import scipy_stats


class FatigueThresholds(BaseModel):
    window_days: int = Field(default=14, ge=5, le=90)
    min_days: int = Field(default=7, ge=4, le=90)
    min_daily_impressions: int = Field(default=300, ge=1)
    min_impressions: int = Field(default=10_000, ge=1)
    alpha: float = Field(default=0.01, gt=0, lt=0.5)
    min_decline: float = Field(default=0.2, ge=0, lt=1)


@dataclass(frozen=True)
class Day:
    day: date
    impressions: float
    clicks: float


class FatigueResult(BaseModel):
    fatigued: bool
    status: str = Field(description="fatigued | stable | insufficient_data")
    days: int
    impressions: int
    first_ctr: float | None = None  # the fitted trend on the first and the last day
    last_ctr: float | None = None
    decline: float | None = None  # last / first - 1 on the fitted trend (-0.3 = 30% lower)
    p_value: float | None = None  # one-sided, "the CTR falls"
    reason: str


def _expit(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def fatigue_test(days: Sequence[Day], t: FatigueThresholds | None = None) -> FatigueResult:
    """The test above on one creative's daily series (any order; one row per day)."""
    t = t or FatigueThresholds()
    usable = sorted(
        (d for d in days if d.impressions >= t.min_daily_impressions), key=lambda d: d.day
    )
    total = int(sum(d.impressions for d in usable))
    if len(usable) < t.min_days or total < t.min_impressions:
        return FatigueResult(
            fatigued=False, status="insufficient_data", days=len(usable), impressions=total,
            reason=(
                f"{len(usable)} days with at least {t.min_daily_impressions} impressions "
                f"({total} in all); {t.min_days} days and {t.min_impressions} are needed"
            ),
        )  # fmt: skip
    x = np.array([(d.day - usable[0].day).days for d in usable], dtype=float)
    n = np.array([d.impressions for d in usable], dtype=float)
    k = np.clip(np.array([d.clicks for d in usable], dtype=float), 0, n)
    y = np.log((k + 0.5) / (n - k + 0.5))
    w = 1.0 / (1.0 / (k + 0.5) + 1.0 / (n - k + 0.5))
    xm = float(np.sum(w * x) / np.sum(w))
    sxx = float(np.sum(w * (x - xm) ** 2))
    slope = float(np.sum(w * (x - xm) * y) / sxx)
    intercept = float(np.sum(w * y) / np.sum(w)) - slope * xm
    resid = y - (intercept + slope * x)
    dof = len(usable) - 2
    dispersion = max(float(np.sum(w * resid**2)) / dof, 1.0)
    se = float(np.sqrt(dispersion / sxx))
    p = float(scipy_stats().t.cdf(slope / se, dof))
    first, last = _expit(intercept + slope * x[0]), _expit(intercept + slope * x[-1])
    decline = last / first - 1.0
    fatigued = p < t.alpha and decline <= -t.min_decline
    span = int(x[-1]) + 1
    words = (
        f"CTR trend {first:.2%} -> {last:.2%} over {span} days ({decline:+.0%}), "
        f"one-sided p = {p:.3g}, from {len(usable)} days and {total} impressions"
    )
    if fatigued:
        reason = f"fatigued: {words}"
    elif p < t.alpha:
        reason = f"falling, but less than {t.min_decline:.0%}: {words}"
    else:
        reason = f"no significant decline: {words}"
    return FatigueResult(
        fatigued=fatigued, status="fatigued" if fatigued else "stable", days=len(usable),
        impressions=total, first_ctr=first, last_ctr=last, decline=decline, p_value=p,
        reason=reason,
    )  # fmt: skip


def daily_series(facts: Iterable[Fact]) -> dict[str, list[Day]]:
    """creative id -> its days, from creative-level facts of its busiest (platform, attribution)
    group: one setting only, since the same impressions appear under every attribution."""
    groups: dict[str, dict[tuple[str, str], dict[date, list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    )
    for f in facts:
        if f.asset_key:  # asset facts repeat their creative's impressions
            continue
        cell = groups[f.creative_id][(f.platform, f.attribution)][f.date]
        cell[0] += f.impressions
        cell[1] += f.clicks
    out: dict[str, list[Day]] = {}
    for creative_id, by_group in groups.items():
        busiest = max(by_group.values(), key=lambda g: sum(v[0] for v in g.values()))
        out[creative_id] = [Day(d, v[0], v[1]) for d, v in sorted(busiest.items())]
    return out

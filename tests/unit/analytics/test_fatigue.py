"""The fatigue test on planted series: falling trends are found, flat ones (even with daily
scatter well beyond binomial noise) rarely are, small or thin declines never are."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from adgenius.analytics.experiments.facts import Fact
from adgenius.analytics.fatigue import Day, FatigueThresholds, daily_series, fatigue_test

START = date(2026, 11, 1)


def series(
    rng: np.random.Generator,
    ctrs: np.ndarray,
    impressions: int = 5000,
    scatter: float = 0.0,
) -> list[Day]:
    """Binomial clicks around the planted daily CTRs; `scatter` adds day-to-day variation of the
    true CTR itself (relative sd), as auctions and weekdays do."""
    days = []
    for i, ctr in enumerate(ctrs):
        true = ctr * float(np.exp(rng.normal(0.0, scatter))) if scatter else ctr
        clicks = int(rng.binomial(impressions, min(true, 0.99)))
        days.append(Day(START + timedelta(days=i), impressions, clicks))
    return days


def test_a_planted_falling_trend_is_fatigued() -> None:
    rng = np.random.default_rng(1)
    found = [
        fatigue_test(series(rng, np.linspace(0.03, 0.015, 14), scatter=0.1)) for _ in range(50)
    ]
    assert sum(r.fatigued for r in found) >= 45
    one = found[0]
    assert one.status == "fatigued" and one.days == 14 and one.impressions == 70_000
    assert one.decline is not None and -0.65 < one.decline < -0.35
    assert one.reason.startswith("fatigued: CTR trend")


def test_flat_series_rarely_alarm_even_with_overdispersion() -> None:
    rng = np.random.default_rng(2)
    flat = np.full(14, 0.02)
    for scatter in (0.0, 0.25):  # binomial only, then a 25% day-to-day scatter
        alarms = sum(fatigue_test(series(rng, flat, scatter=scatter)).fatigued for _ in range(400))
        # alpha is 1% and the 20% decline is required too: allow sampling error, not 5%
        assert alarms <= 8, (scatter, alarms)


def test_overdispersion_is_what_keeps_flat_series_quiet() -> None:
    """Without the dispersion scaling a 25% scatter would alarm often: the correction matters."""
    rng = np.random.default_rng(3)
    flat = np.full(14, 0.02)
    loose = FatigueThresholds(min_decline=0.0)
    p_values = [fatigue_test(series(rng, flat, scatter=0.25), loose).p_value for _ in range(400)]
    rate = np.mean([p is not None and p < 0.05 for p in p_values])
    assert rate < 0.09  # one-sided 5% test: close to its level


def test_a_small_decline_is_not_worth_replacing() -> None:
    rng = np.random.default_rng(4)
    ctrs = np.linspace(0.03, 0.03 * 0.92, 14)  # -8% over two weeks, on lots of traffic
    result = fatigue_test(series(rng, ctrs, impressions=400_000))
    assert not result.fatigued
    assert result.p_value is not None and result.p_value < 0.01
    assert result.reason.startswith("falling, but less than 20%")


def test_thin_data_gives_no_verdict() -> None:
    rng = np.random.default_rng(5)
    falling = np.linspace(0.05, 0.01, 14)
    assert fatigue_test(series(rng, falling[:5])).status == "insufficient_data"
    thin = fatigue_test(series(rng, falling, impressions=200))  # below 300 a day: days dropped
    assert thin.status == "insufficient_data" and not thin.fatigued and thin.days == 0


def test_a_rising_trend_is_not_fatigue() -> None:
    rng = np.random.default_rng(6)
    result = fatigue_test(series(rng, np.linspace(0.015, 0.03, 14)))
    assert not result.fatigued and result.p_value is not None and result.p_value > 0.5


def test_daily_series_uses_one_attribution_and_skips_asset_facts() -> None:
    def fact(**kw: object) -> Fact:
        base = {"creative_id": "c1", "platform": "google", "date": START, "attribution": "7d"}
        return Fact.model_validate({**base, **kw})

    facts = [
        fact(impressions=1000, clicks=10),
        fact(impressions=1000, clicks=12, attribution="1d"),  # the same impressions again
        fact(impressions=1000, clicks=30, asset_key="h1"),  # an asset of c1: not added
        fact(impressions=500, clicks=5, date=START + timedelta(days=1)),
    ]
    days = daily_series(facts)["c1"]
    assert [(d.day, d.impressions, d.clicks) for d in days] == [
        (START, 1000, 10),
        (START + timedelta(days=1), 500, 5),
    ]

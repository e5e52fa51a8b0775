"""Calibration by simulation: the decision rule under daily looks (peeking) for the whole
runtime. Vectorised: each daily look evaluates every simulated experiment at once with the
engine's own functions (metric_stats, enough_data, winner_index)."""

from __future__ import annotations

from datetime import date

import numpy as np

from adgenius.analytics.experiments.decision import (
    Counts,
    decide,
    enough_data,
    metric_stats,
    winner_index,
)
from adgenius.analytics.experiments.model import ArmTotals, Metric, Outcome, Thresholds

FALSE_WINNER_RATE = 0.05  # what the default thresholds promise


def _counts(daily: int, day: int, clicks: np.ndarray) -> Counts:
    imps = np.full(clicks.shape[::2], float(daily * day))
    zero = np.zeros_like(imps)
    return Counts(imps, clicks[:, day - 1].astype(float), zero, zero, zero)


def simulate(
    rates: tuple[float, float], n_experiments: int, daily: int, t: Thresholds, seed: int
) -> np.ndarray:
    """Daily looks at CTR experiments over the whole runtime; returns, per experiment, the
    first winner declared (-1: none). Looks before min_runtime_days are skipped: enough_data
    is False there (asserted), so the rule cannot declare anything."""
    rng = np.random.default_rng(seed)
    days = t.max_runtime_days
    clicks = rng.binomial(daily, rates, size=(n_experiments, days, 2)).cumsum(axis=1)
    first = np.full(n_experiments, -1)
    for d in range(1, days + 1):
        if d < t.min_runtime_days:
            assert not enough_data(Metric.CTR, _counts(daily, d, clicks), np.asarray(d), t).any()
            continue
        c = _counts(daily, d, clicks)
        ms = metric_stats(Metric.CTR, c)
        ok = enough_data(Metric.CTR, c, np.full(n_experiments, d), t)
        win = winner_index(ms.prob_best, ms.relative_loss, ok, t)
        first = np.where((first < 0) & (win >= 0), win, first)
    return first


def test_aa_experiments_with_daily_looks_rarely_declare_a_winner() -> None:
    # a 4-week runtime here (the bench runs the default 6 weeks and the naive rule)
    t = Thresholds(max_runtime_days=28)
    first = simulate((0.02, 0.02), 1000, 3000, t, seed=11)
    rate = float(np.mean(first >= 0))
    assert rate <= FALSE_WINNER_RATE, f"A/A false-winner rate {rate:.3f}"
    # not vacuous: the same looks with a single-look threshold (P(best) >= 0.95) cross often
    loose = simulate((0.02, 0.02), 300, 3000, t.model_copy(update={"prob_best": 0.95}), 11)
    assert float(np.mean(loose >= 0)) > 2 * FALSE_WINNER_RATE


def test_ab_experiments_with_a_10_percent_lift_find_the_right_winner() -> None:
    t = Thresholds(max_runtime_days=28)
    first = simulate((0.02, 0.022), 300, 6000, t, seed=12)
    assert np.mean(first == 1) >= 0.8  # the true winner, in the large majority
    assert not np.any(first == 0)  # never the wrong one


def test_a_sample_ratio_mismatch_blocks_the_decision() -> None:
    arms = [
        ArmTotals(arm_id="a", label="A", impressions=50_000, clicks=1000),
        ArmTotals(arm_id="b", label="B", impressions=56_000, clicks=1500),  # clearly better
    ]
    window = (date(2026, 11, 1), date(2026, 11, 14))
    open_ = decide(arms, Metric.CTR, Thresholds(), runtime_days=14, window=window)
    assert open_.outcome is Outcome.WINNER and open_.winner == "b"
    blocked = decide(
        arms, Metric.CTR, Thresholds(), runtime_days=14, window=window, planned_split=[0.5, 0.5]
    )
    assert blocked.outcome is Outcome.BLOCKED
    assert blocked.winner is None
    assert blocked.srm_p_value is not None and blocked.srm_p_value < 0.001
    assert "Sample ratio mismatch" in blocked.reason and "50%" in blocked.reason
    fine = decide(
        arms, Metric.CTR, Thresholds(), runtime_days=14, window=window,
        planned_split=[50_000, 56_000],
    )  # fmt: skip
    assert fine.outcome is Outcome.WINNER

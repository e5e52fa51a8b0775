"""Experiment engine: evaluation latency and the false-winner rate under daily looks.

- `experiment_eval_p50_ms`: one evaluation of a 10-arm experiment over 90 days of facts (900
  fact rows, CTR primary, a CPA guardrail) from the in-memory fact store: window, sums,
  posteriors, P(best), expected loss, decision, allocation. Baseline: reading and summing the
  same facts alone (what any dashboard does). Goal <= 50 ms.
- `aa_false_winner_rate`: 1,000 simulated A/A CTR experiments with the default thresholds,
  looked at every day of the default runtime; the fraction that ever declares a winner.
  Baseline: the naive rule "P(best) > 0.95 at any daily look" on the same data. Goal <= 0.05.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from adgenius.analytics.experiments.decision import Counts, enough_data, metric_stats, winner_index
from adgenius.analytics.experiments.engine import ExperimentSpec, evaluate
from adgenius.analytics.experiments.facts import ArmRef, Fact, InMemoryFacts, arm_totals
from adgenius.analytics.experiments.model import Metric, Thresholds

START = date(2026, 7, 1)


def _facts(arms: int, days: int) -> InMemoryFacts:
    rng = np.random.default_rng(1)
    store = InMemoryFacts()
    for k in range(arms):
        ctr = 0.02 * (1 + 0.02 * k)
        for d in range(days):
            imps = int(rng.integers(3000, 6000))
            clicks = int(rng.binomial(imps, ctr))
            store.put(
                "t",
                f"cr{k}-{d}",
                Fact(
                    creative_id=f"cr{k}", platform="google", date=START + timedelta(days=d),
                    attribution="7d_click", impressions=imps, clicks=clicks,
                    conversions=float(rng.binomial(clicks, 0.05)),
                    conversion_value_micros=int(rng.integers(10, 500)) * 1_000_000,
                    cost_micros=int(clicks * 0.4 * 1e6), currency="EUR",
                ),
            )  # fmt: skip
    return store


def _p50_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _first_winners(t: Thresholds, n: int, daily: int, days: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    clicks = rng.binomial(daily, 0.02, size=(n, days, 2)).cumsum(axis=1).astype(float)
    first = np.full(n, -1)
    for d in range(1, days + 1):
        imps = np.full((n, 2), float(daily * d))
        zero = np.zeros_like(imps)
        c = Counts(imps, clicks[:, d - 1], zero, zero, zero)
        ms = metric_stats(Metric.CTR, c)
        ok = enough_data(Metric.CTR, c, np.full(n, d), t)
        win = winner_index(ms.prob_best, ms.relative_loss, ok, t)
        first = np.where((first < 0) & (win >= 0), win, first)
    return first


def run(work_dir: Path) -> dict[str, dict]:
    arms, days = 10, 90
    store = _facts(arms, days)
    refs = [ArmRef(arm_id=f"a{k}", label=chr(65 + k), creative_id=f"cr{k}") for k in range(arms)]
    spec = ExperimentSpec(
        tenant_id="t", arms=refs, metric=Metric.CTR, guardrails=[Metric.CPA], start_date=START,
        thresholds=Thresholds(max_runtime_days=120),
    )  # fmt: skip
    as_of = START + timedelta(days=days + 1)
    evaluate(spec, store, as_of)  # warm-up (imports, scipy)

    def sums_only() -> None:
        facts = store.facts("t", [r.creative_id for r in refs], START, as_of)
        arm_totals(facts, refs, START, as_of)

    eval_ms = _p50_ms(lambda: evaluate(spec, store, as_of), 30)
    sums_ms = _p50_ms(sums_only, 30)

    t = Thresholds()
    n = 1000
    engine = float(np.mean(_first_winners(t, n, 3000, t.max_runtime_days, seed=21) >= 0))
    naive_t = Thresholds(prob_best=0.95, min_runtime_days=1, max_relative_loss=1.0)
    naive = float(np.mean(_first_winners(naive_t, n, 3000, t.max_runtime_days, seed=21) >= 0))
    return {
        "experiment_eval_p50_ms": {
            "value": round(eval_ms, 3), "unit": "ms", "baseline": round(sums_ms, 3),
            "ratio": round(eval_ms / sums_ms, 3),
            "goal": "<= 50 ms (10 arms x 90 days; baseline: summing the facts alone)",
        },
        "aa_false_winner_rate": {
            "value": engine, "unit": "fraction", "baseline": naive,
            "ratio": round(engine / naive, 3) if naive else 0.0,
            "goal": f"<= 0.05 (1000 A/A, daily looks for {t.max_runtime_days} days; "
            "baseline: P(best) > 0.95 at any look)",
        },
    }  # fmt: skip

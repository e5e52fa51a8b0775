"""From arm totals to a decision: metric posteriors, the winner rule, guardrails, SRM, the
plain-words reason and the allocation advice. Pure: same inputs -> same decision.

The rule (calibrated, see model.Thresholds):
1. `insufficient_data` until the window holds `min_runtime_days` whole, mature days and every
   arm has `min_impressions` (and `min_clicks` for click metrics) and the experiment has on
   average `min_conversions` per arm for conversion metrics.
2. `blocked` when a planned split is known and the exposure per arm fails the chi-square SRM
   test (p < srm_p_value): the data are suspect, no decision is drawn from them.
3. `winner` when the leading arm's probability to be best is >= prob_best AND its expected
   loss is <= max_relative_loss of its own metric value, unless a guardrail of that arm is
   worse than the other arms pooled with probability >= guardrail_prob_worse (a veto).
4. Otherwise `losers` when some arms have P(best) <= loser_prob_best, else `inconclusive`.

The window never extends past `max_runtime_days` after the start, so looks after that see the
same data and give the same decision: the false-winner rate is controlled for daily looks over
the whole runtime (a Bayesian posterior checked every day is not immune to peeking).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from adgenius.analytics.experiments import stats
from adgenius.analytics.experiments.model import (
    ENGINE_VERSION,
    LOWER_IS_BETTER,
    USES_CLICKS,
    USES_CONVERSIONS,
    ArmResult,
    ArmTotals,
    Decision,
    Metric,
    MetricSummary,
    Outcome,
    Thresholds,
)

METRIC_NAMES = {
    Metric.CTR: "CTR",
    Metric.CVR: "conversion rate",
    Metric.CPA: "CPA",
    Metric.ROAS: "ROAS",
    Metric.CONVERSIONS_PER_IMPRESSION: "conversions per impression",
}


@dataclass(frozen=True)
class Counts:
    """Sums per arm on the last axis; leading axes are a batch."""

    impressions: stats.Array
    clicks: stats.Array
    conversions: stats.Array
    conversion_value: stats.Array
    cost: stats.Array

    @classmethod
    def of(cls, arms: list[ArmTotals]) -> Counts:
        def col(name: str) -> stats.Array:
            return np.array([float(getattr(a, name)) for a in arms])

        return cls(
            col("impressions"), col("clicks"), col("conversions"), col("conversion_value"),
            col("cost"),
        )  # fmt: skip


@dataclass(frozen=True)
class MetricStats:
    """Arrays (..., K): the posterior summary of one metric."""

    metric: Metric
    model: str
    mean: stats.Array
    low: stats.Array
    high: stats.Array
    prob_best: stats.Array
    expected_loss: stats.Array
    relative_loss: stats.Array


def _posterior(
    metric: Metric, c: Counts, prior: str
) -> tuple[stats.Posterior, str, bool]:  # (posterior, model name, reciprocal)
    if metric is Metric.CTR:
        succ, n, family = c.clicks, c.impressions, "beta"
    elif metric is Metric.CVR:
        beta_ok = bool(np.all(c.conversions <= c.clicks))
        succ, n, family = c.conversions, c.clicks, "beta" if beta_ok else "gamma"
    elif metric is Metric.CONVERSIONS_PER_IMPRESSION:
        succ, n, family = c.conversions, c.impressions, "gamma"
    else:  # CPA through conversions per unit of cost
        succ, n, family = c.conversions, c.cost, "gamma"
    eb = None
    if prior == "empirical_bayes" and succ.ndim == 1:
        eb = stats.empirical_bayes_prior(family, succ, n)  # type: ignore[arg-type]
    if family == "beta":
        post = stats.beta_posterior(succ, n, eb if eb is not None else (1.0, 1.0))
    else:
        post = stats.gamma_posterior(succ, n, eb)
    name = f"{'beta-binomial' if family == 'beta' else 'gamma-poisson'}"
    if eb is not None:
        name += " (empirical-Bayes prior)"
    return post, name, metric is Metric.CPA


def metric_stats(metric: Metric, c: Counts, *, prior: str = "weak", seed: int = 0) -> MetricStats:
    """Posterior mean, 95% interval, P(best), expected loss of one metric for every arm."""
    if metric is Metric.ROAS:
        if c.conversions.ndim != 1:
            raise ValueError("ROAS is evaluated one experiment at a time (Monte Carlo)")
        d = stats.roas_draws(c.conversions, c.conversion_value, c.cost, seed=seed)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = d.expected_loss / d.mean
        return MetricStats(
            metric, "monte-carlo ratio of sums", d.mean, d.low, d.high, d.prob_best,
            d.expected_loss, rel,
        )  # fmt: skip
    post, model, reciprocal = _posterior(metric, c, prior)
    best = stats.best_arm(post, reciprocal=reciprocal)
    low, high = post.interval(0.95)
    if reciprocal:
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(post.a > 1.0, post.b / (post.a - 1.0), np.inf)
            low, high = 1.0 / high, 1.0 / low
    else:
        mean = post.mean
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(mean > 0, best.expected_loss / mean, np.inf)
    return MetricStats(metric, model, mean, low, high, best.prob_best, best.expected_loss, rel)


def winner_index(
    prob_best: stats.Array, relative_loss: stats.Array, eligible: npt.ArrayLike, t: Thresholds
) -> npt.NDArray[np.int_]:
    """The winner rule on arrays (..., K) -> (...) arm index or -1. `eligible` (...,) says
    whether the window has enough runtime and data. The engine and the calibration
    simulations call this same function."""
    lead = np.argmax(prob_best, axis=-1)
    p = np.take_along_axis(prob_best, lead[..., None], axis=-1)[..., 0]
    loss = np.take_along_axis(relative_loss, lead[..., None], axis=-1)[..., 0]
    ok = np.asarray(eligible, dtype=bool) & (p >= t.prob_best) & (loss <= t.max_relative_loss)
    return np.where(ok, lead, -1)


def enough_data(
    metric: Metric, c: Counts, runtime_days: npt.ArrayLike, t: Thresholds
) -> npt.NDArray[np.bool_]:
    """(...,) bool: minimum runtime and minimum data per arm (see the module docstring)."""
    ok = (np.asarray(runtime_days) >= t.min_runtime_days) & np.all(
        c.impressions >= t.min_impressions, axis=-1
    )
    if metric in USES_CLICKS:
        ok &= np.all(c.clicks >= t.min_clicks, axis=-1)
    if metric in USES_CONVERSIONS:
        ok &= c.conversions.sum(axis=-1) >= t.min_conversions * c.conversions.shape[-1]
    return np.asarray(ok)


def input_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, default=str).encode()).hexdigest()


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _pct(p: float) -> str:
    if p >= 0.9995:
        return ">99.9%"
    if p <= 0.0005:
        return "<0.1%"
    return f"{p * 100:.1f}%" if p > 0.99 or p < 0.01 else f"{p * 100:.0f}%"


def _summary(ms: MetricStats) -> MetricSummary:
    def lst(a: stats.Array) -> list[float | None]:
        return [_finite(v) for v in np.asarray(a, dtype=float).tolist()]

    return MetricSummary(
        metric=ms.metric, model=ms.model, lower_is_better=ms.metric in LOWER_IS_BETTER,
        mean=lst(ms.mean), low=lst(ms.low), high=lst(ms.high),
        prob_best=[float(v) for v in ms.prob_best], expected_loss=lst(ms.expected_loss),
        relative_loss=lst(ms.relative_loss),
    )  # fmt: skip


def _days_to_settle(
    ms: MetricStats, c: Counts, lead: int, runtime: int, t: Thresholds, prior: str
) -> list[int | None]:
    """More days (at the current daily rate) until each open arm would be settled against the
    leader if the present difference holds: the normal-approximation separation z grows with
    the square root of the data, so it needs runtime * ((z*/z)^2 - 1) more days."""
    out: list[int | None] = [None] * len(ms.prob_best)
    if ms.metric is Metric.ROAS or runtime <= 0:
        return out
    post, _, _ = _posterior(ms.metric, c, prior)
    z = stats.separation(post, np.asarray(lead))
    target = float(stats.scipy_stats().norm.ppf(t.prob_best))
    for k, zk in enumerate(np.asarray(z, dtype=float).tolist()):
        if k == lead or not math.isfinite(zk) or zk <= 0:
            continue
        more = runtime * ((target / zk) ** 2 - 1.0)
        out[k] = max(1, math.ceil(more))
    return out


def decide(
    arms: list[ArmTotals],
    metric: Metric,
    thresholds: Thresholds,
    *,
    runtime_days: int,
    window: tuple[date | None, date | None],
    guardrails: list[Metric] | None = None,
    planned_split: list[float] | None = None,
    blocked_reason: str | None = None,
    seed: int | None = None,
) -> Decision:
    """The decision for one experiment from its arms' totals over the mature window."""
    t = thresholds
    guardrails = guardrails or []
    snapshot: dict[str, Any] = {
        "engine_version": ENGINE_VERSION,
        "metric": metric.value,
        "guardrails": [g.value for g in guardrails],
        "thresholds": t.model_dump(mode="json"),
        "planned_split": planned_split,
        "runtime_days": runtime_days,
        "window": [d.isoformat() if d else None for d in window],
        "arms": [a.model_dump(mode="json") for a in arms],
        "blocked_reason": blocked_reason,
    }
    digest = input_hash(snapshot)
    if seed is None:
        seed = int(digest[:8], 16)  # derived from the inputs: same inputs, same draws
    c = Counts.of(arms)
    ms = metric_stats(metric, c, prior=t.prior, seed=seed)
    labels = [a.label for a in arms]
    allocation = stats.top_two_weights(ms.prob_best, floor=t.allocation_floor)
    lead = int(np.argmax(ms.prob_best))
    srm = None
    if planned_split is not None and len(planned_split) == len(arms):
        srm = float(stats.srm_p_value(c.impressions, np.asarray(planned_split)))

    eligible = bool(enough_data(metric, c, np.asarray(runtime_days), t))
    win = int(winner_index(ms.prob_best, ms.relative_loss, np.asarray(eligible), t))
    losers: list[int] = []
    winner: int | None = None
    guard_summaries: list[MetricSummary] = []
    days = _days_to_settle(ms, c, lead, runtime_days, t, t.prior)
    if blocked_reason:
        outcome, reason = Outcome.BLOCKED, blocked_reason
    elif srm is not None and srm < t.srm_p_value:
        outcome = Outcome.BLOCKED
        shares = ", ".join(
            f"{lab} {imp / max(c.impressions.sum(), 1.0):.1%}"
            for lab, imp in zip(labels, c.impressions.tolist(), strict=True)
        )
        reason = (
            f"Sample ratio mismatch: impressions split {shares} against the planned "
            f"{', '.join(f'{s:.0%}' for s in np.asarray(planned_split) / sum(planned_split))} "  # type: ignore[arg-type]
            f"(chi-square p = {srm:.2g}); the traffic split is broken, so no decision is drawn."
        )
    elif not eligible:
        outcome = Outcome.INSUFFICIENT_DATA
        reason = _insufficient_reason(metric, c, labels, runtime_days, t)
    else:
        veto = None
        if win >= 0:
            veto = _guardrail_veto(win, c, guardrails, t, seed, labels, guard_summaries)
            if veto is None:
                winner = win
                losers = [k for k in range(len(arms)) if k != win]
        if winner is not None:
            outcome = Outcome.WINNER
            reason = _winner_reason(ms, labels, win)
        else:
            losers = [
                k for k in range(len(arms)) if k != lead and ms.prob_best[k] <= t.loser_prob_best
            ]
            outcome = Outcome.LOSERS if losers and veto is None else Outcome.INCONCLUSIVE
            reason = veto or _open_reason(ms, labels, lead, losers, days, runtime_days, t)
    arm_results = []
    for k, a in enumerate(arms):
        status = "winner" if k == winner else "loser" if k in losers else "open"
        arm_results.append(
            ArmResult(
                arm_id=a.arm_id, label=a.label, mean=_finite(float(ms.mean[k])),
                low=_finite(float(ms.low[k])), high=_finite(float(ms.high[k])),
                prob_best=float(ms.prob_best[k]),
                expected_loss=_finite(float(ms.expected_loss[k])),
                relative_loss=_finite(float(ms.relative_loss[k])),
                allocation=float(allocation[k]), status=status,  # type: ignore[arg-type]
                days_to_settle=days[k] if status == "open" and k != lead else None,
            )
        )  # fmt: skip
    return Decision(
        outcome=outcome,
        reason=reason,
        winner=arms[winner].arm_id if winner is not None else None,
        losers=[arms[k].arm_id for k in losers],
        metric=metric,
        arms=arm_results,
        guardrails=guard_summaries,
        srm_p_value=srm,
        runtime_days=runtime_days,
        window_start=window[0],
        window_end=window[1],
        seed=seed,
        input_hash=digest,
        snapshot=snapshot,
    )


def _value(metric: Metric, v: float) -> str:
    """A metric's value as the page shows it."""
    if metric in (Metric.CTR, Metric.CVR):
        return f"{v * 100:.2f}%"
    if metric is Metric.CONVERSIONS_PER_IMPRESSION:
        return f"{v * 1000:.2f} per 1,000 impressions"
    if metric is Metric.ROAS:
        return f"{v:.2f}x"
    return f"{v:.2f}"  # CPA, in the account currency


def _winner_reason(ms: MetricStats, labels: list[str], win: int) -> str:
    """The winner in plain words, e.g. `B beats A on CTR with >99.9% probability (3.00% vs
    2.00%, +50%); choosing B now risks <0.1% of its CTR.` With more arms the numbers compare
    the winner with the runner-up (the best posterior mean of the others)."""
    name = METRIC_NAMES[ms.metric]
    others = [k for k in range(len(labels)) if k != win]
    text = f"{labels[win]} beats {', '.join(labels[k] for k in others)} on {name} with "
    text += f"{_pct(ms.prob_best[win])} probability"
    means = [float(m) for m in np.asarray(ms.mean, dtype=float)]
    finite = [k for k in others if math.isfinite(means[k])]
    if math.isfinite(means[win]) and finite:
        lower = ms.metric in LOWER_IS_BETTER
        runner = (min if lower else max)(finite, key=lambda k: means[k])
        text += f" ({_value(ms.metric, means[win])} vs {_value(ms.metric, means[runner])}"
        if len(others) > 1:
            text += f" for {labels[runner]}, the next best"
        if means[runner] > 0:
            text += f", {(means[win] / means[runner] - 1.0) * 100:+.0f}%"
        text += ")"
    loss = float(ms.relative_loss[win])
    risk = f"{_pct(loss)} of its {name}" if math.isfinite(loss) else "an unknown share"
    return text + f"; choosing {labels[win]} now risks {risk}."


def _insufficient_reason(
    metric: Metric, c: Counts, labels: list[str], runtime: int, t: Thresholds
) -> str:
    parts = []
    if runtime < t.min_runtime_days:
        parts.append(f"{runtime} of the {t.min_runtime_days} days needed have matured")
    thin = [lab for lab, n in zip(labels, c.impressions, strict=True) if n < t.min_impressions]
    if thin:
        parts.append(f"{', '.join(thin)} below {t.min_impressions} impressions")
    if metric in USES_CLICKS:
        few = [lab for lab, n in zip(labels, c.clicks, strict=True) if n < t.min_clicks]
        if few:
            parts.append(f"{', '.join(few)} below {t.min_clicks} clicks")
    if metric in USES_CONVERSIONS:
        need = t.min_conversions * len(labels)
        if c.conversions.sum() < need:
            parts.append(f"{c.conversions.sum():.0f} of {need} conversions")
    return "Not enough data yet: " + "; ".join(parts or ["waiting for data"]) + "."


def _open_reason(
    ms: MetricStats,
    labels: list[str],
    lead: int,
    losers: list[int],
    days: list[int | None],
    runtime: int,
    t: Thresholds,
) -> str:
    name = METRIC_NAMES[ms.metric]
    order = [int(k) for k in np.argsort(-ms.prob_best)]
    second = next((k for k in order if k != lead), None)
    text = f"{labels[lead]} leads on {name} with {_pct(ms.prob_best[lead])} probability to be best"
    if second is not None:
        text += f" ({labels[second]}: {_pct(ms.prob_best[second])})"
    if losers:
        text += f"; {', '.join(labels[k] for k in losers)} can be dropped"
    left = t.max_runtime_days - runtime
    lead_label = labels[lead]
    hints = []
    for k, d in enumerate(days):
        if d is None or k in losers:
            continue
        if d <= left:
            more = f"{d} more {'day' if d == 1 else 'days'}"
            hints.append(f"about {more} of data would tell whether {lead_label} beats {labels[k]}")
        else:
            hints.append(
                f"{lead_label} and {labels[k]} are too close to tell apart within the "
                f"{t.max_runtime_days}-day runtime"
            )
    if hints:
        text += "; " + "; ".join(hints[:3])
    elif runtime >= t.max_runtime_days:
        text += "; the runtime is over: the arms perform alike, pick on other grounds"
    return text + "."


def _guardrail_veto(
    win: int,
    c: Counts,
    guardrails: list[Metric],
    t: Thresholds,
    seed: int,
    labels: list[str],
    out: list[MetricSummary],
) -> str | None:
    """A guardrail vetoes the winner when the winner is worse than the other arms pooled with
    probability >= guardrail_prob_worse."""
    if not guardrails or c.impressions.shape[-1] < 2:
        return None
    rest = [k for k in range(c.impressions.shape[-1]) if k != win]

    def pair(a: stats.Array) -> stats.Array:
        return np.array([a[rest].sum(), a[win]])

    pooled = Counts(
        pair(c.impressions), pair(c.clicks), pair(c.conversions), pair(c.conversion_value),
        pair(c.cost),
    )  # fmt: skip
    for g in guardrails:
        full = metric_stats(g, c, prior=t.prior, seed=seed)
        out.append(_summary(full))
        ms = metric_stats(g, pooled, prior="weak", seed=seed)
        worse = 1.0 - float(ms.prob_best[1])  # P(winner is not the better of the pair)
        if worse >= t.guardrail_prob_worse:
            return (
                f"{labels[win]} would win, but its {METRIC_NAMES[g]} is worse than the other "
                f"arms' with {_pct(worse)} probability (guardrail): no winner declared."
            )
    return None

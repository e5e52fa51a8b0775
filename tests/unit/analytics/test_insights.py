"""Insights on simulated campaigns: a planted effect is found with its sign; without one, claims
stay rare (bounded over many seeds), and thin data never yields a claim."""

from __future__ import annotations

import numpy as np
import pytest

from adgenius.analytics.insights import MIN_CREATIVES, CreativePerformance, estimate

FEATURES = [
    "angle:price", "angle:urgency", "angle:benefit", "angle:social_proof", "has_number",
    "is_question", "length:short", "length:long",
]  # fmt: skip


def campaign(
    seed: int, n: int = 40, effect: tuple[str, float] | None = None, noise: float = 0.15
) -> list[CreativePerformance]:
    """Creatives with random attributes, CTR ~2% with creative-level noise (log-odds sd
    `noise`) the attributes do not explain, plus an optional planted log-odds effect."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        feats = {f: bool(rng.random() < 0.4) for f in FEATURES}
        logit = np.log(0.02 / 0.98) + rng.normal(0, noise)
        if effect:
            logit += effect[1] * feats[effect[0]]
        impressions = int(rng.integers(1000, 8000))
        clicks = int(rng.binomial(impressions, 1 / (1 + np.exp(-logit))))
        out.append(
            CreativePerformance(
                creative_id=f"c{i}", features=feats, impressions=impressions, clicks=clicks
            )
        )
    return out


@pytest.mark.parametrize(("feature", "size"), [("has_number", 0.3), ("angle:urgency", -0.3)])
def test_planted_effect_is_found_with_its_sign(feature: str, size: float) -> None:
    found = 0
    for seed in range(20):
        result = estimate(campaign(seed, effect=(feature, size)))
        effect = next(e for e in result.effects if e.feature == feature)
        assert effect.interval[0] <= effect.relative_effect <= effect.interval[1]
        if effect.confident:
            assert np.sign(effect.relative_effect) == np.sign(size)  # never the wrong sign
            found += 1
        # Other features carry no effect; a wrong-signed confident claim on the planted one
        # would be caught above.
    assert found >= 16  # power ~95% at this size; the interval is 90%, simultaneous


def test_summary_reads_like_a_finding() -> None:
    result = estimate(campaign(0, effect=("has_number", 0.3)))
    top = result.effects[0]
    assert top.feature == "has_number" and top.confident
    assert top.summary.startswith("a number in the headline: +")
    assert "90% interval" in top.summary and "from 40 creatives" in top.summary
    assert top in result.prefer() and all(e.relative_effect > 0 for e in result.prefer())
    assert all(e.confident and e.relative_effect < 0 for e in result.avoid())


def test_no_effect_rarely_gives_any_claim() -> None:
    runs = 200
    with_claim = sum(
        any(e.confident for e in estimate(campaign(1000 + s)).effects) for s in range(runs)
    )
    # Simultaneous 90% intervals: at most ~10% of campaigns with no effect show any claim.
    assert with_claim / runs <= 0.13


def test_heavily_served_noisy_creatives_do_not_make_claims() -> None:
    # Few creatives with millions of impressions and large creative-level differences: a
    # binomial model would call everything significant; the between-creative variance does not.
    runs = 100
    with_claim = 0
    for s in range(runs):
        perf = campaign(2000 + s, n=12, noise=0.4)
        for p in perf:
            p.clicks, p.impressions = p.clicks * 500, p.impressions * 500
        with_claim += any(e.confident for e in estimate(perf).effects)
    assert with_claim / runs <= 0.13


def test_thin_data_is_insufficient_not_a_claim() -> None:
    perf = campaign(3, n=MIN_CREATIVES - 1, effect=("has_number", 1.0))
    result = estimate(perf)
    assert result.status == "insufficient_data" and result.effects == []
    assert "needed" in result.reason
    for p in perf:
        p.impressions = 50  # below the per-creative minimum: they do not count
    assert estimate(perf * 3).creatives == 0


def test_constant_and_duplicate_features_are_not_tested() -> None:
    perf = campaign(4)
    for p in perf:
        p.features["has_cta"] = True
        p.features["copy_of_number"] = p.features["has_number"]
    names = [e.feature for e in estimate(perf).effects]
    assert "has_cta" not in names
    assert ("has_number" in names) != ("copy_of_number" in names)


def test_a_two_valued_attribute_is_tested_once_and_found() -> None:
    """Two ratios (or two length buckets) make two features that are each other's complement:
    with the intercept neither is identifiable, and the prior alone split the effect between
    them, never confident however much data there was. One of the pair is tested."""
    perf = []
    for i in range(8):
        tall = i % 2 == 0
        impressions = 70_000
        perf.append(
            CreativePerformance(
                creative_id=f"c{i}",
                features={"ratio:9:16": tall, "ratio:1:1": not tall, "style:gradient": i < 2},
                impressions=impressions,
                clicks=int(impressions * (0.03 if tall else 0.015)) + i,
            )
        )
    result = estimate(perf)
    (ratio,) = [e for e in result.effects if e.feature.startswith("ratio:")]
    assert ratio.confident, ratio
    # the 9:16 creatives get twice the 1:1 ones' CTR: +100% one way, -50% the other
    expected = 1.0 if ratio.feature == "ratio:9:16" else -0.5
    assert abs(ratio.relative_effect - expected) < 0.1, ratio
    assert ratio.interval[0] < expected < ratio.interval[1]

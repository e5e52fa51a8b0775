"""Steering's evidence: a losing phrase must be one the kept arms do not share, and headline
effects measured by asset reports steer like creative-level ones."""

from __future__ import annotations

from adgenius.analytics.insights import CreativePerformance, Effect, Insights, estimate
from adgenius.generation.steering import build_steering


def test_phrases_every_arm_shares_are_not_what_lost() -> None:
    loser = ("l1", {"headlines": ["Coffee subscription for you", "Pure elegance daily"]})
    kept = ("k1", {"headlines": ["Coffee subscription, roasted weekly"]})
    with_contrast = build_steering(None, losers=[loser], kept=[kept])
    assert "coffee subscription" not in with_contrast.avoid_phrases()
    assert "pure elegance" in with_contrast.avoid_phrases()
    assert with_contrast.record()["kept"] == ["k1"]
    # without any arm to contrast with, the loser's phrases are all avoided (as before)
    assert "coffee subscription" in build_steering(None, losers=[loser]).avoid_phrases()


def _effect(feature: str, rel: float) -> Effect:
    return Effect(
        feature=feature, label=feature, relative_effect=rel, interval=(rel / 2, rel * 2),
        prob_positive=0.99 if rel > 0 else 0.01, creatives_with=20, creatives_without=40,
        confident=True, summary=f"{feature}: {rel:+.0%}",
    )  # fmt: skip


def test_headline_insights_steer_without_contradicting_creative_ones() -> None:
    creative = Insights(status="ok", effects=[_effect("has_number", 0.2)])
    lines = Insights(
        status="ok", effects=[_effect("is_question", 0.3), _effect("has_number", -0.1)]
    )
    steering = build_steering(creative, line_insights=lines)
    assert steering.prefer == ["has_number", "is_question"] and steering.avoid == []
    assert steering.insights == ["has_number: +20%", "is_question: +30%"]
    assert steering.steer_score("Why wait?") == 1.0


def test_headline_units_are_named_as_such() -> None:
    rows = [
        CreativePerformance(
            creative_id=f"h{i}", features={"is_question": i % 2 == 0},
            impressions=5000, clicks=250 if i % 2 == 0 else 150,
        )
        for i in range(20)
    ]  # fmt: skip
    found = estimate(rows, unit="headlines")
    question = next(e for e in found.effects if e.feature == "is_question")
    assert question.confident and question.relative_effect > 0.3
    assert "from 20 headlines (10 with it)" in question.summary


def test_a_creative_arm_does_not_count_its_asset_rows_again() -> None:
    from datetime import date

    from adgenius.analytics.experiments.facts import ArmRef, Fact

    day = date(2026, 11, 1)
    ad = Fact(creative_id="c1", platform="google_ads", date=day, impressions=1000, clicks=30)
    headline = ad.model_copy(update={"asset_key": "text:headlines:ab", "impressions": 3000})
    arm = ArmRef(arm_id="arm0", label="A", creative_id="c1")
    assert arm.matches(ad) and not arm.matches(headline)
    assert ArmRef(arm_id="a", label="A", creative_id="c1", asset_key="text:headlines:ab").matches(
        headline
    )

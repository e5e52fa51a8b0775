"""The loop simulator's synthetic audience: planted preferences move CTR the way they say,
fatigue wears an ad out, delivery follows the allocation; and the chart is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from adgenius.localstack.loop_chart import write_html, write_png
from adgenius.localstack.loop_sim import LoopResult, RoundStats
from adgenius.testing.audience import FEATURES, Ad, Audience, draw_preferences, line_features

NUMBERED = Ad("a", {"headlines": ["Beans from 12 farms", "Brews in 4 minutes"]})
PLAIN = Ad("b", {"headlines": ["Beans from small farms", "Brews while you wait"]})


def test_line_features_read_the_attributes() -> None:
    assert line_features("Beans from 12 farms", "headlines")["has_number"]
    assert not line_features("Beans from small farms", "headlines")["has_number"]
    assert line_features("Why wait?", "headlines")["is_question"]
    assert set(line_features("Shop now", "headlines")) == set(FEATURES)


@pytest.mark.parametrize("weight", [0.5, -0.5])
def test_a_planted_preference_moves_ctr_its_way(weight: float) -> None:
    prefs = draw_preferences(3)
    neutral = {f: 0.0 for f in FEATURES}
    planted = dataclasses.replace(prefs, ctr_weights={**neutral, "has_number": weight})
    flat = dataclasses.replace(prefs, ctr_weights=neutral)
    ratio = Audience(planted).ctr(NUMBERED) / Audience(planted).ctr(PLAIN)
    base = Audience(flat).ctr(NUMBERED) / Audience(flat).ctr(PLAIN)  # quality alone
    # Both headlines carry the number: the ad's odds move by exp(weight).
    assert ratio / base == pytest.approx(np.exp(weight), rel=0.05)
    # and it shows in delivered clicks, not only in the model
    rng = np.random.default_rng(0)
    got = Audience(planted).deliver([NUMBERED, PLAIN], [0.5, 0.5], 400_000, rng)
    observed = (got[0].clicks / got[0].impressions) / (got[1].clicks / got[1].impressions)
    assert (observed > base) == (weight > 0)


def test_preferences_differ_per_seed_and_repeat_for_one() -> None:
    assert draw_preferences(1) == draw_preferences(1)
    assert draw_preferences(1).ctr_weights != draw_preferences(2).ctr_weights


def test_fatigue_and_allocation() -> None:
    audience = Audience(draw_preferences(5))
    fresh = audience.ctr(NUMBERED)
    audience.exposure["a"] = int(audience.prefs.fatigue_half_life)
    assert audience.ctr(NUMBERED) == pytest.approx(fresh / 2)
    rng = np.random.default_rng(1)
    got = Audience(draw_preferences(5)).deliver([NUMBERED, PLAIN], [0.9, 0.1], 10_000, rng)
    assert sum(d.impressions for d in got) == 10_000
    assert 8_500 < got[0].impressions < 9_500
    assert all(0 <= d.conversions <= d.clicks <= d.impressions for d in got)


def test_the_chart_and_page_are_written(tmp_path: Path) -> None:
    def rounds(ctrs: list[float]) -> list[RoundStats]:
        return [RoundStats(round=i + 1, impressions=10_000, clicks=int(c * 10_000),
                           outcome="losers") for i, c in enumerate(ctrs)]  # fmt: skip

    results = [
        LoopResult(seed=s, prefs=draw_preferences(s), on=rounds([0.03, 0.033, 0.036]),
                   off=rounds([0.03, 0.031, 0.03]))
        for s in (1, 2)
    ]  # fmt: skip
    png = write_png(results, tmp_path / "loop.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = write_html(results, png, tmp_path / "loop.html").read_text()
    assert "data:image/png;base64," in page and "1.20" in page  # round-3 lift 0.036 / 0.030

"""Tone of copy (the phrase banks' tone phrases, every bank language) and pace of video."""

from __future__ import annotations

import pytest

from adgenius.analytics.attributes import (
    ATTRIBUTES_VERSION,
    binary_features,
    copy_attributes,
    creative_attributes,
    describe,
    media_attributes,
)
from adgenius.analytics.style_attributes import pace_of, tone_of


@pytest.mark.parametrize(
    ("text", "language", "tone"),
    [
        ("Pure elegance. Crafted to impress", "en", "luxury"),
        ("Trusted quality from certified experts", "en", "professional"),
        ("Treat yourself: why not today?", "en", "playful"),
        ("No compromises. Go further", "en", "bold"),
        ("Made for you, you'll love it", "en", "friendly"),
        ("Pourquoi pas aujourd'hui ? Faites-vous plaisir", "fr", "playful"),
        ("Keine Kompromisse", "de", "bold"),
        ("上質なひととき", "ja", "luxury"),
        ("Boils a litre in 90 seconds", "en", "none"),
        ("The funnel cake stand", "en", "none"),  # a marker inside a word is no hit
    ],
)
def test_tone_from_the_banks_phrases(text: str, language: str, tone: str) -> None:
    assert tone_of(text, language) == tone


def test_tone_is_recorded_and_becomes_a_feature() -> None:
    attrs = copy_attributes({"headlines": ["Pure elegance", "Crafted to impress"]})
    assert attrs["tone"] == "luxury" and attrs["version"] == ATTRIBUTES_VERSION
    feats = binary_features(attrs)
    assert feats["tone:luxury"] and "tone:none" not in feats
    assert describe("tone:luxury") == "a luxury tone"
    # attributes recorded by an older version are extracted again, with the tone
    old = {"headlines": ["Pure elegance"], "attributes": {"version": "attributes-1"}}
    assert creative_attributes("copy", old)["tone"] == "luxury"


def test_pace_of_a_video() -> None:
    assert [pace_of(15, 6), pace_of(15, 3), pace_of(30, 3)] == ["fast", "medium", "slow"]
    assert pace_of(0, 3) is None and pace_of(15, 0) is None
    video = media_attributes({"headline": "Cold brew", "scenes": 3}, [{"duration_s": 15.2}])
    assert (video["duration"], video["pace"]) == ("medium", "medium")
    assert binary_features(video)["pace:medium"]
    assert "pace" not in media_attributes({"headline": "A still"}, [])

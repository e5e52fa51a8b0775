"""Creative attributes: deterministic rules over the copy (and what media engines recorded)."""

from __future__ import annotations

import pytest

from adgenius.analytics.attributes import (
    ATTRIBUTES_VERSION,
    binary_features,
    copy_attributes,
    creative_attributes,
    media_attributes,
)


@pytest.mark.parametrize(
    ("headline", "language", "angle"),
    [
        ("Save 30% on every kettle", "en", "price"),
        ("Last chance: order today", "en", "urgency"),
        ("Trusted by thousands of customers", "en", "social_proof"),
        ("Enjoy effortless mornings", "en", "benefit"),
        ("Built with stainless steel", "en", "feature"),
        ("Économisez sur votre prix", "fr", "price"),
        ("Jetzt schnell bestellen", "de", "urgency"),
        ("今すぐ期間限定でお得に", "ja", "urgency"),
        ("A kettle", "en", "none"),
    ],
)
def test_angle_by_lexicon(headline: str, language: str, angle: str) -> None:
    assert copy_attributes({"headlines": [headline]}, language)["angle"] == angle


def test_words_match_whole_words_only() -> None:
    # "offer" must not match the price term "off", "nowhere" not the urgency term "now".
    attrs = copy_attributes({"headlines": ["An offer from nowhere"]}, "en")
    assert "price" not in attrs["angles"] and "urgency" not in attrs["angles"]


def test_number_question_length_cta_language() -> None:
    attrs = copy_attributes(
        {
            "headlines": ["Need a faster kettle?", "Boils in 90 seconds"],
            "descriptions": ["Quiet, quick and easy. Shop now"],
            "language": "en",
        }
    )
    assert attrs["has_number"] is True
    assert attrs["is_question"] is True
    assert attrs["length"] == "short"
    assert attrs["cta"] == "Shop now"
    assert attrs["language"] == "en"
    plain = copy_attributes({"headlines": ["A long headline about a very quiet kettle"]}, "en")
    assert (plain["has_number"], plain["is_question"], plain["cta"]) == (False, False, None)
    assert plain["length"] == "long"


def test_deterministic_and_recorded_attributes_win() -> None:
    content = {"headlines": ["Save today", "Loved by 10,000 cooks"], "language": "en"}
    assert copy_attributes(content) == copy_attributes(dict(content))
    recorded = {**content, "attributes": {**copy_attributes(content), "angle": "feature"}}
    assert creative_attributes("copy", recorded)["angle"] == "feature"
    stale = {**content, "attributes": {"version": "attributes-0", "angle": "feature"}}
    assert creative_attributes("copy", stale)["version"] == ATTRIBUTES_VERSION
    assert creative_attributes("copy", stale)["angle"] != "feature"


def test_media_attributes_from_what_the_engine_chose() -> None:
    attrs = media_attributes(
        {"headline": "Only today: 20% off", "cta": "Shop now", "style": "bold", "ratio": "1:1",
         "palette": ["#FF0000", "#ffffff"]},
        [{"duration_s": 15.0}],
    )  # fmt: skip
    assert attrs["angle"] == "price" and attrs["has_number"] is True
    assert (attrs["style"], attrs["ratio"], attrs["dominant_colour"]) == ("bold", "1:1", "#ff0000")
    assert attrs["duration"] == "medium" and attrs["cta"] == "Shop now"
    feats = binary_features(attrs)
    assert feats["style:bold"] and feats["duration:medium"] and feats["angle:urgency"]
    assert "language" not in " ".join(feats)

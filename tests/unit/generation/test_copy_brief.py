from __future__ import annotations

import pytest
from pydantic import ValidationError

from adgenius.generation import SUPPORTED_LANGUAGES, BrandKit, CopyBrief

BASE = {"objective": "leads", "product": "Solar panels", "audience": "homeowners"}


def _loc(exc: ValidationError) -> list[tuple]:
    return [e["loc"] for e in exc.errors()]


def test_oversized_field_is_rejected_with_its_name() -> None:
    with pytest.raises(ValidationError) as exc:
        CopyBrief(**BASE | {"product": "x" * 20_000})
    assert _loc(exc.value) == [("product",)]
    with pytest.raises(ValidationError) as exc:
        CopyBrief(**BASE | {"product_facts": ["ok", "y" * 2001]})
    assert _loc(exc.value) == [("product_facts", 1)]


def test_blank_and_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        CopyBrief(**BASE | {"audience": "   "})
    assert _loc(exc.value) == [("audience",)]
    with pytest.raises(ValidationError):
        CopyBrief(**BASE | {"surprise": 1})


def test_language_is_validated_and_normalised() -> None:
    assert CopyBrief(**BASE | {"language": "pt-BR"}).language == "pt"
    assert CopyBrief(**BASE | {"language": "ZH_hans"}).language == "zh"
    for bad in ["xx", "klingon", "", "e"]:
        with pytest.raises(ValidationError) as exc:
            CopyBrief(**BASE | {"language": bad})
        assert _loc(exc.value) == [("language",)]
        assert "unsupported language" in str(exc.value)
    assert set(SUPPORTED_LANGUAGES) >= {"en", "es", "fr", "de", "ja", "zh"}


def test_objective_enum_and_url() -> None:
    with pytest.raises(ValidationError) as exc:
        CopyBrief(**BASE | {"objective": "virality"})
    assert _loc(exc.value) == [("objective",)]
    with pytest.raises(ValidationError) as exc:
        CopyBrief(**BASE | {"landing_url": "javascript:alert(1)"})
    assert _loc(exc.value) == [("landing_url",)]


def test_brand_kit_colours_and_disclaimers() -> None:
    kit = BrandKit(name="A", voice="calm", colors=["#abc", "#00ff7f"])
    assert kit.colors == ["#ABC", "#00FF7F"]
    with pytest.raises(ValidationError) as exc:
        BrandKit(name="A", voice="calm", colors=["#12345G"])
    assert _loc(exc.value) == [("colors",)]
    with pytest.raises(ValidationError) as exc:
        BrandKit(name="A", voice="calm", required_phrases=["z" * 81])
    assert _loc(exc.value) == [("required_phrases", 0)]


def test_disclaimer_may_not_contain_a_banned_word() -> None:
    with pytest.raises(ValidationError, match=r"required_phrases\[1\].*'free'"):
        BrandKit(
            name="A",
            voice="calm",
            banned_words=["free"],
            required_phrases=["Terms apply.", "Free trial, terms apply."],
        )
    BrandKit(name="A", voice="calm", banned_words=["free"], required_phrases=["Freedom plan."])

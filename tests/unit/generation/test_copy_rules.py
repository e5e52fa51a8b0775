from __future__ import annotations

from adgenius.generation import BrandKit, CopySet, Severity
from adgenius.generation.rules import find_banned, validate_lengths


def _rsa(headlines: list[str], descriptions: list[str] | None = None, **kw) -> CopySet:
    descriptions = descriptions or ["Fast delivery on every order.", "Terms apply."]
    return CopySet(platform="google_rsa", headlines=headlines, descriptions=descriptions, **kw)


def _rules(violations) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in violations}


def _heads(n: int) -> list[str]:
    return [f"Headline number {i}" for i in range(n)]


def test_clean_rsa_set_passes() -> None:
    assert validate_lengths(_rsa(_heads(15))) == []


def test_google_counts_cjk_and_emoji_as_two() -> None:
    ok = [*_heads(3), "日本語の見出しは十五文字まで可"]  # 15 kanji/kana = 30
    assert validate_lengths(_rsa(ok)) == []
    too_long = [*_heads(3), "日本語の見出しは十五文字まで可能"]  # 16 -> 32
    [v] = validate_lengths(_rsa(too_long))
    assert (v.field, v.rule, v.severity) == ("headlines[3]", "length", Severity.ERROR)
    assert "32" in v.message
    assert validate_lengths(_rsa([*_heads(3), "😀" * 15])) == []
    assert _rules(validate_lengths(_rsa([*_heads(3), "😀" * 16]))) == {("headlines[3]", "length")}
    # Combining marks do not count extra: 30 accented letters are 30 characters.
    assert validate_lengths(_rsa([*_heads(3), "q\u0301" * 30])) == []


def test_counts_and_empty_items() -> None:
    v = validate_lengths(_rsa(_heads(16)))
    assert _rules(v) == {("headlines", "count")}
    v = validate_lengths(_rsa([*_heads(2), "  "], descriptions=["only one"]))
    assert _rules(v) == {("headlines[2]", "empty"), ("descriptions", "count")}


def test_uniqueness_ignores_case_spacing_and_width() -> None:
    heads = ["Free Shipping", "free  shipping", "Ｆｒｅｅ Ｓｈｉｐｐｉｎｇ", "Fast shipping"]
    assert _rules(validate_lengths(_rsa(heads))) == {
        ("headlines[1]", "duplicate"),
        ("headlines[2]", "duplicate"),
    }


def test_banned_words_whole_word_case_insensitive() -> None:
    assert find_banned("Get it FREE today", ["free"]) == ["free"]
    assert find_banned("Freedom to run", ["free"]) == []
    assert find_banned("Free-range eggs", ["free"]) == ["free"]  # hyphen is a word boundary
    assert find_banned("Best price, guaranteed!", ["best price"]) == ["best price"]
    assert find_banned("業界最安値に挑戦", ["最安"]) == ["最安"]  # CJK: no spaces, substring
    kit = BrandKit(name="A", voice="calm", banned_words=["cheap"])
    v = validate_lengths(_rsa([*_heads(3), "Not CHEAP at all"]), kit)
    assert _rules(v) == {("headlines[3]", "banned_word")}


def test_required_phrase_must_appear_in_descriptions() -> None:
    kit = BrandKit(name="A", voice="calm", required_phrases=["Terms apply.", "18+ only"])
    v = validate_lengths(_rsa(_heads(3), ["Great deals. terms  apply.", "Shop today."]), kit)
    assert _rules(v) == {("descriptions", "required_phrase")}
    assert "18+ only" in v[0].message


def test_pins_only_h1_h3_and_d1_d2() -> None:
    good = {"headlines[0]": "H1", "headlines[2]": "H3", "descriptions[1]": "D2"}
    assert validate_lengths(_rsa(_heads(3), pins=good)) == []
    bad = {
        "headlines[0]": "H4",
        "descriptions[0]": "D3",
        "paths[0]": "H1",
        "headlines[9]": "H2",
        "nonsense": "H1",
    }
    v = validate_lengths(_rsa(_heads(3), paths=["shoes"], pins=bad))
    assert _rules(v) == {
        ("headlines[0]", "pin"),
        ("descriptions[0]", "pin"),
        ("paths[0]", "pin"),
        ("headlines[9]", "pin"),
        ("nonsense", "pin"),
    }


def test_pmax_needs_short_variants_and_business_name() -> None:
    long_heads = [f"A rather long headline no {i}" for i in range(3)]
    descs = ["x" * 61 + " one", "y" * 61 + " two"]
    copy = CopySet(
        platform="google_pmax",
        headlines=long_heads,
        long_headlines=["Long headline"],
        descriptions=descs,
        business_name=["A business name that is far too long"],
    )
    assert _rules(validate_lengths(copy)) == {
        ("headlines", "short_variant"),
        ("descriptions", "short_variant"),
        ("business_name[0]", "length"),
    }


def test_meta_truncation_is_a_warning_counted_in_graphemes() -> None:
    family = "👨\u200d👩\u200d👧"
    copy = CopySet(platform="meta", primary_texts=[family * 125], headlines=["Run further"])
    assert validate_lengths(copy) == []  # 125 clusters, not 125*5 code points
    copy = CopySet(platform="meta", primary_texts=[family * 126], headlines=["x" * 41])
    v = validate_lengths(copy)
    assert _rules(v) == {("primary_texts[0]", "truncation"), ("headlines[0]", "truncation")}
    assert all(x.severity is Severity.WARNING for x in v)

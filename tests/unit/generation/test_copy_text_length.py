from __future__ import annotations

import pytest

from adgenius.text_length import (
    display_length,
    grapheme_length,
    is_wide_text,
    truncate_display,
)


@pytest.mark.parametrize(
    ("text", "graphemes", "display"),
    [
        ("Trail shoes", 11, 11),
        ("日本語", 3, 6),  # CJK is double width for Google
        ("ＡＢＣ", 3, 6),  # full-width Latin too
        ("q\u0301", 1, 1),  # q + combining acute (no precomposed form) is one character
        ("👍🏽", 1, 2),  # emoji + skin tone modifier: one cluster, wide
        ("👨\u200d👩\u200d👧", 1, 2),  # ZWJ family sequence
        ("🇫🇷", 1, 1),  # regional indicator flag: one cluster, narrow per Unicode EAW
        ("café ß", 6, 6),
    ],
)
def test_counting_rule(text: str, graphemes: int, display: int) -> None:
    assert grapheme_length(text) == graphemes
    assert display_length(text) == display


def test_truncate_keeps_whole_clusters_and_words() -> None:
    assert truncate_display("Lightweight trail running shoes", 20) == "Lightweight trail"
    cut = truncate_display("日本語のテキストです", 7)
    assert cut == "日本語" and display_length(cut) <= 7
    family = "👨\u200d👩\u200d👧"
    assert truncate_display(family * 5, 5) == family * 2  # never splits a ZWJ sequence


def test_wide_text_detection() -> None:
    assert is_wide_text("最安値")
    assert not is_wide_text("cheap 値")  # mostly narrow

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from adgenius.media.ratios import Box
from adgenius.media.typography import ELLIPSIS, draw_fitted, fit_text

WORDS = st.sampled_from(
    ["Sale", "running", "shoes", "Supercalifragilisticexpialidocious", "40%", "off!", "速い",
     "ランニングシューズ", "😀🎉", "Größe", "weekend", "новый", "W" * 30]
)  # fmt: skip


def _ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    return image.convert("L").getbbox()


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(WORDS, min_size=1, max_size=25),
    width=st.integers(40, 900),
    height=st.integers(20, 500),
    align=st.sampled_from(["left", "center", "right"]),
)
def test_fitted_text_never_leaves_its_box(
    words: list[str], width: int, height: int, align: str
) -> None:
    box = Box(left=30, top=40, right=30 + width, bottom=40 + height)
    fitted = fit_text(" ".join(words), box, max_size=140, min_size=12, align=align)
    image = Image.new("RGB", (width + 60, height + 80), (0, 0, 0))
    drawn = draw_fitted(ImageDraw.Draw(image), fitted, box, (255, 255, 255))
    ink = _ink_box(image)
    if ink is not None:  # the pixels really drawn, not only the computed box
        assert box.contains(Box(left=ink[0], top=ink[1], right=ink[2], bottom=ink[3]))
    assert box.contains(drawn)


def test_short_text_grows_to_fill_a_large_box() -> None:
    big = fit_text("Sale", Box(left=0, top=0, right=800, bottom=400), max_size=200)
    small = fit_text("Sale", Box(left=0, top=0, right=200, bottom=100), max_size=200)
    assert big.size > small.size
    assert not big.truncated and big.lines == ("Sale",)


def test_long_text_wraps_before_it_shrinks_to_the_minimum() -> None:
    text = "Summer sale on every running shoe this weekend only"
    fitted = fit_text(text, Box(left=0, top=0, right=600, bottom=400), max_size=120)
    assert len(fitted.lines) > 1
    assert fitted.size > 14
    assert " ".join(fitted.lines) == text


def test_text_that_cannot_fit_is_cut_with_an_ellipsis() -> None:
    text = " ".join(["overflowing"] * 80)
    fitted = fit_text(text, Box(left=0, top=0, right=200, bottom=60), min_size=14, max_lines=2)
    assert fitted.truncated
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert fitted.width <= 200 and fitted.height <= 60


def test_cjk_without_spaces_wraps_by_character() -> None:
    text = "夏のセール今週末だけすべてのランニングシューズが四十パーセントオフ"
    fitted = fit_text(text, Box(left=0, top=0, right=300, bottom=400), max_size=60)
    assert len(fitted.lines) > 1
    assert "".join(fitted.lines) == text  # no character lost, no space added

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageFont

from adgenius.media import fonts
from adgenius.media.fonts import font_source, load_font, needs_cjk
from adgenius.media.image_renderer import ImageSpec, render_image


@pytest.fixture
def fresh_font_cache() -> Iterator[None]:
    load_font.cache_clear()
    yield
    load_font.cache_clear()


def test_bundled_roboto_is_preferred(fresh_font_cache: None) -> None:
    font = load_font("sans", 40, bold=True)
    assert font_source(font) == "Roboto-Bold.ttf"
    assert font.size == 40


def test_serif_and_unknown_families_resolve(fresh_font_cache: None) -> None:
    has_serif = any((d / "DejaVuSerif.ttf").is_file() for d in fonts._DEJAVU_DIRS)
    serif = font_source(load_font("serif", 30))
    assert serif == ("DejaVuSerif.ttf" if has_serif else "Roboto-Regular.ttf")
    assert font_source(load_font("Comic Brand Display", 30)) == "Roboto-Regular.ttf"


def test_falls_back_to_dejavu_then_pillow_default(
    fresh_font_cache: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_roboto", lambda bold: None)
    if any((d / "DejaVuSans.ttf").is_file() for d in fonts._DEJAVU_DIRS):
        assert font_source(load_font("sans", 30)) == "DejaVuSans.ttf"
    load_font.cache_clear()
    monkeypatch.setattr(fonts, "_DEJAVU_DIRS", (tmp_path,))
    font = load_font("sans", 30)
    assert font_source(font) == "pillow-default"
    assert isinstance(font, ImageFont.FreeTypeFont) and font.size == 30
    # A whole ad still renders, text fitted, with no font file on the machine.
    out = render_image(ImageSpec(headline="No fonts here", cta="Still works", ratio="4:5"))
    assert out.layout.element("headline").font == "pillow-default"
    assert out.layout.outside_safe_zone() == []


def test_corrupt_font_file_is_skipped(
    fresh_font_cache: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "_roboto", lambda bold: broken)
    assert font_source(load_font("sans", 20)) != "broken.ttf"


def test_needs_cjk() -> None:
    assert needs_cjk("セール") and needs_cjk("大促销") and needs_cjk("세일")
    assert not needs_cjk("Sale 😀 Größe")


@pytest.mark.skipif(
    not any(p.is_file() for p in fonts._CJK_CANDIDATES),
    reason="no system CJK font (Debian fonts-noto-cjk): CJK renders as tofu boxes",
)
def test_cjk_text_uses_a_system_cjk_font_with_real_glyphs(fresh_font_cache: None) -> None:
    font = load_font("sans", 48, bold=True, cjk=True)
    # Tofu boxes are all alike; real glyphs of different characters are not.
    assert bytes(font.getmask("夏")) != bytes(font.getmask("購"))
    out = render_image(ImageSpec(headline="夏のセール", ratio="1:1"))
    assert "CJK" in out.layout.element("headline").font

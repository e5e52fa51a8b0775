"""Font lookup with a fallback chain that never fails.

Order: a font shipped in a PyPI package (`font-roboto`, so a fresh CI machine has it), then
Debian's DejaVu, then a CJK font if the system has one and the text needs it, then Pillow's
built-in scalable default. None of the bundled fonts has CJK or emoji glyphs: such characters
render as empty boxes ("tofu") unless a CJK font is installed, but they never crash.
"""

from __future__ import annotations

import functools
import logging
from enum import StrEnum
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class FontFamily(StrEnum):
    SANS = "sans"  # Roboto, else DejaVu Sans
    SERIF = "serif"  # DejaVu Serif, else the sans chain
    MONO = "mono"  # DejaVu Sans Mono, else the sans chain


_DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_CJK_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


def _roboto(bold: bool) -> Path | None:
    try:
        import font_roboto  # PyPI `font-roboto`: Roboto TTFs inside the package
    except ImportError:
        return None
    path = font_roboto.font_files.get("RobotoBold" if bold else "Roboto")
    return Path(path) if path else None


def _dejavu(name: str) -> Path | None:
    for folder in _DEJAVU_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


def _candidates(family: FontFamily, bold: bool) -> list[Path]:
    suffix = "-Bold" if bold else ""
    paths: list[Path | None] = []
    if family is FontFamily.SERIF:
        paths.append(_dejavu(f"DejaVuSerif{suffix}.ttf"))
    elif family is FontFamily.MONO:
        paths.append(_dejavu(f"DejaVuSansMono{suffix}.ttf"))
    paths += [_roboto(bold), _dejavu(f"DejaVuSans{suffix}.ttf")]
    return [p for p in paths if p is not None]


def needs_cjk(text: str) -> bool:
    """True if ``text`` has Han, Kana or Hangul characters (no bundled font draws them)."""
    return any(
        0x3040 <= ord(c) <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= ord(c) <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= ord(c) <= 0xD7AF  # Hangul
        or 0xF900 <= ord(c) <= 0xFAFF
        for c in text
    )


@functools.lru_cache(maxsize=256)
def load_font(family: str = "sans", size: int = 32, bold: bool = False, cjk: bool = False) -> Font:
    """A font of ``size`` px; never raises for a missing font file."""
    try:
        fam = FontFamily(str(family).lower())
    except ValueError:
        fam = FontFamily.SANS  # unknown brand fonts fall back to sans rather than failing
    paths = _candidates(fam, bold)
    if cjk:
        paths = [p for p in _CJK_CANDIDATES if p.is_file()][:1] + paths
    for path in paths:
        try:
            return ImageFont.truetype(str(path), size=size)
        except OSError:
            log.warning("font %s could not be loaded; trying the next one", path)
    # Pillow >= 10.1 ships a scalable default font (Aileron) when FreeType is available.
    return ImageFont.load_default(size=size)


def font_source(font: Font) -> str:
    """Where a loaded font came from, for the layout report."""
    path = getattr(font, "path", None)
    return Path(path).name if isinstance(path, str) else "pillow-default"

"""Fitted typography: wrap and shrink text until its real ink box fits a given box.

Fitting is checked on the glyph bounding boxes Pillow will actually draw (not on a line-height
estimate), so a fitted text can never spill out of its box. When even the smallest size does not
fit, the text is cut at a word/character boundary and ends with an ellipsis.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageDraw

from adgenius.media.fonts import Font, load_font, needs_cjk
from adgenius.media.ratios import Box

ELLIPSIS = "\u2026"
LINE_SPACING = 1.12  # x the font size between baselines


@dataclass(frozen=True)
class FittedText:
    text: str
    lines: tuple[str, ...]
    font: Font
    size: int
    truncated: bool
    align: str
    # The ink box relative to the drawing origin (left, top, right, bottom).
    ink: tuple[int, int, int, int]

    @property
    def width(self) -> int:
        return self.ink[2] - self.ink[0]

    @property
    def height(self) -> int:
        return self.ink[3] - self.ink[1]


def _tokens(text: str) -> list[str]:
    """Words for space-separated scripts; single characters for CJK runs (no spaces there)."""
    out: list[str] = []
    for word in text.split():
        if needs_cjk(word):
            out.extend(word)
        else:
            out.append(word)
    return out


def _join(line: str, token: str) -> str:
    if not line:
        return token
    # CJK characters join without a space; anything next to Latin text gets one.
    return line + token if needs_cjk(token) and needs_cjk(line[-1]) else f"{line} {token}"


def wrap(text: str, font: Font, max_width: int) -> list[str]:
    """Greedy wrap by measured width; a too-long token is split by characters."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = _join(line, token)
        if font.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        if font.getlength(token) <= max_width:
            line = token
            continue
        for char in token:  # a single token wider than the box: break it anywhere
            if line and font.getlength(line + char) > max_width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _ink(lines: list[str], font: Font, size: int, align: str) -> tuple[int, int, int, int]:
    """Union of the glyph boxes when ``lines`` are drawn with :func:`draw_fitted` at (0, 0)."""
    widths = [font.getlength(line) for line in lines]
    block = max(widths, default=0)
    left: float = 10**9
    top: float = 10**9
    right: float = -(10**9)
    bottom: float = -(10**9)
    for i, line in enumerate(lines):
        x = _line_x(widths[i], block, align)
        y = round(i * size * LINE_SPACING)
        l_, t, r, b = font.getbbox(line, anchor="la")
        left, top = min(left, x + l_), min(top, y + t)
        right, bottom = max(right, x + r), max(bottom, y + b)
    if right < left:
        return (0, 0, 0, 0)
    return (int(left), int(top), int(right), int(bottom))


def _line_x(width: float, block: float, align: str) -> int:
    if align == "center":
        return round((block - width) / 2)
    if align == "right":
        return round(block - width)
    return 0


def _fits(ink: tuple[int, int, int, int], box: Box) -> bool:
    return ink[2] - ink[0] <= box.width and ink[3] - ink[1] <= box.height


def fit_text(
    text: str,
    box: Box,
    *,
    family: str = "sans",
    bold: bool = True,
    max_size: int = 120,
    min_size: int = 14,
    max_lines: int = 4,
    align: str = "center",
) -> FittedText:
    """The largest size (and wrapping) at which ``text`` fits ``box`` in at most ``max_lines``."""
    text = " ".join(text.split())
    cjk = needs_cjk(text)

    def attempt(size: int) -> FittedText | None:
        font = load_font(family, size, bold, cjk)
        lines = wrap(text, font, box.width)
        if len(lines) > max_lines:
            return None
        ink = _ink(lines, font, size, align)
        return (
            FittedText(text, tuple(lines), font, size, False, align, ink)
            if _fits(ink, box)
            else None
        )

    # Binary search for the largest size that fits. Wrapping makes fit only nearly monotonic
    # in size, so the answer may be a point or two small, but it is always verified to fit.
    lo, hi = min_size, max(min(max_size, box.height), min_size)
    best = attempt(lo)
    if best is not None:
        if (top := attempt(hi)) is not None:
            return top
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if (found := attempt(mid)) is not None:
                lo, best = mid, found
            else:
                hi = mid
        return best
    # Even the smallest size is too big: keep what fits and end with an ellipsis.
    font = load_font(family, min_size, bold, cjk)
    lines = wrap(text, font, box.width)
    kept: list[str] = []
    for line in lines[:max_lines]:
        if not _fits(_ink([*kept, line], font, min_size, align), box):
            break
        kept.append(line)
    if not kept:
        return FittedText(text, (), font, min_size, True, align, (0, 0, 0, 0))
    last = kept[-1] + ELLIPSIS
    while len(last) > 1 and not _fits(_ink([*kept[:-1], last], font, min_size, align), box):
        last = last[:-2] + ELLIPSIS
    kept[-1] = last
    ink = _ink(kept, font, min_size, align)
    return FittedText(text, tuple(kept), font, min_size, True, align, ink)


def draw_fitted(
    draw: ImageDraw.ImageDraw,
    fitted: FittedText,
    box: Box,
    fill: tuple[int, ...],
    *,
    valign: str = "center",
) -> Box:
    """Draw ``fitted`` inside ``box``; returns the ink box actually covered, in image pixels."""
    align = fitted.align
    ink_l, ink_t, ink_r, ink_b = fitted.ink
    if align == "center":
        ox = box.left + (box.width - (ink_r - ink_l)) // 2 - ink_l
    elif align == "right":
        ox = box.right - ink_r
    else:
        ox = box.left - ink_l
    if valign == "center":
        oy = box.top + (box.height - (ink_b - ink_t)) // 2 - ink_t
    elif valign == "bottom":
        oy = box.bottom - ink_b
    else:
        oy = box.top - ink_t
    widths = [fitted.font.getlength(line) for line in fitted.lines]
    block = max(widths, default=0)
    for i, line in enumerate(fitted.lines):
        x = ox + _line_x(widths[i], block, align)
        y = oy + round(i * fitted.size * LINE_SPACING)
        draw.text((x, y), line, font=fitted.font, fill=fill, anchor="la")
    return Box(left=ox + ink_l, top=oy + ink_t, right=ox + ink_r, bottom=oy + ink_b)

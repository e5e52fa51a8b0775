"""Brand overlay: headline, call to action and logo placed inside the safe zone of an image.

Both engines use it: the local renderer draws its own background first, the Imagen path passes
the generated picture. Every element is fitted into a region of the safe zone, and the returned
`Layout` lists the box each element really covers so callers and tests can check the safe zone.
"""

from __future__ import annotations

from typing import Literal

from PIL import Image, ImageDraw, ImageStat
from pydantic import BaseModel, ConfigDict, Field, field_validator

from adgenius.media.colors import RGB, legible_on, mix, parse_hex, to_hex
from adgenius.media.fonts import font_source
from adgenius.media.imaging import load_image, paste_contained
from adgenius.media.ratios import Box, Ratio, parse_ratio, safe_zone
from adgenius.media.typography import FittedText, draw_fitted, fit_text

DEFAULT_PALETTE = ["#1a73e8", "#ffffff", "#fbbc04"]

ElementKind = Literal["headline", "cta", "logo", "product", "caption", "brand"]


class LayoutElement(BaseModel):
    kind: ElementKind
    box: Box
    text: str = ""
    font: str = ""
    font_size: int = 0
    color: str = ""
    truncated: bool = False


def text_element(
    kind: ElementKind, fitted: FittedText, box: Box, colour: RGB, *, text: str | None = None
) -> LayoutElement:
    """What a layout records of drawn text: where it went, its lines, font and colour."""
    return LayoutElement(
        kind=kind,
        box=box,
        text=" / ".join(fitted.lines) if text is None else text,
        font=font_source(fitted.font),
        font_size=fitted.size,
        color=to_hex(colour),
        truncated=fitted.truncated,
    )


class Layout(BaseModel):
    """Where everything went; text and logo boxes are ink/pixel boxes, not just their regions."""

    width: int
    height: int
    ratio: Ratio
    safe_zone: Box
    elements: list[LayoutElement] = Field(default_factory=list)

    def element(self, kind: ElementKind) -> LayoutElement | None:
        return next((e for e in self.elements if e.kind == kind), None)

    def logo_placement(self) -> str:
        """Where the logo was drawn, by its centre in a 3 x 3 grid of the canvas ("top_left",
        "bottom_center", "middle_center", ...), or "none": an attribute insights compare."""
        logo = self.element("logo")
        if logo is None or self.width <= 0 or self.height <= 0:
            return "none"
        x = (logo.box.left + logo.box.right) / 2 / self.width
        y = (logo.box.top + logo.box.bottom) / 2 / self.height
        row = "top" if y < 1 / 3 else "bottom" if y > 2 / 3 else "middle"
        col = "left" if x < 1 / 3 else "right" if x > 2 / 3 else "center"
        return f"{row}_{col}"

    def outside_safe_zone(self) -> list[LayoutElement]:
        """Text and logo elements that leave the safe zone (products and backgrounds may)."""
        return [
            e for e in self.elements if e.kind != "product" and not self.safe_zone.contains(e.box)
        ]


class Overlay(BaseModel):
    """What the brand puts on top of any picture."""

    # Bytes travel as base64 in JSON (task payloads, API bodies).
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    headline: str = Field(default="", max_length=300)
    cta: str = Field(default="", max_length=60)
    logo: bytes | None = None
    palette: list[str] = Field(default_factory=lambda: list(DEFAULT_PALETTE), min_length=1)
    font_family: str = "sans"
    # "auto": a translucent panel behind text only when the picture under it is busy.
    scrim: Literal["auto", "always", "never"] = "auto"

    @field_validator("palette")
    @classmethod
    def _hex_colours(cls, value: list[str]) -> list[str]:
        for colour in value:
            parse_hex(colour)  # raises MediaInputError (a ValueError) naming "palette"
        return value

    def rgb_palette(self) -> list[RGB]:
        return [parse_hex(c) for c in self.palette]


class LayoutPlan(BaseModel):
    """Regions of the safe zone reserved for each element before anything is drawn."""

    ratio: Ratio
    size: tuple[int, int]
    safe: Box
    logo: Box | None
    headline: Box
    cta: Box | None
    visual: Box  # where a product picture goes (may be empty height on tight layouts)
    landscape: bool


def plan_layout(
    ratio: str | Ratio,
    size: tuple[int, int],
    *,
    has_logo: bool,
    has_cta: bool,
    keep_visual: bool = True,
) -> LayoutPlan:
    """Split the safe zone into regions. With ``keep_visual`` (a picture or product to show)
    portrait layouts leave the middle free; without it the headline may use the whole column."""
    r = parse_ratio(ratio)
    safe = safe_zone(r, size)
    gap = max(8, round(min(size) * 0.02))
    landscape = size[0] / size[1] > 1.3
    if landscape:
        # Text column on the left, picture on the right.
        col = Box(
            left=safe.left,
            top=safe.top,
            right=safe.left + round(safe.width * (0.56 if keep_visual else 0.8)),
            bottom=safe.bottom,
        )
        visual = Box(left=col.right + gap, top=safe.top, right=safe.right, bottom=safe.bottom)
    else:
        col = safe
        visual = safe  # narrowed below, between the headline and the CTA
    logo_h = round(min(col.height * 0.14, 170)) if has_logo else 0
    cta_h = round(min(max(col.height * 0.13, 56), 150)) if has_cta else 0
    logo = (
        Box(
            left=col.left,
            top=col.top,
            right=col.left + min(col.width, logo_h * 3),
            bottom=col.top + logo_h,
        )
        if has_logo
        else None
    )
    text_top = col.top + (logo_h + gap if has_logo else 0)
    cta = (
        Box(
            left=col.left if landscape else col.left + round(col.width * 0.12),
            top=col.bottom - cta_h,
            right=col.right if landscape else col.right - round(col.width * 0.12),
            bottom=col.bottom,
        )
        if has_cta
        else None
    )
    text_bottom = (cta.top - gap) if cta else col.bottom
    if landscape:
        headline = Box(left=col.left, top=text_top, right=col.right, bottom=text_bottom)
    else:
        headline_h = round((text_bottom - text_top) * (0.42 if keep_visual else 1.0))
        headline = Box(left=col.left, top=text_top, right=col.right, bottom=text_top + headline_h)
        visual = Box(
            left=col.left,
            top=headline.bottom + gap,
            right=col.right,
            bottom=max(headline.bottom + gap, text_bottom),
        )
    return LayoutPlan(
        ratio=r,
        size=size,
        safe=safe,
        logo=logo,
        headline=headline,
        cta=cta,
        visual=visual,
        landscape=landscape,
    )


def _region_stats(image: Image.Image, box: Box) -> tuple[RGB, float]:
    region = image.convert("RGB").crop(box.as_tuple())
    # Subsample without averaging: averaging would hide exactly the busy detail we look for.
    sample = region.resize(
        (max(1, box.width // 4), max(1, box.height // 4)), Image.Resampling.NEAREST
    )
    stat = ImageStat.Stat(sample)
    mean = tuple(round(v) for v in stat.mean[:3])
    busy = sum(stat.stddev[:3]) / 3
    return mean, busy  # type: ignore[return-value]


def _draw_scrim(canvas: Image.Image, box: Box, under: RGB) -> RGB:
    """Darken (or lighten) the area under text; returns the colour the text now sits on."""
    dark = sum(under) / 3 < 150
    tint: RGB = (0, 0, 0) if dark else (255, 255, 255)
    layer = Image.new("RGBA", (box.width, box.height), (0, 0, 0, 0))
    ImageDraw.Draw(layer).rounded_rectangle(
        (0, 0, box.width - 1, box.height - 1), radius=max(6, box.height // 8), fill=(*tint, 150)
    )
    canvas.alpha_composite(layer, dest=(box.left, box.top))
    return mix(under, tint, 150 / 255)


def _headline(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, overlay: Overlay, region: Box, landscape: bool
) -> LayoutElement | None:
    if not overlay.headline.strip():
        return None
    palette = overlay.rgb_palette()
    pad = max(10, region.height // 14)
    inner = region.inset(pad)
    fitted: FittedText = fit_text(
        overlay.headline,
        inner,
        family=overlay.font_family,
        bold=True,
        max_size=round(min(canvas.size) * 0.11),
        min_size=max(16, round(min(canvas.size) * 0.04)),  # smaller is unreadable on a phone
        max_lines=4,
        align="left" if landscape else "center",
    )
    if not fitted.lines:
        return None
    under, busy = _region_stats(canvas, region)
    if overlay.scrim == "always" or (overlay.scrim == "auto" and busy > 38):
        w, h = fitted.width + 2 * pad, fitted.height + 2 * pad
        left = region.left if landscape else region.left + (region.width - w) // 2
        top = region.top + (region.height - h) // 2
        under = _draw_scrim(canvas, Box(left=left, top=top, right=left + w, bottom=top + h), under)
    colour = legible_on(under, palette)
    return text_element("headline", fitted, draw_fitted(draw, fitted, inner, colour), colour)


def _cta(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, overlay: Overlay, region: Box, landscape: bool
) -> LayoutElement | None:
    if not overlay.cta.strip():
        return None
    palette = overlay.rgb_palette()
    under, _ = _region_stats(canvas, region)
    # The button takes the palette colour that stands out most from what is under it.
    button = max(palette, key=lambda c: sum(abs(a - b) for a, b in zip(c, under, strict=True)))
    pad_x, pad_y = max(12, region.height // 3), max(6, region.height // 5)
    fitted = fit_text(
        overlay.cta.upper() if len(overlay.cta) <= 24 else overlay.cta,
        region.inset(pad_x, pad_y),
        family=overlay.font_family,
        bold=True,
        max_size=region.height,
        min_size=12,
        max_lines=1,
    )
    if not fitted.lines:
        return None
    w = min(region.width, fitted.width + 2 * pad_x)
    h = min(region.height, fitted.height + 2 * pad_y)
    left = region.left if landscape else region.left + (region.width - w) // 2
    top = region.top + (region.height - h) // 2
    shape = Box(left=left, top=top, right=left + w, bottom=top + h)
    draw.rounded_rectangle(shape.as_tuple(), radius=h // 2, fill=button)
    colour = legible_on(button, [c for c in palette if c != button])
    draw_fitted(draw, fitted, shape.inset(pad_x, pad_y), colour)
    return text_element("cta", fitted, shape, colour, text=fitted.lines[0])


def compose(
    image: Image.Image, ratio: str | Ratio, overlay: Overlay, plan: LayoutPlan | None = None
) -> tuple[Image.Image, Layout]:
    """Draw ``overlay`` on a copy of ``image`` (already at its final size) inside the safe zone.

    Raises :class:`MediaInputError` (field ``"logo"``) for undecodable logo bytes.
    """
    r = parse_ratio(ratio)
    logo_img = load_image(overlay.logo, "logo") if overlay.logo is not None else None
    plan = plan or plan_layout(
        r, image.size, has_logo=logo_img is not None, has_cta=bool(overlay.cta.strip())
    )
    canvas = image.convert("RGBA")
    layout = Layout(width=canvas.width, height=canvas.height, ratio=r, safe_zone=plan.safe)
    if logo_img is not None and plan.logo is not None:
        placed = paste_contained(canvas, logo_img, plan.logo)
        layout.elements.append(LayoutElement(kind="logo", box=placed))
    draw = ImageDraw.Draw(canvas)
    for element in (
        _headline(canvas, draw, overlay, plan.headline, plan.landscape),
        _cta(canvas, draw, overlay, plan.cta, plan.landscape) if plan.cta else None,
    ):
        if element is not None:
            layout.elements.append(element)
            draw = ImageDraw.Draw(canvas)  # a scrim composite replaced the pixel buffer
    return canvas.convert("RGB"), layout

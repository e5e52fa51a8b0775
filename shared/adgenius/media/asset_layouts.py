"""Creatives made from the brand's own pictures: four layouts, every ratio, nothing cut.

- `hero`: the product photo fills the canvas; the product sits in the picture region of the
  safe zone, text above/beside it.
- `split`: the photo on one side (bottom in portrait, right in landscape), a brand-colour panel
  with the text on the other.
- `frame`: the photo, bordered, on a brand-colour background.
- `panel`: a lifestyle photo full-bleed, the text on a solid panel.

The crop is solved, not guessed: `place_photo` picks the zoom and offset so the photo covers its
region while the subject box (from `saliency.subject_box`) lands whole inside the region kept
for the product; when the photo cannot both cover and keep the subject, it is padded with its
own backdrop colour instead of cutting the product. Text contrast is measured on the pixels
under each text box and fixed (a panel behind the text) until it reaches WCAG 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from adgenius.media.colors import RGB, contrast_ratio, mix, relative_luminance
from adgenius.media.compositor import Layout, LayoutElement, plan_layout, text_element
from adgenius.media.imaging import paste_contained
from adgenius.media.ratios import Box, Ratio, parse_ratio, size_of
from adgenius.media.saliency import FULL, FracBox
from adgenius.media.typography import draw_fitted, fit_text

MIN_CONTRAST = 4.5


class AssetLayout(StrEnum):
    HERO = "hero"
    SPLIT = "split"
    FRAME = "frame"
    PANEL = "panel"


PRODUCT_LAYOUTS = (AssetLayout.HERO, AssetLayout.SPLIT, AssetLayout.FRAME)


@dataclass
class Picture:
    image: Image.Image
    subject: FracBox = FULL


@dataclass
class LogoChoice:
    image: Image.Image
    asset_id: str | None = None


def backdrop_colour(image: Image.Image) -> RGB:
    """The median colour of the picture's border (what padding should look like)."""
    rgb = np.asarray(image.convert("RGB").resize((64, 64)), dtype=np.uint8)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    r, g, b = (int(v) for v in np.median(border, axis=0))
    return (r, g, b)


def _interval(lo: float, hi: float, want_lo: float, want_hi: float) -> float:
    """A crop origin inside [want_lo, want_hi] (required: the subject stays in its box), as
    close as possible to the centre of [lo, hi] (preferred: the crop stays inside the photo;
    when the crop is larger than the photo, lo > hi and the centre centres the photo)."""
    centre = (lo + hi) / 2
    if lo <= hi:
        a, b = max(lo, want_lo), min(hi, want_hi)
        if a <= b:
            return min(max(centre, a), b)
    return min(max(centre, want_lo), want_hi)


def place_photo(
    canvas: Image.Image, picture: Picture, region: Box, keep: Box | None, zoom: float = 1.0
) -> Box | None:
    """Fill `region` with the photo so its subject lands whole inside `keep` (a sub-box of
    `region`); returns the subject's box on the canvas (None when `keep` is None: a plain
    cover crop of a busy picture). `zoom` > 1 fills `keep` more when the photo allows."""
    image = picture.image if picture.image.mode == "RGB" else picture.image.convert("RGB")
    if keep is not None:
        keep = keep.inset(2)  # rounding to whole pixels must not push the product out
    iw, ih = image.size
    rw, rh = region.width, region.height
    cover = max(rw / iw, rh / ih)
    if keep is None:
        scale = cover
        sl = st = 0.0
        sr, sb = float(iw), float(ih)
    else:
        sl, st, sr, sb = (float(v) for v in picture.subject.pixels((iw, ih)))
        sw, sh = max(1.0, sr - sl), max(1.0, sb - st)
        fit = min(keep.width / sw, keep.height / sh)
        scale = min(fit, max(cover, fit * min(1.0, 0.72 * zoom)))
    crop_w, crop_h = rw / scale, rh / scale
    if keep is None:
        ox, oy = (iw - crop_w) / 2, (ih - crop_h) / 2
    else:
        # The subject's left edge must map at or after keep.left, its right edge at or before
        # keep.right: an interval of crop origins; prefer one that stays inside the photo.
        kl, kr = (keep.left - region.left) / scale, (keep.right - region.left) / scale
        kt, kb = (keep.top - region.top) / scale, (keep.bottom - region.top) / scale
        ox = _interval(0.0, iw - crop_w, sr - kr, sl - kl)
        oy = _interval(0.0, ih - crop_h, sb - kb, st - kt)
    # Underlay: the whole photo stretched over the region and blurred, so padding around a
    # product on a plain backdrop continues that backdrop instead of showing a seam.
    # The subject is painted out first so it does not leave a ghost in the padding.
    factor = max(1, min(iw, ih) // 64)
    underlay = image.reduce(factor)
    if keep is not None:
        ImageDraw.Draw(underlay).rectangle(
            (sl / factor, st / factor, sr / factor, sb / factor), fill=backdrop_colour(underlay)
        )
    tile = underlay.resize((max(1, rw // 8), max(1, rh // 8)), Image.Resampling.BILINEAR)
    tile = tile.filter(ImageFilter.GaussianBlur(3)).resize((rw, rh), Image.Resampling.BILINEAR)
    # The part of the crop that exists in the photo; the rest stays backdrop colour.
    src = (max(0.0, ox), max(0.0, oy), min(float(iw), ox + crop_w), min(float(ih), oy + crop_h))
    if src[2] - src[0] >= 1 and src[3] - src[1] >= 1:
        dst_l, dst_t = round((src[0] - ox) * scale), round((src[1] - oy) * scale)
        dst_w = max(1, min(rw - dst_l, round((src[2] - src[0]) * scale)))
        dst_h = max(1, min(rh - dst_t, round((src[3] - src[1]) * scale)))
        part = image.resize((dst_w, dst_h), Image.Resampling.BICUBIC, box=src, reducing_gap=2.0)
        tile.paste(part, (dst_l, dst_t), _feather(part.size, (dst_l, dst_t), (rw, rh)))
    canvas.paste(tile, (region.left, region.top))
    if keep is None:
        return None
    return Box(
        left=region.left + int((sl - ox) * scale),
        top=region.top + int((st - oy) * scale),
        right=region.left + int(np.ceil((sr - ox) * scale)),
        bottom=region.top + int(np.ceil((sb - oy) * scale)),
    )


def _feather(size: tuple[int, int], at: tuple[int, int], region: tuple[int, int]) -> Image.Image:
    """A mask that fades the photo's edges that end inside the region (not at its border)."""
    w, h = size
    mask = np.ones((h, w), dtype=np.float32)
    ramp = max(2, min(w, h) // 12)
    fade = np.linspace(0.0, 1.0, ramp, dtype=np.float32)
    if at[0] > 0:
        mask[:, :ramp] *= fade[None, : min(ramp, w)]
    if at[0] + w < region[0]:
        mask[:, -ramp:] *= fade[::-1][None, : min(ramp, w)]
    if at[1] > 0:
        mask[:ramp, :] *= fade[: min(ramp, h), None]
    if at[1] + h < region[1]:
        mask[-ramp:, :] *= fade[::-1][: min(ramp, h), None]
    return Image.fromarray((mask * 255).astype(np.uint8))


def _luminance_map(image: Image.Image, box: Box) -> np.ndarray:
    """WCAG relative luminance of every other pixel under `box` (half resolution is plenty to
    find the light or dark patches that would swallow letters several pixels wide)."""
    region = image.crop(box.as_tuple())
    if region.width > 8 and region.height > 8:
        region = region.reduce(2)
    srgb = np.asarray(region.convert("RGB"), dtype=np.float32) / 255.0
    linear = np.where(srgb <= 0.03928, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    return np.asarray(linear @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32))


def _worst_ratio(lum: np.ndarray, colour: RGB) -> float:
    text = relative_luminance(colour)
    ratios = (np.maximum(lum, text) + 0.05) / (np.minimum(lum, text) + 0.05)
    # 2nd percentile, so a lone stray pixel does not count.
    return float(np.percentile(ratios, 2)) if ratios.size else 21.0


def min_contrast(image: Image.Image, box: Box, colour: RGB) -> float:
    """The worst WCAG contrast between `colour` and the pixels under `box`."""
    return _worst_ratio(_luminance_map(image, box), colour)


def _best_ink(image: Image.Image, box: Box, palette: list[RGB]) -> tuple[RGB, float]:
    lum = _luminance_map(image, box)
    candidates = [*palette, (255, 255, 255), (0, 0, 0)]
    scored = [(c, _worst_ratio(lum, c)) for c in candidates]
    # Prefer a brand colour when it is legible; else the most legible of all.
    for colour, ratio in scored[: len(palette)]:
        if ratio >= MIN_CONTRAST:
            return colour, ratio
    return max(scored, key=lambda s: s[1])


def _panel(canvas: Image.Image, box: Box, colour: RGB, radius: int) -> None:
    ImageDraw.Draw(canvas).rounded_rectangle(box.as_tuple(), radius=radius, fill=colour)


def _text(
    canvas: Image.Image,
    text: str,
    region: Box,
    palette: list[RGB],
    *,
    kind: str,
    family: str,
    align: str,
    max_size: int,
    min_size: int,
    max_lines: int,
    panel: RGB,
) -> LayoutElement | None:
    if not text.strip():
        return None
    pad = max(10, min(region.height, region.width) // 12)
    inner = region.inset(pad)
    if inner.width < 20 or inner.height < 12:
        return None
    fitted = fit_text(
        text,
        inner,
        family=family,
        bold=True,
        max_size=max_size,
        min_size=min_size,
        max_lines=max_lines,
        align=align,
    )
    if not fitted.lines:
        return None
    # Where the ink will go, plus a margin: the pixels the reader's eye compares with the text.
    w, h = fitted.width, fitted.height
    left = inner.left if align == "left" else inner.left + (inner.width - w) // 2
    top = inner.top + (inner.height - h) // 2
    around = Box(
        left=max(region.left, left - pad // 2),
        top=max(region.top, top - pad // 2),
        right=min(region.right, left + w + pad // 2),
        bottom=min(region.bottom, top + h + pad // 2),
    )
    colour, ratio = _best_ink(canvas, around, palette)
    if ratio < MIN_CONTRAST:
        # Not legible on the picture: a solid panel in the brand colour that is legible.
        _panel(canvas, around, panel, radius=max(6, pad // 2))
        colour, ratio = _best_ink(canvas, around, palette)
    draw = ImageDraw.Draw(canvas)
    box = draw_fitted(draw, fitted, inner, colour)
    return text_element(kind, fitted, box, colour)  # type: ignore[arg-type]


def _cta(
    canvas: Image.Image, text: str, region: Box, palette: list[RGB], family: str, align: str
) -> LayoutElement | None:
    if not text.strip():
        return None
    pad_x, pad_y = max(12, region.height // 3), max(6, region.height // 5)
    fitted = fit_text(
        text.upper() if len(text) <= 24 else text,
        region.inset(pad_x, pad_y),
        family=family,
        bold=True,
        max_size=region.height,
        min_size=12,
        max_lines=1,
    )
    if not fitted.lines:
        return None
    w = min(region.width, fitted.width + 2 * pad_x)
    h = min(region.height, fitted.height + 2 * pad_y)
    left = region.left if align == "left" else region.left + (region.width - w) // 2
    top = region.top + (region.height - h) // 2
    shape = Box(left=left, top=top, right=left + w, bottom=top + h)
    under = tuple(int(v) for v in np.asarray(canvas.crop(shape.as_tuple())).reshape(-1, 3).mean(0))
    button = max(palette, key=lambda c: contrast_ratio(c, under))  # type: ignore[arg-type]
    ImageDraw.Draw(canvas).rounded_rectangle(shape.as_tuple(), radius=h // 2, fill=button)
    ink = max([*palette, (255, 255, 255), (0, 0, 0)], key=lambda c: contrast_ratio(c, button))
    draw_fitted(ImageDraw.Draw(canvas), fitted, shape.inset(pad_x, pad_y), ink)
    return text_element("cta", fitted, shape, ink, text=fitted.lines[0])


def choose_logo(canvas: Image.Image, region: Box, logos: list[LogoChoice]) -> LogoChoice | None:
    """The logo whose ink differs most in luminance from what lies under it."""
    if not logos:
        return None
    under = float(_luminance_map(canvas, region).mean())

    def ink(choice: LogoChoice) -> float:
        rgba = choice.image.convert("RGBA").resize((48, 48))
        array = np.asarray(rgba, dtype=np.float64) / 255.0
        alpha = array[..., 3]
        lum = array[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
        return float((lum * alpha).sum() / max(alpha.sum(), 1e-6))

    return max(logos, key=lambda c: abs(ink(c) - under))


@dataclass
class AssetRender:
    image: Image.Image
    layout: Layout
    logo_asset_id: str | None


def render_asset_layout(
    kind: AssetLayout,
    ratio: str | Ratio,
    *,
    headline: str,
    cta: str,
    palette: list[RGB],
    picture: Picture,
    logos: list[LogoChoice] | None = None,
    font_family: str = "sans",
) -> AssetRender:
    """One creative from a brand photo, at the exact size of `ratio`."""
    r = parse_ratio(ratio)
    size = size_of(r)
    logos = logos or []
    plan = plan_layout(r, size, has_logo=bool(logos), has_cta=bool(cta.strip()), keep_visual=True)
    gap = max(8, round(min(size) * 0.02))
    brand = palette[0]
    light = mix(palette[1] if len(palette) > 1 else (255, 255, 255), (255, 255, 255), 0.3)
    canvas = Image.new("RGB", size, light)
    keep = plan.visual
    product: Box | None
    if kind is AssetLayout.HERO:
        product = place_photo(
            canvas, picture, Box(left=0, top=0, right=size[0], bottom=size[1]), keep, zoom=1.3
        )
    elif kind is AssetLayout.SPLIT:
        canvas.paste(brand, (0, 0, *size))
        if plan.landscape:
            region = Box(left=keep.left - gap // 2, top=0, right=size[0], bottom=size[1])
        else:
            region = Box(left=0, top=keep.top - gap // 2, right=size[0], bottom=size[1])
        product = place_photo(canvas, picture, region, keep.inset(0, 0), zoom=1.2)
    elif kind is AssetLayout.FRAME:
        canvas.paste(brand, (0, 0, *size))
        border = max(6, gap // 2)
        frame = keep.inset(gap // 2)
        ImageDraw.Draw(canvas).rectangle(frame.as_tuple(), fill=light)
        photo = frame.inset(border)
        product = place_photo(canvas, picture, photo, photo.inset(border), zoom=1.0)
    else:  # PANEL: a busy lifestyle picture; the text sits on panels
        product = None  # the scene is the background; there is no product box to keep
        place_photo(canvas, picture, Box(left=0, top=0, right=size[0], bottom=size[1]), None)
    layout = Layout(width=size[0], height=size[1], ratio=r, safe_zone=plan.safe)
    if product is not None:
        layout.elements.append(LayoutElement(kind="product", box=product))
    logo_id = None
    if plan.logo is not None:
        chosen = choose_logo(canvas, plan.logo, logos)
        if chosen is not None:
            rgba = canvas.convert("RGBA")
            placed = paste_contained(rgba, chosen.image, plan.logo)
            canvas = rgba.convert("RGB")
            layout.elements.append(LayoutElement(kind="logo", box=placed))
            logo_id = chosen.asset_id
    align = "left" if plan.landscape else "center"
    panel_colour = brand if kind is not AssetLayout.HERO else light
    headline_el = _text(
        canvas,
        headline,
        plan.headline,
        palette,
        kind="headline",
        family=font_family,
        align=align,
        max_size=round(min(size) * 0.1),
        min_size=max(16, round(min(size) * 0.04)),
        max_lines=4,
        panel=panel_colour,
    )
    if headline_el is not None:
        layout.elements.append(headline_el)
    if plan.cta is not None:
        cta_el = _cta(canvas, cta, plan.cta, palette, font_family, align)
        if cta_el is not None:
            layout.elements.append(cta_el)
    return AssetRender(image=canvas, layout=layout, logo_asset_id=logo_id)


def scene_still(picture: Picture, ratio: str | Ratio, motion_room: float = 0.12) -> Image.Image:
    """A text-free video scene from a brand photo, at the exact size of `ratio`.

    The local video engine pans or zooms up to `motion_room` of the frame and draws captions in
    the bottom quarter of the safe zone, so the subject is kept inside the safe zone, away from
    the edges the motion crops and above the caption band."""
    r = parse_ratio(ratio)
    size = size_of(r)
    safe = plan_layout(r, size, has_logo=False, has_cta=False).safe
    dx = round(size[0] * motion_room)
    keep = Box(
        left=safe.left + dx,
        top=safe.top + round(safe.height * 0.05),
        right=safe.right - dx,
        bottom=safe.bottom - round(safe.height * 0.28),
    )
    canvas = Image.new("RGB", size)
    place_photo(canvas, picture, Box(left=0, top=0, right=size[0], bottom=size[1]), keep)
    return canvas

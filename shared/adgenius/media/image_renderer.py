"""The local image engine: a deterministic Pillow renderer of complete ad creatives.

`render_image(spec)` draws a seeded background in the brand palette, the product picture when
given, then the brand overlay (headline, CTA, logo) inside the safe zone, at the exact size of
the ratio. The same spec always gives the same bytes on one machine.

`LocalImageModel` wraps it as an `ImageModel`, so the pipeline can swap it for Imagen: like
Imagen, it returns a picture without text unless asked, and the compositor adds the brand.
"""

from __future__ import annotations

import hashlib
import time

from pydantic import BaseModel, ConfigDict, Field, field_validator

from adgenius.media.asset_layouts import AssetLayout, LogoChoice, Picture, render_asset_layout
from adgenius.media.backgrounds import BackgroundStyle, render_background
from adgenius.media.colors import parse_hex
from adgenius.media.compositor import (
    DEFAULT_PALETTE,
    Layout,
    LayoutElement,
    Overlay,
    compose,
    plan_layout,
)
from adgenius.media.imaging import ImageFormat, encode_image, load_image, mime_type, paste_contained
from adgenius.media.ratios import IMAGE_RATIOS, Ratio, parse_ratio, size_of
from adgenius.media.saliency import FracBox
from adgenius.models.base import ImageResult, Outcome, Usage

ENGINE = "local"
MODEL_NAME = "adgenius-pillow-v1"


class ImageSpec(BaseModel):
    """Everything the local engine needs for one creative."""

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    headline: str = Field(default="", max_length=300)
    cta: str = Field(default="", max_length=60)
    palette: list[str] = Field(default_factory=lambda: list(DEFAULT_PALETTE), min_length=1)
    style: BackgroundStyle = BackgroundStyle.GRADIENT
    ratio: Ratio = Ratio.SQUARE
    seed: int = 0
    logo: bytes | None = None
    product: bytes | None = None
    font_family: str = "sans"
    format: ImageFormat = "png"
    # The brand's own photo and how to lay it out (see asset_layouts); with these the renderer
    # makes the creative from the photo instead of a generated background.
    asset_layout: AssetLayout | None = None
    photo: bytes | None = None
    photo_subject: list[float] | None = None
    logos: list[bytes] = Field(default_factory=list, max_length=8)

    @field_validator("ratio", mode="before")
    @classmethod
    def _ratio(cls, value: object) -> Ratio:
        return parse_ratio(value)  # type: ignore[arg-type]

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: list[str]) -> list[str]:
        for colour in value:
            parse_hex(colour)
        return value

    def overlay(self) -> Overlay:
        return Overlay(
            headline=self.headline,
            cta=self.cta,
            logo=self.logo,
            palette=self.palette,
            font_family=self.font_family,
            # Flat local backgrounds need no panel; photo and shape backgrounds may.
            scrim="never"
            if self.style in (BackgroundStyle.SOLID, BackgroundStyle.GRADIENT)
            else "auto",
        )


class RenderedImage(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    data: bytes
    mime_type: str
    width: int
    height: int
    layout: Layout
    logo_index: int | None = None  # which of `spec.logos` was drawn (the contrasting one)


def _render_from_photo(spec: ImageSpec) -> RenderedImage:
    assert spec.asset_layout is not None and spec.photo is not None
    overlay = spec.overlay()
    logos = [LogoChoice(load_image(data, "logos"), str(i)) for i, data in enumerate(spec.logos)]
    if not logos and spec.logo is not None:
        logos = [LogoChoice(load_image(spec.logo, "logo"), None)]
    out = render_asset_layout(
        spec.asset_layout,
        spec.ratio,
        headline=spec.headline,
        cta=spec.cta,
        palette=overlay.rgb_palette(),
        picture=Picture(
            load_image(spec.photo, "photo", "RGB"), FracBox.from_list(spec.photo_subject)
        ),
        logos=logos,
        font_family=spec.font_family,
    )
    return RenderedImage(
        data=encode_image(out.image, spec.format),
        mime_type=mime_type(spec.format),
        width=out.image.width,
        height=out.image.height,
        layout=out.layout,
        logo_index=int(out.logo_asset_id) if out.logo_asset_id is not None else None,
    )


def render_image(spec: ImageSpec) -> RenderedImage:
    """Render one creative; raises `MediaInputError` naming ``logo``/``product`` for bad bytes."""
    if spec.asset_layout is not None and spec.photo is not None:
        return _render_from_photo(spec)
    size = size_of(spec.ratio)
    overlay = spec.overlay()
    product = load_image(spec.product, "product") if spec.product is not None else None
    palette = overlay.rgb_palette()
    background = render_background(spec.style, size, palette, spec.seed, product)
    plan = plan_layout(
        spec.ratio,
        size,
        has_logo=spec.logo is not None,
        has_cta=bool(spec.cta.strip()),
        # A product or a shape pattern is worth showing; a flat colour or gradient is not.
        keep_visual=product is not None or spec.style is BackgroundStyle.SHAPES,
    )
    placed = None
    if product is not None and plan.visual.height > 16 and plan.visual.width > 16:
        canvas = background.convert("RGBA")
        placed = paste_contained(canvas, product, plan.visual.inset(8), shadow=True)
        background = canvas.convert("RGB")
    image, layout = compose(background, spec.ratio, overlay, plan)
    if placed is not None:
        layout.elements.insert(0, LayoutElement(kind="product", box=placed))
    return RenderedImage(
        data=encode_image(image, spec.format),
        mime_type=mime_type(spec.format),
        width=image.width,
        height=image.height,
        layout=layout,
    )


def render_all_ratios(
    spec: ImageSpec, ratios: tuple[Ratio, ...] = IMAGE_RATIOS
) -> dict[Ratio, RenderedImage]:
    """The same creative laid out natively for each ratio (sharper than reframing one render)."""
    return {r: render_image(spec.model_copy(update={"ratio": r})) for r in ratios}


_COLOUR_WORDS = {
    "red": "#d93025",
    "orange": "#f29900",
    "yellow": "#fbbc04",
    "green": "#188038",
    "teal": "#129eaf",
    "blue": "#1a73e8",
    "navy": "#174ea6",
    "purple": "#8430ce",
    "pink": "#e52592",
    "black": "#202124",
    "white": "#ffffff",
    "grey": "#80868b",
    "gray": "#80868b",
    "gold": "#c5a000",
    "brown": "#7b4a2a",
    "beige": "#e8dcc4",
}
_PALETTES = [
    ["#1a73e8", "#e8f0fe", "#fbbc04"],
    ["#0b3d2e", "#d8f3dc", "#ff8c42"],
    ["#2d1e2f", "#f7c1bb", "#e54b4b"],
    ["#102a43", "#f0f4f8", "#f0b429"],
    ["#3c096c", "#e0aaff", "#ff9e00"],
    ["#9c2c13", "#fff1e6", "#264653"],
]


def palette_from_prompt(prompt: str) -> list[str]:
    """Colours named in the prompt, else a curated palette picked by the prompt's hash."""
    words = [w.strip(".,;:!?()").lower() for w in prompt.split()]
    named = list(dict.fromkeys(_COLOUR_WORDS[w] for w in words if w in _COLOUR_WORDS))
    if len(named) >= 2:
        return named[:3]
    digest = int(hashlib.sha256(prompt.encode()).hexdigest(), 16)
    base = _PALETTES[digest % len(_PALETTES)]
    return [*named, *base][:3] if named else base


class LocalImageModel:
    """`ImageModel` backed by :func:`render_image`.

    ``hints`` carries brand inputs the prompt cannot (palette, logo, product, style, font).
    With ``with_text=False`` (default) the result is a background like Imagen's, ready for the
    compositor; with True the hints' headline and CTA are drawn as well.
    """

    def __init__(self, hints: ImageSpec | None = None, *, with_text: bool = False) -> None:
        self._hints = hints
        self._with_text = with_text

    def generate(
        self, prompt: str, *, aspect_ratio: str = "1:1", count: int = 1, seed: int | None = None
    ) -> ImageResult:
        started = time.perf_counter()
        base_seed = (
            seed if seed is not None else int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16)
        )
        styles = [BackgroundStyle.GRADIENT, BackgroundStyle.SHAPES, BackgroundStyle.SPLIT]
        images: list[bytes] = []
        mime = "image/png"
        for i in range(max(1, count)):
            if self._hints is not None:
                spec = self._hints.model_copy(
                    update={"ratio": parse_ratio(aspect_ratio), "seed": base_seed + i}
                )
            else:
                spec = ImageSpec(
                    palette=palette_from_prompt(prompt),
                    ratio=parse_ratio(aspect_ratio),
                    seed=base_seed + i,
                    style=styles[(base_seed + i) % len(styles)],
                )
            if not self._with_text:
                spec = spec.model_copy(update={"headline": "", "cta": "", "logo": None})
            rendered = render_image(spec)
            images.append(rendered.data)
            mime = rendered.mime_type
        return ImageResult(
            outcome=Outcome.OK,
            images=images,
            mime_type=mime,
            usage=Usage(
                model=MODEL_NAME,
                engine=ENGINE,
                images=len(images),
                latency_ms=(time.perf_counter() - started) * 1000,
            ),
        )

"""Which of the brand's own pictures an image creative is made from.

The message (headline, description, prompt) is matched with each photo's tags and caption by
token overlap; ties rotate with the item's seed so a set of images does not repeat one photo.
Product shots get the product layouts (hero, split, frame by seed), lifestyle photos the text
panel. Every logo asset goes to the renderer, which draws the one that contrasts with what is
under it. An asset whose licence has ended is never chosen, even if the job's context was read
before it expired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import regex

from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.media.asset_layouts import PRODUCT_LAYOUTS, AssetLayout
from adgenius.pipeline.context import JobContext

_WORD = regex.compile(r"\p{L}[\p{L}\p{N}'-]*")
_STOP = {"the", "a", "an", "and", "or", "of", "to", "for", "with", "your", "our", "in", "on"}


def tokens(text: str) -> set[str]:
    words = {w.lower().strip("'-") for w in _WORD.findall(text)}
    # A crude stem: "mugs" matches "mug".
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _STOP}


@dataclass
class PictureChoice:
    photo: BrandAsset
    layout: AssetLayout
    logos: list[BrandAsset] = field(default_factory=list)


def choose_picture(
    ctx: JobContext, message: str, seed: int, today: date | None = None
) -> PictureChoice | None:
    day = today or date.today()
    usable = [a for a in ctx.brand_assets() if a.usable_on(day)]
    photos = [a for a in usable if a.kind in (AssetKind.PRODUCT, AssetKind.LIFESTYLE)]
    if not photos:
        return None
    wanted = tokens(message)

    def score(pair: tuple[int, BrandAsset]) -> tuple[int, int, int]:
        index, asset = pair
        overlap = len(wanted & tokens(" ".join([*asset.tags, asset.caption])))
        # Products first (the issue: every image should show the product), then rotation.
        return (-overlap, 0 if asset.kind is AssetKind.PRODUCT else 1, (index - seed) % len(photos))

    _, photo = min(enumerate(photos), key=score)
    layout = (
        PRODUCT_LAYOUTS[seed % len(PRODUCT_LAYOUTS)]
        if photo.kind is AssetKind.PRODUCT
        else AssetLayout.PANEL
    )
    logos = [a for a in usable if a.kind is AssetKind.LOGO][:8]
    return PictureChoice(photo=photo, layout=layout, logos=logos)

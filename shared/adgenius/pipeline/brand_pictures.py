"""Which of the brand's own pictures an image creative is made from.

Locally the message (headline, description, prompt) is matched with each photo's tags and caption
by token overlap. On Vertex the photos themselves are compared with the message: image and text
embeddings of multimodalembedding@001 share one space, so a photo of a red mug matches "our red
mug" even untagged; photos within `EMBEDDING_TIE` of the best count as equally good, and tag
overlap then decides. If the embedding service fails, the tags decide and the choice says so.
Ties rotate with the item's seed so a set of images does not repeat one photo.
Product shots get the product layouts (hero, split, frame by seed), lifestyle photos the text
panel. Every logo asset goes to the renderer, which draws the one that contrasts with what is
under it. An asset whose licence has ended is never chosen, even if the job's context was read
before it expired.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import regex

from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.media.asset_layouts import PRODUCT_LAYOUTS, AssetLayout
from adgenius.models.base import ImageEmbeddingModel
from adgenius.models.errors import ModelError
from adgenius.pipeline.context import JobContext

log = logging.getLogger(__name__)

# Cosine similarity within this of the best photo's counts as a tie (then tags, kind, rotation).
EMBEDDING_TIE = 0.02
# A picture's vector never changes: kept per instance by (asset id, hash, model), bounded.
_VECTORS: dict[tuple[str, str, str], np.ndarray] = {}
_VECTORS_LOCK = threading.Lock()
_MAX_VECTORS = 2048

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
    # How the photo was matched with the message: "tags", "image_embedding:<model>", or
    # "tags (image embeddings failed: ...)".
    matched_by: str = "tags"


def _image_vectors(
    ctx: JobContext, photos: list[BrandAsset], embedder: ImageEmbeddingModel
) -> np.ndarray:
    """Unit vectors of the photos (their thumbnails: the model sees 224-ish pixels anyway)."""
    keys = [(a.id, a.phash or a.storage_path, embedder.name) for a in photos]
    with _VECTORS_LOCK:
        known = {k: _VECTORS[k] for k in keys if k in _VECTORS}
    missing = [(k, a) for k, a in zip(keys, photos, strict=True) if k not in known]
    if missing:
        pictures = [ctx.asset_thumbnail(a) for _, a in missing]
        if any(p is None for p in pictures):
            raise FileNotFoundError("a picture's file is missing")
        rows = embedder.embed_images([p for p in pictures if p is not None])
        with _VECTORS_LOCK:
            if len(_VECTORS) > _MAX_VECTORS:
                _VECTORS.clear()
            for (key, _), row in zip(missing, rows, strict=True):
                _VECTORS[key] = known[key] = np.asarray(row, dtype=np.float32)
    return np.stack([known[k] for k in keys])


def _similarities(
    ctx: JobContext, photos: list[BrandAsset], message: str, embedder: ImageEmbeddingModel
) -> tuple[list[float] | None, str]:
    try:
        images = _image_vectors(ctx, photos, embedder)
        text = np.asarray(embedder.embed_texts([message]), dtype=np.float32)[0]
    except (ModelError, FileNotFoundError) as exc:
        log.warning("image embeddings failed; choosing the brand photo by tags: %s", exc)
        return None, f"tags (image embeddings failed: {str(exc)[:200]})"
    return [float(v) for v in images @ text], f"image_embedding:{embedder.name}"


def choose_picture(
    ctx: JobContext,
    message: str,
    seed: int,
    today: date | None = None,
    embedder: ImageEmbeddingModel | None = None,
) -> PictureChoice | None:
    day = today or date.today()
    usable = [a for a in ctx.brand_assets() if a.usable_on(day)]
    photos = [a for a in usable if a.kind in (AssetKind.PRODUCT, AssetKind.LIFESTYLE)]
    if not photos:
        return None
    wanted = tokens(message)
    matched_by = "tags"
    close = [1] * len(photos)  # 1: as good a picture of the message as any (by embeddings)
    if embedder is not None and len(photos) > 1 and message.strip():
        sims, matched_by = _similarities(ctx, photos, message, embedder)
        if sims is not None:
            best = max(sims)
            close = [1 if s >= best - EMBEDDING_TIE else 0 for s in sims]

    def score(pair: tuple[int, BrandAsset]) -> tuple[int, int, int, int]:
        index, asset = pair
        overlap = len(wanted & tokens(" ".join([*asset.tags, asset.caption])))
        # Products first (the issue: every image should show the product), then rotation.
        return (
            -close[index],
            -overlap,
            0 if asset.kind is AssetKind.PRODUCT else 1,
            (index - seed) % len(photos),
        )

    _, photo = min(enumerate(photos), key=score)
    layout = (
        PRODUCT_LAYOUTS[seed % len(PRODUCT_LAYOUTS)]
        if photo.kind is AssetKind.PRODUCT
        else AssetLayout.PANEL
    )
    logos = [a for a in usable if a.kind is AssetKind.LOGO][:8]
    return PictureChoice(photo=photo, layout=layout, logos=logos, matched_by=matched_by)

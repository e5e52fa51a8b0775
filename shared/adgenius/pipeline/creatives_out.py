"""The pipeline's creatives and assets: deterministic ids, created once.

An item's creative is created in the same commit that records the item's outcome (see
`store.item_finished`): a redelivered task finds the outcome recorded and creates nothing, so a job
of N items always ends with exactly N creatives. The video creative, made by assembly, is created
on its own and a repeated assembly finds it there (AlreadyExists).
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from google.api_core import exceptions as gexc
from PIL import Image

from adgenius.analytics.attributes import copy_attributes, media_attributes
from adgenius.domain.brief import Platform
from adgenius.domain.creatives import (
    Asset,
    Creative,
    CreativeKind,
    CreativeStatus,
    creative_documents,
    save_creative_with_assets,
)
from adgenius.generation.copy_service import CopyResult
from adgenius.pipeline import store
from adgenius.pipeline.context import JobContext
from adgenius.pipeline.model import Item, Job
from adgenius.tenancy.store import now


def creative_id(job: Job, item: Item) -> str:
    return f"{job.id}-{item.id}"


def _visual_platform(ctx: JobContext) -> str:
    platforms = [Platform(p).value for p in ctx.campaign.platforms]
    for preferred in (Platform.GOOGLE_PMAX.value, Platform.META.value):
        if preferred in platforms:
            return preferred
    return platforms[0] if platforms else Platform.META.value


def _save_once(creative: Creative, assets: list[Asset]) -> None:
    """Creative and assets in one atomic create: a redelivered task finds them all there."""
    with contextlib.suppress(gexc.AlreadyExists):
        save_creative_with_assets(creative, assets)


def _base(job: Job, ctx: JobContext, cid: str, kind: CreativeKind, **fields: Any) -> Creative:
    stamp = now()
    return Creative(
        id=cid,
        tenant_id=job.tenant_id,
        brand_id=ctx.brand.id,
        campaign_id=ctx.campaign.id,
        kind=kind,
        status=CreativeStatus.DRAFT,
        job_id=job.id,
        created_at=stamp,
        updated_at=stamp,
        **fields,
    )


def image_creative_documents(
    job: Job,
    item: Item,
    ctx: JobContext,
    cid: str,
    path: str,
    data: bytes,
    engine: dict[str, str],
    brand_asset_ids: list[str] | None = None,
    picture: dict[str, Any] | None = None,
    visual: dict[str, Any] | None = None,
) -> store.Documents:
    width, height = Image.open(io.BytesIO(data)).size
    spec = item.spec
    content: dict[str, Any] = {
        "headline": spec["headline"],
        "cta": spec["cta"],
        "description": spec["description"],
        "prompt": spec["prompt"],
        "variant": spec["variant"],
        "ratio": item.ratio,
        "style": spec["style"],
        "seed": spec["seed"],
    }
    if visual:
        # What was rendered: the logo's place, the photo's subject, people or not.
        content["visual"] = visual
    # What the renderer was asked for and drew (style, ratio, the copy, the visual), for insights.
    content["attributes"] = media_attributes(content)
    # The brand's own pictures this image was made from (the gallery filters on it).
    content["brand_asset_ids"] = brand_asset_ids or []
    if picture is not None:
        # How that photo was used: recontext (with the model), or the photo itself in a layout
        # (locally, for lifestyle shots, or as the fallback when the model refused, with why).
        content["picture"] = picture
    creative = _base(
        job,
        ctx,
        cid,
        CreativeKind.IMAGE,
        platform=_visual_platform(ctx),
        content=content,
        engine=engine["engine"],
        model=engine["model"],
        prompt_version=spec["prompt_version"],
    )
    asset = Asset(
        id=f"{cid}-{item.id}",
        tenant_id=job.tenant_id,
        creative_id=cid,
        brand_id=ctx.brand.id,
        kind=CreativeKind.IMAGE,
        ratio=item.ratio,
        width=width,
        height=height,
        storage_path=path,
        content_type="image/png",
        bytes=len(data),
    )
    return creative_documents(creative, [asset])


def copy_creative_documents(
    job: Job,
    item: Item,
    ctx: JobContext,
    cid: str,
    result: CopyResult,
    grounding: dict[str, Any] | None = None,
) -> store.Documents:
    best = result.best
    assert best is not None and best.copy_set is not None
    creative = _base(
        job,
        ctx,
        cid,
        CreativeKind.COPY,
        platform=result.platform.value,
        content={
            **best.copy_set.model_dump(mode="json", exclude={"platform"}),
            "language": item.spec["language"],
            "audience": item.spec.get("audience"),
            "compliant": best.compliant,
            "violations": [v.model_dump(mode="json") for v in best.violations],
            "grounding": grounding or {},
            "attributes": copy_attributes(best.copy_set.model_dump(), item.spec["language"]),
            "steering": result.steering,
        },
        engine=result.engine,
        model=result.model,
        prompt_version=result.prompt_version,
        scores=best.score.model_dump(mode="json") if best.score else {},
    )
    return creative_documents(creative, [])


def write_video_creative(
    job: Job,
    ctx: JobContext,
    cid: str,
    renders: list[tuple[str, str, int, int, float, int]],
    content: dict[str, Any],
    engine: dict[str, str],
) -> None:
    """renders: (ratio, storage path, width, height, duration_s, bytes) per requested ratio."""
    creative = _base(
        job,
        ctx,
        cid,
        CreativeKind.VIDEO,
        platform=_visual_platform(ctx),
        content=content,
        engine=engine["engine"],
        model=engine["model"],
        prompt_version=engine.get("prompt_version"),
    )
    assets = [
        Asset(
            id=f"{cid}-{ratio.replace(':', 'x').replace('.', '_')}",
            tenant_id=job.tenant_id,
            creative_id=cid,
            brand_id=ctx.brand.id,
            kind=CreativeKind.VIDEO,
            ratio=ratio,
            width=w,
            height=h,
            duration_s=d,
            storage_path=path,
            content_type="video/mp4",
            bytes=n,
        )
        for ratio, path, w, h, d, n in renders
    ]
    _save_once(creative, assets)

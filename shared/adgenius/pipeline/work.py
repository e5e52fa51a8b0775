"""The work of one item: generate, store the media under the tenant's path, write the creative.

Outcomes are typed so the task handler can decide: `Done` (the creative exists), `Pending` (a Veo
operation is running: poll later), or an `ItemFailure` that says whether a retry can help.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain.brand_assets import BrandAsset
from adgenius.domain.brief import Platform
from adgenius.generation import engines
from adgenius.generation.copy_service import generate_copy_set
from adgenius.generation.grounding import grounded_input, grounding_ids
from adgenius.generation.steering_source import campaign_steering
from adgenius.media.asset_layouts import Picture, scene_still
from adgenius.media.compositor import Overlay, compose
from adgenius.media.errors import MediaError
from adgenius.media.image_renderer import ImageSpec
from adgenius.media.imaging import cover, encode_image, load_image
from adgenius.media.ratios import parse_ratio, size_of
from adgenius.media.saliency import FracBox
from adgenius.models.base import Outcome, VideoOperation
from adgenius.models.errors import ModelError, OperationFailedError
from adgenius.pipeline import creatives_out, rendering, store
from adgenius.pipeline.brand_pictures import choose_picture
from adgenius.pipeline.context import JobContext
from adgenius.pipeline.model import Item, Job
from adgenius.settings import Engine


class ItemFailure(Exception):
    def __init__(
        self, reason: str, *, kind: str, retryable: bool, error_type: str | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind  # transient | permanent | safety
        self.retryable = retryable
        # What failed, for the provider-errors metric: the model error's class, or the kind.
        self.error_type = error_type or kind


@dataclass
class Done:
    creative_id: str | None = None
    output_path: str | None = None
    # The creative and asset documents, created in the commit that records the outcome.
    documents: store.Documents = field(default_factory=list)
    brand_asset_ids: list[str] = field(default_factory=list)  # scenes: the photos they show


@dataclass
class Pending:
    operation: str


def _safety(reason: str | None) -> ItemFailure:
    return ItemFailure(
        f"blocked by the model's safety filter: {reason or 'unspecified'}",
        kind="safety",
        retryable=False,
    )


def _from_model_error(exc: ModelError) -> ItemFailure:
    return ItemFailure(
        f"{type(exc).__name__}: {exc}",
        kind="transient" if exc.retryable else "permanent",
        retryable=exc.retryable,
        error_type=type(exc).__name__,
    )


def local_image_plan(item: Item, ctx: JobContext) -> tuple[ImageSpec, list[BrandAsset]]:
    """What the local engine renders for an image item, and the brand assets it may use: a
    brand with photos gets a layout made from one of them (chosen for the message)."""
    spec = ImageSpec(
        headline=item.spec["headline"],
        cta=item.spec["cta"],
        palette=ctx.palette,
        style=item.spec["style"],
        ratio=item.ratio or "1:1",
        seed=item.spec["seed"],
        logo=ctx.logo(),
    )
    message = " ".join(str(item.spec.get(k) or "") for k in ("headline", "description", "prompt"))
    choice = choose_picture(ctx, message, int(item.spec["seed"]))
    photo = ctx.asset_file(choice.photo) if choice is not None else None
    if choice is None or photo is None:
        return spec, []
    logos = [(a, ctx.asset_file(a)) for a in choice.logos]
    present = [(a, data) for a, data in logos if data is not None]
    spec = spec.model_copy(
        update={
            "asset_layout": choice.layout,
            "photo": photo,
            "photo_subject": choice.photo.subject,
            "logos": [data for _, data in present],
        }
    )
    return spec, [choice.photo, *(a for a, _ in present)]


def local_image_spec(item: Item, ctx: JobContext) -> ImageSpec:
    """What the local engine renders for an image item."""
    return local_image_plan(item, ctx)[0]


def _image_bytes(job: Job, item: Item, ctx: JobContext) -> tuple[bytes, dict[str, Any], list[str]]:
    spec = item.spec
    ratio = item.ratio or "1:1"
    if job.engine == Engine.LOCAL.value:
        image_spec, offered = local_image_plan(item, ctx)
        rendered = rendering.render(image_spec)
        used = [offered[0].id] if offered else []
        if rendered.logo_index is not None and len(offered) > 1 + rendered.logo_index:
            used.append(offered[1 + rendered.logo_index].id)
        return rendered.data, {"engine": "local", "model": "adgenius-pillow-v1"}, used
    result = engines.image_model().generate(spec["prompt"], aspect_ratio=ratio, seed=spec["seed"])
    if result.outcome is Outcome.SAFETY_BLOCKED or not result.images:
        raise _safety(result.block_reason)
    # Imagen gives a text-free picture; the brand overlay is ours, inside the safe zone.
    # Decoded like any outside image: sized from its header, within the decode budget.
    background = cover(load_image(result.images[0], "image", "RGB"), size_of(parse_ratio(ratio)))
    overlay = Overlay(
        headline=spec["headline"], cta=spec["cta"], logo=ctx.logo(), palette=ctx.palette
    )
    composed, _ = compose(background, ratio, overlay)
    return encode_image(composed, "png"), {"engine": "vertex", "model": result.usage.model}, []


def run_image(job: Job, item: Item, ctx: JobContext) -> Done:
    data, engine, brand_asset_ids = _image_bytes(job, item, ctx)
    creative_id = creatives_out.creative_id(job, item)
    path = tenant_path(job.tenant_id, "creatives", creative_id, f"{item.id}.png")
    blob_store().put(path, data, "image/png")
    documents = creatives_out.image_creative_documents(
        job, item, ctx, creative_id, path, data, engine, brand_asset_ids
    )
    return Done(creative_id=creative_id, output_path=path, documents=documents)


def _scene_from_brand_photo(item: Item, ctx: JobContext) -> tuple[bytes, str] | None:
    """A still from the brand's own photo chosen for the scene's caption (PNG, asset id)."""
    message = " ".join(str(item.spec.get(k) or "") for k in ("caption", "visual", "prompt"))
    choice = choose_picture(ctx, message, int(item.spec["seed"]))
    if choice is None:
        return None
    data = ctx.asset_file(choice.photo)
    if data is None:
        return None
    picture = Picture(load_image(data, "photo", "RGB"), FracBox.from_list(choice.photo.subject))
    still = scene_still(picture, item.ratio or "9:16")
    return encode_image(still, "png"), choice.photo.id


def run_scene(job: Job, item: Item, ctx: JobContext) -> Done | Pending:
    """A scene: locally a still that assembly animates; with Veo a clip (long-running)."""
    spec = item.spec
    if job.engine == Engine.LOCAL.value:
        path = tenant_path(job.tenant_id, "jobs", job.id, "scenes", f"{item.id}.png")
        from_photo = _scene_from_brand_photo(item, ctx)
        if from_photo is not None:
            blob_store().put(path, from_photo[0], "image/png")
            return Done(output_path=path, brand_asset_ids=[from_photo[1]])
        still = rendering.render(
            ImageSpec(
                headline="",
                cta="",
                palette=ctx.palette,
                style=spec["style"],
                ratio=item.ratio or "9:16",
                seed=spec["seed"],
            )
        )
        blob_store().put(path, still.data, "image/png")
        return Done(output_path=path)
    model = engines.video_model()
    op = model.start(
        spec["prompt"], aspect_ratio=_veo_ratio(item.ratio), duration_s=int(spec["duration_s"])
    )
    return _scene_from_operation(job, item, op)


def _veo_ratio(ratio: str | None) -> str:
    return "9:16" if ratio in ("9:16", "4:5") else "16:9"


def poll_scene(job: Job, item: Item) -> Done | Pending:
    assert item.operation
    from adgenius.models.base import Usage

    op = VideoOperation(name=item.operation, usage=Usage(model="veo", engine="vertex"))
    try:
        op = engines.video_model().poll(op)
    except OperationFailedError as exc:
        raise ItemFailure(str(exc), kind="permanent", retryable=exc.retryable) from exc
    return _scene_from_operation(job, item, op)


def _scene_from_operation(job: Job, item: Item, op: VideoOperation) -> Done | Pending:
    if not op.done:
        return Pending(operation=op.name)
    if op.outcome is Outcome.SAFETY_BLOCKED:
        raise _safety(op.block_reason)
    if op.video is None:
        raise ItemFailure(
            "the video operation returned no inline video", kind="permanent", retryable=False
        )
    path = tenant_path(job.tenant_id, "jobs", job.id, "scenes", f"{item.id}.mp4")
    blob_store().put(path, op.video, "video/mp4")
    return Done(output_path=path)


def run_copy(job: Job, item: Item, ctx: JobContext) -> Done:
    spec = item.spec
    brief = ctx.campaign.brief(language=spec["language"], audience=spec.get("audience"))
    platform = Platform(spec["platform"])
    # Grounded in the tenant's brand memory: brand documents and the brand's winning creatives.
    prompt_input = grounded_input(
        brief, ctx.kit, platform, tenant_id=job.tenant_id, brand_id=ctx.brand.id
    )
    # Steered by what performed in this campaign (decided experiments, confident insights).
    steering = campaign_steering(job.tenant_id, ctx.campaign.id, spec["language"])
    prompt_input = prompt_input.model_copy(update={"steering": steering})
    result = generate_copy_set(
        brief,
        ctx.kit,
        platform,
        engine=engines.text_model(),
        seed=spec["seed"],
        prompt_input=prompt_input,
    )
    best = result.best
    if best is None or best.copy_set is None:
        failure = best.failure.value if best and best.failure else "no copy"
        raise ItemFailure(
            f"copy generation failed: {failure}: {best.failure_reason if best else ''}",
            kind="safety" if failure == "safety_blocked" else "permanent",
            retryable=False,
        )
    creative_id = creatives_out.creative_id(job, item)
    documents = creatives_out.copy_creative_documents(
        job, item, ctx, creative_id, result, grounding_ids(prompt_input).model_dump()
    )
    return Done(creative_id=creative_id, documents=documents)


def run_item(job: Job, item: Item, ctx: JobContext) -> Done | Pending:
    try:
        if item.kind == "image":
            return run_image(job, item, ctx)
        if item.kind == "scene":
            return run_scene(job, item, ctx)
        return run_copy(job, item, ctx)
    except ModelError as exc:
        raise _from_model_error(exc) from exc
    except MediaError as exc:
        raise ItemFailure(str(exc), kind="permanent", retryable=False) from exc

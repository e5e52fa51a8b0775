"""The work of one item: generate, store the media under the tenant's path, write the creative.

Outcomes are typed so the task handler can decide: `Done` (the creative exists), `Pending` (a Veo
operation is running: poll later), or an `ItemFailure` that says whether a retry can help.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.domain.brief import Platform
from adgenius.generation import engines
from adgenius.generation.copy_service import generate_copy_set
from adgenius.generation.grounding import grounded_input, grounding_ids
from adgenius.generation.steering_source import campaign_steering
from adgenius.media.asset_layouts import AssetLayout, Picture, scene_still
from adgenius.media.compositor import Layout, Overlay, compose
from adgenius.media.errors import MediaError
from adgenius.media.image_renderer import ImageSpec
from adgenius.media.imaging import cover, encode_image, load_image
from adgenius.media.ratios import parse_ratio, size_of
from adgenius.media.saliency import FULL, FracBox, subject_box
from adgenius.models.base import (
    ImageEmbeddingModel,
    ImageToVideoModel,
    Outcome,
    ProductImageModel,
    VideoOperation,
)
from adgenius.models.errors import ModelError, OperationFailedError, PermanentModelError
from adgenius.pipeline import creatives_out, rendering, store
from adgenius.pipeline.brand_pictures import choose_picture
from adgenius.pipeline.context import JobContext
from adgenius.pipeline.model import Item, Job
from adgenius.settings import Engine

log = logging.getLogger(__name__)


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
    brand_asset_ids: list[str] = field(default_factory=list)  # the photos the clip starts from


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


@dataclass
class ImagePlan:
    """What an image item is made from: the render spec (with the brand photo, when there is
    one), the brand assets offered to it (photo first, then logos) and how the photo was
    matched with the message."""

    spec: ImageSpec
    offered: list[BrandAsset] = field(default_factory=list)
    matched_by: str | None = None


def image_plan(
    item: Item, ctx: JobContext, embedder: ImageEmbeddingModel | None = None
) -> ImagePlan:
    """A brand with photos gets a layout made from one of them (chosen for the message: by
    image embeddings when `embedder` is given, else by tags)."""
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
    choice = choose_picture(ctx, message, int(item.spec["seed"]), embedder=embedder)
    photo = ctx.asset_file(choice.photo) if choice is not None else None
    if choice is None or photo is None:
        return ImagePlan(spec)
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
    return ImagePlan(spec, [choice.photo, *(a for a, _ in present)], choice.matched_by)


def local_image_plan(item: Item, ctx: JobContext) -> tuple[ImageSpec, list[BrandAsset]]:
    """What the local engine renders for an image item, and the brand assets it may use."""
    plan = image_plan(item, ctx)
    return plan.spec, plan.offered


def local_image_spec(item: Item, ctx: JobContext) -> ImageSpec:
    """What the local engine renders for an image item."""
    return local_image_plan(item, ctx)[0]


@dataclass
class ImageMade:
    data: bytes
    engine: dict[str, str]
    brand_asset_ids: list[str] = field(default_factory=list)
    # How the brand's photo was used (the creative's `content.picture`); None without one.
    picture: dict[str, Any] | None = None
    # What the picture shows and where the logo went (``visual``), recorded for insights.
    visual: dict[str, Any] = field(default_factory=dict)


# People named by a photo's tags or caption (the brand describes its photos on upload): a
# lifestyle photo with people is told apart from one of a place or a table, without guessing
# from pixels.
_PEOPLE = re.compile(
    r"\b(person|people|man|men|woman|women|girl|boy|child|children|kid|kids|customer|customers"
    r"|family|friends|couple|runner|runners|portrait|model|team)\b",
    re.IGNORECASE,
)


def visual_of(
    layout: Layout, photo: BrandAsset | None, *, recontext: bool = False
) -> dict[str, Any]:
    """The image's visual attributes from what was rendered: ``logo_placement`` (a 3 x 3 grid
    cell of the logo's centre, or "none"), ``subject`` ("product": the brand's product photo,
    alone or placed in a generated scene; "lifestyle": its lifestyle photo; "graphic": no photo)
    and ``people`` (the lifestyle photo's tags or caption name people)."""
    if photo is None:
        subject, people = "graphic", False
    elif photo.kind is AssetKind.PRODUCT:
        subject, people = "product", False
    else:
        subject = "lifestyle"
        people = bool(_PEOPLE.search(" ".join([*photo.tags, photo.caption])))
    out: dict[str, Any] = {
        "logo_placement": layout.logo_placement(),
        "subject": subject,
        "people": people,
    }
    if recontext:
        out["scene"] = "generated"  # the product photo placed in a model-made scene
    return out


def _render_plan(plan: ImagePlan) -> tuple[bytes, list[str], Layout]:
    """Render a plan with a brand photo; the ids of the photo and of the logo drawn, and the
    layout."""
    rendered = rendering.render(plan.spec)
    used = [plan.offered[0].id] if plan.offered else []
    if rendered.logo_index is not None and len(plan.offered) > 1 + rendered.logo_index:
        used.append(plan.offered[1 + rendered.logo_index].id)
    return rendered.data, used, rendered.layout


def _recontext(
    plan: ImagePlan, prompt: str, seed: int, model: ProductImageModel
) -> tuple[ImagePlan, dict[str, Any]]:
    """The product photo placed in the prompt's scene by the model, as the plan's new photo.

    A refusal (safety filter, or a request the model rejects) falls back to the brand's own
    photo in the local layout, and the record says so; a transient failure (quota, 5xx) is
    raised so the item is retried rather than quietly made without the model."""
    photo = plan.offered[0]
    assert plan.spec.photo is not None
    info: dict[str, Any] = {"asset_id": photo.id, "matched_by": plan.matched_by}
    try:
        result = model.recontext(prompt, [plan.spec.photo], seed=seed)
    except PermanentModelError as exc:
        return plan, {
            **info,
            "method": "brand_photo",
            "fallback_reason": f"recontext refused: {exc}"[:500],
        }
    info["model"] = result.usage.model
    if result.outcome is Outcome.SAFETY_BLOCKED or not result.images:
        reason = f"recontext blocked by the safety filter: {result.block_reason or 'unspecified'}"
        return plan, {**info, "method": "brand_photo", "fallback_reason": reason[:500]}
    scene = result.images[0]
    # Recontext returns a square scene. When its product stands out, the hero layout keeps it
    # whole in every ratio; when nothing does (the product is part of a busy scene, as a real
    # recontext usually is), the scene fills the frame like a lifestyle photo: shrinking the
    # whole square into the hero's picture region would leave the product tiny (0.2% of the
    # pixels, seen by the vertex job test).
    subject = subject_box(load_image(scene, "image", "RGB"))
    layout = AssetLayout.PANEL if subject == FULL else AssetLayout.HERO
    spec = plan.spec.model_copy(
        update={"photo": scene, "photo_subject": subject.to_list(), "asset_layout": layout}
    )
    return ImagePlan(spec, plan.offered, plan.matched_by), {**info, "method": "recontext"}


def _vertex_image(item: Item, ctx: JobContext) -> ImageMade:
    spec = item.spec
    ratio = item.ratio or "1:1"
    plan = image_plan(item, ctx, engines.image_embedding_model())
    if plan.offered:
        model = engines.image_model()
        photo = plan.offered[0]
        if photo.kind is AssetKind.PRODUCT and isinstance(model, ProductImageModel):
            plan, picture = _recontext(plan, spec["prompt"], int(spec["seed"]), model)
        else:  # a lifestyle photo is the scene already: shown as it is, in the panel layout
            picture = {"asset_id": photo.id, "matched_by": plan.matched_by, "method": "brand_photo"}
        data, used, layout = _render_plan(plan)
        engine_model = (
            picture.get("model") if picture["method"] == "recontext" else "adgenius-pillow-v1"
        )
        visual = visual_of(layout, photo, recontext=picture["method"] == "recontext")
        return ImageMade(
            data, {"engine": "vertex", "model": str(engine_model)}, used, picture, visual
        )
    result = engines.image_model().generate(spec["prompt"], aspect_ratio=ratio, seed=spec["seed"])
    if result.outcome is Outcome.SAFETY_BLOCKED or not result.images:
        raise _safety(result.block_reason)
    # Imagen gives a text-free picture; the brand overlay is ours, inside the safe zone.
    # Decoded like any outside image: sized from its header, within the decode budget.
    background = cover(load_image(result.images[0], "image", "RGB"), size_of(parse_ratio(ratio)))
    overlay = Overlay(
        headline=spec["headline"], cta=spec["cta"], logo=ctx.logo(), palette=ctx.palette
    )
    composed, layout = compose(background, ratio, overlay)
    return ImageMade(
        encode_image(composed, "png"),
        {"engine": "vertex", "model": result.usage.model},
        visual=visual_of(layout, None),
    )


def make_image(job: Job, item: Item, ctx: JobContext) -> ImageMade:
    """The picture of an image item (not stored yet) and what it was made from."""
    if job.engine == Engine.LOCAL.value:
        plan = image_plan(item, ctx)
        data, used, layout = _render_plan(plan)
        picture = (
            {"asset_id": plan.offered[0].id, "matched_by": plan.matched_by, "method": "brand_photo"}
            if plan.offered
            else None
        )
        visual = visual_of(layout, plan.offered[0] if plan.offered else None)
        return ImageMade(
            data, {"engine": "local", "model": "adgenius-pillow-v1"}, used, picture, visual
        )
    return _vertex_image(item, ctx)


def run_image(job: Job, item: Item, ctx: JobContext) -> Done:
    made = make_image(job, item, ctx)
    creative_id = creatives_out.creative_id(job, item)
    path = tenant_path(job.tenant_id, "creatives", creative_id, f"{item.id}.png")
    blob_store().put(path, made.data, "image/png")
    documents = creatives_out.image_creative_documents(
        job,
        item,
        ctx,
        creative_id,
        path,
        made.data,
        made.engine,
        made.brand_asset_ids,
        made.picture,
        made.visual,
    )
    return Done(creative_id=creative_id, output_path=path, documents=documents)


def scene_still_from_brand_photo(
    item: Item, ctx: JobContext, ratio: str, embedder: ImageEmbeddingModel | None = None
) -> tuple[bytes, str] | None:
    """A still from the brand's own photo chosen for the scene's caption (PNG, asset id), with
    the subject kept clear of the motion that follows."""
    message = " ".join(str(item.spec.get(k) or "") for k in ("caption", "visual", "prompt"))
    choice = choose_picture(ctx, message, int(item.spec["seed"]), embedder=embedder)
    if choice is None:
        return None
    data = ctx.asset_file(choice.photo)
    if data is None:
        return None
    picture = Picture(load_image(data, "photo", "RGB"), FracBox.from_list(choice.photo.subject))
    still = scene_still(picture, ratio)
    return encode_image(still, "png"), choice.photo.id


def run_scene(job: Job, item: Item, ctx: JobContext) -> Done | Pending:
    """A scene: locally a still that assembly animates; with Veo a clip (long-running), started
    from the brand's photo when the brand has one (image-to-video)."""
    spec = item.spec
    if job.engine == Engine.LOCAL.value:
        path = tenant_path(job.tenant_id, "jobs", job.id, "scenes", f"{item.id}.png")
        from_photo = scene_still_from_brand_photo(item, ctx, item.ratio or "9:16")
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
    veo_ratio = _veo_ratio(item.ratio)
    duration = int(spec["duration_s"])
    if isinstance(model, ImageToVideoModel):
        from_photo = scene_still_from_brand_photo(
            item, ctx, veo_ratio, engines.image_embedding_model()
        )
        if from_photo is not None:
            first_frame, asset_id = from_photo
            try:
                op = model.start_from_image(
                    spec["prompt"],
                    first_frame,
                    mime_type="image/png",
                    aspect_ratio=veo_ratio,
                    duration_s=duration,
                )
            except PermanentModelError as exc:
                # Veo refused the photo as a first frame: the scene is made from the prompt
                # alone and does not claim the photo (quota and 5xx errors retry the item).
                log.warning("image-to-video refused, scene %s from the prompt: %s", item.id, exc)
            else:
                return _scene_from_operation(job, item, op, [asset_id])
    op = model.start(spec["prompt"], aspect_ratio=veo_ratio, duration_s=duration)
    return _scene_from_operation(job, item, op)


def _veo_ratio(ratio: str | None) -> str:
    return "9:16" if ratio in ("9:16", "4:5") else "16:9"


def poll_scene(job: Job, item: Item) -> Done | Pending:
    """One poll of a scene's Veo operation; the brand photos it started from stay recorded."""
    assert item.operation
    from adgenius.models.base import Usage

    op = VideoOperation(name=item.operation, usage=Usage(model="veo", engine="vertex"))
    try:
        op = engines.video_model().poll(op)
    except OperationFailedError as exc:
        raise ItemFailure(str(exc), kind="permanent", retryable=exc.retryable) from exc
    if op.done and op.outcome is Outcome.SAFETY_BLOCKED and item.brand_asset_ids:
        # The clip made from the brand photo was filtered: start the scene again from the prompt
        # alone (the item then polls the new operation and no longer claims the photo).
        log.warning(
            "image-to-video blocked, scene %s from the prompt: %s", item.id, op.block_reason
        )
        fresh = engines.video_model().start(
            item.spec["prompt"],
            aspect_ratio=_veo_ratio(item.ratio),
            duration_s=int(item.spec["duration_s"]),
        )
        return _scene_from_operation(job, item, fresh, [])
    return _scene_from_operation(job, item, op, item.brand_asset_ids)


def _scene_from_operation(
    job: Job, item: Item, op: VideoOperation, brand_asset_ids: list[str] | None = None
) -> Done | Pending:
    if not op.done:
        return Pending(operation=op.name, brand_asset_ids=list(brand_asset_ids or []))
    if op.outcome is Outcome.SAFETY_BLOCKED:
        raise _safety(op.block_reason)
    if op.video is None:
        raise ItemFailure(
            "the video operation returned no inline video", kind="permanent", retryable=False
        )
    path = tenant_path(job.tenant_id, "jobs", job.id, "scenes", f"{item.id}.mp4")
    blob_store().put(path, op.video, "video/mp4")
    return Done(output_path=path, brand_asset_ids=list(brand_asset_ids or []))


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

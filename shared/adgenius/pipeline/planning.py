"""Planning: a job's request becomes per-item specs with deterministic ids.

Image sets: headline and call to action per variant from the copy engine (Meta headlines fit an
image overlay), one image prompt per variant from the image prompt strategy, one item per variant
x ratio. Videos: a scene-by-scene script, one item per scene. Copy batches: one item per ad group
x platform x language. Re-planning the same job yields the same items (ids and specs).
"""

from __future__ import annotations

import hashlib

from adgenius.domain.brief import Platform
from adgenius.generation.local_copy import LocalCopyEngine
from adgenius.generation.prompts.strategies import (
    ImagePromptStrategy,
    PromptInput,
    VideoScenePromptStrategy,
)
from adgenius.generation.responses import VideoScene
from adgenius.pipeline.context import JobContext
from adgenius.pipeline.model import Item, Job, JobKind, JobRequest

STYLES = ("gradient", "split", "shapes", "solid")
CTA_BY_OBJECTIVE = {
    "awareness": "Learn more",
    "traffic": "Visit now",
    "leads": "Get a quote",
    "sales": "Shop now",
    "app_installs": "Get the app",
}


def stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _ratio_slug(ratio: str) -> str:
    return ratio.replace(":", "x").replace(".", "_")


def queue_for(kind: str, engine: str) -> str:
    return {
        ("image", "local"): "images-local",
        ("image", "vertex"): "images-imagen",
        ("scene", "local"): "video-local",
        ("scene", "vertex"): "video-veo",
        ("copy", "local"): "copy-local",
        ("copy", "vertex"): "copy-gemini",
    }[(kind, engine)]


def _copy_lines(ctx: JobContext, count: int, seed: int) -> list[tuple[str, str]]:
    """(headline, description) pairs for image overlays, from the local copy engine."""
    brief = ctx.brief()
    copy = LocalCopyEngine().generate(brief, ctx.kit, Platform.META, seed=seed)
    heads = copy.headlines or [brief.product]
    descs = copy.primary_texts or copy.descriptions or [""]
    return [(heads[i % len(heads)], descs[i % len(descs)]) for i in range(count)]


def plan_images(job: Job, request: JobRequest, ctx: JobContext) -> list[Item]:
    lines = _copy_lines(ctx, request.variants, stable_seed(job.id, request.seed))
    strategy = ImagePromptStrategy()
    inp = PromptInput(brief=ctx.brief(), brand_kit=ctx.kit)
    cta = CTA_BY_OBJECTIVE.get(ctx.campaign.objective.value, "Learn more")
    items: list[Item] = []
    ratios = request.image_ratios()
    for v in range(request.variants):
        headline, description = lines[v]
        style = STYLES[v % len(STYLES)]
        if request.like is not None:  # variations of one creative: same message and look
            headline, cta, style = (
                request.like.headline,
                request.like.cta or cta,
                request.like.style,
            )
        concept = f"variant {v + 1}: {headline}"
        if request.comment:
            concept += f" (reviewer asked: {request.comment})"
        for ratio in ratios:
            prompt = strategy.render(inp, aspect_ratio=ratio, concept=concept)
            items.append(
                Item(
                    id=f"v{v:03d}-{_ratio_slug(ratio)}",
                    tenant_id=job.tenant_id,
                    job_id=job.id,
                    index=len(items),
                    kind="image",
                    queue=queue_for("image", job.engine),
                    ratio=ratio,
                    spec={
                        "variant": v,
                        "headline": headline,
                        "description": description,
                        "cta": cta,
                        "style": style,
                        "seed": stable_seed(job.id, v),
                        "prompt": prompt.user,
                        "prompt_version": prompt.template,
                    },
                )
            )
    return items


def script_scenes(request: JobRequest, ctx: JobContext, seed: int) -> list[VideoScene]:
    """A deterministic scene plan: product facts carry the story, the offer closes it."""
    brief = ctx.brief()
    facts = brief.product_facts or [brief.product]
    lines = _copy_lines(ctx, request.scenes, seed)
    # The end card takes ~2 s; the scenes share the rest.
    per_scene = max(2, min(8, round((request.duration_s - 2) / request.scenes)))
    scenes = []
    for i in range(request.scenes):
        fact = facts[i % len(facts)]
        scenes.append(
            VideoScene(
                index=i,
                duration_s=per_scene,
                visual=f"{brief.product}: {fact}, for {brief.audience}",
                on_screen_text=lines[i][0],
            )
        )
    return scenes


def plan_video(job: Job, request: JobRequest, ctx: JobContext) -> list[Item]:
    seed = stable_seed(job.id, request.seed)
    strategy = VideoScenePromptStrategy()
    inp = PromptInput(brief=ctx.brief(), brand_kit=ctx.kit)
    items = []
    for scene in script_scenes(request, ctx, seed):
        prompt = strategy.render(inp, scene, aspect_ratio=request.ratio)
        items.append(
            Item(
                id=f"scene-{scene.index:02d}",
                tenant_id=job.tenant_id,
                job_id=job.id,
                index=scene.index,
                kind="scene",
                queue=queue_for("scene", job.engine),
                ratio=request.ratio,
                spec={
                    "caption": scene.on_screen_text,
                    "visual": scene.visual,
                    "duration_s": scene.duration_s,
                    "style": STYLES[scene.index % len(STYLES)],
                    "seed": stable_seed(job.id, "scene", scene.index),
                    "prompt": prompt.user,
                    "prompt_version": prompt.template,
                },
            )
        )
    return items


def plan_copy(job: Job, request: JobRequest, ctx: JobContext) -> list[Item]:
    platforms = request.platforms or list(ctx.campaign.platforms) or [Platform.GOOGLE_RSA]
    languages = request.languages or list(ctx.campaign.languages) or ["en"]
    groups = request.ad_groups or [ctx.campaign.audiences[0] if ctx.campaign.audiences else ""]
    items: list[Item] = []
    for g, group in enumerate(groups):
        for platform in platforms:
            for language in languages:
                items.append(
                    Item(
                        id=f"g{g:02d}-{Platform(platform).value}-{language}",
                        tenant_id=job.tenant_id,
                        job_id=job.id,
                        index=len(items),
                        kind="copy",
                        queue=queue_for("copy", job.engine),
                        spec={
                            "platform": Platform(platform).value,
                            "language": language,
                            "audience": group or None,
                            "seed": stable_seed(job.id, g, platform, language),
                        },
                    )
                )
    return items


def plan(job: Job, request: JobRequest, ctx: JobContext) -> list[Item]:
    planner = {
        JobKind.IMAGE_SET: plan_images,
        JobKind.VIDEO: plan_video,
        JobKind.COPY_BATCH: plan_copy,
    }[request.kind]
    return planner(job, request, ctx)

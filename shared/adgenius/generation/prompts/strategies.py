"""Prompt strategies: one per output kind, all built from the same ``PromptInput``.

Copy strategies (Google RSA, Google PMax, Meta) render a system + user prompt for a TextModel
with a structured response schema; the image strategy renders an Imagen prompt; the video
strategies render a script request (TextModel) and one Veo prompt per scene.
"""

from __future__ import annotations

import math
from typing import ClassVar

from pydantic import BaseModel, Field

from adgenius.domain.brief import BrandKit, CopyBrief, Platform

from ..platforms import spec_for
from ..responses import RESPONSE_SCHEMAS, VideoScene, VideoScript, repair_schema
from ..rules import Violation
from ..steering import Steering
from .providers import ContextProvider, ContextSnippet, WinnersProvider, WinningExample
from .rendering import (
    DATA_NOTICE,
    quote,
    render_brand,
    render_brief,
    render_context,
    render_limits,
    render_rules,
    render_steering,
    render_winners,
)
from .templates import load_template


class PromptInput(BaseModel):
    brief: CopyBrief
    brand_kit: BrandKit
    context: list[ContextSnippet] = Field(default_factory=list)
    winners: list[WinningExample] = Field(default_factory=list)
    # What performance says (winners, losers' phrases, confident insights); None: no steering.
    steering: Steering | None = None


class RenderedPrompt(BaseModel):
    system: str
    user: str
    template: str  # e.g. "google_rsa@v1", recorded on the creative
    response_schema: type[BaseModel] | None = None

    model_config = {"arbitrary_types_allowed": True}


def gather_input(
    brief: CopyBrief,
    brand_kit: BrandKit,
    platform: Platform,
    *,
    tenant_id: str,
    brand_id: str | None = None,
    context_provider: ContextProvider | None = None,
    winners_provider: WinnersProvider | None = None,
    k_context: int = 5,
    k_winners: int = 3,
) -> PromptInput:
    """Ask the providers (tenant-scoped) for context and winners for this brief."""
    query = " ".join([brief.product, *brief.product_facts, brief.audience, *brief.keywords])
    context = (
        context_provider.retrieve(query, tenant_id=tenant_id, brand_id=brand_id, k=k_context)
        if context_provider
        else []
    )
    winners = (
        winners_provider.winners(
            tenant_id=tenant_id,
            platform=platform,
            objective=brief.objective,
            brand_id=brand_id,
            query=query,
            k=k_winners,
        )
        if winners_provider
        else []
    )
    return PromptInput(brief=brief, brand_kit=brand_kit, context=context, winners=winners)


def _common(inp: PromptInput) -> dict[str, str]:
    return {
        "data_notice": DATA_NOTICE,
        "brief": render_brief(inp.brief),
        "brand": render_brand(inp.brand_kit),
        "rules": render_rules(inp.brand_kit),
        "context": render_context(inp.context),
        # Steering goes with the winners (no template change: an unsteered prompt is as before).
        "winners": render_winners(inp.winners) + render_steering(inp.steering),
        "language": inp.brief.language,
        "objective": inp.brief.objective.value,
        "tone": inp.brief.tone.value,
    }


class CopyPromptStrategy:
    """Renders the copy prompt of one platform from its versioned template."""

    platform: ClassVar[Platform]
    template_name: ClassVar[str]

    def __init__(self, version: int | None = None) -> None:
        self.template = load_template(self.template_name, version)

    @property
    def ref(self) -> str:
        return self.template.ref

    def render(self, inp: PromptInput) -> RenderedPrompt:
        values = _common(inp) | {"limits": render_limits(spec_for(self.platform))}
        return RenderedPrompt(
            system=self.template.system.substitute(values),
            user=self.template.user.substitute(values),
            template=self.ref,
            response_schema=RESPONSE_SCHEMAS[self.platform],
        )


class GoogleRsaPromptStrategy(CopyPromptStrategy):
    platform = Platform.GOOGLE_RSA
    template_name = "google_rsa"


class GooglePmaxPromptStrategy(CopyPromptStrategy):
    platform = Platform.GOOGLE_PMAX
    template_name = "google_pmax"


class MetaPromptStrategy(CopyPromptStrategy):
    platform = Platform.META
    template_name = "meta"


COPY_STRATEGIES: dict[Platform, type[CopyPromptStrategy]] = {
    Platform.GOOGLE_RSA: GoogleRsaPromptStrategy,
    Platform.GOOGLE_PMAX: GooglePmaxPromptStrategy,
    Platform.META: MetaPromptStrategy,
}


def copy_strategy_for(platform: Platform | str, version: int | None = None) -> CopyPromptStrategy:
    return COPY_STRATEGIES[Platform(platform)](version)


def _why(v: Violation) -> str:
    """The rule, what is wrong and, for a policy rule, what the policy says."""
    from ..policy import RULES  # late: policy imports generation modules

    rule = RULES.get(v.rule)
    return f"{v.rule}: {v.message}" + (f" (policy: {rule.summary})" if rule else "")


class RepairPromptStrategy:
    """Asks again for ONLY the failing items, showing the current text and what is wrong."""

    def __init__(self, version: int | None = None) -> None:
        self.template = load_template("repair", version)

    def render(
        self,
        inp: PromptInput,
        platform: Platform,
        current: dict[str, str],
        violations: dict[str, list[Violation]],
        keep: list[str],
    ) -> RenderedPrompt:
        lines = []
        for path, problems in violations.items():
            why = "; ".join(_why(v) for v in problems)
            now = current.get(path)
            was = f" current={quote(now)}" if now is not None else " (missing: write a new one)"
            lines.append(f"- {path}:{was} problems: {why}")
        values = _common(inp) | {
            "limits": render_limits(spec_for(platform)),
            "failing": "\n".join(lines),
            "keep": "\n".join(f"- {quote(t)}" for t in keep) or "(none)",
        }
        return RenderedPrompt(
            system=self.template.system.substitute(values),
            user=self.template.user.substitute(values),
            template=self.template.ref,
            response_schema=repair_schema(list(violations)),
        )


class ImagePromptStrategy:
    """Imagen prompt: a text-free visual (copy is overlaid later by the renderer)."""

    def __init__(self, version: int | None = None) -> None:
        self.template = load_template("image", version)

    def render(
        self, inp: PromptInput, *, aspect_ratio: str = "1:1", concept: str | None = None
    ) -> RenderedPrompt:
        colors = ", ".join(inp.brand_kit.colors) or "the brand's natural palette"
        values = _common(inp) | {
            "product": inp.brief.product,
            "facts": "; ".join(inp.brief.product_facts[:3]) or "-",
            "audience": inp.brief.audience,
            "colors": colors,
            "aspect_ratio": aspect_ratio,
            "concept": concept or "the product in use by the audience",
        }
        return RenderedPrompt(
            system=self.template.system.substitute(values),
            user=self.template.user.substitute(values),
            template=self.template.ref,
        )


class VideoScriptPromptStrategy:
    """Asks a TextModel for a scene-by-scene script (each scene fits one ~5-8 s Veo clip)."""

    def __init__(self, version: int | None = None) -> None:
        self.template = load_template("video_script", version)

    def render(
        self, inp: PromptInput, *, total_seconds: int = 15, aspect_ratio: str = "16:9"
    ) -> RenderedPrompt:
        # ~6 s per scene, but never more than 8 s (the longest single generated clip).
        scenes = max(1, round(total_seconds / 6), math.ceil(total_seconds / 8))
        values = _common(inp) | {
            "total_seconds": str(total_seconds),
            "scenes": str(scenes),
            "aspect_ratio": aspect_ratio,
        }
        return RenderedPrompt(
            system=self.template.system.substitute(values),
            user=self.template.user.substitute(values),
            template=self.template.ref,
            response_schema=VideoScript,
        )


class VideoScenePromptStrategy:
    """One Veo prompt per scene, carrying the brand's look so scenes stay consistent."""

    def __init__(self, version: int | None = None) -> None:
        self.template = load_template("video_scene", version)

    def render(
        self, inp: PromptInput, scene: VideoScene, *, aspect_ratio: str = "16:9"
    ) -> RenderedPrompt:
        values = _common(inp) | {
            "visual": scene.visual,
            "duration_s": str(scene.duration_s),
            "index": str(scene.index),
            "product": inp.brief.product,
            "colors": ", ".join(inp.brand_kit.colors) or "natural colours",
            "voice": inp.brand_kit.voice,
            "aspect_ratio": aspect_ratio,
        }
        return RenderedPrompt(
            system=self.template.system.substitute(values),
            user=self.template.user.substitute(values),
            template=self.template.ref,
        )

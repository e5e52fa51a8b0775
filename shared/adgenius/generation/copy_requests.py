"""Synchronous copy generation for one campaign and platform (`POST /v1/campaigns/{id}/copy`).

Reserves the text quota first, calls the generation engine (`generate_copy_set`), and stores
each variant that produced copy as a draft `copy` creative. Bigger batches (images, videos,
many platforms) go through the asynchronous jobs API instead.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from adgenius.analytics.attributes import copy_attributes
from adgenius.domain.brands import Brand
from adgenius.domain.brief import Platform, ShortText
from adgenius.domain.campaigns import check_languages, get_campaign
from adgenius.domain.creatives import (
    Creative,
    CreativeKind,
    CreativeStatus,
    save_creatives,
)
from adgenius.generation import engines
from adgenius.generation.copy_service import generate_copy_set
from adgenius.generation.grounding import grounded_input, grounding_ids
from adgenius.generation.platforms import spec_for
from adgenius.generation.policy.summary import ComplianceSummary, summarize
from adgenius.generation.rules import Violation
from adgenius.generation.steering import Steering
from adgenius.generation.steering_source import campaign_steering
from adgenius.tenancy import audit, limits, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.plans import QuotaKind
from adgenius.tenancy.principal import Principal

Language = Annotated[str, AfterValidator(lambda v: check_languages([v])[0])]


class CopyRequest(store.StrictModel):
    platform: Platform
    language: Language | None = Field(
        default=None, description="One of the campaign's languages; default its first."
    )
    audience: ShortText | None = Field(
        default=None, description="Default: the campaign's first audience."
    )
    variants: int = Field(default=1, ge=1, le=5)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    steer: bool = Field(
        default=True,
        description="false: generate as without the learning loop (no steering from the "
        "campaign's experiments and insights), e.g. to explore or to compare.",
    )


class CopyVariantOut(store.Document):
    id: str = Field(description="The creative this variant was saved as.")
    fields: dict[str, Any] = Field(description="The copy: headlines, descriptions, ...")
    violations: list[Violation] = Field(
        description="Length and policy violations, each at its span with its rule and source."
    )
    compliance: ComplianceSummary
    notes: list[str] = Field(default_factory=list, description="What was left out and why.")
    limits: dict[str, int] = Field(description="Maximum characters per field on the platform.")
    scores: dict[str, float]
    compliant: bool


class CopyGenerated(store.Document):
    creative_ids: list[str]
    variants: list[CopyVariantOut]
    engine: str
    model: str
    prompt_version: str
    failed_variants: int = Field(description="Variants that produced no copy (e.g. blocked).")
    creatives: list[Creative]


def generate_copy(
    tenant_id: str, campaign_id: str, body: CopyRequest, principal: Principal
) -> CopyGenerated:
    campaign, _ = get_campaign(tenant_id, campaign_id, principal)
    if body.platform not in campaign.platforms:
        raise InvalidInput(
            "platform not targeted by this campaign",
            details=[FieldProblem("platform", f"the campaign targets {campaign.platforms}")],
        )
    language = body.language or campaign.languages[0]
    if language not in campaign.languages:
        raise InvalidInput(
            "language not in this campaign",
            details=[FieldProblem("language", f"the campaign's languages: {campaign.languages}")],
        )
    brand_snap = store.get_in_tenant(tenant_id, store.BRANDS, campaign.brand_id)
    kit = Brand(**store.data_with_id(brand_snap)).to_generation_kit()

    # The ids come first: in an idempotent request they are its first run's, and a rerun after a
    # crash answers what that run saved instead of generating (and charging) again.
    creative_ids = [store.new_id() for _ in range(body.variants)]
    if store.ids_are_replayed() and (earlier := _saved_before(tenant_id, creative_ids)):
        _audit(tenant_id, campaign_id, principal, body, earlier)  # the dead run's may be missing
        return _generated_from(earlier, body)

    limits.reserve_quota(tenant_id, QuotaKind.TEXT_CALLS, body.variants)
    brief = campaign.brief(language=language, audience=body.audience)
    # Grounded in the tenant's brand memory: brand documents and the brand's winning creatives.
    prompt_input = grounded_input(
        brief, kit, body.platform, tenant_id=tenant_id, brand_id=campaign.brand_id
    )
    # Steered by what performed in this campaign (decided experiments, confident insights).
    steering = (
        campaign_steering(tenant_id, campaign.id, language)
        if body.steer
        else Steering(language=language)
    )
    prompt_input = prompt_input.model_copy(update={"steering": steering})
    grounding = grounding_ids(prompt_input).model_dump()
    try:
        result = generate_copy_set(
            brief,
            kit,
            body.platform,
            engine=engines.text_model(),
            seed=body.seed,
            n_variants=body.variants,
            prompt_input=prompt_input,
        )
    except Exception:
        limits.release_quota(tenant_id, QuotaKind.TEXT_CALLS, body.variants)
        raise

    stamp = store.now()
    limits_by_field = {f.name: f.max_length for f in spec_for(result.platform).fields}
    saved: list[Creative] = []
    variants: list[CopyVariantOut] = []
    for creative_id, variant in zip(creative_ids, result.variants, strict=False):
        if variant.copy_set is None:
            continue
        creative = Creative(
            id=creative_id,
            tenant_id=tenant_id,
            brand_id=campaign.brand_id,
            campaign_id=campaign.id,
            kind=CreativeKind.COPY,
            platform=result.platform.value,
            status=CreativeStatus.DRAFT,
            content={
                **variant.copy_set.model_dump(mode="json", exclude={"platform"}),
                "language": language,
                "audience": body.audience,
                "seed": variant.seed,
                "compliant": variant.compliant,
                "violations": [v.model_dump(mode="json") for v in variant.violations],
                "compliance": summarize(variant.violations).model_dump(mode="json"),
                "notes": variant.notes,
                "grounding": grounding,
                # What the copy leans on (angle, number, question, ...), for insights.
                "attributes": copy_attributes(variant.copy_set.model_dump(), language),
                "steering": result.steering,
            },
            engine=result.engine,
            model=result.model,
            prompt_version=result.prompt_version,
            scores=variant.score.model_dump(mode="json") if variant.score else {},
            created_at=stamp,
            updated_at=stamp,
        )
        saved.append(creative)
        variants.append(
            CopyVariantOut(
                id=creative.id,
                fields=variant.copy_set.model_dump(mode="json", exclude={"platform"}),
                violations=variant.violations,
                compliance=summarize(variant.violations),
                notes=variant.notes,
                limits=limits_by_field,
                scores=creative.scores,
                compliant=variant.compliant,
            )
        )
    save_creatives(saved)
    _audit(tenant_id, campaign_id, principal, body, saved)
    return CopyGenerated(
        creative_ids=[c.id for c in saved],
        variants=variants,
        engine=result.engine,
        model=result.model,
        prompt_version=result.prompt_version,
        failed_variants=len(result.variants) - len(saved),
        creatives=saved,
    )


# What a copy creative's content holds besides the copy fields themselves.
_NOT_COPY_FIELDS = frozenset(
    {"language", "audience", "seed", "compliant", "violations", "compliance", "notes",
     "grounding", "attributes", "steering"}
)  # fmt: skip


def _audit(
    tenant_id: str, campaign_id: str, principal: Principal, body: CopyRequest, saved: list[Creative]
) -> None:
    audit.record(
        tenant_id,
        "copy.generated",
        principal,
        target=f"campaigns/{campaign_id}",
        details={"platform": body.platform.value, "creatives": [c.id for c in saved]},
    )


def _saved_before(tenant_id: str, creative_ids: list[str]) -> list[Creative]:
    refs = [store.tenant_collection(tenant_id, store.CREATIVES).document(i) for i in creative_ids]
    found = {s.id: s for s in store.db().get_all(refs) if s.exists}
    return [Creative(**store.data_with_id(found[i])) for i in creative_ids if i in found]


def _generated_from(saved: list[Creative], body: CopyRequest) -> CopyGenerated:
    """The answer a first run gave (it saved these, then died before the answer was recorded)."""
    limits_by_field = {f.name: f.max_length for f in spec_for(body.platform).fields}
    first = saved[0]
    return CopyGenerated(
        creative_ids=[c.id for c in saved],
        variants=[
            CopyVariantOut(
                id=c.id,
                fields={k: v for k, v in c.content.items() if k not in _NOT_COPY_FIELDS},
                violations=c.content.get("violations") or [],
                compliance=c.content.get("compliance") or summarize([]),
                notes=c.content.get("notes") or [],
                limits=limits_by_field,
                scores=c.scores,
                compliant=bool(c.content.get("compliant")),
            )
            for c in saved
        ],
        engine=first.engine or "",
        model=first.model or "",
        prompt_version=first.prompt_version or "",
        failed_variants=body.variants - len(saved),
        creatives=saved,
    )

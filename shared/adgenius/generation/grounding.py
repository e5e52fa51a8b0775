"""What generation is grounded in: brand-document context and the brand's winning creatives.

Copy generation (the synchronous endpoint and jobs) calls `grounded_input` for a `PromptInput`
with retrieved context and winners; the creative records `grounding_ids`; the API shows
`grounding_preview`. Retrieval never fails a generation.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, Field

from adgenius.domain.brands import get_brand
from adgenius.domain.brief import BrandKit, CopyBrief, Platform
from adgenius.domain.campaigns import get_campaign
from adgenius.generation.prompts.providers import ContextSnippet, WinningExample
from adgenius.generation.prompts.rag_adapter import BrandMemoryProviders
from adgenius.generation.prompts.strategies import PromptInput, gather_input
from adgenius.rag.factory import brand_memory
from adgenius.rag.memory import BrandMemory
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)


logger = logging.getLogger(__name__)


def grounded_input(
    brief: CopyBrief,
    brand_kit: BrandKit,
    platform: Platform,
    *,
    tenant_id: str,
    brand_id: str | None,
    k_context: int = 5,
    k_winners: int = 3,
    memory: BrandMemory | None = None,
) -> PromptInput:
    """A `PromptInput` grounded in the tenant's brand memory: brand-document context and the
    best approved creatives of the brand (performance-weighted). Retrieval never fails a
    generation: on any error the input comes back without context (and it is logged)."""
    try:
        providers = BrandMemoryProviders(memory or brand_memory())
        return gather_input(
            brief,
            brand_kit,
            platform,
            tenant_id=tenant_id,
            brand_id=brand_id,
            context_provider=providers,
            winners_provider=providers,
            k_context=k_context,
            k_winners=k_winners,
        )
    except Exception:
        logger.exception("brand memory retrieval failed for tenant %s; no context", tenant_id)
        return PromptInput(brief=brief, brand_kit=brand_kit)


class GroundingIds(BaseModel):
    """What a creative should record about the context it was generated with."""

    context_point_ids: list[str] = Field(default_factory=list)  # brand-document chunks
    winner_creative_ids: list[str] = Field(default_factory=list)


def grounding_ids(prompt_input: PromptInput) -> GroundingIds:
    return GroundingIds(
        context_point_ids=[c.id for c in prompt_input.context],
        winner_creative_ids=[w.id for w in prompt_input.winners],
    )


class GroundingPreview(BaseModel):
    """What generation would quote for a campaign: brand-document chunks and winners."""

    context: list[ContextSnippet]
    winners: list[WinningExample]


def grounding_preview(
    tenant_id: str, campaign_id: str, platform: Platform | None, principal: Principal
) -> GroundingPreview:
    campaign, _ = get_campaign(tenant_id, campaign_id, principal)
    brand, _ = get_brand(tenant_id, campaign.brand_id, principal)
    lang = campaign.languages[0] if campaign.languages else "en"
    inp = grounded_input(
        campaign.brief(language=lang),
        brand.to_generation_kit(),
        platform or Platform(campaign.platforms[0] if campaign.platforms else Platform.META),
        tenant_id=tenant_id,
        brand_id=campaign.brand_id,
    )
    return GroundingPreview(context=inp.context, winners=inp.winners)

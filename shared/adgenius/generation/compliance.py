"""Compliance of stored copy creatives: per creative and per campaign.

Copy creatives store their violations (with rule, span and source) in ``content.violations``;
this reads them back and sums them, so the API can answer "is this campaign ready to upload,
and what must be declared?" without re-running generation. Creatives written before the policy
layer existed are re-checked from their text, so every creative has a current answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from adgenius.domain import campaigns, creatives
from adgenius.tenancy.principal import Principal

from .copy_set import CopySet
from .policy import check_copy_set
from .policy.summary import ComplianceSummary, combine, summarize
from .rules import Violation, validate_lengths

MAX_CREATIVES = 1000  # a campaign's copy creatives read per request (pages of 100)


class CreativeCompliance(BaseModel):
    creative_id: str
    platform: str | None
    status: str
    compliance: ComplianceSummary


class CampaignCompliance(BaseModel):
    campaign_id: str
    copy_creatives: int = Field(description="Copy creatives checked.")
    compliant_creatives: int
    compliance: ComplianceSummary = Field(description="All the campaign's copy creatives.")
    creatives: list[CreativeCompliance]


def creative_violations(creative: creatives.Creative) -> list[Violation]:
    content: dict[str, Any] = creative.content
    stored = content.get("violations")
    if stored is not None and all("source" in v for v in stored):
        return [Violation.model_validate(v) for v in stored]
    fields = {k: v for k, v in content.items() if k in CopySet.model_fields and k != "platform"}
    copy = CopySet(platform=creative.platform, **fields)
    return validate_lengths(copy) + check_copy_set(copy, language=content.get("language"))


def campaign_compliance(
    tenant_id: str, campaign_id: str, principal: Principal
) -> CampaignCompliance:
    campaigns.get_campaign(tenant_id, campaign_id, principal)  # 404 when not visible
    filters = creatives.CreativeFilters(campaign_id=campaign_id, kind=creatives.CreativeKind.COPY)
    items: list[CreativeCompliance] = []
    cursor: str | None = None
    while len(items) < MAX_CREATIVES:
        page, cursor = creatives.list_creatives(
            tenant_id, principal, filters, limit=100, cursor=cursor
        )
        for creative in page:
            if creative.status == creatives.CreativeStatus.ARCHIVED:
                continue
            items.append(
                CreativeCompliance(
                    creative_id=creative.id,
                    platform=str(creative.platform),
                    status=creative.status.value,
                    compliance=summarize(creative_violations(creative)),
                )
            )
        if cursor is None:
            break
    return CampaignCompliance(
        campaign_id=campaign_id,
        copy_creatives=len(items),
        compliant_creatives=sum(i.compliance.compliant for i in items),
        compliance=combine(i.compliance for i in items),
        creatives=items,
    )

"""Insights: which attributes of a campaign's creatives go with better performance."""

from __future__ import annotations

from pydantic import BaseModel, Field

from adgenius.analytics import insights_service
from adgenius.analytics.insights import InsightMetric
from adgenius.api.routing import Call, Router
from adgenius.tenancy.roles import Permission

router = Router(tag="insights")


class InsightsQuery(BaseModel):
    model_config = {"extra": "forbid"}

    metric: InsightMetric = "ctr"
    days: int = Field(default=90, ge=7, le=365)


@router.get(
    "/v1/campaigns/<campaign_id>/insights",
    permission=Permission.CAMPAIGNS_READ,
    query=InsightsQuery,
    response=insights_service.CampaignInsights,
)
def get_insights(call: Call) -> insights_service.CampaignInsights:
    """Per attribute (angle, a number, a question, length, ...): the relative effect on the
    metric with a 90% interval (simultaneous over the attributes tested), how many creatives
    have it, and whether the data supports a claim; `insufficient_data` below 8 creatives."""
    q: InsightsQuery = call.query
    return insights_service.campaign_insights(
        call.tenant_id, call.params["campaign_id"], call.user, metric=q.metric, days=q.days
    )

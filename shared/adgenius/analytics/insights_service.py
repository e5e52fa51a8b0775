"""Campaign insights: a campaign's creatives, their attributes and their facts, through the model.

Facts come through the experiments' `ExperimentFacts` read interface (Firestore
`tenants/{t}/metric_facts` by default, in memory in tests), so insights read exactly what
experiments read, always under one tenant's path.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.analytics import facts as fact_store
from adgenius.analytics.attributes import binary_features, copy_attributes, creative_attributes
from adgenius.analytics.experiments.facts import ExperimentFacts, FirestoreFacts
from adgenius.analytics.insights import CreativePerformance, InsightMetric, Insights, estimate
from adgenius.domain.campaigns import get_campaign
from adgenius.tenancy import store
from adgenius.tenancy.principal import Principal

MAX_CREATIVES = 500  # newest first; a campaign's insight never needs more to be decisive


class CampaignInsights(Insights):
    campaign_id: str
    start: date
    end: date


def campaign_creatives(tenant_id: str, campaign_id: str) -> list[dict[str, object]]:
    query = (
        store.tenant_collection(tenant_id, store.CREATIVES)
        .where(filter=FieldFilter("campaign_id", "==", campaign_id))
        .limit(MAX_CREATIVES)
    )
    return [{"id": s.id, **(s.to_dict() or {})} for s in query.stream()]


def performances_from(
    tenant_id: str,
    creatives: list[dict[str, object]],
    source: ExperimentFacts,
    start: date,
    end: date,
) -> list[CreativePerformance]:
    """Per creative: its binary features and its summed facts over [start, end]."""
    features: dict[str, dict[str, bool]] = {}
    for c in creatives:
        content = c.get("content")
        attrs = creative_attributes(
            str(c.get("kind", "copy")), content if isinstance(content, dict) else {}
        )
        features[str(c["id"])] = binary_features(attrs)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for f in source.facts(tenant_id, sorted(features), start, end):
        if f.asset_key:  # an asset report's row: counted per asset, not again per creative
            continue
        s = sums[f.creative_id]
        s[0] += f.impressions
        s[1] += f.clicks
        s[2] += f.conversions
    return [
        CreativePerformance(
            creative_id=cid, features=features[cid], impressions=i, clicks=c, conversions=v
        )
        for cid, (i, c, v) in sorted(sums.items())
        if cid in features
    ]


def insights_for(
    tenant_id: str,
    campaign_id: str,
    *,
    metric: InsightMetric = "ctr",
    days: int = 90,
    source: ExperimentFacts | None = None,
    as_of: date | None = None,
    creatives: list[dict[str, object]] | None = None,
) -> CampaignInsights:
    """Insights without an access check, for the system's own use (steering generation)."""
    end = (as_of or datetime.now(UTC).date()) - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    if creatives is None:
        creatives = campaign_creatives(tenant_id, campaign_id)
    perf = performances_from(tenant_id, creatives, source or FirestoreFacts(), start, end)
    result = estimate(perf, metric)
    return CampaignInsights(**result.model_dump(), campaign_id=campaign_id, start=start, end=end)


LINE_FIELD = "headlines"  # the lines an asset report measures one by one


def line_insights(
    tenant_id: str,
    campaign_id: str,
    *,
    metric: InsightMetric = "ctr",
    days: int = 90,
    as_of: date | None = None,
    creatives: list[dict[str, object]] | None = None,
) -> Insights:
    """Attribute effects over the campaign's headlines, one unit per headline, from asset
    report facts (Google Ads reports each headline's impressions and clicks). A responsive ad
    has 15 headlines, so its own attributes ("a number somewhere") hardly vary between ads;
    its lines' do, and asset facts measure them. Empty (insufficient) without asset facts."""
    end = (as_of or datetime.now(UTC).date()) - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    if creatives is None:
        creatives = campaign_creatives(tenant_id, campaign_id)
    features: dict[str, dict[str, bool]] = {}
    for c in creatives:
        content = c.get("content")
        if c.get("kind") != "copy" or not isinstance(content, dict):
            continue
        language = str(content.get("language") or "en")
        for line in content.get(LINE_FIELD) or []:
            key = fact_store.asset_key_for_text(LINE_FIELD, str(line))
            if key not in features:
                attrs = copy_attributes({LINE_FIELD: [str(line)]}, language)
                features[key] = binary_features(attrs)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for f in fact_store.daily_facts(tenant_id, asset_keys=sorted(features)):
        if f.asset_key and start.isoformat() <= f.date <= end.isoformat():
            s = sums[f.asset_key]
            s[0] += f.impressions
            s[1] += f.clicks
            s[2] += f.conversions_micros / 1_000_000
    perf = [
        CreativePerformance(
            creative_id=key, features=features[key], impressions=i, clicks=c, conversions=v
        )
        for key, (i, c, v) in sorted(sums.items())
    ]
    return estimate(perf, metric, unit="headlines")


def campaign_insights(
    tenant_id: str,
    campaign_id: str,
    principal: Principal,
    *,
    metric: InsightMetric = "ctr",
    days: int = 90,
    source: ExperimentFacts | None = None,
    as_of: date | None = None,
) -> CampaignInsights:
    """Which attributes of this campaign's creatives go with better `metric` over the last
    `days` complete days. 404 for a campaign the caller does not see."""
    get_campaign(tenant_id, campaign_id, principal)
    return insights_for(
        tenant_id, campaign_id, metric=metric, days=days, source=source, as_of=as_of
    )

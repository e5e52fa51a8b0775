"""`POST /v1/metrics` (daily rows per creative or asset) and the performance reads.

A batch is checked as a whole before anything is written: one unknown creative or asset fails
the request with 400 naming `rows[i].<field>`, and nothing of it is applied.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from adgenius.analytics import facts as fact_store
from adgenius.analytics.facts import (
    PERFORMANCE_LABELS,
    DailyFact,
    asset_key_for_media,
    asset_key_for_text,
    asset_subject,
    creative_subject,
    normalise_text,
    plan_commits,
    upsert_facts,
)
from adgenius.analytics.imports import refresh_creative_metrics
from adgenius.analytics.matching import TEXT_FIELDS, TenantCatalog
from adgenius.analytics.rollups import Overall, Totals, TotalsView, overall_of
from adgenius.domain import campaigns, creatives
from adgenius.tenancy import store
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.principal import Principal

TextField = Literal["headlines", "descriptions", "long_headlines", "primary_texts", "business_name"]


class AssetRef(store.StrictModel):
    """An image or video asset (`asset_id`), or a text asset (`field` + `text`)."""

    asset_id: store.DocId | None = None
    field: TextField | None = None
    text: str | None = Field(default=None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _one_kind(self) -> AssetRef:
        if self.asset_id is None and not (self.field and self.text):
            raise ValueError("give asset_id, or field and text")
        if self.asset_id is not None and (self.field or self.text):
            raise ValueError("give asset_id, or field and text, not both")
        return self


class MetricRowIn(store.StrictModel):
    creative_id: store.DocId | None = None
    asset: AssetRef | None = None
    platform: Literal["google_ads", "meta"]
    date: date
    attribution: str = Field(default="default", pattern=r"^[a-z0-9_]{1,60}$")
    impressions: int = Field(default=0, ge=0, le=10**12)
    clicks: int = Field(default=0, ge=0, le=10**12)
    conversions: float = Field(default=0, ge=0, le=10**9)
    conversion_value_micros: int = Field(default=0, ge=0, le=10**18)
    cost_micros: int = Field(default=0, ge=0, le=10**18)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    reach: int | None = Field(default=None, ge=0, le=10**12)
    performance_label: str | None = None

    @model_validator(mode="after")
    def _valid(self) -> MetricRowIn:
        if self.creative_id is None and self.asset is None:
            raise ValueError("give creative_id or asset")
        if (self.cost_micros or self.conversion_value_micros) and not self.currency:
            raise ValueError("currency is required with cost or conversion value")
        if self.performance_label and self.performance_label not in PERFORMANCE_LABELS:
            raise ValueError(f"performance_label must be one of {', '.join(PERFORMANCE_LABELS)}")
        return self


class MetricsBatch(store.StrictModel):
    rows: list[MetricRowIn] = Field(min_length=1, max_length=1000)


class MetricsAccepted(BaseModel):
    rows: int
    facts_written: int
    facts_unchanged: int


def _to_micros(value: float) -> int:
    return int((Decimal(str(value)) * 1_000_000).to_integral_value())


def record_metrics(
    tenant_id: str, batch: MetricsBatch, principal: Principal, *, source: str
) -> MetricsAccepted:
    catalog = TenantCatalog(tenant_id)
    known = {
        cid: info
        for cid, info in catalog.creatives(
            r.creative_id for r in batch.rows if r.creative_id
        ).items()
        if principal.sees_brand(info.brand_id)  # brand-limited members: other brands look absent
    }
    problems: list[FieldProblem] = []
    out: list[DailyFact] = []

    def visible(creative_id: str) -> bool:
        info = catalog.creatives([creative_id]).get(creative_id)
        return info is not None and principal.sees_brand(info.brand_id)

    for i, row in enumerate(batch.rows):
        common = {
            "tenant_id": tenant_id,
            "platform": row.platform,
            "date": row.date.isoformat(),
            "attribution": row.attribution,
            "currency": row.currency,
            "impressions": row.impressions,
            "clicks": row.clicks,
            "conversions_micros": _to_micros(row.conversions),
            "conversion_value_micros": row.conversion_value_micros,
            "cost_micros": row.cost_micros,
            "reach": row.reach,
            "performance_label": row.performance_label,
            "source": source,
        }
        if row.creative_id and row.creative_id not in known:
            problems.append(
                FieldProblem(f"rows.{i}.creative_id", "not a creative of this workspace")
            )
            continue
        if row.asset is None:
            assert row.creative_id is not None
            cid = row.creative_id
            out.append(
                DailyFact(
                    **common,
                    subject=creative_subject(cid),
                    creative_id=cid,
                    creative_ids=[cid],
                    campaign_id=known[cid].campaign_id,
                )
            )
            continue
        if row.asset.asset_id:
            owner = catalog.asset(row.asset.asset_id)
            if owner is not None and not visible(owner[0]):
                owner = None
            if owner is None or (row.creative_id and owner[0] != row.creative_id):
                problems.append(
                    FieldProblem(f"rows.{i}.asset.asset_id", "not an asset of this creative")
                )
                continue
            key = asset_key_for_media(row.asset.asset_id)
            out.append(
                DailyFact(
                    **common,
                    subject=asset_subject(key),
                    asset_key=key,
                    creative_id=owner[0],
                    creative_ids=[owner[0]],
                    campaign_id=owner[1],
                )
            )
            continue
        assert row.asset.field and row.asset.text
        owners = catalog.text_index().get((row.asset.field, normalise_text(row.asset.text)), set())
        owners = {o for o in owners if visible(o)}
        if row.creative_id:
            owners = owners & {row.creative_id}
        if not owners:
            problems.append(
                FieldProblem(
                    f"rows.{i}.asset.text",
                    f"no creative of this workspace has this {row.asset.field} text",
                )
            )
            continue
        key = asset_key_for_text(row.asset.field, row.asset.text)
        ids = sorted(owners)
        campaigns_of = {catalog.campaign_of(c) for c in ids}
        out.append(
            DailyFact(
                **common,
                subject=asset_subject(key),
                asset_key=key,
                creative_id=ids[0] if len(ids) == 1 else None,
                creative_ids=ids,
                campaign_id=campaigns_of.pop() if len(campaigns_of) == 1 else None,
            )
        )
    if problems:
        raise InvalidInput("some rows name nothing of this workspace", details=problems[:50])
    try:
        merged = fact_store.merge_same_key(out)
    except ValueError as exc:
        raise InvalidInput(
            "two rows of one day in different currencies",
            details=[FieldProblem("rows", str(exc))],
        ) from exc
    written = unchanged = 0
    touched: set[str] = set()
    for group in plan_commits(merged):
        result = upsert_facts(tenant_id, group)
        written += result.written
        unchanged += result.unchanged
        touched |= result.creative_ids
    refresh_creative_metrics(tenant_id, sorted(touched))
    return MetricsAccepted(rows=len(batch.rows), facts_written=written, facts_unchanged=unchanged)


# --------------------------------------------------------------------------------- reads
class RangeQuery(BaseModel):
    model_config = {"extra": "forbid"}

    start: date | None = None
    end: date | None = None
    platform: Literal["google_ads", "meta"] | None = None


class AssetPerformance(BaseModel):
    asset_key: str
    field: str
    text: str | None = None
    asset_id: str | None = None
    performance_label: str | None = None
    totals: list[TotalsView]


class CreativePerformance(BaseModel):
    creative_id: str
    totals: list[TotalsView]
    overall: Overall
    daily: list[DailyFact]
    assets: list[AssetPerformance]


class DayTotals(BaseModel):
    date: str
    totals: list[TotalsView]


class CreativeTotals(BaseModel):
    creative_id: str
    totals: list[TotalsView]
    overall: Overall


class CampaignPerformance(BaseModel):
    campaign_id: str
    totals: list[TotalsView]
    overall: Overall
    daily: list[DayTotals]
    creatives: list[CreativeTotals]


def _views(groups: list[Totals]) -> list[TotalsView]:
    return [TotalsView.of(g) for g in groups]


def _texts_of(content: dict[str, object]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name in TEXT_FIELDS:
        values = content.get(name)
        if isinstance(values, list):
            out += [(name, v) for v in values if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(out))


def creative_performance(
    tenant_id: str, creative_id: str, principal: Principal, q: RangeQuery
) -> CreativePerformance:
    creative = creatives.get_creative(tenant_id, creative_id, principal)  # 404 / brand checks
    subject = creative_subject(creative_id)
    asset_rows: list[tuple[str, str, str | None, str | None]] = []  # key, field, text, asset id
    for name, text in _texts_of(creative.content):
        asset_rows.append((asset_key_for_text(name, text), name, text, None))
    for asset in creative.assets:
        asset_rows.append((asset_key_for_media(asset.id), "media", None, asset.id))
    subjects = [subject] + [asset_subject(k) for k, *_ in asset_rows]
    totals = fact_store.totals_for(tenant_id, subjects)
    daily = fact_store.daily_facts(
        tenant_id,
        creative_ids=[creative_id],
        platform=q.platform,
        start=q.start,
        end=q.end,
    )
    labels: dict[str, str] = {}
    asset_facts = fact_store.daily_facts(
        tenant_id, asset_keys=[k for k, *_ in asset_rows], platform=q.platform
    )
    for f in asset_facts:  # sorted by date: the latest label wins
        if f.asset_key and f.performance_label:
            labels[f.asset_key] = f.performance_label
    groups = [g for g in totals[subject] if not q.platform or g.platform == q.platform]
    return CreativePerformance(
        creative_id=creative_id,
        totals=_views(groups),
        overall=overall_of(groups),
        daily=daily,
        assets=[
            AssetPerformance(
                asset_key=key,
                field=name,
                text=text,
                asset_id=asset_id,
                performance_label=labels.get(key),
                totals=_views(totals.get(asset_subject(key), [])),
            )
            for key, name, text, asset_id in asset_rows
        ],
    )


def campaign_performance(
    tenant_id: str, campaign_id: str, principal: Principal, q: RangeQuery
) -> CampaignPerformance:
    campaigns.get_campaign(tenant_id, campaign_id, principal)  # 404 / brand checks
    groups = [
        g
        for g in fact_store.campaign_totals(tenant_id, campaign_id)
        if not q.platform or g.platform == q.platform
    ]
    daily = fact_store.campaign_daily(
        tenant_id,
        campaign_id,
        start=q.start.isoformat() if q.start else None,
        end=q.end.isoformat() if q.end else None,
    )
    per_creative = fact_store.creative_totals_in_campaign(tenant_id, campaign_id)
    return CampaignPerformance(
        campaign_id=campaign_id,
        totals=_views(groups),
        overall=overall_of(groups),
        daily=[
            DayTotals(
                date=day,
                totals=_views([g for g in gs if not q.platform or g.platform == q.platform]),
            )
            for day, gs in daily.items()
        ],
        creatives=[
            CreativeTotals(creative_id=cid, totals=_views(gs), overall=overall_of(gs))
            for cid, gs in sorted(per_creative.items())
        ],
    )

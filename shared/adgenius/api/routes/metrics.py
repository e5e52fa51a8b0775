"""Performance data coming home: daily rows, report imports, and performance reads."""

from __future__ import annotations

from adgenius.analytics import imports, metrics_service
from adgenius.api.routing import Call, ListQuery, Page, Reply, Router
from adgenius.tenancy.roles import Permission

router = Router(tag="metrics")


@router.post(
    "/v1/metrics",
    permission=Permission.METRICS_WRITE,
    body=metrics_service.MetricsBatch,
    response=metrics_service.MetricsAccepted,
)
def record_metrics(call: Call) -> metrics_service.MetricsAccepted:
    """Daily rows per creative or asset (up to 1000). A row replaces the fact with the same
    creative/asset, platform, date and attribution; rows of one batch with the same key add up.
    Checked as a whole: nothing is applied if one row names something unknown."""
    source = f"api:{call.user.api_key_id or call.user.uid or 'user'}"
    return metrics_service.record_metrics(call.tenant_id, call.body, call.user, source=source)


@router.post(
    "/v1/metrics/imports",
    permission=Permission.METRICS_WRITE,
    raw_body="*/*",
    query=imports.ImportOptions,
    response=imports.MetricImport,
    status=202,
    creates=True,
    errors=(413,),
)
def start_import(call: Call) -> Reply:
    """Upload a Google Ads or Meta Ads Manager report (CSV, or Excel-style UTF-16 TSV) as the raw
    body; it is parsed and applied in the background. Follow `metric_imports/{id}`."""
    started = imports.start_import(call.tenant_id, call.user, call.body, call.query)
    return Reply(body=started, status=202)


@router.get(
    "/v1/metrics/imports",
    permission=Permission.CREATIVES_READ,
    query=ListQuery,
    response=Page[imports.MetricImport],
)
def list_imports(call: Call) -> Page[imports.MetricImport]:
    """Report imports of the workspace, in id order."""
    items, cursor = imports.list_imports(
        call.tenant_id, limit=call.query.limit, cursor=call.query.cursor
    )
    return Page[imports.MetricImport](items=items, next_cursor=cursor)


@router.get(
    "/v1/metrics/imports/<import_id>",
    permission=Permission.CREATIVES_READ,
    response=imports.MetricImport,
)
def get_import(call: Call) -> imports.MetricImport:
    """One import's progress, counts and the rows it could not use (line and reason)."""
    return imports.get_import(call.tenant_id, call.params["import_id"])


@router.get(
    "/v1/creatives/<creative_id>/performance",
    permission=Permission.CREATIVES_READ,
    query=metrics_service.RangeQuery,
    response=metrics_service.CreativePerformance,
)
def creative_performance(call: Call) -> metrics_service.CreativePerformance:
    """Totals (per platform, attribution and currency; rates are ratios of sums), the daily
    facts and each asset's totals and latest performance label."""
    return metrics_service.creative_performance(
        call.tenant_id, call.params["creative_id"], call.user, call.query
    )


@router.get(
    "/v1/campaigns/<campaign_id>/performance",
    permission=Permission.CREATIVES_READ,
    query=metrics_service.RangeQuery,
    response=metrics_service.CampaignPerformance,
)
def campaign_performance(call: Call) -> metrics_service.CampaignPerformance:
    """Campaign totals, per-day totals and per-creative totals, all read from rollups."""
    return metrics_service.campaign_performance(
        call.tenant_id, call.params["campaign_id"], call.user, call.query
    )

"""Performance data in and exports out, through the real local stack.

- `metrics_import_100k_rows_s`: a 100,000-row Google Ads report (250 ads x 400 days, UTF-8 CSV
  with title lines and a total row) from the upload call to the import's `succeeded`: Storage,
  the Firestore trigger, the Pub/Sub parse step and the chunk steps. Baseline: writing the same
  facts directly with `upsert_facts` (same commits, one process, no parsing), same run.
- `export_rsa_1000_ads_s`: `GET .../exports/google_rsa` (UTF-16 TSV) of a campaign with 1,000
  approved responsive search ads, through the API. Baseline: building the same sheet in-process
  from the same creatives (no Firestore, no HTTP).
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from adgenius.analytics.facts import DailyFact, plan_commits, totals_for, upsert_facts
from adgenius.analytics.matching import match_rows
from adgenius.analytics.report_import import parse_report
from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, creative_documents
from adgenius.exports.google_editor import rsa_sheet
from adgenius.exports.sheets import Encoding, ExportCampaign, ExportCreative, encode
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.tenancy import store

ADS = int(os.environ.get("METRICS_BENCH_ADS", "250"))
DAYS = int(os.environ.get("METRICS_BENCH_DAYS", "400"))
EXPORT_ADS = 1000


def _creatives(ws: Workspace, n: int, tag: str) -> list[Creative]:
    stamp = store.now()
    out = []
    for i in range(n):
        out.append(
            Creative(
                id=f"{tag}{i:05d}",
                tenant_id=ws.tenant_id,
                brand_id=ws.brand_id,
                campaign_id=ws.campaign_id,
                kind=CreativeKind.COPY,
                platform="google_rsa",
                status=CreativeStatus.APPROVED,
                content={
                    "headlines": [f"Fresh coffee {i}", f"Roasted weekly {i}", "Free first bag"],
                    "descriptions": ["Small-batch beans at your door.", "Pause any time."],
                    "paths": ["coffee", "subscribe"],
                    "pins": {"headlines[0]": "H1"},
                },
                engine="bench",
                model="bench",
                prompt_version="bench@v1",
                created_at=stamp,
                updated_at=stamp,
            )
        )
    batch, pending = store.db().batch(), 0
    for c in out:
        for ref, data in creative_documents(c, []):
            batch.create(ref, data)
            pending += 1
        if pending >= 400:
            batch.commit()
            batch, pending = store.db().batch(), 0
    if pending:
        batch.commit()
    return out


def _report(ids: list[str]) -> bytes:
    lines = [
        "Ad report",
        '"January 1, 2025 - February 4, 2026"',
        "Labels,Day,Currency code,Impr.,Clicks,Cost,Conversions",
    ]
    start = date(2025, 1, 1)
    for i, cid in enumerate(ids):
        for d in range(DAYS):
            day = (start + timedelta(days=d)).isoformat()
            impressions = f"{1000 + d + i:,}"
            lines.append(
                f'ag:{cid},{day},USD,"{impressions}",{(d + i) % 97},{(d % 50) + 0.25:.2f},{d % 3}'
            )
    lines.append('Total: Account,,USD,"1,000",1,1.00,1')
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _import_through_pipeline(ws: Workspace, data: bytes) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    r = httpx.post(
        f"{ws.v1}/metrics/imports",
        content=data,
        params={"filename": "bench.csv"},
        headers={**ws.user.bearer, "Content-Type": "text/csv"},
        timeout=300,
    )
    r.raise_for_status()
    import_id = r.json()["id"]
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        doc = ws.call("GET", f"/metrics/imports/{import_id}").json()
        if doc["status"] in ("succeeded", "failed"):
            return time.monotonic() - started, doc
        time.sleep(0.5)
    raise TimeoutError(f"import {import_id} did not finish")


def _direct_writes_s(ws: Workspace, data: bytes) -> float:
    """The same facts, written with the same commits straight from one process."""
    report = parse_report(data)
    facts = match_rows(ws.tenant_id, report.rows, source="bench").facts
    other = f"bench-direct-{uuid.uuid4().hex[:8]}"
    moved = [DailyFact(**{**f.model_dump(), "tenant_id": other}) for f in facts]
    started = time.monotonic()
    for group in plan_commits(moved, reserve=4):
        upsert_facts(other, group)
    return time.monotonic() - started


def run(work_dir: Path) -> dict[str, dict]:
    stack = LocalStack(data_dir=work_dir / "data")
    info = stack.start()
    try:
        ws = create_workspace(info)
        ids = [c.id for c in _creatives(ws, ADS, "m")]
        data = _report(ids)
        pipeline_s, doc = _import_through_pipeline(ws, data)
        rows = ADS * DAYS
        if doc["status"] != "succeeded" or doc["rows_matched"] != rows:
            raise RuntimeError(f"the import did not apply every row: {doc}")
        # correct, not just fast: one creative's total equals the rows written for it
        first = totals_for(ws.tenant_id, [f"creative:{ids[0]}"])[f"creative:{ids[0]}"]
        expected = sum(1000 + d for d in range(DAYS))
        if sum(t.impressions for t in first) != expected:
            raise RuntimeError("imported totals differ from the report")
        direct_s = _direct_writes_s(ws, data)

        export_ws = create_workspace(info)
        creatives = _creatives(export_ws, EXPORT_ADS, "x")
        started = time.monotonic()
        r = export_ws.call(
            "GET",
            f"/campaigns/{export_ws.campaign_id}/exports/google_rsa",
            params={"encoding": "utf16_tsv"},
        )
        export_s = time.monotonic() - started
        r.raise_for_status()
        if r.headers["X-Export-Included"] != str(EXPORT_ADS):
            raise RuntimeError(f"export included {r.headers['X-Export-Included']} ads")
        campaign = ExportCampaign(
            id=export_ws.campaign_id, name="Autumn subscription", landing_url="https://x.example"
        )
        started = time.monotonic()
        plain = [
            ExportCreative(
                id=c.id, kind="copy", platform="google_rsa", status="approved", content=c.content
            )
            for c in creatives
        ]
        sheet = rsa_sheet(campaign, plain)
        encode(sheet.header, sheet.rows, Encoding.UTF16_TSV)
        export_direct_s = time.monotonic() - started
    finally:
        stack.stop()
    return {
        "metrics_import_100k_rows_s": {
            "value": round(pipeline_s, 2),
            "unit": "s",
            "baseline": round(direct_s, 2),
            "ratio": round(pipeline_s / direct_s, 3),
            "goal": f"information; {rows} rows upload -> succeeded (baseline: the same facts "
            "written directly, same commits)",
        },
        "export_rsa_1000_ads_s": {
            "value": round(export_s, 3),
            "unit": "s",
            "baseline": round(export_direct_s, 3),
            "ratio": round(export_s / export_direct_s, 3),
            "goal": "<= 10 s through the API (baseline: the same sheet built in-process)",
        },
    }

"""From a downloaded report to an experiment's decision, on the real emulators: the file is
uploaded through the API, parsed and applied by the metrics import's Pub/Sub steps, the fact
documents fire `experiments_on_fact`, which asks `experiments_evaluate` (Pub/Sub) for one
evaluation, which writes the decision on the experiment document. Importing the same report
again changes nothing in the decision; another tenant's import never reaches this experiment."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from analytics_helpers import Shop, make_shop

from adgenius.analytics import imports
from adgenius.analytics.experiments import service as experiments
from adgenius.cloud import messaging
from adgenius.localstack.stack import StackInfo

DAYS = 14
TODAY = datetime.now(UTC).date()  # (a run across midnight UTC would shift the window by a day)
START = TODAY - timedelta(days=DAYS)


@pytest.fixture(scope="module")
def shop(stack: StackInfo) -> Shop:
    return make_shop(stack, "exp-report")


@pytest.fixture(scope="module")
def rival(stack: StackInfo) -> Shop:
    return make_shop(stack, "exp-rival")


def google_report(rows: list[tuple[str, int, int]]) -> bytes:
    """A Google Ads ad report downloaded as "CSV" (UTF-8 with BOM, commas): title and date-range
    lines, our id in the Final URL suffix, one row per ad and day, a totals row.
    rows: (creative id, impressions per day, clicks per day) for each day of the window."""
    header = "Ad status,Final URL,Final URL suffix,Campaign,Ad group,Day,Currency code,Impr.,"
    header += "Clicks,Cost,Conversions"
    lines = ["Ad report", f"{START:%B %-d, %Y} - {TODAY:%B %-d, %Y}", header]
    for d in range(DAYS):
        day = (START + timedelta(days=d)).isoformat()
        for creative_id, impressions, clicks in rows:
            lines.append(
                f"Enabled,https://example.com/trail,utm_content={creative_id},Spring,AG,{day},"
                f'EUR,"{impressions:,}",{clicks},"{clicks * 0.4:,.2f}",0'
            )
    lines.append("Total: Account,,,,,,EUR,--,--,--,--")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def meta_report(rows: list[tuple[str, int, int]]) -> bytes:
    """A Meta Ads Manager export with the Day breakdown, our id in the Ad name."""
    lines = ["Reporting starts,Reporting ends,Ad name,Impressions,Link clicks,Amount spent (USD)"]
    for d in range(DAYS):
        day = (START + timedelta(days=d)).isoformat()
        for creative_id, impressions, clicks in rows:
            lines.append(f"{day},{day},Trail ad [ag:{creative_id}],{impressions},{clicks},1.00")
    return "\n".join(lines).encode("utf-8")


def start_experiment(shop: Shop, name: str) -> dict[str, Any]:
    body = {
        "campaign_id": shop.ws.campaign_id,
        "name": name,
        "metric": "ctr",
        "arms": [{"creative_id": c} for c in shop.rsa],
        "start_date": START.isoformat(),
    }
    r = shop.ws.call("POST", "/experiments", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def wait_experiment(
    shop: Shop, experiment_id: str, want: Callable[[dict[str, Any]], bool], timeout_s: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        r = shop.ws.call("GET", f"/experiments/{experiment_id}")
        assert r.status_code == 200, r.text
        last = dict(r.json())
        if last.get("decision") and want(last):
            return last
        time.sleep(0.25)
    raise AssertionError(f"the decision never matched; last: {last.get('decision')}")


def clicks_of(exp: dict[str, Any]) -> list[float]:
    return [a["clicks"] for a in exp["decision"]["snapshot"]["arms"]]


def reevaluated(shop: Shop, exp: dict[str, Any]) -> dict[str, Any]:
    """Ask for one more evaluation through Pub/Sub (as a new fact would) and wait for it."""
    before = exp["evaluated_at"]
    assert experiments.request_evaluation(shop.ws.tenant_id, exp["id"])
    return wait_experiment(shop, exp["id"], lambda e: e["evaluated_at"] != before)


def without_time(decision: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in decision.items() if k != "evaluated_at"}


def test_report_import_decides_the_experiment(shop: Shop, rival: Shop) -> None:
    a, b = shop.rsa
    exp = start_experiment(shop, "Headlines from the report")
    first = wait_experiment(shop, exp["id"], lambda e: True)
    assert first["decision"]["outcome"] == "insufficient_data"
    assert "A, B below 1000 impressions" in first["decision"]["reason"]

    # 14 days: A 2.0% CTR, B 3.0% CTR on 4,000 impressions a day each.
    report = google_report([(a, 4000, 80), (b, 4000, 120)])
    started = shop.upload(report, filename="Ad report.csv")
    done = shop.wait_import(started["id"])
    assert done["status"] == "succeeded", done
    assert (done["rows_matched"], done["skipped_totals"], done["facts_total"]) == (28, 1, 28)
    decided = wait_experiment(
        shop, exp["id"], lambda e: clicks_of(e) == [80.0 * DAYS, 120.0 * DAYS]
    )
    decision = decided["decision"]
    assert decision["outcome"] == "winner", decision["reason"]
    assert decision["winner"] == "arm1" and decision["losers"] == ["arm0"]
    assert decision["reason"].startswith("B beats A on CTR"), decision["reason"]
    assert "3.00% vs 2.00%" in decision["reason"]
    assert [x["impressions"] for x in decision["snapshot"]["arms"]] == [56_000.0, 56_000.0]
    assert decision["runtime_days"] == DAYS and decision["window_start"] == START.isoformat()
    win = {x["label"]: x for x in decision["arms"]}
    assert win["B"]["prob_best"] > 0.997 and win["B"]["allocation"] > win["A"]["allocation"]

    # Redelivery: the same report again, and the first import's chunk delivered once more.
    again = shop.wait_import(shop.upload(report, filename="Ad report.csv")["id"])
    assert again["status"] == "succeeded"
    assert again["facts_written"] == 0 and again["facts_unchanged"] == 28
    messaging.publish(
        imports.APPLY_TOPIC,
        imports.ChunkMessage(tenant_id=shop.ws.tenant_id, import_id=started["id"], chunk=0),
    )
    after = reevaluated(shop, decided)
    assert without_time(after["decision"]) == without_time(decision)

    # Another tenant imports a report naming this tenant's creatives (they match nothing there)
    # and its own, where its own experiment goes the other way.
    ra, rb = rival.rsa
    theirs = start_experiment(rival, "Rival headlines")
    mixed = google_report([(a, 9000, 900), (b, 9000, 10), (ra, 4000, 160), (rb, 4000, 40)])
    leak = rival.wait_import(rival.upload(mixed)["id"])
    assert leak["status"] == "succeeded" and leak["rows_matched"] == 2 * DAYS
    assert "not a creative of this workspace" in " ".join(p["reason"] for p in leak["problems"])
    meta = rival.wait_import(rival.upload(meta_report([(a, 5000, 500)]))["id"])
    assert meta["status"] == "succeeded" and meta["rows_matched"] == 0
    rival_decision = wait_experiment(
        rival, theirs["id"], lambda e: clicks_of(e) == [160.0 * DAYS, 40.0 * DAYS]
    )["decision"]
    assert rival_decision["outcome"] == "winner" and rival_decision["winner"] == "arm0"

    untouched = reevaluated(shop, after)
    assert without_time(untouched["decision"]) == without_time(decision)
    assert shop.ws.call("GET", f"/experiments/{theirs['id']}").status_code == 404
    assert rival.ws.call("GET", f"/experiments/{exp['id']}").status_code == 404

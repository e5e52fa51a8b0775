"""Experiments through the real stack: API, Firestore trigger on metric facts, the coalesced
Pub/Sub evaluation step, the decision document; tenant isolation and redelivery."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from api_helpers import Org

from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.tenancy import store


def _creatives(org: Org, n: int, campaign_id: str | None = None) -> list[str]:
    ids = []
    for _ in range(n):
        stamp = store.now()
        creative = Creative(
            id=store.new_id(), tenant_id=org.tenant_id, brand_id=org.brand_a,
            campaign_id=campaign_id or org.campaign_a, kind=CreativeKind.COPY,
            platform="google_rsa", status=CreativeStatus.APPROVED,
            content={"headlines": ["Run further"]}, created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        save_creative(creative)
        ids.append(creative.id)
    return ids


def _write_facts(tenant_id: str, creative_id: str, days: int, clicks: int) -> None:
    """What the metrics import writes: one document per creative, platform, day, attribution."""
    today = datetime.now(UTC).date()
    facts = store.tenant_collection(tenant_id, "metric_facts")
    for d in range(1, days + 1):
        day = (today - timedelta(days=d)).isoformat()
        facts.document(f"{creative_id}_google_{day}_7d_click").set(
            {
                "tenant_id": tenant_id, "creative_id": creative_id, "platform": "google",
                "date": day, "attribution": "7d_click", "impressions": 5000, "clicks": clicks,
                "conversions": 0, "conversion_value_micros": 0, "cost_micros": 0,
                "currency": "EUR",
            }
        )  # fmt: skip


def _wait_for(org: Org, experiment_id: str, want: Any, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    last: dict = {}
    while time.monotonic() < deadline:
        response = org.users["viewer"].get(f"/v1/experiments/{experiment_id}")
        assert response.status_code == 200, response.text
        last = response.json()
        if want(last):
            return last
        time.sleep(0.5)
    raise AssertionError(f"decision never matched; last: {last.get('decision')}")


def _body(org: Org, arms: list[str], **extra: Any) -> dict:
    start = (datetime.now(UTC).date() - timedelta(days=14)).isoformat()
    return {
        "campaign_id": org.campaign_a, "name": "Headline test", "metric": "ctr",
        "arms": [{"creative_id": c} for c in arms], "start_date": start, **extra,
    }  # fmt: skip


def test_create_validates_arms_and_fields(org: Org, other: Org) -> None:
    mine = _creatives(org, 2)
    editor = org.users["editor"]
    in_b = _creatives(org, 1, campaign_id=org.campaign_b)
    bad = editor.post("/v1/experiments", _body(org, [mine[0], in_b[0], other.creative_a]))
    assert bad.status_code == 400
    fields = {d["field"]: d["problem"] for d in bad.json()["error"]["details"]}
    assert fields == {"arms[1].creative_id": "not in this campaign",
                      "arms[2].creative_id": "no such creative"}  # fmt: skip
    split = editor.post("/v1/experiments", _body(org, mine, planned_split=[1, 1, 1]))
    assert split.status_code == 400
    assert org.users["viewer"].post("/v1/experiments", _body(org, mine)).status_code == 403
    thresholds = editor.post(
        "/v1/experiments", _body(org, mine, thresholds={"prob_best": 2, "unknown": 1})
    )
    assert thresholds.status_code == 400
    problems = {d["field"] for d in thresholds.json()["error"]["details"]}
    assert {"thresholds.prob_best", "thresholds.unknown"} <= problems


def test_facts_drive_the_decision_live_and_stay_in_their_tenant(org: Org, other: Org) -> None:
    arms = _creatives(org, 2)
    created = org.users["editor"].post("/v1/experiments", _body(org, arms))
    assert created.status_code == 201, created.text
    exp = created.json()
    assert exp["status"] == "running" and [a["label"] for a in exp["arms"]] == ["A", "B"]
    first = _wait_for(org, exp["id"], lambda e: e.get("decision") is not None)
    assert first["decision"]["outcome"] == "insufficient_data"

    # the other tenant has facts under the same creative ids, where A would win
    _write_facts(other.tenant_id, arms[0], 14, 200)
    _write_facts(other.tenant_id, arms[1], 14, 80)
    _write_facts(org.tenant_id, arms[0], 14, 100)
    _write_facts(org.tenant_id, arms[1], 14, 150)
    done = _wait_for(
        org, exp["id"],
        lambda e: (e.get("decision") or {}).get("snapshot", {}).get("arms", [{}])[1].get("clicks")
        == 14 * 150,
    )  # fmt: skip
    decision = done["decision"]
    assert decision["outcome"] == "winner" and decision["winner"] == "arm1"
    assert decision["reason"].startswith("B beats A on CTR with")
    assert [a["impressions"] for a in decision["snapshot"]["arms"]] == [70_000, 70_000]
    assert other.users["owner"].get(f"/v1/experiments/{exp['id']}").status_code == 404

    # a redelivered fact (the same document written again) changes nothing
    _write_facts(org.tenant_id, arms[1], 1, 150)
    time.sleep(3)
    again = org.users["viewer"].get(f"/v1/experiments/{exp['id']}").json()["decision"]
    assert again["input_hash"] == decision["input_hash"]
    assert again["winner"] == decision["winner"] and again["seed"] == decision["seed"]

    listed = org.users["viewer"].get(f"/v1/experiments?campaign_id={org.campaign_a}&limit=100")
    assert exp["id"] in [e["id"] for e in listed.json()["items"]]
    stop = org.users["editor"].post(f"/v1/experiments/{exp['id']}/stop")
    assert stop.status_code == 200 and stop.json()["status"] == "stopped"
    assert org.users["editor"].post(f"/v1/experiments/{exp['id']}/stop").status_code == 409
    archived = org.users["editor"].post(f"/v1/experiments/{exp['id']}/archive")
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert org.users["editor"].post(f"/v1/experiments/{exp['id']}/archive").status_code == 409

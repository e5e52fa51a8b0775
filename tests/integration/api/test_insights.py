"""Campaign insights through the real stack: creatives and metric facts in the Firestore
emulator, the API route, tenant isolation and input errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import Org

from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.tenancy import store


def _creative(org: Org, headline: str) -> str:
    stamp = store.now()
    creative = Creative(
        id=store.new_id(), tenant_id=org.tenant_id, brand_id=org.brand_a,
        campaign_id=org.campaign_a, kind=CreativeKind.COPY, platform="google_rsa",
        status=CreativeStatus.APPROVED, content={"headlines": [headline], "language": "en"},
        created_at=stamp, updated_at=stamp,
    )  # fmt: skip
    save_creative(creative)
    return creative.id


def _facts(tenant_id: str, creative_id: str, clicks: int, days: int = 10) -> None:
    today = datetime.now(UTC).date()
    facts = store.tenant_collection(tenant_id, "metric_facts")
    for d in range(1, days + 1):
        day = (today - timedelta(days=d)).isoformat()
        facts.document(f"{creative_id}_google_{day}_7d_click").set(
            {
                "tenant_id": tenant_id, "creative_id": creative_id, "platform": "google",
                "date": day, "attribution": "7d_click", "impressions": 4000, "clicks": clicks,
                "conversions": 0, "conversion_value_micros": 0, "cost_micros": 0,
                "currency": "EUR",
            }
        )  # fmt: skip


def test_insights_and_decided_experiments_steer_new_copy_within_the_tenant(
    new_org: Org, other: Org
) -> None:
    org = new_org  # a fresh tenant: no other test's creatives or facts in its campaign
    url = f"/v1/campaigns/{org.campaign_a}/insights"
    empty = org.users["viewer"].get(url)
    assert empty.status_code == 200, empty.text
    assert empty.json()["status"] == "insufficient_data" and empty.json()["effects"] == []

    numbered: list[str] = []
    plain: list[str] = []
    for i in range(6):
        with_number = _creative(org, f"Boils water in {60 + i * 10} seconds")
        numbered.append(with_number)
        without = _creative(org, f"Boils water quietly, model {'ABCDEF'[i]}")
        plain.append(without)
        _facts(org.tenant_id, with_number, 160 + 3 * i)  # ~4% CTR
        _facts(org.tenant_id, without, 80 + 2 * i)  # ~2% CTR
        # the other tenant's facts under the same ids say the opposite; they must not count
        _facts(other.tenant_id, with_number, 10)
        _facts(other.tenant_id, without, 400)

    got = org.users["viewer"].get(url)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["status"] == "ok" and body["creatives"] == 12
    number = next(e for e in body["effects"] if e["feature"] == "has_number")
    assert number["confident"] and number["relative_effect"] > 0.5
    assert number["interval"][0] > 0 and number["creatives_with"] == 6
    assert number["summary"].startswith("a number in the headline: +")

    assert other.users["owner"].get(url).status_code == 404
    bad = org.users["viewer"].get(f"{url}?metric=likes&days=3")
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"query.metric", "query.days"}

    # A decided experiment (as the evaluator writes it): a numbered headline beat a plain one.
    # The other tenant has an experiment on the same campaign id saying the opposite.
    for tenant_id, won, lost in (
        (org.tenant_id, numbered[0], plain[0]),
        (other.tenant_id, plain[1], numbered[1]),
    ):
        store.tenant_collection(tenant_id, "experiments").document("e1").set(
            {
                "campaign_id": org.campaign_a, "created_at": store.now(),
                "arms": [{"arm_id": "arm0", "creative_id": won},
                         {"arm_id": "arm1", "creative_id": lost}],
                "decision": {"outcome": "winner", "winner": "arm0", "losers": ["arm1"]},
            }
        )  # fmt: skip
    made = org.users["editor"].post(
        f"/v1/campaigns/{org.campaign_a}/copy", {"platform": "google_rsa", "variants": 1}
    )
    assert made.status_code == 201, made.text
    content = made.json()["creatives"][0]["content"]
    steering = content["steering"]
    assert steering["winners"] == [numbered[0]] and steering["losers"] == [plain[0]]
    assert steering["prefer"][0] == "has_number"
    assert any(s.startswith("a number in the headline: +") for s in steering["insights"])
    assert content["attributes"]["language"] == "en" and "angle" in content["attributes"]

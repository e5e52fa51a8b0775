"""Who may send performance data and read it: scopes, roles and brand limits."""

from __future__ import annotations

from api_helpers import Org


def _rows(creative_id: str) -> dict[str, object]:
    return {
        "rows": [
            {
                "creative_id": creative_id,
                "platform": "meta",
                "date": "2026-11-01",
                "impressions": 10,
                "clicks": 1,
            }
        ]
    }


def test_metrics_write_scope_and_roles(org: Org) -> None:
    assert org.keys["metrics:write"].post("/v1/metrics", _rows(org.creative_a)).status_code == 200
    assert org.users["editor"].post("/v1/metrics", _rows(org.creative_a)).status_code == 200
    for caller in (org.keys["read"], org.keys["generate"], org.users["viewer"]):
        r = caller.post("/v1/metrics", _rows(org.creative_a))
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"


def test_brand_limited_member_sees_and_writes_only_its_brand(org: Org) -> None:
    limited = org.users["limited"]  # editor of brand A only
    assert limited.post("/v1/metrics", _rows(org.creative_a)).status_code == 200
    r = limited.post("/v1/metrics", _rows(org.creative_b))
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "rows.0.creative_id"
    assert limited.get(f"/v1/creatives/{org.creative_b}/performance").status_code == 404
    assert limited.get(f"/v1/campaigns/{org.campaign_b}/performance").status_code == 404
    assert limited.get(f"/v1/creatives/{org.creative_a}/performance").status_code == 200


def test_other_tenants_performance_is_not_found(org: Org, other: Org) -> None:
    owner = org.users["owner"]
    assert owner.get(f"/v1/creatives/{other.creative_a}/performance").status_code == 404
    assert owner.get(f"/v1/campaigns/{other.campaign_a}/performance").status_code == 404
    assert owner.get(f"/v1/campaigns/{other.campaign_a}/exports/meta").status_code == 404
    r = owner.post("/v1/metrics", _rows(other.creative_a))
    assert r.status_code == 400

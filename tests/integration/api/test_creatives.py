"""Creatives: list with filters and pagination, get with assets, approve/reject/archive."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_helpers import Org

from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.tenancy import store


def _add_creatives(org: Org, n: int, **fields: object) -> list[str]:
    ids = []
    for _ in range(n):
        stamp = store.now()
        creative = Creative(
            id=store.new_id(),
            tenant_id=org.tenant_id,
            brand_id=fields.get("brand_id", org.brand_a),
            campaign_id=fields.get("campaign_id", org.campaign_a),
            kind=fields.get("kind", CreativeKind.COPY),
            platform=fields.get("platform", "google_rsa"),
            status=CreativeStatus.DRAFT,
            content={"headlines": ["Run further"]},
            engine=fields.get("engine", "vertex"),
            created_at=stamp,
            updated_at=stamp,
        )
        save_creative(creative)
        ids.append(creative.id)
    return ids


def test_get_creative_with_assets(org: Org) -> None:
    response = org.users["viewer"].get(f"/v1/creatives/{org.creative_a}")
    assert response.status_code == 200
    creative = response.json()
    assert creative["status"] == "draft" and creative["brand_id"] == org.brand_a
    assert [a["id"] for a in creative["assets"]] == [org.asset_a]
    assert creative["assets"][0]["ratio"] == "1:1"
    assert creative["ratios"] == ["1:1"] and creative["asset_ids"] == [org.asset_a]
    asset = creative["assets"][0]
    assert asset["url"] and quote(asset["storage_path"], safe="") in asset["url"]


@pytest.mark.parametrize(
    ("params", "expect"),
    [
        ({"kind": "image"}, "a"),
        ({"kind": "copy"}, "b"),
        ({"ratio": "1:1"}, "a"),
        ({"campaign_id": "B"}, "b"),
        ({"brand_id": "A"}, "a"),
        ({"platform": "meta", "status": "draft", "engine": "local"}, "ab"),
    ],
)
def test_list_filters(org: Org, params: dict, expect: str) -> None:
    resolved = {k: {"A": org.brand_a, "B": org.campaign_b}.get(v, v) for k, v in params.items()}
    response = org.users["viewer"].get("/v1/creatives", params={**resolved, "limit": 100})
    assert response.status_code == 200, response.text
    ids = {c["id"] for c in response.json()["items"]}
    wanted = {"a": org.creative_a, "b": org.creative_b}
    for letter, creative_id in wanted.items():
        assert (creative_id in ids) == (letter in expect), (params, letter)


@pytest.mark.parametrize(
    "params", [{"kind": "poster"}, {"status": "live"}, {"ratio": "wide"}, {"platform": "x"}]
)
def test_list_filter_validation(org: Org, params: dict) -> None:
    response = org.users["viewer"].get("/v1/creatives", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == f"query.{next(iter(params))}"


def test_cursor_pagination_is_stable(new_org: Org) -> None:
    _add_creatives(new_org, 7, engine="paged")
    viewer = new_org.users["viewer"]
    pages, cursor = [], None
    while True:
        params = {"engine": "paged", "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = viewer.get("/v1/creatives", params=params).json()
        pages.append([c["id"] for c in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    flat = [i for p in pages for i in p]
    assert flat == sorted(flat)  # stable order: by id
    # Walking the pages yields exactly what one big page yields: no repeats, no gaps.
    again = viewer.get("/v1/creatives", params={"engine": "paged", "limit": 100}).json()
    assert [c["id"] for c in again["items"]] == flat


def test_review_transitions_and_audit(new_org: Org) -> None:
    editor = new_org.users["editor"]
    creative_id = _add_creatives(new_org, 1)[0]

    approved = editor.post(f"/v1/creatives/{creative_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["review"]["by"]["id"] == new_org.uids["editor"]
    assert editor.post(f"/v1/creatives/{creative_id}/approve").status_code == 200  # repeatable

    assert editor.post(f"/v1/creatives/{creative_id}/reject", {}).status_code == 400
    long = editor.post(f"/v1/creatives/{creative_id}/reject", {"comment": "x" * 2001})
    assert long.status_code == 400
    rejected = editor.post(f"/v1/creatives/{creative_id}/reject", {"comment": "off-brand"})
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review"]["comment"] == "off-brand"

    archived = editor.post(f"/v1/creatives/{creative_id}/archive")
    assert archived.json()["status"] == "archived"
    assert editor.post(f"/v1/creatives/{creative_id}/approve").status_code == 409
    assert editor.post(f"/v1/creatives/{creative_id}/reject", {"comment": "x"}).status_code == 409

    listed = new_org.users["viewer"].get("/v1/creatives", params={"status": "archived"}).json()
    assert [c["id"] for c in listed["items"]] == [creative_id]

    actions = [
        s.get("action")
        for s in store.tenant_collection(new_org.tenant_id, store.AUDIT).stream()
        if s.get("target") == f"creatives/{creative_id}"
    ]
    assert sorted(actions) == ["creative.approved", "creative.archived", "creative.rejected"]


def test_brand_limited_member_sees_and_reviews_only_its_brand(org: Org) -> None:
    limited = org.users["limited"]
    ids = {c["id"] for c in limited.get("/v1/creatives", params={"limit": 100}).json()["items"]}
    assert org.creative_a in ids and org.creative_b not in ids
    assert limited.get(f"/v1/creatives/{org.creative_b}").status_code == 404
    assert limited.post(f"/v1/creatives/{org.creative_b}/archive").status_code == 404
    assert limited.get("/v1/creatives", params={"brand_id": org.brand_b}).json()["items"] == []

"""Campaigns: create, read with ETag, PATCH with If-Match, delete, brand filters and limits."""

from __future__ import annotations

import pytest
from api_helpers import Org


def _body(brand: str, **overrides: object) -> dict:
    body = {
        "brand_id": brand,
        "name": "Spring launch",
        "objective": "traffic",
        "offer": "TrailRunner 2",
        "product_facts": ["Weighs 220 g", "Recycled upper"],
        "landing_url": "https://example.com/trailrunner",
        "audiences": ["weekend trail runners"],
        "platforms": ["google_rsa", "meta"],
        "languages": ["en", "es-MX"],
    }
    body.update(overrides)
    return body


def test_campaign_lifecycle(new_org: Org) -> None:
    editor = new_org.users["editor"]
    created = editor.post("/v1/campaigns", _body(new_org.brand_a))
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["languages"] == ["en", "es"]
    assert campaign["created_by"]["id"] == new_org.uids["editor"]

    got = editor.get(f"/v1/campaigns/{campaign['id']}")
    assert got.status_code == 200 and got.json() == campaign
    etag = got.headers["ETag"]

    assert editor.patch(f"/v1/campaigns/{campaign['id']}", {"name": "x"}).status_code == 428
    patched = editor.patch(
        f"/v1/campaigns/{campaign['id']}",
        {"objective": "sales", "landing_url": None},
        headers={"If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["objective"] == "sales" and patched.json()["landing_url"] is None
    assert patched.json()["offer"] == "TrailRunner 2"

    for bad_etag in (etag, 'W/"1.000000000"', "garbage"):
        stale = editor.patch(
            f"/v1/campaigns/{campaign['id']}", {"name": "lost"}, headers={"If-Match": bad_etag}
        )
        assert stale.status_code == 412
    assert editor.get(f"/v1/campaigns/{campaign['id']}").json()["name"] == "Spring launch"

    assert editor.delete(f"/v1/campaigns/{campaign['id']}").status_code == 204
    assert editor.get(f"/v1/campaigns/{campaign['id']}").status_code == 404
    assert editor.delete(f"/v1/campaigns/{campaign['id']}").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"objective": "fame"}, "objective"),
        ({"platforms": []}, "platforms"),
        ({"platforms": ["tiktok"]}, "platforms.0"),
        ({"platforms": ["meta", "meta"]}, "platforms"),
        ({"languages": ["klingon"]}, "languages"),
        ({"landing_url": "ftp://example.com"}, "landing_url"),
        ({"offer": ""}, "offer"),
        ({"offer": "o" * 2001}, "offer"),
        ({"product_facts": "one fact"}, "product_facts"),
        ({"name": None}, "name"),
        ({"budget": 100}, "budget"),
        ({"brand_id": "../../etc"}, "brand_id"),
    ],
)
def test_campaign_validation(org: Org, overrides: dict, field: str) -> None:
    response = org.users["editor"].post("/v1/campaigns", _body(org.brand_a, **overrides))
    assert response.status_code == 400, response.text
    assert field in {d["field"] for d in response.json()["error"]["details"]}


def test_missing_required_fields_are_each_named(org: Org) -> None:
    response = org.users["editor"].post("/v1/campaigns", {})
    fields = {d["field"]: d["problem"] for d in response.json()["error"]["details"]}
    assert {"brand_id", "name", "objective", "offer", "platforms"} <= set(fields)
    assert set(fields.values()) == {"required"}


@pytest.mark.parametrize("patch", [{"brand_id": "other"}, {"name": None}, {"platforms": []}])
def test_campaign_patch_validation(org: Org, patch: dict) -> None:
    editor = org.users["editor"]
    etag = editor.get(f"/v1/campaigns/{org.campaign_a}").headers["ETag"]
    response = editor.patch(f"/v1/campaigns/{org.campaign_a}", patch, headers={"If-Match": etag})
    assert response.status_code == 400, response.text


def test_brand_filter_and_brand_limited_member(org: Org) -> None:
    viewer = org.users["viewer"]
    by_brand = viewer.get("/v1/campaigns", params={"brand_id": org.brand_b}).json()["items"]
    assert {c["brand_id"] for c in by_brand} == {org.brand_b}

    limited = org.users["limited"]
    visible = limited.get("/v1/campaigns").json()["items"]
    assert {c["brand_id"] for c in visible} == {org.brand_a}
    assert limited.get(f"/v1/campaigns/{org.campaign_b}").status_code == 404
    assert limited.get("/v1/campaigns", params={"brand_id": org.brand_b}).json()["items"] == []
    other_brand = limited.post("/v1/campaigns", _body(org.brand_b))
    assert other_brand.status_code == 400
    own_brand = limited.post("/v1/campaigns", _body(org.brand_a))
    assert own_brand.status_code == 201

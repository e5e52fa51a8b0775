"""Brands: CRUD, brand kit validation, ETag/If-Match, logo upload, brand-limited members."""

from __future__ import annotations

import io

import httpx
import pytest
from api_helpers import Org
from PIL import Image

from adgenius.cloud.clients import storage_client
from adgenius.settings import get_settings

KIT = {
    "voice": "warm, expert, no hype",
    "tone": "professional",
    "example_ads": ["Run further. Recover faster."],
    "banned_words": ["cheap"],
    "required_phrases": ["Terms apply."],
    "colors": ["#1a2b3c", "#FFFFFF"],
    "fonts": ["Inter"],
}


def _image(fmt: str = "PNG", size: tuple[int, int] = (300, 120)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "orange").save(buf, fmt)
    return buf.getvalue()


def test_brand_lifecycle(new_org: Org) -> None:
    admin = new_org.users["admin"]
    created = admin.post("/v1/brands", {"name": "Trail Co", "kit": KIT})
    assert created.status_code == 201, created.text
    brand = created.json()
    assert brand["kit"]["colors"] == ["#1A2B3C", "#FFFFFF"]
    assert brand["tenant_id"] == new_org.tenant_id
    assert created.headers["Location"] == f"/v1/brands/{brand['id']}"

    got = admin.get(f"/v1/brands/{brand['id']}")
    assert got.json() == brand
    etag = got.headers["ETag"]

    renamed = admin.patch(
        f"/v1/brands/{brand['id']}", {"name": "Trail Co 2"}, headers={"If-Match": etag}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Trail Co 2"
    assert renamed.json()["kit"] == brand["kit"]  # untouched
    assert renamed.headers["ETag"] != etag
    stale = admin.patch(f"/v1/brands/{brand['id']}", {"name": "Lost"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert admin.get(f"/v1/brands/{brand['id']}").json()["name"] == "Trail Co 2"
    # Without If-Match a brand update is unconditional (the web contract's choice).
    plain = admin.patch(f"/v1/brands/{brand['id']}", {"kit": {"voice": "bold"}})
    assert plain.status_code == 200 and plain.json()["kit"]["voice"] == "bold"
    assert plain.json()["kit"]["colors"] == []  # the kit is replaced as a whole

    assert admin.delete(f"/v1/brands/{brand['id']}").status_code == 204
    assert admin.get(f"/v1/brands/{brand['id']}").status_code == 404


def test_brand_with_campaigns_cannot_be_deleted(org: Org) -> None:
    response = org.users["owner"].delete(f"/v1/brands/{org.brand_a}")
    assert response.status_code == 409
    assert org.users["owner"].get(f"/v1/brands/{org.brand_a}").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kit": {}}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ok", "kit": {"colors": ["blue"]}}, "kit.colors"),
        ({"name": "ok", "kit": {"colors": "#FFFFFF"}}, "kit.colors"),
        (
            {"name": "ok", "kit": {"required_phrases": ["a", "b", "c", "d", "e"]}},
            "kit.required_phrases",
        ),
        ({"name": "ok", "kit": {"tone": "sarcastic"}}, "kit.tone"),
        ({"name": "ok", "kit": {"voice": "v" * 2001}}, "kit.voice"),
        ({"name": "ok", "kit": {"logo": "x"}}, "kit.logo"),
        ({"name": "ok", "tenant_id": "someone-else"}, "tenant_id"),
    ],
)
def test_brand_validation(org: Org, body: dict, field: str) -> None:
    response = org.users["admin"].post("/v1/brands", body)
    assert response.status_code == 400, response.text
    assert field in {d["field"] for d in response.json()["error"]["details"]}


def test_logo_is_validated_reencoded_and_stored(org: Org) -> None:
    admin = org.users["admin"]
    response = admin.put(
        f"/v1/brands/{org.brand_a}/logo",
        content=_image("JPEG", (2000, 800)),
        headers={"Content-Type": "image/jpeg"},
    )
    assert response.status_code == 200, response.text
    path = response.json()["logo_path"]
    assert path == f"tenants/{org.tenant_id}/brands/{org.brand_a}/logo.png"
    blob = storage_client().bucket(get_settings().bucket).blob(path)
    stored = Image.open(io.BytesIO(blob.download_as_bytes()))
    assert stored.format == "PNG"
    assert max(stored.size) == 1024  # capped
    served = httpx.get(response.json()["logo_url"])
    assert served.status_code == 200 and served.content == blob.download_as_bytes()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"definitely not an image", "not a readable image"),
        (_image()[:60], "not a readable image"),  # truncated PNG
        (b"\x89PNG" + b"\0" * (2 * 1024 * 1024 + 1), "larger than"),
    ],
)
def test_broken_logo_is_400_naming_the_field(org: Org, content: bytes, problem: str) -> None:
    response = org.users["admin"].put(
        f"/v1/brands/{org.brand_a}/logo", content=content, headers={"Content-Type": "image/png"}
    )
    assert response.status_code == 400, response.text
    details = response.json()["error"]["details"]
    assert details[0]["field"] == "logo" and problem in details[0]["problem"]


def test_brand_limited_member_sees_only_its_brands(org: Org) -> None:
    limited = org.users["limited"]
    listed = limited.get("/v1/brands").json()["items"]
    assert [b["id"] for b in listed] == [org.brand_a]
    assert limited.get(f"/v1/brands/{org.brand_b}").status_code == 404
    everyone = {b["id"] for b in org.users["viewer"].get("/v1/brands").json()["items"]}
    assert {org.brand_a, org.brand_b} <= everyone


def test_brand_pagination_is_stable_and_complete(new_org: Org) -> None:
    admin = new_org.users["admin"]
    for i in range(5):
        assert admin.post("/v1/brands", {"name": f"b{i}"}).status_code == 201
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/v1/brands", params=params).json()
        assert len(page["items"]) <= 2
        seen += [b["id"] for b in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    all_at_once = [b["id"] for b in admin.get("/v1/brands", params={"limit": 100}).json()["items"]]
    assert seen == all_at_once and len(seen) == 7 and len(set(seen)) == 7


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"cursor": "!!!"}, {"color": "red"}]
)
def test_bad_list_parameters_are_400(org: Org, params: dict) -> None:
    response = org.users["viewer"].get("/v1/brands", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["details"]

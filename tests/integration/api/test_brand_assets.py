"""The brand asset library over HTTP: uploads of every accepted type and of hostile files,
filters, usage rights, deletion, and isolation between brands and tenants."""

from __future__ import annotations

import io
from datetime import date, timedelta

import httpx
import pytest
from api_helpers import Org
from PIL import Image

from adgenius.cloud.storage import blob_store
from adgenius.domain.brand_assets import usable_assets
from adgenius.testing import sample_media as samples

MUG = samples.encode(samples.product_photo("mug", size=(1600, 1200)), "JPEG", quality=88)


def _upload(user, brand: str, data: bytes, content_type: str, **params: str) -> httpx.Response:
    return user.post(
        f"/v1/brands/{brand}/assets",
        content=data,
        headers={"Content-Type": content_type},
        params={"kind": "product", **params},
    )


def test_product_photo_is_stored_listed_patched_and_deleted(org: Org) -> None:
    editor = org.users["admin"]
    created = _upload(
        editor, org.brand_a, MUG, "image/jpeg", tags="Mug, coffee", caption="Red enamel mug"
    )
    assert created.status_code == 201, created.text
    asset = created.json()
    assert asset["storage_path"].startswith(
        f"tenants/{org.tenant_id}/brands/{org.brand_a}/assets/{asset['id']}"
    )
    assert asset["tags"] == ["mug", "coffee"] and asset["rights"] == "owned"
    assert (asset["width"], asset["height"]) == (1600, 1200)
    left, top, right, bottom = asset["subject"]
    assert 0.2 < left < 0.45 and right > 0.6 and (right - left) * (bottom - top) < 0.6
    served = httpx.get(asset["url"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (1600, 1200)
    thumb = Image.open(io.BytesIO(httpx.get(asset["thumbnail_url"]).content))
    assert max(thumb.size) == 320

    base = f"/v1/brands/{org.brand_a}/assets"
    by_tag = editor.get(base, params={"tag": "coffee"}).json()["items"]
    assert asset["id"] in [a["id"] for a in by_tag]
    assert asset["id"] not in [
        a["id"] for a in editor.get(base, params={"kind": "logo"}).json()["items"]
    ]
    assert asset["id"] not in [
        a["id"] for a in editor.get(base, params={"tag": "tea"}).json()["items"]
    ]

    patched = editor.patch(
        f"{base}/{asset['id']}",
        {"tags": ["mug", "gift"], "rights": "licensed", "licensed_until": "2099-12-31"},
    )
    assert patched.status_code == 200, patched.text
    assert (
        patched.json()["tags"] == ["mug", "gift"]
        and patched.json()["licensed_until"] == "2099-12-31"
    )
    bad = editor.patch(f"{base}/{asset['id']}", {"rights": "licensed", "licensed_until": None})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "licensed_until"

    assert editor.delete(f"{base}/{asset['id']}").status_code == 204
    assert editor.get(f"{base}/{asset['id']}").status_code == 404
    assert not blob_store().exists(asset["storage_path"])
    assert not blob_store().exists(asset["thumbnail_path"])


def test_near_duplicates_are_flagged(org: Org) -> None:
    editor = org.users["admin"]
    photo = samples.product_photo("bottle", colour=(30, 110, 70))
    first = _upload(editor, org.brand_b, samples.encode(photo, "PNG"), "image/png").json()
    smaller = samples.encode(photo.resize((600, 450)), "JPEG", quality=70)
    again = _upload(editor, org.brand_b, smaller, "image/jpeg")
    assert again.status_code == 201, again.text
    assert first["id"] in again.json()["near_duplicates"]


def test_logo_variants_are_inferred_or_taken(org: Org) -> None:
    editor = org.users["admin"]
    light = samples.encode(samples.logo("light", "square"), "PNG")
    inferred = _upload(editor, org.brand_a, light, "image/png", kind="logo")
    assert inferred.status_code == 201, inferred.text
    assert inferred.json()["variants"] == ["light", "square"]
    assert inferred.json()["mime_type"] == "image/png"  # transparency kept
    given = editor.post(
        f"/v1/brands/{org.brand_a}/assets?kind=logo&variant=dark&variant=wide",
        content=samples.encode(samples.logo("dark", "wide"), "PNG"),
        headers={"Content-Type": "image/png"},
    )
    assert given.status_code == 201 and given.json()["variants"] == ["dark", "wide"]


@pytest.mark.parametrize(
    ("data", "content_type", "note"),
    [
        (samples.png_16bit(4096), "image/png", "16-bit image reduced to 8 bits"),
        (samples.cmyk_jpeg(), "image/jpeg", "CMYK converted to RGB"),
        (samples.animated_gif(3), "image/gif", "the first of 3 frames was kept"),
        (samples.jpeg_with_orientation(6), "image/jpeg", "EXIF orientation applied"),
        (samples.encode(Image.new("RGB", (90, 60), "teal"), "WEBP"), "image/webp", None),
    ],
)
def test_every_accepted_type_is_cleaned_and_says_what_changed(
    org: Org, data: bytes, content_type: str, note: str | None
) -> None:
    response = _upload(org.users["admin"], org.brand_a, data, content_type, kind="lifestyle")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["mime_type"] in ("image/jpeg", "image/png")
    if note:
        assert any(note in n for n in body["notes"]), body["notes"]
    stored = blob_store().get(body["storage_path"])
    assert b"Exif" not in stored[:4096]


def test_clip_is_probed_and_gets_a_poster(org: Org) -> None:
    response = _upload(org.users["admin"], org.brand_a, samples.clip(4), "video/mp4", kind="clip")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["duration_s"] == pytest.approx(4, abs=0.6)
    assert body["storage_path"].endswith(".mp4") and body["phash"] is None
    assert Image.open(io.BytesIO(httpx.get(body["thumbnail_url"]).content)).size == (64, 48)


@pytest.mark.parametrize(
    ("data", "content_type", "params", "status", "field", "problem"),
    [
        (samples.png_bomb(), "image/png", {}, 400, "body", "decompression bomb"),
        (samples.truncated_jpeg(), "image/jpeg", {}, 400, "body", "truncated"),
        (MUG, "image/png", {}, 415, "Content-Type", "says image/png but the bytes are JPEG"),
        (MUG, "image/jpeg", {"filename": "mug.gif"}, 400, "filename", ".gif but the bytes"),
        (b"%PDF-1.7 not a picture", "image/jpeg", {}, 400, "body", "not a PNG, JPEG"),
        (samples.clip(1), "video/mp4", {}, 400, "query.kind", "kind=clip"),
        (MUG, "image/jpeg", {"kind": "clip"}, 400, "body", "MP4, QuickTime or WebM"),
        (samples.clip(61, fps=1), "video/mp4", {"kind": "clip"}, 400, "body", "at most 60 s"),
        (b"", "image/png", {}, 400, "body", "send the file"),
        (MUG, "image/jpeg", {"kind": "banner"}, 400, "query.kind", ""),
        (MUG, "image/jpeg", {"tags": "ok,<script>"}, 400, "query.tags", "letters, digits"),
    ],
)
def test_hostile_uploads_are_4xx_naming_field_and_problem(
    org: Org,
    data: bytes,
    content_type: str,
    params: dict[str, str],
    status: int,
    field: str,
    problem: str,
) -> None:
    response = _upload(org.users["admin"], org.brand_a, data, content_type, **params)
    assert response.status_code == status, response.text
    details = response.json()["error"]["details"]
    assert details[0]["field"] == field and problem in details[0]["problem"], details


def test_expired_assets_are_never_offered_to_generation(new_org: Org) -> None:
    editor = new_org.users["admin"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    expired = _upload(editor, new_org.brand_a, MUG, "image/jpeg", licensed_until=yesterday)
    assert expired.status_code == 201, expired.text
    today = date.today().isoformat()
    current = _upload(
        editor,
        new_org.brand_a,
        samples.encode(samples.logo(), "PNG"),
        "image/png",
        kind="logo",
        licensed_until=today,
    ).json()
    usable = [a.id for a in usable_assets(new_org.tenant_id, new_org.brand_a)]
    assert usable == [current["id"]]
    listed = editor.get(f"/v1/brands/{new_org.brand_a}/assets", params={"usable": "false"})
    assert [a["id"] for a in listed.json()["items"]] == [expired.json()["id"]]


def test_other_tenants_and_brands_never_see_the_assets(org: Org, other: Org) -> None:
    created = _upload(org.users["admin"], org.brand_b, MUG, "image/jpeg").json()
    path = f"/v1/brands/{org.brand_b}/assets"
    rival = other.users["owner"]
    assert rival.get(path).status_code == 404
    assert rival.get(f"{path}/{created['id']}").status_code == 404
    assert rival.patch(f"{path}/{created['id']}", {"caption": "x"}).status_code == 404
    assert rival.delete(f"{path}/{created['id']}").status_code == 404
    # Their own brand id with our asset id: still not found.
    assert rival.get(f"/v1/brands/{other.brand_b}/assets/{created['id']}").status_code == 404
    assert _upload(rival, org.brand_b, MUG, "image/jpeg").status_code == 404
    assert usable_assets(other.tenant_id, org.brand_b) == []
    limited = org.users["limited"]  # editor of brand_a only
    assert limited.get(path).status_code == 404
    assert limited.get(f"{path}/{created['id']}").status_code == 404
    assert _upload(org.users["viewer"], org.brand_a, MUG, "image/jpeg").status_code == 403

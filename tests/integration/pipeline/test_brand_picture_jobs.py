"""Image jobs for a brand with its own pictures: made from them, recorded on the creative,
filterable in the gallery; expired or other tenants' pictures are never used."""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import pytest
from PIL import Image
from pipeline_helpers import assets_of, creatives_of

from adgenius.cloud.storage import blob_store
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.testing import sample_media as samples

MUG_RED = (196, 72, 48)


def _upload(ws: Workspace, image: Image.Image, fmt: str, **params: str) -> str:
    mime = "image/png" if fmt == "PNG" else "image/jpeg"
    r = ws.call(
        "POST",
        f"/brands/{ws.brand_id}/assets",
        content=samples.encode(image, fmt),
        headers={"Content-Type": mime},
        params=params,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _share_of_colour(image: Image.Image, colour: tuple[int, int, int]) -> float:
    array = np.asarray(image.convert("RGB"), dtype=np.int16)
    close = np.abs(array - np.array(colour)).sum(axis=-1) < 40
    return float(close.mean())


@pytest.fixture(scope="module")
def pictures(workspace: Workspace, stack: StackInfo) -> dict:
    mug = _upload(
        workspace, samples.product_photo("mug", colour=MUG_RED), "JPEG", kind="product", tags="mug"
    )
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    expired = _upload(
        workspace,
        samples.product_photo("sneaker", colour=(40, 90, 200)),
        "JPEG",
        kind="product",
        licensed_until=yesterday,
    )
    logo = _upload(workspace, samples.logo("dark"), "PNG", kind="logo")
    rival = create_workspace(stack)
    rival_photo = _upload(rival, samples.product_photo("bottle"), "JPEG", kind="product")
    return {
        "mug": mug,
        "expired": expired,
        "logo": logo,
        "rival": rival,
        "rival_photo": rival_photo,
    }


def test_image_job_is_made_from_usable_brand_pictures_only(
    workspace: Workspace, pictures: dict
) -> None:
    mug, expired, logo = pictures["mug"], pictures["expired"], pictures["logo"]
    rival, rival_photo = pictures["rival"], pictures["rival_photo"]
    job_id = workspace.start_job({"kind": "image_set", "variants": 3, "ratios": ["1:1", "9:16"]})
    job = workspace.wait(job_id, 240)
    assert job["status"] == "succeeded", job
    creatives = creatives_of(workspace, job_id)
    assert len(creatives) == 6
    for creative in creatives:
        used = creative["content"]["brand_asset_ids"]
        assert used[0] == mug and expired not in used and rival_photo not in used
        assert logo in used
        # What the renderer drew is recorded for insights: the product photo, the logo's place.
        visual = creative["content"]["visual"]
        assert visual["subject"] == "product" and visual["people"] is False
        assert visual["logo_placement"] != "none"
        attrs = creative["content"]["attributes"]
        assert attrs["subject"] == "product" and attrs["logo_placement"] == visual["logo_placement"]
    for asset in assets_of(workspace, [c["id"] for c in creatives]):
        image = Image.open(io.BytesIO(blob_store().get(asset["storage_path"])))
        assert _share_of_colour(image, MUG_RED) > 0.03  # the product is in the picture

    gallery = workspace.call("GET", "/creatives", params={"brand_asset_id": mug, "limit": 100})
    assert gallery.status_code == 200, gallery.text
    assert {c["id"] for c in creatives} <= {c["id"] for c in gallery.json()["items"]}
    none = workspace.call("GET", "/creatives", params={"brand_asset_id": expired})
    assert none.json()["items"] == []
    theirs = rival.call("GET", "/creatives", params={"brand_asset_id": mug})
    assert theirs.status_code == 200 and theirs.json()["items"] == []
    both = workspace.call("GET", "/creatives", params={"brand_asset_id": mug, "ratio": "1:1"})
    assert both.status_code == 400
    assert both.json()["error"]["details"][0]["field"] == "query.brand_asset_id"


def test_video_job_pans_over_the_brand_photos_and_has_posters(
    workspace: Workspace, pictures: dict
) -> None:
    job_id = workspace.start_job({"kind": "video", "duration_s": 6, "ratio": "9:16", "scenes": 2})
    job = workspace.wait(job_id, 300)
    assert job["status"] == "succeeded", job
    (creative,) = creatives_of(workspace, job_id)
    assert creative["content"]["brand_asset_ids"] == [pictures["mug"]]
    posters = creative["content"]["posters"]
    assert set(posters) == {"9:16"}
    poster = Image.open(io.BytesIO(blob_store().get(posters["9:16"])))
    assert poster.size == (1080, 1920)
    assert _share_of_colour(poster, MUG_RED) > 0.02  # the product is on screen

"""Jobs through the whole local pipeline: API -> trigger -> Pub/Sub -> Cloud Tasks -> Storage."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image
from pipeline_helpers import assets_of, creatives_of, wait_in_firestore

from adgenius.cloud.storage import blob_store
from adgenius.localstack.workspace import Workspace
from adgenius.media.ratios import parse_ratio, size_of

pytestmark = pytest.mark.integration


def test_image_job_makes_exactly_n_creatives_and_assets(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "image_set", "variants": 3, "ratios": ["1:1", "9:16"]})
    job = workspace.wait(job_id, 180)
    assert job["status"] == "succeeded", job
    assert job["counts"] == {"total": 6, "pending": 0, "running": 0, "succeeded": 6,
                             "failed": 0, "cancelled": 0}  # fmt: skip
    creatives = creatives_of(workspace, job_id)
    assert len(creatives) == 6
    assert {c["id"] for c in creatives} == {i["creative_id"] for i in job["items"]}
    assets = assets_of(workspace, [c["id"] for c in creatives])
    assert len(assets) == 6
    for asset in assets:
        assert asset["storage_path"].startswith(f"tenants/{workspace.tenant_id}/")
        image = Image.open(io.BytesIO(blob_store().get(asset["storage_path"])))
        assert image.size == size_of(parse_ratio(asset["ratio"]))
        assert (asset["width"], asset["height"]) == image.size


def test_video_job_makes_a_decodable_video_of_the_asked_duration(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "video", "duration_s": 8, "ratio": "1:1", "scenes": 2})
    job = workspace.wait(job_id, 240)
    assert job["status"] == "succeeded", job
    creatives = creatives_of(workspace, job_id)
    assert [c["kind"] for c in creatives] == ["video"]
    (asset,) = assets_of(workspace, [creatives[0]["id"]])
    data = blob_store().get(asset["storage_path"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.mp4"
        path.write_bytes(data)
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
        reader = imageio_ffmpeg.read_frames(str(path))
        meta = next(reader)
        reader.close()
    assert abs(seconds - 8) <= 0.1
    assert tuple(meta["size"]) == (1080, 1080)
    assert frames > 0


def test_copy_batch_writes_one_copy_creative_per_platform(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "copy_batch", "platforms": ["google_rsa", "meta"]})
    job = workspace.wait(job_id, 120)
    assert job["status"] == "succeeded", job
    creatives = creatives_of(workspace, job_id)
    assert sorted(c["platform"] for c in creatives) == ["google_rsa", "meta"]
    rsa = next(c for c in creatives if c["platform"] == "google_rsa")
    assert len(rsa["content"]["headlines"]) == 15
    assert rsa["content"]["compliant"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "image_set", "ratios": ["3:2"]}, "ratios"),
        ({"kind": "image_set", "variants": 0}, "variants"),
        ({"kind": "video", "duration_s": 500}, "duration_s"),
        ({"kind": "sculpture"}, "kind"),
        ({"kind": "image_set", "colour": "red"}, "colour"),
    ],
)
def test_bad_job_requests_get_a_4xx_naming_the_field(
    workspace: Workspace, body: dict, field: str
) -> None:
    r = workspace.call("POST", f"/campaigns/{workspace.campaign_id}/jobs", json=body)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert any(
        field in (d.get("field") or "") or field in d.get("problem", "") for d in error["details"]
    ), error


def test_unknown_campaign_is_404(workspace: Workspace) -> None:
    r = workspace.call("POST", "/campaigns/nope/jobs", json={"kind": "image_set"})
    assert r.status_code == 404


def test_cancel_stops_items_not_started(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "image_set", "variants": 100, "ratios": ["1:1", "4:5"]})
    # Cancel as soon as the job is running.
    wait_in_firestore(workspace, job_id, lambda j: j.status.value == "running", 60)
    r = workspace.call("POST", f"/jobs/{job_id}/cancel")
    assert r.status_code == 200, r.text
    job = workspace.wait(job_id, 180)
    assert job["status"] == "cancelled"
    counts = job["counts"]
    assert counts["cancelled"] > 0
    assert counts["succeeded"] + counts["cancelled"] + counts["failed"] == 200
    # Every succeeded item has its creative; cancelled ones have none.
    creatives = creatives_of(workspace, job_id)
    assert len(creatives) == counts["succeeded"]
    assert workspace.call("POST", f"/jobs/{job_id}/cancel").status_code == 409


def test_jobs_are_listed_newest_first_across_pages(workspace: Workspace) -> None:
    started = [workspace.start_job({"kind": "copy_batch", "platforms": ["meta"]}) for _ in range(3)]
    first = workspace.call("GET", "/jobs", params={"limit": 2}).json()
    second = workspace.call("GET", "/jobs", params={"limit": 2, "cursor": first["next_cursor"]})
    listed = [j["id"] for j in first["items"] + second.json()["items"]]
    assert listed[:3] == started[::-1]
    stamps = [j["created_at"] for j in first["items"] + second.json()["items"]]
    assert stamps == sorted(stamps, reverse=True)
    for job_id in started:
        workspace.wait(job_id, 120)


def test_another_tenant_cannot_see_or_touch_the_job(workspace: Workspace, stack) -> None:
    from adgenius.localstack.workspace import create_workspace

    job_id = workspace.start_job({"kind": "copy_batch", "platforms": ["meta"]})
    other = create_workspace(stack)
    for method, path in [("GET", f"/jobs/{job_id}"), ("POST", f"/jobs/{job_id}/cancel"),
                         ("POST", f"/jobs/{job_id}/retry")]:  # fmt: skip
        r = other.call(method, path)
        assert r.status_code == 404, (method, path, r.text)
        assert job_id not in r.text
    listed = other.call("GET", "/jobs").json()["items"]
    assert job_id not in {j["id"] for j in listed}
    workspace.wait(job_id, 120)


def test_regenerate_and_more_like_this_start_jobs_from_a_creative(
    workspace: Workspace, stack
) -> None:
    from adgenius.localstack.workspace import create_workspace

    job = workspace.wait(
        workspace.start_job({"kind": "image_set", "variants": 1, "ratios": ["4:5"]}), 120
    )
    source_id = job["items"][0]["creative_id"]
    source = workspace.call("GET", f"/creatives/{source_id}").json()

    r = workspace.call(
        "POST", f"/creatives/{source_id}/regenerate", json={"comment": "warmer light, less text"}
    )
    assert r.status_code == 202, r.text
    again = workspace.wait(r.json()["id"], 120)
    assert again["status"] == "succeeded" and again["counts"]["total"] == 1
    assert again["request"]["comment"] == "warmer light, less text"
    assert [i["ratio"] for i in again["items"]] == ["4:5"]
    assert "warmer light" in again["items"][0]["spec"]["prompt"]

    r = workspace.call("POST", f"/creatives/{source_id}/more-like-this")
    assert r.status_code == 202, r.text
    more = workspace.wait(r.json()["id"], 120)
    assert more["status"] == "succeeded" and more["counts"]["total"] == 4
    headlines = {i["spec"]["headline"] for i in more["items"]}
    assert headlines == {source["content"]["headline"]}
    assert len({i["spec"]["seed"] for i in more["items"]}) == 4  # four different renditions

    other = create_workspace(stack)
    for path in (f"/creatives/{source_id}/regenerate", f"/creatives/{source_id}/more-like-this"):
        denied = other.call("POST", path, json={})
        assert denied.status_code == 404 and source_id not in denied.text
    too_long = workspace.call(
        "POST", f"/creatives/{source_id}/regenerate", json={"comment": "x" * 1001}
    )
    assert too_long.status_code == 400 and "comment" in too_long.text

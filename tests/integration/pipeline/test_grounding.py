"""Generation is grounded in brand memory: an approved creative becomes a winning example."""

from __future__ import annotations

import time

import pytest

from adgenius.localstack.workspace import Workspace

pytestmark = pytest.mark.integration


def test_approved_copy_grounds_the_next_generation(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "copy_batch", "platforms": ["google_rsa"]})
    job = workspace.wait(job_id, 120)
    approved = job["items"][0]["creative_id"]
    assert workspace.call("POST", f"/creatives/{approved}/approve").status_code == 200

    # The creatives trigger indexes it; wait until search sees it as approved.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        hits = workspace.call(
            "GET", "/search", params={"q": "coffee subscription", "status": "approved"}
        ).json()
        if any(h["creative"]["id"] == approved for h in hits.get("items", [])):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the approved creative never reached the index")

    # The synchronous copy endpoint and a copy job both record what grounded them.
    r = workspace.call(
        "POST", f"/campaigns/{workspace.campaign_id}/copy", json={"platform": "google_rsa"}
    )
    assert r.status_code == 201, r.text
    grounding = r.json()["creatives"][0]["content"]["grounding"]
    assert approved in grounding["winner_creative_ids"]

    job2 = workspace.wait(
        workspace.start_job({"kind": "copy_batch", "platforms": ["google_rsa"]}), 120
    )
    creative = workspace.call("GET", f"/creatives/{job2['items'][0]['creative_id']}").json()
    assert approved in creative["content"]["grounding"]["winner_creative_ids"]

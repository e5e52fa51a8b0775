"""Generation is grounded in brand memory: an approved creative becomes a winning example."""

from __future__ import annotations

import time
import uuid

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


def _wait_until_searchable(workspace: Workspace, creative_id: str, query: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        hits = workspace.call("GET", "/search", params={"q": query, "status": "approved"}).json()
        if any(h["creative"]["id"] == creative_id for h in hits.get("items", [])):
            return
        time.sleep(0.5)
    pytest.fail(f"{creative_id} never reached the index")


def test_a_winning_ad_runs_again_in_the_next_copy_job(workspace: Workspace) -> None:
    """The closed loop on the local engine: an approved ad's lines come back in new copy."""
    from adgenius.domain.creatives import (
        Creative,
        CreativeKind,
        CreativeStatus,
        save_creative_with_assets,
    )
    from adgenius.tenancy.store import now

    headline = "Roasted Monday, Yours Friday"  # no template of the local engine makes this
    winner = Creative(
        id=f"winner-{uuid.uuid4().hex[:8]}", tenant_id=workspace.tenant_id,
        brand_id=workspace.brand_id, campaign_id=workspace.campaign_id, kind=CreativeKind.COPY,
        platform="google_rsa", status=CreativeStatus.APPROVED, created_at=now(),
        updated_at=now(),
        content={
            "headlines": [headline, "Coffee Subscription, Done"],
            "descriptions": ["Single-origin coffee roasted to order and at your door each week."],
        },
    )  # fmt: skip
    save_creative_with_assets(winner, [])
    _wait_until_searchable(workspace, winner.id, "coffee subscription roasted to order")

    job = workspace.wait(
        workspace.start_job({"kind": "copy_batch", "platforms": ["google_rsa"]}), 120
    )
    made = workspace.call("GET", f"/creatives/{job['items'][0]['creative_id']}").json()
    assert winner.id in made["content"]["grounding"]["winner_creative_ids"]
    assert headline in made["content"]["headlines"]

"""The brand-memory index follows creatives through the real `creatives_indexer` trigger.

Generation job -> creative documents -> Firestore trigger -> Qdrant points -> GET /v1/search.
Status filters are answered by the index, so a creative showing up under `status=approved`
proves the trigger moved its points; `dropped` counts hits the API had to leave out because
the index still held a creative that Firestore no longer has (or no longer matches).
"""

from __future__ import annotations

import pytest
from rag_helpers import creative_ref, creatives_of_job, ids, query_for, search, wait_for_search

from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus
from adgenius.localstack.workspace import Workspace
from adgenius.tenancy.store import new_id, now

pytestmark = pytest.mark.integration


def test_index_follows_create_approve_metrics_archive_and_delete(workspace: Workspace) -> None:
    job_id = workspace.start_job({"kind": "copy_batch", "platforms": ["google_rsa", "meta"]})
    job = workspace.wait(job_id, 120)
    assert job["status"] == "succeeded", job
    rsa, meta = sorted(creatives_of_job(workspace, job_id), key=lambda c: c["platform"])
    assert (rsa["platform"], meta["platform"]) == ("google_rsa", "meta")
    q_rsa, q_meta = query_for(rsa), query_for(meta)

    # created -> indexed as drafts
    for creative, q in ((rsa, q_rsa), (meta, q_meta)):
        result, _ = wait_for_search(
            workspace, lambda r, c=creative: c["id"] in ids(r), q=q, status="draft", limit=50
        )
        hit = next(h for h in result["items"] if h["creative"]["id"] == creative["id"])
        assert hit["creative"]["status"] == "draft"
        assert hit["creative"]["tenant_id"] == workspace.tenant_id
        assert hit["text"] and 0 < hit["score"] <= 1.0001
    top = search(workspace, q=q_rsa, platform="google_rsa", limit=1)
    assert ids(top) == [rsa["id"]], "a creative's own headline must find it first"

    # approved -> the index answers status=approved with it (payload update, no re-embedding)
    r = workspace.call("POST", f"/creatives/{rsa['id']}/approve")
    assert r.status_code == 200, r.text
    wait_for_search(workspace, lambda r: rsa["id"] in ids(r), q=q_rsa, status="approved")
    wait_for_search(
        workspace,
        lambda r: rsa["id"] not in ids(r) and r["dropped"] == 0 and meta["id"] in ids(r),
        q=q_rsa,
        status="draft",
        limit=50,
    )

    # metrics -> performance in the payload; the status stays approved
    creative_ref(workspace, rsa["id"]).update(
        {"metrics": {"ctr": 0.042, "conversion_rate": 0.011, "impressions": 1200}}
    )
    result, _ = wait_for_search(
        workspace,
        lambda r: any(
            h["creative"]["id"] == rsa["id"] and (h["performance"] or {}).get("ctr") == 0.042
            for h in r["items"]
        ),
        q=q_rsa,
        status="approved",
    )
    hit = next(h for h in result["items"] if h["creative"]["id"] == rsa["id"])
    assert hit["performance"] == {"ctr": 0.042, "conversion_rate": 0.011, "impressions": 1200}

    # archived -> out of approved, in archived
    r = workspace.call("POST", f"/creatives/{rsa['id']}/archive")
    assert r.status_code == 200, r.text
    wait_for_search(workspace, lambda r: rsa["id"] in ids(r), q=q_rsa, status="archived")
    wait_for_search(
        workspace,
        lambda r: rsa["id"] not in ids(r) and r["dropped"] == 0,
        q=q_rsa,
        status="approved",
    )

    # deleted -> gone from the index (not merely hidden by the API's re-read)
    creative_ref(workspace, meta["id"]).delete()
    wait_for_search(
        workspace,
        lambda r: meta["id"] not in ids(r) and r["dropped"] == 0,
        q=q_meta,
        platform="meta",
        limit=50,
    )
    # and a deleted creative never comes back as a result meanwhile
    assert meta["id"] not in ids(search(workspace, q=q_meta, limit=50))


def test_invalid_metrics_never_block_indexing_or_reviews(workspace: Workspace) -> None:
    stamp = now()
    text = "Bad-metrics probe: cold brew concentrate in a refillable glass growler"
    creative = Creative(
        id=new_id(),
        tenant_id=workspace.tenant_id,
        brand_id=workspace.brand_id,
        campaign_id=workspace.campaign_id,
        kind=CreativeKind.COPY,
        platform="meta",
        status=CreativeStatus.DRAFT,
        content={"headline": text},
        created_at=stamp,
        updated_at=stamp,
    )
    doc = creative.model_dump(mode="json") | {"metrics": {"ctr": 7.5}}  # CTR above 100 %
    creative_ref(workspace, creative.id).create(doc)
    result, _ = wait_for_search(workspace, lambda r: creative.id in ids(r), q=text)
    assert (
        next(h for h in result["items"] if h["creative"]["id"] == creative.id)["performance"]
        is None
    )
    creative_ref(workspace, creative.id).update({"metrics": {"ctr": -1}})
    assert workspace.call("POST", f"/creatives/{creative.id}/approve").status_code == 200
    wait_for_search(workspace, lambda r: creative.id in ids(r), q=text, status="approved")

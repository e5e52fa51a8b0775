"""A job's quota on the local stack: charged for what it delivered, reserved again to retry."""

from __future__ import annotations

import time
import uuid

import pytest
from pipeline_helpers import wait_in_firestore

from adgenius.localstack.workspace import Workspace
from adgenius.pipeline import quota, steps, store
from adgenius.pipeline.model import Counts, Item, ItemStatus, Job, JobKind, JobStatus
from adgenius.tenancy import limits

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _images_used(ws: Workspace) -> float:
    return limits.read_usage(ws.tenant_id)["images"]


def _text_calls_used(ws: Workspace) -> float:
    return limits.read_usage(ws.tenant_id)["text_calls"]


def test_a_cancelled_job_is_charged_only_for_the_images_it_made(workspace: Workspace) -> None:
    before = _images_used(workspace)
    request = {"kind": "image_set", "variants": 200, "ratios": ["1:1", "4:5"]}
    job_id = workspace.start_job(request)
    assert _images_used(workspace) == before + 400  # reserved in full when accepted
    wait_in_firestore(workspace, job_id, lambda j: j.counts.succeeded >= 2)
    assert workspace.call("POST", f"/jobs/{job_id}/cancel").status_code == 200
    job = workspace.wait(job_id, 120)

    made = job["counts"]["succeeded"]
    assert job["status"] == "cancelled" and 2 <= made < 400, job["counts"]
    assert _images_used(workspace) == before + made
    assert job["quota_held"] == {"images": made}


def _copy_item(tenant_id: str, job_id: str, index: int) -> Item:
    return Item(
        id=f"g{index:02d}-meta-en", tenant_id=tenant_id, job_id=job_id, index=index,
        kind="copy", queue="copy-local", deadline=store.now(),
        spec={"platform": "meta", "language": "en", "seed": index},
    )  # fmt: skip


def _copy_job_with_outcomes(ws: Workspace, outcomes: list[ItemStatus]) -> Job:
    """A copy job whose items ended as `outcomes` (as if the models had said so), completed."""
    t, n = ws.tenant_id, len(outcomes)
    job_id = f"quota-{uuid.uuid4().hex[:10]}"
    need = {"text_calls": float(n)}
    quota.reserve(t, need)
    stamp = store.now()
    job = Job(
        id=job_id, tenant_id=t, campaign_id=ws.campaign_id, brand_id=ws.brand_id,
        kind=JobKind.COPY_BATCH, request={"kind": "copy_batch"}, status=JobStatus.RUNNING,
        phase="generating", counts=Counts(total=n, pending=n), created_at=stamp,
        updated_at=stamp, started_at=stamp, quota_held=need,
        quota_period=limits.current_period(stamp),
    )  # fmt: skip
    store.mark_once(t, job_id, "plan-published.r0")
    store.mark_once(t, job_id, "planned.r0")
    store.create_job(job)
    items = [_copy_item(t, job_id, i) for i in range(n)]
    store.create_items(items)
    for item, outcome in zip(items, outcomes, strict=True):
        store.item_finished(item, outcome, changes={"error_reason": "model said no"})
    steps.check_complete(t, job_id)
    ended = store.read_job(t, job_id)
    assert ended is not None and ended.status.terminal
    return ended


def test_a_retry_reserves_the_failed_items_again_and_they_are_charged(
    workspace: Workspace,
) -> None:
    before = _text_calls_used(workspace)
    failed, ok = ItemStatus.FAILED, ItemStatus.SUCCEEDED
    job = _copy_job_with_outcomes(workspace, [ok, failed, failed])
    assert job.status is JobStatus.PARTIALLY_SUCCEEDED
    assert _text_calls_used(workspace) == before + 1  # the two failed copy sets given back

    assert workspace.call("POST", f"/jobs/{job.id}/retry").status_code == 200
    assert _text_calls_used(workspace) == before + 3  # reserved again before any work
    done = workspace.wait(job.id, 120)  # the real pipeline makes the two copy sets

    assert done["status"] == "succeeded" and done["round"] == 1
    assert _text_calls_used(workspace) == before + 3
    assert done["quota_held"] == {"text_calls": 3}
    # A repeated completion gives nothing back twice.
    steps.finalize(Job(**{k: v for k, v in done.items() if k != "items"}))
    assert _text_calls_used(workspace) == before + 3


def test_a_retry_beyond_the_quota_is_402_and_changes_nothing(workspace: Workspace) -> None:
    job = _copy_job_with_outcomes(workspace, [ItemStatus.FAILED, ItemStatus.FAILED])
    assert job.status is JobStatus.FAILED and job.quota_held == {"text_calls": 0}
    room = limits.quotas_for(workspace.tenant_id).text_calls - _text_calls_used(workspace)
    limits.reserve_quota(workspace.tenant_id, "text_calls", room - 1)  # one call left, two needed
    try:
        response = workspace.call("POST", f"/jobs/{job.id}/retry")
        assert response.status_code == 402, response.text
        assert response.json()["error"]["code"] == "quota_exceeded"
        time.sleep(0.5)
        after = workspace.job(job.id)
        assert after["round"] == 0 and after["status"] == "failed"
        assert [i["status"] for i in after["items"]] == ["failed", "failed"]
        assert (
            limits.quotas_for(workspace.tenant_id).text_calls - _text_calls_used(workspace) == 1
        )  # the refused retry reserved nothing
    finally:
        limits.release_quota(workspace.tenant_id, "text_calls", room - 1)

"""At-least-once delivery and crashes: no work lost, nothing done twice."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from pipeline_helpers import assets_of, creatives_of, wait_in_firestore

from adgenius.cloud import messaging
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.localstack.workspace import Workspace
from adgenius.pipeline import store

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _assert_exact(ws: Workspace, job: dict, n: int) -> None:
    assert job["status"] == "succeeded", job
    assert job["counts"]["succeeded"] == n and job["counts"]["total"] == n
    creatives = creatives_of(ws, job["id"])
    ids = [c["id"] for c in creatives]
    assert len(ids) == n == len(set(ids))
    assets = assets_of(ws, ids)
    assert len(assets) == n == len({a["id"] for a in assets})


def test_functions_host_killed_mid_job_loses_and_duplicates_nothing(
    local_stack: LocalStack | None, workspace: Workspace
) -> None:
    if local_stack is None:
        pytest.skip("needs a stack this test session owns (ADGENIUS_REUSE_STACK is set)")
    job_id = workspace.start_job({"kind": "image_set", "variants": 60, "ratios": ["1:1", "4:5"]})
    wait_in_firestore(workspace, job_id, lambda j: j.counts.succeeded >= 4)
    local_stack.kill_functions_host()  # SIGKILL, mid-item
    killed_at = store.read_job(workspace.tenant_id, job_id)
    assert killed_at is not None and killed_at.counts.finished < 120, "the job ended before"
    time.sleep(2)
    local_stack.restart_functions_host()
    job = workspace.wait(job_id, 240)
    _assert_exact(workspace, job, 120)


def test_duplicate_messages_and_tasks_change_nothing(
    stack: StackInfo, workspace: Workspace
) -> None:
    job_id = workspace.start_job({"kind": "image_set", "variants": 4, "ratios": ["1:1"]})
    message = {"tenant_id": workspace.tenant_id, "job_id": job_id, "round": 0}
    # The plan message delivered again while the job runs...
    messaging.publish("job-plan", message)
    messaging.publish("job-plan", message)
    running = workspace.wait_for(job_id, lambda j: len(j["items"]) == 4, 60)
    # ...and every item task run twice more, concurrently.
    bodies = [
        {"tenant_id": workspace.tenant_id, "job_id": job_id, "item_id": i["id"], "round": 0}
        for i in running["items"]
    ]
    threads = [
        threading.Thread(
            target=httpx.post,
            args=(f"{stack.functions_base_url}/jobs_item",),
            kwargs={"json": b, "timeout": 60},
        )
        for b in bodies * 2
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    job = workspace.wait(job_id, 120)
    _assert_exact(workspace, job, 4)
    before = workspace.job(job_id)
    # After the end, replays of the plan message and of a task are absorbed too.
    messaging.publish("job-plan", message)
    httpx.post(f"{stack.functions_base_url}/jobs_item", json=bodies[0], timeout=60)
    time.sleep(2)
    after = workspace.job(job_id)
    assert after["counts"] == before["counts"] and after["status"] == before["status"]
    _assert_exact(workspace, after, 4)


def test_the_sweeper_redrives_an_item_whose_task_was_lost(
    stack: StackInfo, workspace: Workspace
) -> None:
    """A job whose only item never got a task (as if the enqueue was lost) still finishes."""
    from adgenius.pipeline import store
    from adgenius.pipeline.model import Counts, Item, Job, JobKind, JobStatus

    job_id = f"orphan-{int(time.time() * 1000)}"
    t = workspace.tenant_id
    # Planning already happened and its message was consumed: only the sweeper can rescue it.
    store.mark_once(t, job_id, "plan-published.r0")
    store.mark_once(t, job_id, "planned.r0")
    item = Item(
        id="g00-meta-en",
        tenant_id=t,
        job_id=job_id,
        index=0,
        kind="copy",
        queue="copy-local",
        spec={"platform": "meta", "language": "en", "audience": None, "seed": 7},
        deadline=store.now(),
    )
    store.create_items([item])
    stamp = store.now()
    store.create_job(
        Job(
            id=job_id,
            tenant_id=t,
            campaign_id=workspace.campaign_id,
            brand_id=workspace.brand_id,
            kind=JobKind.COPY_BATCH,
            request={"kind": "copy_batch"},
            status=JobStatus.RUNNING,
            phase="generating",
            counts=Counts(total=1, pending=1),
            created_at=stamp,
            updated_at=stamp,
            started_at=stamp,
        )
    )
    time.sleep(1)
    assert workspace.job(job_id)["items"][0]["status"] == "pending"  # nobody is working on it
    swept = httpx.post(f"{stack.functions_base_url}/jobs_sweeper", timeout=120).json()
    assert swept["redriven"] >= 1
    done = workspace.wait(job_id, 120)
    assert done["status"] == "succeeded"
    assert done["items"][0]["redrives"] == 1
    assert len(creatives_of(workspace, job_id)) == 1

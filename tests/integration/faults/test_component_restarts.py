"""The Pub/Sub emulator and the Tasks dispatcher restarted mid-job (their in-flight messages and
tasks are gone with them), and the functions host killed during a burst of API writes."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fault_helpers import (
    assert_complete_and_unique,
    assert_unfinished,
    succeeded_at_least,
    wait_terminal_sweeping,
    wait_until,
)

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import DEMO_CAMPAIGN, Workspace
from adgenius.pipeline import store

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_pubsub_restarted_mid_job(fault_stack: LocalStack, fault_ws: Workspace) -> None:
    job_id = fault_ws.start_job({"kind": "image_set", "variants": 6, "ratios": ["1:1"]})
    # Down before the plan message can be delivered: the job's first step rides on Pub/Sub.
    fault_stack.stop_component("pubsub")
    time.sleep(3)
    fault_stack.start_component("pubsub")
    job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    assert_complete_and_unique(fault_ws, job, 6)


def test_pubsub_down_when_a_video_job_is_to_be_assembled(
    fault_stack: LocalStack, fault_ws: Workspace
) -> None:
    """The scenes run on Cloud Tasks while Pub/Sub is down, so the "assemble" message of the last
    one meets no one; after the restart the sweeper publishes it again and the video is made."""
    job_id = fault_ws.start_job({"kind": "video", "duration_s": 12, "ratio": "1:1", "scenes": 3})

    def planned() -> bool:
        job = store.read_job(fault_ws.tenant_id, job_id)
        return job is not None and job.counts.total > 0

    wait_until(planned, 120, "the scenes planned", every_s=0.01)
    fault_stack.stop_component("pubsub", kill=True)  # at once: the scenes take seconds
    assert_unfinished(fault_ws, job_id)

    def scenes_done() -> bool:
        job = store.read_job(fault_ws.tenant_id, job_id)
        return job is not None and job.counts.finished >= job.counts.total

    wait_until(scenes_done, 180, "the scenes done", every_s=0.5)
    stuck = store.read_job(fault_ws.tenant_id, job_id)
    assert stuck is not None and not stuck.status.terminal, stuck  # no assembly without Pub/Sub
    fault_stack.start_component("pubsub")
    job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    assert job["status"] == "succeeded", job
    creatives = [
        d.to_dict()
        for d in firestore_client()
        .collection(f"tenants/{fault_ws.tenant_id}/creatives")
        .where("job_id", "==", job_id)
        .stream()
    ]
    assert [c["kind"] for c in creatives] == ["video"]


def test_tasks_dispatcher_restarted_mid_job(fault_stack: LocalStack, fault_ws: Workspace) -> None:
    job_id = fault_ws.start_job({"kind": "image_set", "variants": 16, "ratios": ["1:1"]})
    succeeded_at_least(fault_ws, job_id, 1)
    fault_stack.stop_component("tasks")  # queued tasks die with it
    assert_unfinished(fault_ws, job_id)
    time.sleep(3)
    fault_stack.start_component("tasks")
    job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    assert_complete_and_unique(fault_ws, job, 16)


def _create(ws: Workspace, key: str, body: dict[str, Any]) -> httpx.Response | None:
    try:
        return httpx.post(
            f"{ws.v1}/campaigns",
            json=body,
            headers={**ws.user.bearer, "Idempotency-Key": key},
            timeout=60,
        )
    except httpx.HTTPError:
        return None  # the connection died with the host: the client does not know the outcome


def test_host_killed_during_a_burst_of_api_writes(
    fault_stack: LocalStack, fault_ws: Workspace
) -> None:
    n = 40
    requests = [
        (uuid.uuid4().hex, {**DEMO_CAMPAIGN, "name": f"burst {i}", "brand_id": fault_ws.brand_id})
        for i in range(n)
    ]
    answers: dict[str, httpx.Response | None] = {}

    def send(key: str, body: dict[str, Any]) -> None:
        answers[key] = _create(fault_ws, key, body)

    threads = [threading.Thread(target=send, args=r) for r in requests]
    for t in threads:
        t.start()
    wait_until(
        lambda: any(r is not None and r.status_code == 201 for r in list(answers.values())),
        60,
        "a first write acknowledged",
        every_s=0.002,
    )
    fault_stack.kill_functions_host()
    for t in threads:
        t.join()
    fault_stack.restart_functions_host()
    cut = [k for k, r in answers.items() if r is None]
    print(f"burst: {n} writes, {n - len(cut)} answered, {len(cut)} cut by the kill")
    assert cut, "the kill came after every write had its answer: nothing was tested"

    acknowledged = {k: r.json()["id"] for k, r in answers.items() if r and r.status_code == 201}
    assert acknowledged, "no write was acknowledged before the kill"
    assert all(r is None or r.status_code < 500 for r in answers.values()), [
        (r.status_code, r.text) for r in answers.values() if r is not None
    ]
    # Every acknowledged write is there...
    for campaign_id in acknowledged.values():
        assert fault_ws.call("GET", f"/campaigns/{campaign_id}").status_code == 200

    # ...and every client retrying with its key gets one campaign per key, the same it was told.
    def retried(key: str, body: dict[str, Any]) -> str:
        r = wait_until(
            lambda: (x := _create(fault_ws, key, body)) and x.status_code == 201 and x,
            150,
            f"a retry of {key} answered 201",
            every_s=1.0,
        )
        return str(r.json()["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda r: retried(*r), requests))
    final = {key: ids[i] for i, (key, _) in enumerate(requests)}
    for key, campaign_id in acknowledged.items():
        assert final[key] == campaign_id
    listed = fault_ws.call("GET", "/campaigns", params={"limit": 100}).json()
    burst = [c for c in listed["items"] if c["name"].startswith("burst ")]
    assert sorted(c["id"] for c in burst) == sorted(final.values())
    assert len({c["name"] for c in burst}) == n


def test_a_retry_after_a_crash_between_write_and_record_makes_no_duplicate(
    fault_stack: LocalStack, fault_ws: Workspace
) -> None:
    """The window the burst can only hit by luck, made certain: the campaign was written, then
    the process died before it recorded the answer under the Idempotency-Key."""
    from datetime import UTC, datetime, timedelta

    from adgenius.tenancy import store as tenancy_store

    key = uuid.uuid4().hex
    name = f"crash window {key[:6]}"
    body = json.dumps({**DEMO_CAMPAIGN, "name": name, "brand_id": fault_ws.brand_id}).encode()
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    first = fault_ws.call("POST", "/campaigns", content=body, headers=headers)
    assert first.status_code == 201, first.text
    records = list(
        firestore_client()
        .collection(tenancy_store.IDEMPOTENCY)
        .where("request_hash", "==", hashlib.sha256(body).hexdigest())
        .stream()
    )
    assert len(records) == 1
    # As the dead process left it: pending, long enough ago to be taken for a crashed attempt.
    records[0].reference.update(
        {"state": "pending", "created_at": datetime.now(UTC) - timedelta(hours=1)}
    )
    retry = fault_ws.call("POST", "/campaigns", content=body, headers=headers)
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == first.json()["id"]
    listed = fault_ws.call("GET", "/campaigns", params={"limit": 100}).json()["items"]
    assert [c["id"] for c in listed if c["name"] == name] == [first.json()["id"]]

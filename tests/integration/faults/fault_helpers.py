"""What the fault tests check after every fault: each job terminal, nothing lost or doubled."""

from __future__ import annotations

import time
from typing import Any

import httpx

from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import GcsBlobStore
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import TERMINAL, Workspace
from adgenius.pipeline import store


def wait_until(condition: Any, timeout_s: float, what: str, every_s: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every_s)
    raise AssertionError(f"{what}: not within {timeout_s} s")


def succeeded_at_least(ws: Workspace, job_id: str, n: int, timeout_s: float = 120) -> None:
    def enough() -> bool:
        job = store.read_job(ws.tenant_id, job_id)
        return job is not None and job.counts.succeeded >= n

    wait_until(enough, timeout_s, f"{job_id}: {n} items succeeded")


def attempted_at_least(ws: Workspace, job_id: str, n: int, timeout_s: float = 120) -> None:
    """At least n items have started (so a fault already in place has met the job's work)."""

    def enough() -> bool:
        return sum(1 for i in store.list_items(ws.tenant_id, job_id) if i.attempts >= 1) >= n

    wait_until(enough, timeout_s, f"{job_id}: {n} items attempted", every_s=0.2)


def assert_unfinished(ws: Workspace, job_id: str) -> None:
    """The fault came while the job still had work left (else it tested nothing)."""
    job = store.read_job(ws.tenant_id, job_id)
    assert job is not None and not job.status.terminal, job
    assert job.counts.finished < job.counts.total or job.counts.total == 0, job.counts


def wait_terminal_sweeping(
    stack: LocalStack, ws: Workspace, job_id: str, timeout_s: float = 180
) -> dict[str, Any]:
    """Wait for the job to end, running the sweeper every few seconds as Cloud Scheduler would
    every minute (the fault stack's item budget is seconds, so a lost task is overdue soon)."""
    assert stack.info is not None
    deadline = time.monotonic() + timeout_s
    next_sweep = time.monotonic() + 3
    while time.monotonic() < deadline:
        job = ws.job(job_id)
        if job["status"] in TERMINAL:
            return job
        if time.monotonic() >= next_sweep:
            r = httpx.post(f"{stack.info.functions_base_url}/jobs_sweeper", timeout=120)
            assert r.status_code < 500, r.text
            next_sweep = time.monotonic() + 3
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} did not end in {timeout_s} s: {ws.job(job_id)}")


def assert_complete_and_unique(ws: Workspace, job: dict[str, Any], n: int) -> None:
    """Every item succeeded once: n creatives, n assets, each asset's object in Storage."""
    assert job["status"] == "succeeded", job
    assert job["counts"]["succeeded"] == n == job["counts"]["total"], job["counts"]
    db = firestore_client()
    creatives = [
        d.to_dict()
        for d in db.collection(f"tenants/{ws.tenant_id}/creatives")
        .where("job_id", "==", job["id"])
        .stream()
    ]
    ids = [c["id"] for c in creatives]
    assert len(ids) == n == len(set(ids)), ids
    assets = []
    for cid in ids:
        assets += [
            d.to_dict()
            for d in db.collection(f"tenants/{ws.tenant_id}/assets")
            .where("creative_id", "==", cid)
            .stream()
        ]
    assert len(assets) == n == len({a["id"] for a in assets})
    blobs = GcsBlobStore()
    for asset in assets:
        path = asset.get("storage_path")
        assert path and blobs.exists(path), asset

"""Foundation: the stack's start time and the diagnostics round trip through every hop."""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path

import httpx

from adgenius.cloud import messaging, tasks
from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import blob_store
from adgenius.localstack import tools
from adgenius.localstack.auth_users import user_with_claims
from adgenius.localstack.ports import free_port
from adgenius.localstack.process import ManagedProcess
from adgenius.localstack.stack import LocalStack

RUNS = 20


def _firestore_alone_start_s(work_dir: Path) -> float:
    port = free_port()
    proc = ManagedProcess(
        "firestore-alone",
        [
            str(tools.firestore_emulator()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--project_id",
            "bench",
        ],
        log_dir=work_dir,
    )
    started = time.monotonic()
    proc.start()
    try:
        proc.wait_ready(lambda: httpx.get(f"http://127.0.0.1:{port}/").status_code == 200, 60)
        return time.monotonic() - started
    finally:
        proc.stop()


def _direct_hops_ms() -> float:
    """The same work as one run, done directly in one process: what the wiring adds is the rest."""
    started = time.monotonic()
    ref = firestore_client().collection("bench_direct").document(uuid.uuid4().hex)
    ref.create({"status": "running"})
    messaging.publish("diagnostics-dead-letter", {"bench": True})
    tasks.enqueue("diagnostics", {"run_id": "bench-direct-noop"})
    blob_store().put(f"diagnostics/bench-{ref.id}.json", b"{}", "application/json")
    ref.update({"status": "done"})
    return (time.monotonic() - started) * 1000


def run(work_dir: Path) -> dict[str, dict]:
    baseline_start = _firestore_alone_start_s(work_dir)
    stack = LocalStack(data_dir=work_dir / "data")
    info = stack.start()
    try:
        start_s = stack.started_in_s or 0.0
        op = user_with_claims(
            info.auth_emulator, f"bench-{uuid.uuid4().hex[:6]}@example.com", {"operator": True}
        )
        totals: list[float] = []
        for _ in range(RUNS):
            run_id = httpx.post(f"{info.functions_base_url}/diagnostics", headers=op.bearer).json()[
                "run_id"
            ]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                body = httpx.get(
                    f"{info.functions_base_url}/diagnostics",
                    params={"run_id": run_id},
                    headers=op.bearer,
                ).json()
                if body["status"] == "done":
                    totals.append(float(body["total_ms"]))
                    break
                time.sleep(0.02)
        direct = statistics.median(_direct_hops_ms() for _ in range(RUNS))
    finally:
        stack.stop()
    roundtrip = statistics.median(totals)
    return {
        "diagnostics_roundtrip_ms": {
            "value": roundtrip,
            "unit": "ms",
            "baseline": direct,
            "ratio": roundtrip / direct,
            "goal": "every hop passes; p50 of 20 runs (baseline: the same writes done directly)",
        },
        "dev_stack_start_s": {
            "value": start_s,
            "unit": "s",
            "baseline": baseline_start,
            "ratio": start_s / baseline_start,
            "goal": "<= 30 s (baseline: the Firestore emulator alone)",
        },
    }

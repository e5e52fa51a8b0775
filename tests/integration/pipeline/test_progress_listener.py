"""A client follows a job through a Firestore real-time listener, as the web app does."""

from __future__ import annotations

import threading
import time

import pytest

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.workspace import Workspace

pytestmark = pytest.mark.integration


PHASES = ["queued", "planning", "generating", "assembling", "done"]


def _follow(ws: Workspace, body: dict, timeout_s: float = 240) -> tuple[list[str], list[dict]]:
    """Listen to the tenant's jobs BEFORE creating one, then record every phase it goes through."""
    events: list[dict] = []
    lock = threading.Lock()
    changed = threading.Event()

    def on_snapshot(_docs, changes, _read_time) -> None:  # type: ignore[no-untyped-def]
        with lock:
            for change in changes:
                events.append({"id": change.document.id, **(change.document.to_dict() or {})})
        changed.set()

    query = firestore_client().collection(f"tenants/{ws.tenant_id}/jobs")
    watch = query.on_snapshot(on_snapshot)
    try:
        job_id = ws.start_job(body)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            changed.wait(1.0)
            changed.clear()
            with lock:
                mine = [e for e in events if e["id"] == job_id]
            if mine and mine[-1]["status"] in TERMINAL:
                break
        else:
            raise AssertionError(f"no terminal state seen: {mine}")
    finally:
        watch.unsubscribe()
    phases: list[str] = []
    for event in mine:
        if not phases or phases[-1] != event["phase"]:
            phases.append(event["phase"])
    return phases, mine


TERMINAL = {"succeeded", "partially_succeeded", "failed", "cancelled"}


def _ordered(phases: list[str]) -> bool:
    positions = [PHASES.index(p) for p in phases]
    return positions == sorted(positions)


def test_listener_sees_every_phase_of_an_image_job_in_order(workspace: Workspace) -> None:
    seen, snapshots = _follow(
        workspace, {"kind": "image_set", "variants": 6, "ratios": ["1:1", "9:16"]}
    )
    assert _ordered(seen) and {"queued", "generating", "done"} <= set(seen), seen
    assert snapshots[-1]["status"] == "succeeded"
    # Progress arrived item by item, never going backwards.
    done = [s["counts"]["succeeded"] for s in snapshots]
    assert done == sorted(done) and done[-1] == 12
    assert len(set(done)) > 3  # several intermediate progress events, not just start and end


def test_listener_sees_assembly_of_a_video_job(workspace: Workspace) -> None:
    seen, _ = _follow(workspace, {"kind": "video", "duration_s": 6, "ratio": "1:1", "scenes": 1})
    assert _ordered(seen) and {"queued", "generating", "assembling", "done"} <= set(seen), seen


def test_listener_sees_a_copy_batch_from_creation_to_done(workspace: Workspace) -> None:
    seen, snapshots = _follow(workspace, {"kind": "copy_batch", "platforms": ["meta"]})
    assert seen[0] == "queued" and seen[-1] == "done"
    assert snapshots[-1]["status"] == "succeeded"

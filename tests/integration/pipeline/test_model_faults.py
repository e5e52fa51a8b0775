"""The pipeline on the Vertex AI path, against the fake Vertex server injecting faults.

30% of model calls fail with 429 or 500 and 5% of images are safety-blocked: every job must still
end in the right terminal state, each failed item carrying its reason, the rest delivered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pipeline_helpers import creatives_of

from adgenius.cloud.clients import reset_clients
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.settings import reset_settings_cache
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def fake_vertex() -> Iterator[FakeVertexServer]:
    with FakeVertexServer(seed=7, image_scale=0.25) as server:
        yield server


@pytest.fixture(scope="module")
def vertex_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_vertex: FakeVertexServer, stack: StackInfo
) -> Iterator[StackInfo]:
    local = LocalStack(
        data_dir=Path(tmp_path_factory.mktemp("vertex-stack")),
        extra_env={
            "ADGENIUS_ENGINE": "vertex",
            "ADGENIUS_VERTEX_BASE_URL": fake_vertex.base_url,
            "ADGENIUS_PIPELINE_BACKOFF_BASE_S": "0.2",
            "ADGENIUS_PIPELINE_BACKOFF_MAX_S": "1",
            "ADGENIUS_PIPELINE_POLL_INTERVAL_S": "0.5",
        },
        # The Veo and Imagen queues are throttled to their production quotas (0.5 and 2 tasks/s);
        # this stack runs them 20x faster so a chaos run fits in a test.
        queue_rate_multiplier=20,
    )
    info = local.start()
    try:
        yield info
    finally:
        local.stop()
        # Point this process back at the session's stack for the tests that follow.
        os.environ.update(stack.env())
        reset_settings_cache()
        reset_clients()


@pytest.fixture(scope="module")
def vertex_workspace(vertex_stack: StackInfo) -> Workspace:
    return create_workspace(vertex_stack)


def _faults(fake: FakeVertexServer, *, safety_route: str, safety_model: str) -> None:
    fake.set_faults(
        Fault(route="*", kind="error", status=429, probability=0.15),
        Fault(route="*", kind="error", status=500, probability=0.18),  # ~15% of the rest
        Fault(route=safety_route, model=safety_model, kind="safety", probability=0.06),
        seed=11,
    )


def test_image_job_under_quota_errors_and_safety_blocks(
    fake_vertex: FakeVertexServer, vertex_workspace: Workspace
) -> None:
    _faults(fake_vertex, safety_route="predict", safety_model="imagen-*")
    job_id = vertex_workspace.start_job({"kind": "image_set", "variants": 20, "ratios": ["1:1"]})
    job = vertex_workspace.wait(job_id, 300)
    fake_vertex.clear_faults()

    items = job["items"]
    counts = job["counts"]
    assert counts["total"] == 20 and counts["pending"] == counts["running"] == 0
    assert counts["succeeded"] + counts["failed"] == 20
    expected = (
        "succeeded"
        if counts["failed"] == 0
        else ("failed" if counts["succeeded"] == 0 else "partially_succeeded")
    )
    assert job["status"] == expected
    for item in items:
        if item["status"] == "failed":
            assert item["error_reason"], item
            assert item["error_kind"] in {"safety", "transient", "permanent"}
        else:
            assert item["status"] == "succeeded" and item["creative_id"]
    # With 6 attempts per item, 429/500 alone should essentially never exhaust an item.
    assert sum(i["error_kind"] == "transient" for i in items if i["status"] == "failed") <= 1
    assert len(creatives_of(vertex_workspace, job_id)) == counts["succeeded"]
    assert fake_vertex.calls("predict") > 20  # errors were really injected and retried


def test_every_model_call_blocked_fails_the_job_with_reasons(
    fake_vertex: FakeVertexServer, vertex_workspace: Workspace
) -> None:
    fake_vertex.set_faults(Fault(route="predict", model="imagen-*", kind="safety"))
    job_id = vertex_workspace.start_job({"kind": "image_set", "variants": 3, "ratios": ["1:1"]})
    job = vertex_workspace.wait(job_id, 120)
    fake_vertex.clear_faults()
    assert job["status"] == "failed"
    assert job["error"]
    assert all(i["error_kind"] == "safety" and "safety" in i["error_reason"] for i in job["items"])


def test_veo_video_job_polls_with_delayed_tasks_and_assembles(
    fake_vertex: FakeVertexServer, vertex_workspace: Workspace
) -> None:
    _faults(fake_vertex, safety_route="fetchPredictOperation", safety_model="veo-*")
    job_id = vertex_workspace.start_job(
        {"kind": "video", "duration_s": 12, "ratio": "9:16", "scenes": 2}
    )
    job = vertex_workspace.wait(job_id, 300)
    fake_vertex.clear_faults()
    assert job["status"] in {"succeeded", "partially_succeeded", "failed"}
    if job["status"] != "failed":
        (video,) = [c for c in creatives_of(vertex_workspace, job_id) if c["kind"] == "video"]
        assert video["engine"] == "vertex"
    else:
        assert all(i["error_reason"] for i in job["items"] if i["status"] == "failed")
    assert fake_vertex.calls("fetchPredictOperation") >= 2  # polled, not waited on

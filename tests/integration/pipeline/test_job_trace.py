"""One trace follows a real job through the local stack: API -> trigger -> plan -> item tasks ->
completion, each hop the child of the one that caused it (read back from the stack's span file)."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from adgenius.localstack import traces
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace

pytestmark = pytest.mark.integration


def _spans_of(path: Path, trace_id: str, until: str, timeout_s: float = 30) -> list[dict[str, Any]]:
    """The trace's spans once a span named `until` has been written (spans are written as they
    end, and the job reads as finished a moment before its completion span ends)."""
    deadline = time.monotonic() + timeout_s
    while True:
        spans = traces.trace_spans(traces.read_spans(path), trace_id)
        if any(s["name"] == until for s in spans) or time.monotonic() > deadline:
            return spans
        time.sleep(0.2)


def test_one_trace_spans_a_job_from_api_call_to_completion(
    stack: StackInfo, workspace: Workspace, tmp_path: Path
) -> None:
    assert stack.trace_file, "the stack names its span file"
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    r = workspace.call(
        "POST",
        f"/campaigns/{workspace.campaign_id}/jobs",
        json={"kind": "image_set", "variants": 2, "ratios": ["1:1"]},
        headers={
            "Idempotency-Key": uuid.uuid4().hex,
            "traceparent": f"00-{trace_id}-{caller_span}-01",
        },
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    job = workspace.wait(job_id, 180)
    assert job["status"] == "succeeded", job

    spans = _spans_of(Path(stack.trace_file), trace_id, until="jobs.complete")
    by_name: dict[str, list[dict[str, Any]]] = {}
    for s in spans:
        by_name.setdefault(s["name"], []).append(s)
    (api,) = by_name["POST /v1/campaigns/{id}/jobs"]
    (trigger,) = by_name["jobs.on_created"]
    (plan,) = by_name["jobs.plan"]
    items = by_name["jobs.item"]
    (complete,) = by_name["jobs.complete"]

    # The chain of causes, each span the child of the one before.
    assert api["parent_span_id"] == caller_span and api["kind"] == "SERVER"
    assert api["attributes"]["http.response.status_code"] == 202
    assert trigger["parent_span_id"] == api["span_id"]
    assert plan["parent_span_id"] == trigger["span_id"]
    assert len(items) == 2
    assert all(i["parent_span_id"] == plan["span_id"] for i in items)
    assert {i["attributes"]["adgenius.item_id"] for i in items} == {i["id"] for i in job["items"]}
    assert all(i["attributes"]["adgenius.result"] == "succeeded" for i in items)
    assert complete["parent_span_id"] in {i["span_id"] for i in items}
    assert complete["attributes"]["adgenius.status"] == "succeeded"
    # Every hop after the API is a function of its own, and names the job.
    assert [s["attributes"]["faas.name"] for s in (trigger, plan, items[0])] == [
        "jobs_on_created", "jobs_plan", "jobs_item"]  # fmt: skip
    assert {s["attributes"]["adgenius.job_id"] for s in (trigger, plan, *items)} == {job_id}
    # Children start after their parents: one clock-consistent timeline.
    assert (
        api["start_ns"]
        <= trigger["start_ns"]
        <= plan["start_ns"]
        <= min(i["start_ns"] for i in items)
    )
    # No personal data and no tenant id in any span (the tenant is a hash).
    dumped = json.dumps(spans)
    assert workspace.tenant_id not in dumped
    assert workspace.user.email not in dumped

    # The functions' log lines of this job carry Cloud Logging's trace field.
    log_text = (Path(stack.log_dir) / "functions.log").read_text(errors="replace")
    lines = [
        json.loads(line) for line in log_text.splitlines() if job_id in line and "{" in line[:1]
    ]
    finished = [e for e in lines if e.get("message") == "job finished"]
    assert finished, "the job's completion was logged"
    assert finished[-1]["logging.googleapis.com/trace"].endswith(f"/traces/{trace_id}")
    assert finished[-1]["logging.googleapis.com/spanId"] == complete["span_id"]
    item_lines = [e for e in lines if e.get("message") == "item task"]
    assert {e["logging.googleapis.com/spanId"] for e in item_lines} == {i["span_id"] for i in items}

    # And the timeline a developer opens shows them all.
    out = tmp_path / "trace.html"
    assert traces.main([trace_id, "--file", stack.trace_file, "--out", str(out)]) == 0
    page = out.read_text()
    for name in ("jobs.on_created", "jobs.plan", "jobs.item", "jobs.complete"):
        assert f">{name}<" in page


@pytest.mark.parametrize(
    "headers",
    [
        {"traceparent": "00-" + "z" * 32 + "-" + "0" * 16 + "-01"},
        {"traceparent": "x" * 8000},
        {"X-Cloud-Trace-Context": "../../etc/passwd;o=1"},
        {"traceparent": f"00-{'a' * 32}-{'b' * 16}-01", "tracestate": "=" * 600},
    ],
)
def test_a_hostile_trace_header_never_fails_a_request(
    workspace: Workspace, headers: dict[str, str]
) -> None:
    r = workspace.call("GET", f"/campaigns/{workspace.campaign_id}", headers=headers)
    assert r.status_code == 200, r.text

"""The generation pipeline's entry points, loaded by functions-framework, fed real CloudEvents."""

from __future__ import annotations

import base64

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from function_entry_helpers import entry_client, push_body
from google.events.cloud.firestore import Document, DocumentEventData, Value

from adgenius.pipeline import steps
from adgenius.pipeline.model import ItemTask, JobMessage


def test_job_created_trigger(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(steps, "on_job_created", lambda t, j: seen.append((t, j)))
    path = "tenants/t-1/jobs/j-1"
    payload = DocumentEventData(
        value=Document(
            name=f"projects/demo-adgenius/databases/(default)/documents/{path}",
            fields={"tenant_id": Value(string_value="t-1"), "status": Value(string_value="queued")},
        )
    )
    event = CloudEvent(
        {"type": "google.cloud.firestore.document.v1.created",
         "source": "//firestore.googleapis.com/projects/demo-adgenius/databases/(default)",
         "document": path, "datacontenttype": "application/protobuf"},
        DocumentEventData.serialize(payload),
    )  # fmt: skip
    headers, body = to_binary(event)
    r = entry_client("jobs_on_created").post("/", headers=headers, data=base64.b64encode(body))
    assert r.status_code == 200, r.data
    assert seen == [("t-1", "j-1")]


@pytest.mark.parametrize(
    ("function", "step"), [("jobs_plan", "on_plan"), ("jobs_assemble", "on_assemble")]
)
def test_pubsub_steps_parse_job_messages(
    monkeypatch: pytest.MonkeyPatch, function: str, step: str
) -> None:
    seen: list[JobMessage] = []
    monkeypatch.setattr(steps, step, seen.append)
    r = entry_client(function).post(
        "/", json=push_body({"tenant_id": "t", "job_id": "j", "round": 2})
    )
    assert r.status_code == 200, r.data
    assert seen == [JobMessage(tenant_id="t", job_id="j", round=2)]


@pytest.mark.parametrize("function", ["jobs_plan", "jobs_assemble"])
def test_a_malformed_message_is_refused_so_it_can_be_dead_lettered(
    monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    monkeypatch.setattr(steps, "on_plan", lambda m: pytest.fail("must not run"))
    monkeypatch.setattr(steps, "on_assemble", lambda m: pytest.fail("must not run"))
    r = entry_client(function).post("/", json=push_body({"marker": "poison"}))
    assert r.status_code >= 500  # not acknowledged: Pub/Sub redelivers, then dead-letters it


def test_item_task_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[ItemTask] = []
    monkeypatch.setattr(steps, "on_item_task", lambda t: seen.append(t) or "succeeded")
    client = entry_client("jobs_item")
    body = {"tenant_id": "t", "job_id": "j", "item_id": "v000-1x1", "attempt": 1}
    r = client.post("/", json=body, headers={"X-Correlation-Id": "c"})
    assert r.status_code == 200 and r.get_json() == {"result": "succeeded"}
    assert seen == [ItemTask(**body)]
    # A task that can never succeed is acknowledged, not retried forever.
    bad = client.post("/", json={"job_id": "j"})
    assert bad.status_code == 200 and bad.get_json()["result"] == "rejected"
    assert len(seen) == 1


def test_sweeper_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    from adgenius.pipeline import due, tenant_purge

    monkeypatch.setattr(due, "anything_due", lambda: True)
    monkeypatch.setattr(steps, "sweep", lambda: {"redriven": 2, "failed": 0})
    monkeypatch.setattr(tenant_purge, "recheck_due", lambda: 1)
    r = entry_client("jobs_sweeper").post("/")
    assert r.status_code == 200
    assert r.get_json() == {"redriven": 2, "failed": 0, "tenant_rechecks": 1}


def test_sweeper_entry_with_nothing_due_runs_no_step(monkeypatch: pytest.MonkeyPatch) -> None:
    from adgenius.pipeline import due, tenant_purge

    monkeypatch.setattr(due, "anything_due", lambda: False)
    monkeypatch.setattr(steps, "sweep", lambda: pytest.fail("nothing is due"))
    monkeypatch.setattr(tenant_purge, "recheck_due", lambda: pytest.fail("nothing is due"))
    r = entry_client("jobs_sweeper").post("/")
    assert r.status_code == 200
    assert r.get_json() == {
        "redriven": 0, "failed": 0, "replanned": 0, "reassembled": 0, "tenant_rechecks": 0
    }  # fmt: skip

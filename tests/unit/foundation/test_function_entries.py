"""Each function's entry point, loaded by functions-framework, fed real CloudEvents.

The domain call behind the thin entry is replaced by a recorder: these tests pin the parsing and
dispatch of the entry, the emulator-backed tests pin the whole flow.
"""

from __future__ import annotations

import base64
import json

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from function_entry_helpers import entry_client
from google.events.cloud.firestore import Document, DocumentEventData, Value

from adgenius.diagnostics import pipeline


def _firestore_event(
    path: str, fields: dict[str, Value], *, base64_body: bool
) -> tuple[dict, bytes]:
    payload = DocumentEventData(
        value=Document(
            name=f"projects/demo-adgenius/databases/(default)/documents/{path}", fields=fields
        )
    )
    event = CloudEvent(
        {
            "type": "google.cloud.firestore.document.v1.created",
            "source": "//firestore.googleapis.com/projects/demo-adgenius/databases/(default)",
            "subject": f"documents/{path}",
            "document": path,
            "datacontenttype": "application/protobuf",
        },
        DocumentEventData.serialize(payload),
    )
    headers, body = to_binary(event)
    if base64_body:  # what the Firestore emulator sends
        body = base64.b64encode(body)
    return headers, body


@pytest.mark.parametrize("base64_body", [True, False], ids=["emulator-base64", "eventarc-raw"])
def test_firestore_trigger_entry(monkeypatch: pytest.MonkeyPatch, base64_body: bool) -> None:
    seen: list[str] = []
    monkeypatch.setattr(pipeline, "on_run_created", seen.append)
    headers, body = _firestore_event(
        "diagnostics/run-42",
        {"status": Value(string_value="running"), "correlation_id": Value(string_value="c1")},
        base64_body=base64_body,
    )
    r = entry_client("diagnostics_on_run").post("/", headers=headers, data=body)
    assert r.status_code == 200, r.data
    assert seen == ["run-42"]


def test_pubsub_entry_takes_a_raw_push_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(pipeline, "on_step", seen.append)
    envelope = {
        "message": {
            "data": base64.b64encode(json.dumps({"run_id": "run-7"}).encode()).decode(),
            "attributes": {"correlation_id": "abc"},
            "messageId": "m1",
            "publishTime": "2026-11-26T00:00:00Z",
        },
        "subscription": "projects/demo-adgenius/subscriptions/diagnostics-diagnostics_step",
    }
    r = entry_client("diagnostics_step").post("/", json=envelope)
    assert r.status_code == 200, r.data
    assert seen == ["run-7"]


def test_pubsub_entry_takes_a_cloudevent(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(pipeline, "on_step", seen.append)
    event = CloudEvent(
        {
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
            "source": "//pubsub.googleapis.com/projects/demo-adgenius/topics/diagnostics",
        },
        {"message": {"data": base64.b64encode(b'{"run_id": "run-8"}').decode(), "messageId": "2"}},
    )
    headers, body = to_binary(event)
    r = entry_client("diagnostics_step").post("/", headers=headers, data=body)
    assert r.status_code == 200, r.data
    assert seen == ["run-8"]


def test_task_entry_acknowledges_malformed_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(pipeline, "on_task", seen.append)
    client = entry_client("diagnostics_task")
    assert client.post("/", json={"run_id": "run-9"}).status_code == 200
    assert client.post("/", data=b"not json").status_code == 200
    assert client.post("/", json={"run_id": 5}).status_code == 200
    assert seen == ["run-9"]

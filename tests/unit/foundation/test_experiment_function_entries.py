"""The experiments' entry points, loaded by functions-framework, fed real CloudEvents."""

from __future__ import annotations

import base64

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from function_entry_helpers import entry_client, push_body
from google.events.cloud.firestore import Document, DocumentEventData, Value

from adgenius.analytics.experiments import service


def _fact_event(path: str, creative: str | None, old: str | None = None) -> tuple[dict, bytes]:
    def doc(c: str) -> Document:
        return Document(
            name=f"projects/demo-adgenius/databases/(default)/documents/{path}",
            fields={"creative_id": Value(string_value=c), "clicks": Value(integer_value=3)},
        )

    payload = DocumentEventData(
        value=doc(creative) if creative else None, old_value=doc(old) if old else None
    )
    event = CloudEvent(
        {"type": "google.cloud.firestore.document.v1.written",
         "source": "//firestore.googleapis.com/projects/demo-adgenius/databases/(default)",
         "document": path, "datacontenttype": "application/protobuf"},
        DocumentEventData.serialize(payload),
    )  # fmt: skip
    headers, body = to_binary(event)
    return headers, base64.b64encode(body)


def test_a_written_fact_asks_its_tenants_experiments_for_an_evaluation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(service, "on_facts_changed", lambda t, c: seen.append((t, c)) or 1)
    client = entry_client("experiments_on_fact")
    # the tenant comes from the path; a fact moved between creatives touches both
    headers, body = _fact_event("tenants/t-1/metric_facts/f-1", "cr-b", old="cr-a")
    assert client.post("/", headers=headers, data=body).status_code == 200
    headers, body = _fact_event("tenants/t-2/metric_facts/f-9", None, old="cr-z")  # deleted
    assert client.post("/", headers=headers, data=body).status_code == 200
    assert seen == [("t-1", ["cr-a", "cr-b"]), ("t-2", ["cr-z"])]


def test_the_evaluation_step_parses_its_message_and_refuses_poison(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(service, "evaluate_experiment", lambda t, e: seen.append((t, e)))
    client = entry_client("experiments_evaluate")
    ok = client.post("/", json=push_body({"tenant_id": "t", "experiment_id": "e1"}))
    assert ok.status_code == 200, ok.data
    assert seen == [("t", "e1")]
    bad = client.post("/", json=push_body({"tenant_id": "t/../x", "experiment_id": "e"}))
    assert bad.status_code >= 500  # not acknowledged: redelivered, then dead-lettered
    assert len(seen) == 1

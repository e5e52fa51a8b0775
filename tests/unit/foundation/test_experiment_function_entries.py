"""The experiments' entry points (the metric facts' trigger also asks for the loop's checks),
loaded by functions-framework, fed real CloudEvents."""

from __future__ import annotations

import base64

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from function_entry_helpers import entry_client, push_body
from google.events.cloud.firestore import Document, DocumentEventData, Value

from adgenius.analytics.experiments import service
from adgenius.loop import detection


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


def test_a_written_fact_asks_for_evaluations_and_the_loops_check_in_one_trigger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    evaluations: list[tuple[str, list[str]]] = []
    checks: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(service, "on_facts_changed", lambda t, c: evaluations.append((t, c)) or 1)
    monkeypatch.setattr(
        detection,
        "request_checks",
        lambda t, facts: checks.append((t, [f["creative_id"] for f in facts])) or 1,
    )
    client = entry_client("experiments_on_fact")
    # the tenant comes from the path; a fact moved between creatives touches both
    headers, body = _fact_event("tenants/t-1/metric_facts/f-1", "cr-b", old="cr-a")
    assert client.post("/", headers=headers, data=body).status_code == 200
    headers, body = _fact_event("tenants/t-2/metric_facts/f-9", None, old="cr-z")  # deleted
    assert client.post("/", headers=headers, data=body).status_code == 200
    headers, body = _fact_event("elsewhere/t-3/metric_facts/f-1", "cr-q")  # not a tenant's
    assert client.post("/", headers=headers, data=body).status_code == 200
    assert evaluations == [("t-1", ["cr-a", "cr-b"]), ("t-2", ["cr-z"])]
    assert checks == [("t-1", ["cr-a", "cr-b"]), ("t-2", ["cr-z"])]


def test_one_failing_fact_job_does_not_starve_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """The evaluation request fails (Firestore hiccup): the loop's check is still asked for,
    then the event fails so it is redelivered; and the other way round."""
    calls: list[str] = []

    def broken(*_: object) -> int:
        calls.append("broken")
        raise RuntimeError("firestore unavailable")

    monkeypatch.setattr(service, "on_facts_changed", broken)
    monkeypatch.setattr(detection, "request_checks", lambda t, f: calls.append("check") or 1)
    with pytest.raises(RuntimeError, match="firestore unavailable"):
        detection.on_facts_written("t-1", [{"creative_id": "cr-a"}])
    assert calls == ["broken", "check"]
    calls.clear()
    monkeypatch.setattr(service, "on_facts_changed", lambda t, c: calls.append("evaluate") or 2)
    monkeypatch.setattr(detection, "request_checks", broken)
    with pytest.raises(RuntimeError):
        detection.on_facts_written("t-1", [{"creative_id": "cr-a"}])
    assert calls == ["evaluate", "broken"]
    monkeypatch.setattr(detection, "request_checks", lambda t, f: 1)
    assert detection.on_facts_written("t-1", [{"creative_id": "cr-a"}]) == (2, 1)
    # a fact without a creative (a campaign-level row) asks no experiment, still the loop
    assert detection.on_facts_written("t-1", [{"campaign_id": "c-1"}]) == (0, 1)


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

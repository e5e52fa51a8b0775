"""The learning loop's entry points, loaded by functions-framework, fed real CloudEvents."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from function_entry_helpers import entry_client, push_body
from google.events.cloud.firestore import Document, DocumentEventData, MapValue, Value

from adgenius.loop import candidates, detection


def _event(path: str, after: dict[str, Value] | None, before: dict[str, Value] | None) -> tuple:
    def doc(fields: dict[str, Value]) -> Document:
        name = f"projects/demo-adgenius/databases/(default)/documents/{path}"
        return Document(name=name, fields=fields)

    payload = DocumentEventData(
        value=doc(after) if after else None, old_value=doc(before) if before else None
    )
    event = CloudEvent(
        {"type": "google.cloud.firestore.document.v1.written",
         "source": "//firestore.googleapis.com/projects/demo-adgenius/databases/(default)",
         "document": path, "datacontenttype": "application/protobuf"},
        DocumentEventData.serialize(payload),
    )  # fmt: skip
    headers, body = to_binary(event)
    return headers, base64.b64encode(body)


def _experiment(losers: list[str]) -> dict[str, Value]:
    decision = MapValue(fields={"losers": Value(array_value={"values": [
        Value(string_value=x) for x in losers]})})  # fmt: skip
    return {"campaign_id": Value(string_value="c1"), "decision": Value(map_value=decision)}


def test_a_decision_write_passes_its_path_tenant_and_both_versions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, Any, Any]] = []
    monkeypatch.setattr(
        detection, "on_experiment_written", lambda t, b, a: seen.append((t, b, a)) or []
    )
    client = entry_client("loop_on_decision")
    headers, body = _event("tenants/t-1/experiments/e-1", _experiment(["arm1"]), _experiment([]))
    assert client.post("/", headers=headers, data=body).status_code == 200
    headers, body = _event("tenants/t-1/experiments/e-2", None, _experiment(["arm1"]))  # deleted
    assert client.post("/", headers=headers, data=body).status_code == 200
    assert len(seen) == 1
    tenant, before, after = seen[0]
    assert tenant == "t-1" and before["decision"]["losers"] == []
    assert after["decision"]["losers"] == ["arm1"] and after["campaign_id"] == "c1"


def test_the_act_and_check_steps_parse_their_messages_and_refuse_poison(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    acted: list[Any] = []
    checked: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(candidates, "handle", lambda m: acted.append(m))
    monkeypatch.setattr(
        detection, "check_campaign", lambda t, c, decisions: checked.append((t, c, decisions))
    )
    act = entry_client("loop_act")
    message = {"tenant_id": "t", "campaign_id": "c", "creative_id": "cr", "reason": "fatigue",
               "summary": "fatigued"}  # fmt: skip
    assert act.post("/", json=push_body(message)).status_code == 200
    assert acted[0].creative_id == "cr" and acted[0].reason == "fatigue"
    poison = act.post("/", json=push_body({**message, "reason": "whim"}))
    assert poison.status_code >= 500  # not acknowledged: redelivered, then dead-lettered
    check = entry_client("loop_check")
    assert (
        check.post("/", json=push_body({"tenant_id": "t", "campaign_id": "c"})).status_code == 200
    )
    rescan = {"tenant_id": "t", "campaign_id": "c2", "decisions": True}
    assert check.post("/", json=push_body(rescan)).status_code == 200
    assert (
        check.post("/", json=push_body({"tenant_id": "t/../x", "campaign_id": "c"})).status_code
        >= 500
    )
    assert checked == [("t", "c", False), ("t", "c2", True)] and len(acted) == 1

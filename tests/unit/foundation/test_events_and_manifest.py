from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cloudevents.http import CloudEvent
from google.events.cloud.firestore import ArrayValue, Document, DocumentEventData, MapValue, Value
from pydantic import ValidationError

from adgenius.events import parse_firestore_event, parse_pubsub_event
from adgenius.manifest import MANIFEST, FunctionKind, FunctionSpec, Manifest, QueueSpec, TopicSpec
from adgenius.observability import CloudLoggingFormatter, correlation


def _event(data: bytes) -> CloudEvent:
    return CloudEvent({"type": "t", "source": "s"}, data)


def test_firestore_values_decode_to_python() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    doc = Document(
        name="projects/p/databases/(default)/documents/tenants/t1/jobs/j1",
        fields={
            "n": Value(integer_value=3),
            "f": Value(double_value=1.5),
            "b": Value(boolean_value=True),
            "s": Value(string_value="héllo 👋"),
            "none": Value(null_value=0),
            "at": Value(timestamp_value=when),
            "m": Value(map_value=MapValue(fields={"k": Value(string_value="v")})),
            "a": Value(
                array_value=ArrayValue(values=[Value(integer_value=1), Value(string_value="x")])
            ),
        },
    )
    old = Document(name=doc.name, fields={"n": Value(integer_value=2)})
    raw = DocumentEventData.serialize(DocumentEventData(value=doc, old_value=old))
    for body in (raw, base64.b64encode(raw)):
        change = parse_firestore_event(_event(body))
        assert change.document == "tenants/t1/jobs/j1"
        assert change.after is not None and change.before is not None
        assert change.after.id == "j1"
        assert change.after.fields == {
            "n": 3,
            "f": 1.5,
            "b": True,
            "s": "héllo 👋",
            "none": None,
            "at": when,
            "m": {"k": "v"},
            "a": [1, "x"],
        }
        assert change.before.fields == {"n": 2}
        assert not change.created and not change.deleted


def test_delete_event_has_no_after() -> None:
    doc = Document(name="projects/p/databases/(default)/documents/a/b", fields={})
    raw = DocumentEventData.serialize(DocumentEventData(old_value=doc))
    change = parse_firestore_event(_event(raw))
    assert change.deleted and change.after is None and change.document == "a/b"


def test_pubsub_message_decodes_json_and_attributes() -> None:
    event = CloudEvent(
        {"type": "t", "source": "s"},
        {
            "message": {
                "data": base64.b64encode(b'{"x": [1, 2]}').decode(),
                "attributes": {"correlation_id": "c"},
                "messageId": "9",
            },
            "deliveryAttempt": 3,
        },
    )
    msg = parse_pubsub_event(event)
    assert msg.data == {"x": [1, 2]}
    assert msg.attributes == {"correlation_id": "c"}
    assert msg.message_id == "9" and msg.delivery_attempt == 3


def test_manifest_points_at_real_entry_points() -> None:
    for fn in MANIFEST.functions:
        source = (fn.source_dir / "main.py").read_text()
        assert f"def {fn.entry_point}(" in source, fn.name


def test_one_firestore_trigger_per_collection() -> None:
    """A document write starts one function: a second consumer of the same writes joins the
    existing trigger (metric facts: experiment evaluations and the loop's fatigue checks both
    come from experiments_on_fact) instead of doubling the invocations of every write."""
    by_collection: dict[str, list[str]] = {}
    for fn in MANIFEST.by_kind(FunctionKind.FIRESTORE):
        assert fn.document, fn.name
        by_collection.setdefault(fn.document, []).append(fn.name)
    doubled = {doc: names for doc, names in by_collection.items() if len(names) > 1}
    assert doubled == {}
    assert by_collection["tenants/{tenant_id}/metric_facts/{fact_id}"] == ["experiments_on_fact"]


def test_manifest_rejects_dangling_references() -> None:
    with pytest.raises(ValidationError, match="unknown topic"):
        Manifest(
            functions=[
                FunctionSpec(name="fn_a", kind=FunctionKind.PUBSUB, entry_point="x", topic="nope")
            ],
            topics=[],
            queues=[],
        )
    with pytest.raises(ValidationError, match="not a task function"):
        Manifest(
            functions=[FunctionSpec(name="fn_a", kind=FunctionKind.HTTP, entry_point="x")],
            topics=[TopicSpec(name="t")],
            queues=[QueueSpec(name="q-one", handler="fn_a")],
        )


def test_log_lines_are_cloud_logging_json_with_correlation() -> None:
    import json
    import logging

    record = logging.LogRecord("adgenius", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    with correlation("corr-1"):
        line = json.loads(CloudLoggingFormatter().format(record))
    assert line["severity"] == "WARNING"
    assert line["message"] == "hello you"
    assert line["correlation_id"] == "corr-1"
    assert line["logging.googleapis.com/labels"] == {"correlation_id": "corr-1"}

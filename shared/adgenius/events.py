"""Decoding the CloudEvents our functions receive: Pub/Sub messages and Firestore changes.

Firestore events carry a serialized `DocumentEventData` protobuf. Eventarc sends the raw bytes; the
Firestore emulator sends them as base64 text. Both are accepted here so the function code is the
same locally and in the cloud.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cloudevents.http import CloudEvent
from pydantic import BaseModel, Field, ValidationError

# The Firestore event types (protobuf, proto-plus) load with the first Firestore event: a Pub/Sub
# function never decodes one, and its instance starts without them (cold starts).
if TYPE_CHECKING:
    from google.events.cloud.firestore_v1.types.data import Document, Value


class EventError(ValueError):
    """The event cannot be decoded. The function raises it on: Pub/Sub redelivers the message a
    few times, then parks it on the dead-letter topic, where an operator can read it."""


class PubSubMessage(BaseModel):
    message_id: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)
    delivery_attempt: int | None = None


class DocumentSnapshot(BaseModel):
    path: str  # "tenants/t1/jobs/j1"
    fields: dict[str, Any]

    @property
    def id(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class FirestoreChange(BaseModel):
    """A document write: `before` is None for a create, `after` is None for a delete."""

    document: str  # the path relative to the database root
    before: DocumentSnapshot | None
    after: DocumentSnapshot | None

    @property
    def created(self) -> bool:
        return self.before is None and self.after is not None

    @property
    def deleted(self) -> bool:
        return self.after is None and self.before is not None


def parse_pubsub_event(event: CloudEvent) -> PubSubMessage:
    """The push message of a Pub/Sub CloudEvent; EventError when any part of it is malformed."""
    payload = event.data or {}
    if not isinstance(payload, dict):
        raise EventError(f"the event body is a {type(payload).__name__}, not an object")
    message = payload.get("message") or {}
    if not isinstance(message, dict):
        raise EventError("the event's message is not an object")
    raw = message.get("data")
    data: Any = {}
    if raw:
        try:
            decoded = base64.b64decode(raw, validate=True)
            data = json.loads(decoded) if decoded else {}
        except (TypeError, ValueError, RecursionError) as exc:  # base64, UTF-8, JSON, depth
            raise EventError(f"the message data is not base64 of JSON: {str(exc)[:120]}") from None
    if not isinstance(data, dict):
        raise EventError(f"the message data is a JSON {type(data).__name__}, not an object")
    attempt = payload.get("deliveryAttempt") or message.get("deliveryAttempt")
    try:
        return PubSubMessage(
            message_id=str(message.get("messageId") or message.get("message_id") or ""),
            data=data,
            attributes=message.get("attributes") or {},
            delivery_attempt=attempt,
        )
    except ValidationError as exc:
        raise EventError(f"malformed Pub/Sub message: {str(exc)[:200]}") from None


def _document_event_bytes(data: Any) -> bytes:
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, bytes | bytearray):
        raise EventError(f"unexpected Firestore event data of type {type(data).__name__}")
    # The emulator sends base64 text; a protobuf body is not valid base64 in practice, and if it
    # happens to be, the parse below fails and we fall back to the raw bytes.
    from google.events.cloud.firestore import DocumentEventData

    try:
        decoded = base64.b64decode(bytes(data), validate=True)
        DocumentEventData.deserialize(decoded)
        return decoded
    except (binascii.Error, ValueError, TypeError, Exception):
        return bytes(data)


def _relative_path(name: str) -> str:
    # projects/P/databases/(default)/documents/tenants/t/jobs/j -> tenants/t/jobs/j
    marker = "/documents/"
    return name.split(marker, 1)[1] if marker in name else name


def decode_value(value: Value) -> Any:
    from google.events.cloud.firestore_v1.types.data import Value

    kind = Value.pb(value).WhichOneof("value_type")
    if kind is None or kind == "null_value":
        return None
    if kind == "map_value":
        return {k: decode_value(v) for k, v in value.map_value.fields.items()}
    if kind == "array_value":
        return [decode_value(v) for v in value.array_value.values]
    if kind == "timestamp_value":
        ts = value.timestamp_value
        return ts if isinstance(ts, datetime) else datetime.fromtimestamp(ts.timestamp(), UTC)
    if kind == "integer_value":
        return int(value.integer_value)
    if kind == "geo_point_value":
        gp = value.geo_point_value
        return {"latitude": gp.latitude, "longitude": gp.longitude}
    return getattr(value, kind)


def _snapshot(doc: Document) -> DocumentSnapshot | None:
    if not doc.name:
        return None
    return DocumentSnapshot(
        path=_relative_path(doc.name),
        fields={k: decode_value(v) for k, v in doc.fields.items()},
    )


def parse_firestore_event(event: CloudEvent) -> FirestoreChange:
    """The document change of a Firestore CloudEvent; EventError when it cannot be decoded."""
    from google.events.cloud.firestore import DocumentEventData

    try:
        payload = DocumentEventData.deserialize(_document_event_bytes(event.data))
        before = _snapshot(payload.old_value)
        after = _snapshot(payload.value)
    except EventError:
        raise
    except Exception as exc:  # protobuf's DecodeError and friends share no base but Exception
        raise EventError(f"not a Firestore document event: {str(exc)[:120]}") from None
    snapshot = after or before
    document = snapshot.path if snapshot else str(event.get("document") or "")
    return FirestoreChange(document=document, before=before, after=after)

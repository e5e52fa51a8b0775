"""Publishing to Pub/Sub topics named in the manifest, with the correlation id and the trace
context attached."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from adgenius.cloud.clients import publisher_client
from adgenius.observability import CORRELATION_ATTRIBUTE, current_correlation_id
from adgenius.settings import get_settings
from adgenius.tracing import inject


def topic_path(topic: str) -> str:
    return f"projects/{get_settings().project_id}/topics/{topic}"


def publish(
    topic: str,
    payload: BaseModel | dict[str, Any],
    *,
    ordering_key: str = "",
    attributes: dict[str, str] | None = None,
    timeout_s: float = 30.0,
) -> str:
    """Publish one JSON message and wait for its id (so a crash after return cannot lose it)."""
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    attrs = dict(attributes or {})
    if cid := current_correlation_id():
        attrs.setdefault(CORRELATION_ATTRIBUTE, cid)
    # The subscriber's span continues this one (W3C `traceparent` as a message attribute).
    attrs = inject(attrs)
    future = publisher_client().publish(
        topic_path(topic),
        json.dumps(body).encode(),
        ordering_key=ordering_key,
        **attrs,
    )
    return str(future.result(timeout=timeout_s))

"""Enqueuing Cloud Tasks on the queues of the manifest.

Task names are deterministic when the caller gives a `task_id`: Cloud Tasks then refuses a second
task of the same name (ALREADY_EXISTS), which we treat as success. The local emulator ignores
names, rate limits and backoff, so handlers must stay idempotent on their own (they are).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from pydantic import BaseModel

from adgenius.cloud.clients import tasks_client
from adgenius.observability import CORRELATION_HEADER, current_correlation_id
from adgenius.settings import get_settings
from adgenius.tracing import inject

_TASK_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def queue_path(queue: str) -> str:
    s = get_settings()
    return f"projects/{s.project_id}/locations/{s.tasks_location}/queues/{queue}"


def handler_url(queue: str) -> str:
    # The manifest (every function, topic and queue, built as pydantic models) loads on the first
    # task: the sweeper imports this module at its start and enqueues only when it re-drives.
    from adgenius.manifest import MANIFEST

    settings = get_settings()
    handler = MANIFEST.function(MANIFEST.queue(queue).handler)
    # The functions host mounts `/<name>`; the cloud names functions without underscores.
    name = handler.name if settings.is_local else handler.deployed_name
    return f"{settings.functions_base_url.rstrip('/')}/{name}"


def safe_task_id(raw: str) -> str:
    """Cloud Tasks ids allow [A-Za-z0-9_-] up to 500 characters."""
    return _TASK_ID_UNSAFE.sub("_", raw)[:500]


def enqueue(
    queue: str,
    payload: BaseModel | dict[str, Any],
    *,
    task_id: str | None = None,
    delay_s: float = 0.0,
    headers: dict[str, str] | None = None,
) -> str | None:
    """Create one HTTP task; returns its name, or None when a task of that name already exists."""
    # The Cloud Tasks library loads on the first enqueue, not when a function instance starts.
    from google.cloud import tasks_v2
    from google.protobuf import timestamp_pb2

    settings = get_settings()
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if cid := current_correlation_id():
        all_headers.setdefault(CORRELATION_HEADER, cid)
    all_headers = inject(all_headers)  # the handler's span continues this one (`traceparent`)
    http_request: dict[str, Any] = {
        "http_method": tasks_v2.HttpMethod.POST,
        "url": handler_url(queue),
        "headers": all_headers,
        "body": json.dumps(body).encode(),
    }
    if not settings.is_local and settings.invoker_service_account:
        http_request["oidc_token"] = {"service_account_email": settings.invoker_service_account}
    task: dict[str, Any] = {"http_request": http_request}
    parent = queue_path(queue)
    if task_id:
        task["name"] = f"{parent}/tasks/{safe_task_id(task_id)}"
    if delay_s > 0:
        ts = timestamp_pb2.Timestamp()
        ts.FromDatetime(datetime.now(UTC) + timedelta(seconds=delay_s))
        task["schedule_time"] = ts
    try:
        created = tasks_client().create_task(parent=parent, task=task)  # type: ignore[arg-type]
    except gexc.AlreadyExists:
        return None
    return str(created.name)

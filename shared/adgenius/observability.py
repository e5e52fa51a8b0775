"""Structured JSON logs in Cloud Logging's format, with a correlation id per unit of work.

The correlation id is born at the HTTP request (or taken from `X-Correlation-Id`), travels as the
`correlation_id` attribute of Pub/Sub messages and as the `X-Correlation-Id` header of Cloud Tasks,
and is restored by each function, so one id follows a job through every hop.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

CORRELATION_HEADER = "X-Correlation-Id"
CORRELATION_ATTRIBUTE = "correlation_id"
# What a carried-in id may be. It comes from outside (any HTTP caller) and travels into Pub/Sub
# attributes (1,024 bytes at most in production), Cloud Tasks headers and every log line, so it
# is short and plain; anything else is replaced by a fresh id rather than trimmed into a
# misleading one.
MAX_CORRELATION_ID = 128
_CORRELATION_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_CORRELATION_ID}}}")

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def clean_correlation_id(value: object) -> str | None:
    """The carried-in id if it is acceptable (<= 128 of A-Z a-z 0-9 . _ : -), else None."""
    if isinstance(value, str) and _CORRELATION_ID.fullmatch(value):
        return value
    return None


@contextmanager
def correlation(correlation_id: str | None) -> Iterator[str]:
    """Run a block under a correlation id (a new one when none, or no acceptable one, was
    carried in: Pub/Sub attributes and task headers are outside input too)."""
    value = clean_correlation_id(correlation_id) or new_correlation_id()
    token = _correlation_id.set(value)
    try:
        yield value
    finally:
        _correlation_id.reset(token)


def correlation_from_headers(headers: Mapping[str, str]) -> str | None:
    """The caller's `X-Correlation-Id` if acceptable (see `clean_correlation_id`), else None."""
    value = headers.get(CORRELATION_HEADER) or headers.get(CORRELATION_HEADER.lower())
    return clean_correlation_id(value)


# The project in Cloud Logging's trace field ("projects/P/traces/ID"); adgenius.tracing sets it
# when it starts (this module sits below the settings and cannot read them).
_trace_project: str | None = None


def set_log_trace_project(project_id: str) -> None:
    global _trace_project
    _trace_project = project_id


def trace_log_fields() -> dict[str, Any]:
    """Cloud Logging's trace fields for the current span, so the log viewer groups the lines of
    one trace; {} outside a span. OpenTelemetry is consulted only once tracing has loaded it."""
    trace_api = sys.modules.get("opentelemetry.trace")
    if trace_api is None or _trace_project is None:
        return {}
    ctx = trace_api.get_current_span().get_span_context()
    if not ctx.is_valid:
        return {}
    return {
        "logging.googleapis.com/trace": f"projects/{_trace_project}/traces/{ctx.trace_id:032x}",
        "logging.googleapis.com/spanId": f"{ctx.span_id:016x}",
        "logging.googleapis.com/trace_sampled": bool(ctx.trace_flags.sampled),
    }


class CloudLoggingFormatter(logging.Formatter):
    """One JSON object per line; Cloud Logging reads `severity`, `message` and labels from it."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            "logging.googleapis.com/sourceLocation": {
                "file": record.pathname,
                "line": record.lineno,
                "function": record.funcName,
            },
        }
        cid = current_correlation_id()
        if cid:
            entry["correlation_id"] = cid
            entry["logging.googleapis.com/labels"] = {"correlation_id": cid}
        entry.update(trace_log_fields())
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        if record.exc_info:
            entry["stack_trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


_configured = False


def configure_logging(level: str = "INFO") -> None:
    """Idempotent: every function entry point calls it at import time."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudLoggingFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _configured = True


def log_fields(**fields: Any) -> dict[str, Any]:
    """`logger.info("msg", extra=log_fields(job_id=...))` adds structured fields to the entry."""
    return {"fields": fields}

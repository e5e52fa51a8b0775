"""Distributed tracing with OpenTelemetry: one trace follows a job through every hop.

The W3C `traceparent` is read from HTTP requests (or Cloud's `X-Cloud-Trace-Context`), stored on
the documents a request writes that start work (the job's `trace` field, which the Firestore
trigger continues), carried as Pub/Sub message attributes and as Cloud Tasks headers.

Where spans go (`ADGENIUS_TRACING`):
- `cloud` (the default in `gcp` mode): Cloud Trace, batched and flushed when an invocation's
  entry span ends (an idle Cloud Functions instance gets no CPU to export in the background);
- `file` (the default locally when `ADGENIUS_TRACE_FILE` is set, as the local stack does): one
  JSON line per span, rendered as a timeline by `python -m adgenius.localstack.traces`;
- `off`: nothing is imported and every helper here is a no-op.

Cold starts: the OpenTelemetry SDK is imported on the first span, never at module import, and
the Cloud Trace exporter only in `cloud` mode. Spans carry no personal data: the tenant appears
only as a short hash, and user text (briefs, prompts, headlines) never becomes an attribute.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adgenius.environment import Mode, current_mode
from adgenius.observability import set_log_trace_project

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from opentelemetry.trace import Span, Tracer

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
CLOUD_TRACE_HEADER = "X-Cloud-Trace-Context"
# The document field a request writes so the function its write triggers continues the trace.
DOCUMENT_FIELD = "trace"
# Outside input: W3C caps tracestate at 512 characters; a traceparent is 55. Anything longer is
# not a trace context and is dropped before a parser sees it.
_MAX_HEADER = 512
_CLOUD_TRACE = re.compile(r"^([0-9a-fA-F]{32})/(\d{1,20})(?:;o=([01]))?$")

MODES = ("off", "file", "cloud")

SERVER, CONSUMER, INTERNAL = "server", "consumer", "internal"

log = logging.getLogger(__name__)


class _State:
    def __init__(self, mode: str, provider: TracerProvider | None, tracer: Tracer | None) -> None:
        self.mode = mode
        self.provider = provider
        self.tracer = tracer


_state: _State | None = None
_lock = threading.Lock()


def _configured_mode() -> str:
    # The variables Settings.tracing, .mode and .trace_file read, read here directly: the first
    # span of a request answered without any backend (an API call without credentials) then
    # loads neither the settings nor pydantic (cold starts, bench/coldstart_bench.py).
    if explicit := os.environ.get("ADGENIUS_TRACING"):
        return explicit
    if current_mode() is Mode.GCP:
        return "cloud"
    return "file" if os.environ.get("ADGENIUS_TRACE_FILE") else "off"


def configure(mode: str | None = None, *, trace_file: Path | None = None) -> str:
    """(Re)configure tracing: `mode` one of off|file|cloud (None: from the settings). Returns the
    mode in force. Entry points never call it (the first span does); tests and benches do."""
    global _state
    with _lock:
        if _state is not None and _state.provider is not None:
            _state.provider.shutdown()
        _state = _build(mode or _configured_mode(), trace_file)
        return _state.mode


def reset() -> None:
    """Forget the configuration (flushing what was recorded); the next span reads the settings."""
    global _state
    with _lock:
        if _state is not None and _state.provider is not None:
            _state.provider.shutdown()
        _state = None


def _get() -> _State:
    state = _state
    if state is None:
        with _lock:
            state = _state
            if state is None:
                state = _build(_configured_mode(), None)
                globals()["_state"] = state
    return state


def _build(mode: str, trace_file: Path | None) -> _State:
    if mode not in MODES:
        raise ValueError(f"ADGENIUS_TRACING must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return _State("off", None, None)
    try:
        return _build_provider(mode, trace_file)
    except Exception:
        # Tracing must never take a request down with it: no exporter (no credentials, an
        # unwritable file) means no traces, said once in the log.
        log.exception("tracing disabled: the %s exporter could not start", mode)
        return _State("off", None, None)


def _build_provider(mode: str, trace_file: Path | None) -> _State:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    from adgenius.settings import get_settings

    s = get_settings()
    service = os.environ.get("K_SERVICE") or "adgenius"
    provider = TracerProvider(
        resource=Resource.create({"service.name": service, "cloud.provider": "gcp"}),
        sampler=ParentBased(TraceIdRatioBased(s.trace_sample_ratio)),
    )
    if mode == "cloud":
        from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(CloudTraceSpanExporter(project_id=s.project_id))
        )
    else:
        path = trace_file or s.trace_file
        if path is None:
            raise ValueError("ADGENIUS_TRACING=file needs ADGENIUS_TRACE_FILE")
        exporter = JsonlSpanExporter(Path(path))
        provider.add_span_processor(SimpleSpanProcessor(exporter))  # type: ignore[arg-type]
    set_log_trace_project(s.project_id)
    return _State(mode, provider, provider.get_tracer("adgenius"))


def enabled() -> bool:
    return _get().tracer is not None


# ------------------------------------------------------------------------------- propagation
def _clean(value: object) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= _MAX_HEADER and value.isascii():
        return value
    return None


def carrier_from_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The trace context an HTTP caller sent: `traceparent` (+ `tracestate`), else Cloud's
    `X-Cloud-Trace-Context` turned into a traceparent. Anything malformed yields {}."""

    def get(name: str) -> str | None:
        return _clean(headers.get(name) or headers.get(name.lower()) or headers.get(name.title()))

    if parent := get(TRACEPARENT):
        carrier = {TRACEPARENT: parent}
        if state := get(TRACESTATE):
            carrier[TRACESTATE] = state
        return carrier
    cloud = get(CLOUD_TRACE_HEADER)
    match = _CLOUD_TRACE.match(cloud) if cloud else None
    if match is None:
        return {}
    trace_id, span_id, sampled = match.group(1).lower(), int(match.group(2)), match.group(3)
    if not 0 < span_id < 2**64 or trace_id == "0" * 32:
        return {}
    return {TRACEPARENT: f"00-{trace_id}-{span_id:016x}-{'01' if sampled == '1' else '00'}"}


def clean_carrier(value: object) -> dict[str, str]:
    """A carrier read back from a document or message attributes (outside input too)."""
    if not isinstance(value, Mapping):
        return {}
    out = {k: v for k in (TRACEPARENT, TRACESTATE) if (v := _clean(value.get(k)))}
    return out if TRACEPARENT in out else {}


def inject(carrier: dict[str, str] | None = None) -> dict[str, str]:
    """Add the current span's context to `carrier` (headers or attributes); returns it."""
    carrier = {} if carrier is None else carrier
    if _get().tracer is None:
        return carrier
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    TraceContextTextMapPropagator().inject(carrier)
    return carrier


def document_carrier() -> dict[str, str] | None:
    """What a request stores in a document's `trace` field (None when there is no span)."""
    return inject() or None


# ---------------------------------------------------------------------------------- spans
_KINDS = {SERVER: "SERVER", CONSUMER: "CONSUMER", INTERNAL: "INTERNAL"}


@contextmanager
def span(
    name: str,
    *,
    parent: Mapping[str, str] | None = None,
    kind: str = INTERNAL,
    attributes: Mapping[str, Any] | None = None,
    flush_on_exit: bool = True,
) -> Iterator[Span | None]:
    """A span around a block, the child of `parent` (a carried-in context: an entry point) or
    of the current span. An exception escaping the block marks the span as an error.

    An entry span (`parent` given) exports what the invocation recorded when it ends, in cloud
    mode, unless `flush_on_exit=False`: the API flushes after its response has been sent
    instead (see `flush`), so no user waits for Cloud Trace."""
    state = _get()
    if state.tracer is None:
        yield None
        return
    from opentelemetry import trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    context = None
    if parent is not None:
        context = TraceContextTextMapPropagator().extract(clean_carrier(parent))
    attrs = {k: v for k, v in (attributes or {}).items() if v is not None}
    try:
        with state.tracer.start_as_current_span(
            name, context=context, kind=getattr(trace.SpanKind, _KINDS[kind]), attributes=attrs
        ) as current:
            yield current
    finally:
        if parent is not None and flush_on_exit:
            flush()


def flush() -> None:
    """Cloud mode: export the spans recorded so far now. Called at the end of an invocation,
    while the instance still has CPU (an idle Cloud Functions instance is throttled, and the
    batch exporter's thread would wait for the next request)."""
    state = _get()
    if state.mode == "cloud" and state.provider is not None:
        state.provider.force_flush(timeout_millis=2000)


def set_attributes(**attributes: Any) -> None:
    """Add attributes to the current span (no-op without one)."""
    if _get().tracer is None:
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    for key, value in attributes.items():
        if value is not None:
            current.set_attribute(f"adgenius.{key}", value)


def tenant_hash(tenant_id: str) -> str:
    """A stable, non-reversible label for a tenant (spans never carry the id itself)."""
    return hashlib.sha256(f"adgenius-tenant:{tenant_id}".encode()).hexdigest()[:12]


# ----------------------------------------------------------------------------- local export
def span_record(span: ReadableSpan) -> dict[str, Any]:
    ctx = span.context
    parent = span.parent
    return {
        "trace_id": f"{ctx.trace_id:032x}" if ctx else None,
        "span_id": f"{ctx.span_id:016x}" if ctx else None,
        "parent_span_id": f"{parent.span_id:016x}" if parent else None,
        "name": span.name,
        "kind": span.kind.name,
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name,
        "status_message": span.status.description,
        "attributes": dict(span.attributes or {}),
        "service": span.resource.attributes.get("service.name"),
        "pid": os.getpid(),
    }


class JsonlSpanExporter:
    """Appends one JSON object per finished span to a file several processes share (each batch
    is one `write` on an O_APPEND descriptor, so lines from different processes never mix)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def export(self, spans: Any) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        data = "".join(json.dumps(span_record(s), default=str) + "\n" for s in spans).encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True

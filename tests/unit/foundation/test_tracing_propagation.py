"""Trace context propagation: inject/extract round trips, hostile headers, trace ids in logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adgenius import tracing
from adgenius.api.app import span_name
from adgenius.localstack import traces
from adgenius.observability import CloudLoggingFormatter
from adgenius.settings import get_settings

TRACE = "0af7651916cd43dd8448eb211c80319c"
PARENT = "b7ad6b7169203331"


@pytest.fixture
def span_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "spans.jsonl"
    tracing.configure("file", trace_file=path)
    yield path
    tracing.reset()


def _spans(path: Path) -> list[dict]:
    return traces.read_spans(path)


def test_a_carried_traceparent_is_continued_and_injected_onward(span_file: Path) -> None:
    with tracing.span("entry", parent={"traceparent": f"00-{TRACE}-{PARENT}-01"}) as span:
        assert span is not None
        carrier = tracing.inject({"existing": "kept"})
        with tracing.span("inner"):
            pass
    assert carrier["existing"] == "kept"
    version, trace_id, span_id, flags = carrier["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", TRACE, "01")
    spans = {s["name"]: s for s in _spans(span_file)}
    assert spans["entry"]["trace_id"] == TRACE
    assert spans["entry"]["parent_span_id"] == PARENT
    assert spans["entry"]["span_id"] == span_id
    assert spans["inner"]["parent_span_id"] == span_id
    # What the next hop extracts is this span: the round trip closes.
    with tracing.span("next hop", parent=tracing.clean_carrier(carrier)):
        pass
    assert {s["name"]: s for s in _spans(span_file)}["next hop"]["parent_span_id"] == span_id


def test_cloud_trace_header_becomes_the_parent(span_file: Path) -> None:
    carrier = tracing.carrier_from_headers({"X-Cloud-Trace-Context": f"{TRACE}/12345;o=1"})
    assert carrier == {"traceparent": f"00-{TRACE}-{12345:016x}-01"}
    with tracing.span("api", parent=carrier):
        pass
    (span,) = _spans(span_file)
    assert (span["trace_id"], span["parent_span_id"]) == (TRACE, f"{12345:016x}")


def test_traceparent_wins_over_the_cloud_header() -> None:
    headers = {"traceparent": f"00-{TRACE}-{PARENT}-00", "X-Cloud-Trace-Context": "1" * 32 + "/5"}
    assert tracing.carrier_from_headers(headers) == {"traceparent": f"00-{TRACE}-{PARENT}-00"}


@pytest.mark.parametrize(
    "headers",
    [
        {"traceparent": "garbage"},
        {"traceparent": f"00-{'0' * 32}-{PARENT}-01"},  # all-zero trace id
        {"traceparent": f"00-{TRACE}-{'0' * 16}-01"},  # all-zero span id
        {"traceparent": f"ff-{TRACE}-{PARENT}-01"},  # forbidden version
        {"traceparent": "00-" + "a" * 5000},
        {"traceparent": f"00-{TRACE}-{PARENT}-01\u00e9"},
        {"X-Cloud-Trace-Context": "not/a/context"},
        {"X-Cloud-Trace-Context": f"{TRACE}/0;o=1"},
        {"X-Cloud-Trace-Context": f"{TRACE}/{2**64};o=1"},
    ],
)
def test_a_malformed_context_starts_a_new_trace(span_file: Path, headers: dict[str, str]) -> None:
    with tracing.span("api", parent=tracing.carrier_from_headers(headers)):
        pass
    (span,) = _spans(span_file)
    assert span["parent_span_id"] is None
    assert span["trace_id"] != TRACE and span["trace_id"] != "0" * 32


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["traceparent", "tracestate", "X-Cloud-Trace-Context"]),
                       st.text(max_size=80)))  # fmt: skip
def test_no_header_value_makes_propagation_raise(headers: dict[str, str]) -> None:
    tracing.configure("file", trace_file=Path("/dev/null"))
    try:
        with tracing.span("api", parent=tracing.carrier_from_headers(headers)) as span:
            assert span is not None and span.get_span_context().is_valid
    finally:
        tracing.reset()


@pytest.mark.parametrize("value", [None, "x", 5, ["traceparent"], {"traceparent": 7}, {"a": "b"}])
def test_a_document_or_attribute_carrier_is_checked_like_a_header(value: object) -> None:
    assert tracing.clean_carrier(value) == {}


def test_off_is_a_no_op_that_injects_nothing() -> None:
    tracing.configure("off")
    try:
        with tracing.span("x", parent={"traceparent": f"00-{TRACE}-{PARENT}-01"}) as span:
            assert span is None
            assert tracing.inject({}) == {}
            assert tracing.document_carrier() is None
    finally:
        tracing.reset()


def test_log_lines_inside_a_span_carry_cloud_loggings_trace_fields(span_file: Path) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(CloudLoggingFormatter())
    logger = logging.getLogger("tracing-log-test")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with tracing.span("entry", parent={"traceparent": f"00-{TRACE}-{PARENT}-01"}) as span:
            assert span is not None
            logger.warning("inside")
            span_id = f"{span.get_span_context().span_id:016x}"
        logger.warning("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (
        inside["logging.googleapis.com/trace"]
        == f"projects/{get_settings().project_id}/traces/{TRACE}"
    )
    assert inside["logging.googleapis.com/spanId"] == span_id
    assert inside["logging.googleapis.com/trace_sampled"] is True
    assert "logging.googleapis.com/trace" not in outside


def test_span_names_keep_the_route_shape_not_ids() -> None:
    assert span_name("GET", "/v1/jobs/20261130T0314-ab12cd") == "GET /v1/jobs/{id}"
    assert span_name("POST", "/v1/campaigns/c1/jobs") == "POST /v1/campaigns/{id}/jobs"
    assert span_name("GET", "/v1/" + "x" * 40) == "GET /v1/{id}"
    # A Firestore auto-id without a digit (3% of them) is an id all the same; a caller's
    # words are not kept either.
    assert span_name("POST", "/v1/campaigns/pvmVQPoqwYbErtDtllys/jobs") == (
        "POST /v1/campaigns/{id}/jobs"
    )
    assert span_name("GET", "/api/v1/campaigns/abc/exports/meta/plan") == (
        "GET /v1/campaigns/{id}/exports/{id}/plan"
    )
    assert span_name("GET", "/v1/secret-words/of/a/caller") == "GET /v1/{id}/{id}/{id}/{id}"


def test_the_tenant_is_a_stable_hash_never_the_id() -> None:
    assert tracing.tenant_hash("acme") == tracing.tenant_hash("acme")
    assert tracing.tenant_hash("acme") != tracing.tenant_hash("acme2")
    assert "acme" not in tracing.tenant_hash("acme")


def test_the_timeline_nests_children_under_parents(span_file: Path, tmp_path: Path) -> None:
    with (
        tracing.span("root", parent={"traceparent": f"00-{TRACE}-{PARENT}-01"}),
        tracing.span("jobs.child", attributes={"faas.name": "jobs_plan"}),
    ):
        pass
    out = tmp_path / "t.html"
    assert traces.main(["latest", "--file", str(span_file), "--out", str(out)]) == 0
    page = out.read_text()
    assert page.index(">root<") < page.index(">jobs.child<")
    assert "padding-left:24px" in page  # the child one level in
    assert traces.main(["f" * 32, "--file", str(span_file)]) == 1


def test_an_exporter_that_cannot_start_disables_tracing_instead_of_failing_requests(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Offline and without credentials the Cloud Trace client cannot be made; skip the metadata
    # server probe so google-auth fails at once instead of waiting on the network.
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", "/nonexistent")
    try:
        assert tracing.configure("cloud") == "off"
        with tracing.span("api", parent={"traceparent": f"00-{TRACE}-{PARENT}-01"}) as span:
            assert span is None
    finally:
        tracing.reset()
    assert "tracing disabled: the cloud exporter could not start" in caplog.text

"""Fuzz targets for every parser that reads outside input, and an atheris driver for them.

Each target takes arbitrary bytes and feeds them to one parser. The parser may refuse the input
with its own typed error (that is its contract: the caller turns it into a 4xx, a failed
document or a dead-lettered message); any other exception is a crash and fails the run.

    python -m adgenius.testing.fuzzing TARGET [-runs=N] [-max_len=N] [corpus dirs...]

(`nox -s fuzz -- [--runs N]` runs every target.) The targets are plain functions, so the pytest
suite also runs them under hypothesis and replays every crash found so far (tests/fuzz/crashes).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PUBSUB_TYPE = "google.cloud.pubsub.topic.v1.messagePublished"
FIRESTORE_TYPE = "google.cloud.firestore.document.v1.written"


def _event(kind: str, data: Any) -> Any:
    from cloudevents.http import CloudEvent

    attributes = {"type": kind, "source": "//fuzz", "id": "1", "specversion": "1.0"}
    return CloudEvent(attributes, data)


def pubsub_event(data: bytes) -> None:
    """A Pub/Sub push CloudEvent: the first byte picks which part of it the fuzzer controls."""
    from adgenius.events import EventError, parse_pubsub_event

    mode, rest = (data[0] % 4, data[1:]) if data else (0, b"")
    payload: Any
    if mode == 0:  # the whole event body, as JSON (or whatever the bytes are)
        try:
            payload = json.loads(rest)
        except ValueError:
            payload = {"message": {"data": rest.decode("latin-1")}}
    elif mode == 1:  # the message's data: base64 of arbitrary bytes (JSON or not)
        payload = {"message": {"data": base64.b64encode(rest).decode(), "messageId": "m"}}
    elif mode == 2:  # text that is not base64
        payload = {"message": {"data": rest.decode("utf-8", "replace")}, "deliveryAttempt": 1}
    else:  # attributes and delivery attempt from JSON
        try:
            extra = json.loads(rest)
        except ValueError:
            extra = rest.decode("latin-1")
        payload = {
            "message": {"data": "e30=", "attributes": extra},
            "deliveryAttempt": extra,
        }
    with contextlib.suppress(EventError):
        parse_pubsub_event(_event(PUBSUB_TYPE, payload))


def firestore_event(data: bytes) -> None:
    """A Firestore CloudEvent body: raw protobuf (Eventarc) or base64 text (the emulator)."""
    from adgenius.events import EventError, parse_firestore_event

    body: Any = base64.b64encode(data[1:]).decode() if data[:1] == b"B" else data
    with contextlib.suppress(EventError):
        parse_firestore_event(_event(FIRESTORE_TYPE, body))


def report_import(data: bytes) -> None:
    """A performance report file (CSV, TSV, UTF-16 "Excel CSV"...), as marketers upload them."""
    from adgenius.analytics.report_import import ReportError, parse_report

    platform = {b"G": "google_ads", b"M": "meta"}.get(data[:1])
    with contextlib.suppress(ReportError):
        parse_report(data, platform=platform, default_currency="EUR" if platform else None)


def document_text(data: bytes) -> None:
    """A brand document: the first byte picks the type (PDF is parsed in this process)."""
    from adgenius.rag.document_text import LIMITS, PDF, Unreadable, extract, upload_problem

    mime = (PDF, "text/plain", "text/markdown")[data[0] % 3] if data else PDF
    body = data[1:]
    if mime == PDF and not body.startswith(b"%PDF-"):
        body = b"%PDF-1.4\n" + body  # past the header check, into the parser
    if upload_problem(body, mime) is not None:
        return
    with contextlib.suppress(Unreadable):
        extract(body, mime, LIMITS)


def image_upload(data: bytes) -> None:
    """A brand asset upload: sniffed, opened within the pixel budget, decoded and cleaned."""
    from adgenius.media.errors import MediaInputError
    from adgenius.media.uploads import clean_image, sniff_clip_type, sniff_image_format

    sniff_image_format(data)
    sniff_clip_type(data)
    with contextlib.suppress(MediaInputError):
        clean_image(data, max_pixels=4_000_000, max_side=512)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "pubsub_event": pubsub_event,
    "firestore_event": firestore_event,
    "report_import": report_import,
    "document_text": document_text,
    "image_upload": image_upload,
}
# What each target instruments for coverage feedback (our code, and the parser it drives).
INSTRUMENT: dict[str, tuple[str, ...]] = {
    "pubsub_event": ("adgenius.events",),
    "firestore_event": ("adgenius.events",),
    "report_import": ("adgenius.analytics.report_import",),
    "document_text": ("adgenius.rag.document_text", "pypdf"),
    "image_upload": ("adgenius.media.uploads", "PIL"),
}
IMPORTS: dict[str, tuple[str, ...]] = {
    "pubsub_event": ("adgenius.events",),
    "firestore_event": ("adgenius.events",),
    "report_import": ("adgenius.analytics.report_import",),
    "document_text": ("adgenius.rag.document_text", "pypdf"),
    "image_upload": ("adgenius.media.uploads",),
}


def seeds(name: str) -> list[bytes]:
    """Valid inputs to start from: the fuzzer mutates its way inward from them, rather than
    having to guess a PDF's or a PNG's structure from nothing."""
    import io

    if name == "document_text":
        from adgenius.testing import hostile

        pdf = hostile.pdf([hostile.text_page("Small-batch beans, roasted Tuesday")])
        forms = hostile.pdf([hostile.text_page("a")], forms=(hostile.text_page("form"),))
        return [b"\x00" + pdf, b"\x00" + forms, b"\x02# Title\n[link](http://x) *bold*"]
    if name == "image_upload":
        from PIL import Image

        out = []
        for fmt, mode in (("PNG", "RGBA"), ("JPEG", "RGB"), ("GIF", "P"), ("WEBP", "RGB")):
            buf = io.BytesIO()
            Image.new(mode, (8, 6)).save(buf, fmt)
            out.append(buf.getvalue())
        return out
    if name == "report_import":
        head = "Day,Campaign,Impr.,Clicks,Cost,Currency code\r\n2026-11-01,A,100,5,1.50,EUR\r\n"
        return [head.encode(), b"\xff\xfe" + head.replace(",", "\t").encode("utf-16-le")]
    if name == "pubsub_event":
        return [b"\x01" + b'{"tenant_id": "t", "job_id": "j"}']
    return []


def main(argv: list[str]) -> None:
    import importlib

    import atheris

    if len(argv) < 2 or argv[1] not in TARGETS:
        raise SystemExit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    name = argv[1]
    include = list(INSTRUMENT[name])
    if os.environ.get("ADGENIUS_FUZZ_OURS_ONLY") == "1":
        # Instrumenting pypdf or Pillow costs seconds at start: the test suite's short runs
        # follow coverage of our code only; `nox -s fuzz` follows the libraries' too.
        include = [m for m in include if m.startswith("adgenius")]
    with atheris.instrument_imports(include=include):
        for module in IMPORTS[name]:
            importlib.import_module(module)
    target = TARGETS[name]
    corpora = [Path(a) for a in argv[2:] if not a.startswith("-")]
    if corpora and corpora[0].is_dir() and not any(corpora[0].iterdir()):
        for i, seed in enumerate(seeds(name)):
            (corpora[0] / f"seed-{i}").write_bytes(seed)
    atheris.Setup([argv[0], *argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

"""A function instance starts with what every request needs; the rest loads on the requests
that need it, and nothing reaches the network while the entry module is imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from adgenius.manifest import MANIFEST

# Libraries that only some requests use (rendering, PDFs, model SDKs, vector stores, the client
# libraries of one Google service) or that only the local engine uses.
PER_REQUEST = [
    "PIL",
    "imageio_ffmpeg",
    "pypdf",
    "google.genai",
    "qdrant_client",
    "qdrant_edge",
    "wordllama",
    "google.cloud.pubsub_v1",
    "google.cloud.tasks_v2",
    "google.cloud.storage",
    "scipy",
    # Tracing loads on the first span (adgenius.tracing); the Cloud Trace exporter only in gcp.
    "opentelemetry.sdk.trace",
    "opentelemetry.exporter.cloud_trace",
]

PROBE = textwrap.dedent(
    """
    import importlib.util, json, socket, sys

    def no_network(self, *args, **kwargs):
        raise AssertionError(f"network connection at import time: {args}")

    socket.socket.connect = no_network
    socket.socket.connect_ex = no_network
    watched, out = json.loads(sys.argv[1]), {}
    for name, path in json.loads(sys.argv[2]):
        spec = importlib.util.spec_from_file_location(f"main_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out[name] = sorted(m for m in watched if m in sys.modules)
    print(json.dumps(out))
    """
)


def test_function_entries_import_only_what_every_request_needs() -> None:
    # One fresh process imports every entry in turn, so the first entry after which a
    # per-request library is loaded is the one that pulled it in.
    entries = [[f.name, str(f.source_dir / "main.py")] for f in MANIFEST.functions]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(PER_REQUEST), json.dumps(entries)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(loaded) == {f.name for f in MANIFEST.functions}
    for name, modules in loaded.items():
        assert not modules, f"{name} loads {modules} at start"


# What a request that needs data loads; a malformed event, task or request is refused without it.
BACKEND = ["google.cloud.firestore", "grpc", "firebase_admin", "google.cloud.storage"]

FIRST_REQUEST = textwrap.dedent(
    """
    import json, sys
    import functions_framework

    watched, out = json.loads(sys.argv[1]), {}
    for name, path, target, signature in json.loads(sys.argv[2]):
        app = functions_framework.create_app(target=target, source=path, signature_type=signature)
        headers = {"Content-Type": "application/json"}
        if signature == "cloudevent":
            headers |= {"ce-id": "1", "ce-source": "test", "ce-type": "test.malformed",
                        "ce-specversion": "1.0"}
        status = app.test_client().post("/", data="{}", headers=headers).status_code
        out[name] = [status, sorted(m for m in watched if m in sys.modules)]
    print(json.dumps(out))
    """
)


def test_a_malformed_first_request_is_answered_without_loading_the_backend() -> None:
    # The sweeper is left out: every request it gets does its work. The API has its own test
    # (tests/unit/api/test_lazy_routing.py). One process serves every other function in turn, so
    # a backend library showing up is blamed on the first function after which it is loaded.
    entries = [
        [f.name, str(f.source_dir / "main.py"), f.entry_point, f.signature_type]
        for f in MANIFEST.functions
        if f.name not in ("api", "jobs_sweeper")
    ]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST, json.dumps(BACKEND), json.dumps(entries)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "ADGENIUS_MODE": "local", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:9"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(seen) == {name for name, *_ in entries}
    for name, (status, modules) in seen.items():
        # Refused: an error the event's sender retries (5xx) or a task acknowledged (2xx/4xx).
        assert status in (200, 400, 401, 500), (name, status)
        assert not modules, f"{name} loads {modules} to refuse a malformed request"

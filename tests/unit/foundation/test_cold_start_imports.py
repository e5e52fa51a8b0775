"""A function instance starts with what every request needs; the rest loads on the requests
that need it, and nothing reaches the network while the entry module is imported."""

from __future__ import annotations

import json
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

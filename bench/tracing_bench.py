"""Tracing overhead: the API's p50 latency with tracing on over the same with it off, same run.

The `api` function is loaded the way the runtime loads it (functions-framework) and serves an
authenticated read (`GET /v1/campaigns/<id>`: token check, tenant, Firestore emulator read)
through the framework's test client, so what is timed is the function's own work, not a socket.
Tracing on is the local stack's mode (`file`: a span per request written synchronously to the
span file, the costlier of the two exporters: Cloud Trace batches and exports after the
response). On and off alternate request by request, so drift on a shared machine hits both.
Run alone: `python -m bench.tracing_bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from adgenius import tracing
from adgenius.cloud.clients import reset_clients
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import create_workspace
from adgenius.manifest import MANIFEST
from adgenius.settings import reset_settings_cache

WARMUP = 20
REQUESTS = 300  # per mode
GOAL = 1.1


def run(work_dir: Path) -> dict[str, dict]:
    import functions_framework

    stack = LocalStack(data_dir=work_dir / "data")
    info = stack.start()
    try:
        os.environ.update(info.env())
        reset_settings_cache()
        reset_clients()
        ws = create_workspace(info)
        spec = MANIFEST.function("api")
        app = functions_framework.create_app(
            target=spec.entry_point,
            source=str(spec.source_dir / "main.py"),
            signature_type=spec.signature_type,
        )
        client = app.test_client()
        path, headers = f"/v1/campaigns/{ws.campaign_id}", ws.user.bearer
        span_file = work_dir / "spans.jsonl"
        modes = {"off": lambda: tracing.configure("off"),
                 "on": lambda: tracing.configure("file", trace_file=span_file)}  # fmt: skip
        for configure in modes.values():  # warm both paths (imports, clients, caches)
            configure()
            for _ in range(WARMUP):
                assert client.get(path, headers=headers).status_code == 200
        times: dict[str, list[float]] = {"on": [], "off": []}
        for i in range(2 * REQUESTS):
            mode = "on" if i % 2 else "off"
            modes[mode]()
            started = time.perf_counter()
            status = client.get(path, headers=headers).status_code
            times[mode].append(time.perf_counter() - started)
            assert status == 200, status
        spans = sum(1 for _ in span_file.open()) if span_file.exists() else 0
        assert spans >= REQUESTS, f"tracing on wrote {spans} spans for {REQUESTS} requests"
    finally:
        tracing.reset()
        stack.stop()
    p50_on, p50_off = statistics.median(times["on"]), statistics.median(times["off"])
    return {
        "tracing_overhead_ratio": {
            "value": round(p50_on * 1000, 2),
            "unit": "ms (API p50, tracing on)",
            "baseline": round(p50_off * 1000, 2),
            "ratio": round(p50_on / p50_off, 3),
            "goal": f"<= {GOAL} (baseline: tracing off, alternating with on in the same process)",
        }
    }


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-tracing-") as tmp:
        json.dump(run(Path(tmp)), sys.stdout, indent=2)
        print()

"""Our Cloud Tasks emulator honours the queue semantics the pipeline relies on."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import grpc
import pytest
from google.api_core import exceptions as gexc
from google.cloud import tasks_v2  # type: ignore[attr-defined]
from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport
from google.protobuf import duration_pb2

from adgenius.localstack import tools
from adgenius.localstack.ports import free_port, port_open
from adgenius.localstack.process import ManagedProcess

pytestmark = pytest.mark.integration

PARENT = "projects/p/locations/l"


class Target:
    """An HTTP endpoint that records when each task arrived and how many ran at once."""

    def __init__(self) -> None:
        self.hits: dict[str, list[float]] = {}
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with target.lock:
                    target.hits.setdefault(self.path, []).append(time.monotonic())
                    target.active += 1
                    target.max_active = max(target.max_active, target.active)
                time.sleep(0.2 if self.path.startswith("/slow") else 0)
                with target.lock:
                    target.active -= 1
                self.send_response(500 if self.path.startswith("/fail") else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tasks_v2.CloudTasksClient]:
    port = free_port()
    launcher = Path(tools.__file__).with_name("tasks_emulator.py")
    proc = ManagedProcess(
        "tasks-test",
        [str(tools.tasks_python()), str(launcher), "--port", str(port)],
        log_dir=tmp_path_factory.mktemp("tasks-logs"),
    )
    proc.start()
    try:  # stopped even when it never becomes ready
        proc.wait_ready(lambda: port_open("127.0.0.1", port), 120)
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        yield tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def target() -> Target:
    return Target()


def _queue(client: tasks_v2.CloudTasksClient, name: str, **limits: float) -> str:
    queue = tasks_v2.Queue(
        name=f"{PARENT}/queues/{name}",
        rate_limits=tasks_v2.RateLimits(
            max_dispatches_per_second=limits.get("rate", 100),
            max_concurrent_dispatches=int(limits.get("concurrent", 100)),
        ),
        retry_config=tasks_v2.RetryConfig(
            max_attempts=int(limits.get("attempts", 5)),
            min_backoff=duration_pb2.Duration(nanos=int(limits.get("min_backoff", 0.2) * 1e9)),
            max_backoff=duration_pb2.Duration(seconds=int(limits.get("max_backoff", 1))),
        ),
    )
    client.create_queue(parent=PARENT, queue=queue)
    return queue.name


def _task(client: tasks_v2.CloudTasksClient, queue: str, url: str, name: str | None = None):  # type: ignore[no-untyped-def]
    task: dict = {
        "http_request": {"url": url, "http_method": tasks_v2.HttpMethod.POST, "body": b"{}"}
    }
    if name:
        task["name"] = f"{queue}/tasks/{name}"
    return client.create_task(parent=queue, task=task)


def _wait(predicate, timeout_s: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met")


def test_a_task_name_is_used_once(emulator, target: Target) -> None:  # type: ignore[no-untyped-def]
    queue = _queue(emulator, "dedup")
    _task(emulator, queue, f"{target.url}/dedup", name="only-once")
    with pytest.raises(gexc.AlreadyExists):
        _task(emulator, queue, f"{target.url}/dedup", name="only-once")
    _wait(lambda: len(target.hits.get("/dedup", [])) == 1)
    time.sleep(0.5)
    assert len(target.hits["/dedup"]) == 1


def test_rate_and_concurrency_limits_hold(emulator, target: Target) -> None:  # type: ignore[no-untyped-def]
    queue = _queue(emulator, "limited", rate=5, concurrent=2)
    for _ in range(12):
        _task(emulator, queue, f"{target.url}/slow-limited")
    _wait(lambda: len(target.hits.get("/slow-limited", [])) == 12)
    hits = sorted(target.hits["/slow-limited"])
    # A bucket of 5 tokens refilled at 5/s: 12 dispatches need at least (12 - 5) / 5 s.
    assert hits[-1] - hits[0] >= 1.2
    assert target.max_active <= 2


def test_failures_retry_with_growing_backoff_up_to_max_attempts(emulator, target: Target) -> None:  # type: ignore[no-untyped-def]
    queue = _queue(emulator, "retrying", attempts=4, min_backoff=0.2, max_backoff=1)
    _task(emulator, queue, f"{target.url}/fail-retry")
    _wait(lambda: len(target.hits.get("/fail-retry", [])) == 4)
    time.sleep(2.0)
    hits = target.hits["/fail-retry"]
    assert len(hits) == 4  # no fifth attempt
    gaps = [b - a for a, b in itertools.pairwise(hits)]
    assert gaps[0] >= 0.15 and gaps[1] >= 0.35 and gaps[2] >= 0.75  # 0.2, 0.4, 0.8 s


def test_schedule_time_delays_dispatch(emulator, target: Target) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from google.protobuf import timestamp_pb2

    queue = _queue(emulator, "delayed")
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(datetime.now(UTC) + timedelta(seconds=1.5))
    created = time.monotonic()
    emulator.create_task(
        parent=queue,
        task={"http_request": {"url": f"{target.url}/delayed", "body": b"{}"}, "schedule_time": ts},
    )
    _wait(lambda: bool(target.hits.get("/delayed")))
    assert target.hits["/delayed"][0] - created >= 1.3

"""Run the fake Vertex AI server as a separate process and steer it over HTTP.

For the local stack and chaos tests, where the code under test runs in other processes:

    with FakeVertexProcess() as fake:
        settings.vertex_base_url = fake.base_url
        fake.set_faults(Fault(route="predict", kind="error", status=429, probability=0.3), seed=1)
        ...
        assert fake.calls("predict") > 0

Only the standard library is used, so this works without the dev extras.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import urllib.request
from typing import Any, Self

from adgenius.testing.faults import Fault


class FakeVertexClient:
    """HTTP client for the control routes of a running fake server."""

    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s

    def _request(self, method: str, path: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self._timeout_s) as response:
            return json.loads(response.read() or b"null")

    def set_faults(self, *faults: Fault, seed: int | None = None) -> None:
        """Replace the active faults (and reseed probabilistic ones when `seed` is given)."""
        body: dict[str, Any] = {"faults": [f.model_dump() for f in faults], "replace": True}
        if seed is not None:
            body["seed"] = seed
        self._request("POST", "/_faults", body)

    def add_faults(self, *faults: Fault) -> None:
        self._request(
            "POST", "/_faults", {"faults": [f.model_dump() for f in faults], "replace": False}
        )

    def clear_faults(self) -> None:
        self._request("DELETE", "/_faults")

    def calls(self, route: str | None = None) -> Any:
        """All counters ({"routes", "models", "total"}) or the count for one route."""
        counts = self._request("GET", "/_calls")
        return counts if route is None else counts["routes"].get(route, 0)

    def reset(self) -> None:
        self._request("POST", "/_reset", {})


class FakeVertexProcess(FakeVertexClient):
    """`python -m adgenius.testing.fake_vertex` as a child process, ready when constructed."""

    def __init__(
        self,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        seed: int = 0,
        video_polls_before_done: int = 1,
        image_scale: float = 1.0,
        ready_timeout_s: float = 20.0,
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "adgenius.testing.fake_vertex",
            "--host",
            host,
            "--port",
            str(port),
            "--seed",
            str(seed),
            "--video-polls",
            str(video_polls_before_done),
            "--image-scale",
            str(image_scale),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout
        assert stdout is not None
        # Read the ready line on a thread so a hung child cannot block us past the timeout.
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=ready_timeout_s)
        except queue.Empty:
            self.stop()
            raise RuntimeError("fake Vertex server did not become ready") from None
        if not line.startswith("fake-vertex ready "):
            self.stop()
            raise RuntimeError(f"fake Vertex server failed to start: {line!r}")
        super().__init__(line.split()[-1])

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout_s: float = 10.0) -> int | None:
        """Terminate the child (SIGTERM, then SIGKILL) and return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout_s)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

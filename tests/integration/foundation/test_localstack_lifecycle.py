"""`python -m adgenius.localstack` (what `nox -s dev` runs): READY, URLs, clean stop, errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from adgenius.localstack.process import group_alive

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _start_dev(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "adgenius.localstack", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ADGENIUS_DATA_DIR": str(tmp_path), **(env or {})},
    )


def _read_until(proc: subprocess.Popen, marker: str, timeout_s: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if marker in line:
            return lines
    pytest.fail(f"{marker!r} not seen; output:\n" + "\n".join(lines))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_dev_is_ready_quickly_and_ctrl_c_leaves_no_process(tmp_path: Path) -> None:
    started = time.monotonic()
    proc = _start_dev(tmp_path)
    lines = _read_until(proc, "READY", 60)
    ready_s = time.monotonic() - started
    assert ready_s < 30, f"dev stack took {ready_s:.1f}s"
    lines += _read_until(proc, "stack file", 5)
    text = "\n".join(lines)
    for label in ("API", "firestore", "pubsub", "auth", "storage", "tasks"):
        assert label in text

    info = json.loads((tmp_path / "local" / "stack.json").read_text())
    assert httpx.get(f"{info['functions_base_url']}/__health").status_code == 200
    assert httpx.get(f"http://{info['firestore_emulator']}/").text.strip() == "Ok"
    pids = info["pids"]
    assert set(pids) == {"firestore", "pubsub", "auth", "storage", "tasks", "functions"}
    # The Firestore launcher is bash with a java child: its group must hold more than one process.
    java_children = subprocess.run(
        ["pgrep", "-g", str(pids["firestore"])], capture_output=True, text=True
    ).stdout.split()
    assert len(java_children) >= 2

    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    for name, pid in pids.items():
        assert not group_alive(pid), f"{name} (group {pid}) survived Ctrl-C"
        assert not _process_exists(pid), f"{name} (pid {pid}) survived Ctrl-C"
    assert not (tmp_path / "local" / "stack.json").exists()


def test_a_taken_port_is_named(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = _start_dev(tmp_path, "--port", str(port))
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert f"port {port}" in out and "already taken" in out


def test_a_missing_emulator_is_named_with_the_fix(tmp_path: Path) -> None:
    proc = _start_dev(tmp_path, env={"ADGENIUS_GCLOUD_PLATFORM": str(tmp_path / "nowhere")})
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "Firestore emulator not found" in out
    assert "google-cloud-cli" in out


def test_a_crashed_child_is_reported(tmp_path: Path) -> None:
    proc = _start_dev(tmp_path)
    _read_until(proc, "stack file", 60)
    info = json.loads((tmp_path / "local" / "stack.json").read_text())
    os.killpg(info["pids"]["pubsub"], signal.SIGKILL)
    lines = _read_until(proc, "stopped", 30)
    assert any("pubsub stopped unexpectedly" in line for line in lines)
    proc.wait(timeout=30)
    for pid in info["pids"].values():
        assert not group_alive(pid)

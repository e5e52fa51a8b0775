"""The local stack's life as a user and a test run see it: READY, Ctrl-C, kills, failures.

Every test starts what it starts in a process group of its own and, pass or fail, SIGKILLs that
group and every process of its stack in a finaliser. No test here times anything: how fast the
stack starts is `dev_stack_start_s` in `nox -s bench`; the timeouts below only end a test that
would otherwise hang, and are generous because the machine may be busy.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from survivors import kill_stack_processes, process_group, stack_processes, wait_until_gone

from adgenius.localstack.ports import free_port
from adgenius.localstack.reaper import group_members
from adgenius.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STARTUP_TIMEOUT_S = 300.0  # READY takes ~10 s idle, 50 s+ beside other CPU-heavy work
COMPONENTS = {"firestore", "pubsub", "auth", "storage", "tasks", "functions"}


class Output:
    """Collects a child's stdout on a thread, so waiting for a line can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip())
                self._changed.notify_all()

    def wait_for(self, marker: str, timeout_s: float) -> None:
        with self._changed:
            found = self._changed.wait_for(
                lambda: any(marker in line for line in self.lines) or not self._thread.is_alive(),
                timeout=timeout_s,
            )
            if not found or not any(marker in line for line in self.lines):
                pytest.fail(f"{marker!r} not seen; output:\n{self.text}")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """The stack's data folder; whatever of that stack is left at the end is killed."""
    folder = tmp_path / "stack"
    folder.mkdir()
    try:
        yield folder
    finally:
        kill_stack_processes(folder)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "ADGENIUS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra}


def _module(*args: str) -> list[str]:
    return [sys.executable, "-m", "adgenius.localstack", *args]


def _stack_json(data_dir: Path) -> dict:
    return json.loads((data_dir / "local" / "stack.json").read_text())


def test_ctrl_c_on_nox_dev_leaves_no_process(data_dir: Path) -> None:
    """The README's first command, as a user types it, then Ctrl-C, then Ctrl-C again.

    A terminal's Ctrl-C sends SIGINT to the whole foreground process group (nox and the stack);
    nox then sends its own signals. The test's virtualenv stands in for the session's (`-R`:
    reuse it, install nothing), so the test runs the noxfile's code without installing anything.
    """
    nox = shutil.which("nox")
    if nox is None:
        pytest.skip("nox is not installed: python3 -m pip install nox")
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests run outside a virtualenv; nox -s dev needs one to reuse")
    envdir = data_dir / "nox-envs"
    envdir.mkdir()
    (envdir / "dev").symlink_to(sys.prefix)
    env = _env(data_dir, ADGENIUS_PORT=str(free_port()))
    command = [nox, "-R", "--envdir", str(envdir), "-s", "dev"]
    with process_group(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as proc:
        out = Output(proc)
        out.wait_for("stack file", STARTUP_TIMEOUT_S)
        for label in ("READY", "API", "firestore", "pubsub", "auth", "storage", "tasks"):
            assert label in out.text

        info = _stack_json(data_dir)
        assert httpx.get(f"{info['functions_base_url']}/__health").status_code == 200
        assert httpx.get(f"http://{info['firestore_emulator']}/").text.strip() == "Ok"
        pids = info["pids"]
        assert set(pids) == COMPONENTS
        # The Firestore launcher is bash with a java child: its group holds more than one process,
        # and the scan below sees every one of them (so "none left" means something).
        assert len(group_members(pids["firestore"])) >= 2
        running = stack_processes(data_dir)
        assert set(pids.values()) <= set(running), running
        assert set(group_members(pids["firestore"])) <= set(running)

        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        out.wait_for("stopping", 60)
        os.killpg(proc.pid, signal.SIGINT)  # and again, impatiently, while the stack stops
        proc.wait(timeout=120)

        assert wait_until_gone(data_dir) == {}
        out.wait_for("stopped", 60)  # the stop ran to its end, it was not cut short
        assert not (data_dir / "local" / "stack.json").exists()


def test_a_sigkilled_parent_takes_every_child_with_it(data_dir: Path) -> None:
    """No chance to stop anything: the parent dies by SIGKILL, its watchdog stops the rest."""
    with process_group(
        _module(), env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as proc:
        out = Output(proc)
        out.wait_for("stack file", STARTUP_TIMEOUT_S)
        pids = _stack_json(data_dir)["pids"]
        assert set(pids) == COMPONENTS
        assert set(pids.values()) <= set(stack_processes(data_dir))

        proc.kill()
        proc.wait(timeout=30)

        assert wait_until_gone(data_dir) == {}


def test_a_failing_stack_test_leaves_no_process(tmp_path: Path, data_dir: Path) -> None:
    """A test that uses the session's stack fails on purpose, in a pytest run of its own."""
    test_file = tmp_path / "test_fails_on_purpose.py"
    test_file.write_text(
        textwrap.dedent(
            """
            import httpx

            def test_fails_on_purpose(stack):
                assert httpx.get(stack.functions_base_url + "/__health").status_code == 200
                assert False, "failing on purpose"
            """
        )
    )
    # The repository's conftest provides the `stack` fixture; basetemp puts the stack's data
    # folder (`stack-data0`) where this test looks for survivors.
    basetemp = data_dir / "pytest"
    command = [
        sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider",
        "--basetemp", str(basetemp), "-q", str(test_file),
    ]  # fmt: skip
    env = _env(data_dir, PYTHONPATH=str(REPO_ROOT / "tests"))
    env.pop("ADGENIUS_REUSE_STACK", None)
    with process_group(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as proc:
        output, _ = proc.communicate(timeout=STARTUP_TIMEOUT_S + 120)
    assert proc.returncode == 1, output
    assert "failing on purpose" in output and "1 failed" in output
    stack_dir = basetemp / "stack-data0"
    assert (stack_dir / "local" / "logs" / "firestore.log").exists(), output  # it did start
    assert wait_until_gone(stack_dir) == {}
    assert wait_until_gone(data_dir) == {}


def test_a_taken_port_is_named(data_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with process_group(
            _module("--port", str(port)),
            env=_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        ) as proc:
            out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert f"port {port}" in out and "already taken" in out


def test_a_missing_emulator_is_named_with_the_fix(data_dir: Path) -> None:
    with process_group(
        _module(),
        env=_env(data_dir, ADGENIUS_GCLOUD_PLATFORM=str(data_dir / "nowhere")),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as proc:
        out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "Firestore emulator not found" in out
    assert "google-cloud-cli" in out


def test_a_crashed_child_is_reported(data_dir: Path) -> None:
    with process_group(
        _module(), env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as proc:
        out = Output(proc)
        out.wait_for("stack file", STARTUP_TIMEOUT_S)
        info = _stack_json(data_dir)
        os.killpg(info["pids"]["pubsub"], signal.SIGKILL)
        out.wait_for("stopped", 120)
        assert "pubsub stopped unexpectedly" in out.text
        proc.wait(timeout=60)
        assert wait_until_gone(data_dir) == {}


def test_the_watchdog_stops_the_groups_it_was_given_when_its_pipe_closes() -> None:
    """The watchdog alone: a group still registered at EOF is stopped, a forgotten one is not."""
    sleepers = [subprocess.Popen(["sleep", "300"], start_new_session=True) for _ in range(2)]
    watchdog = subprocess.Popen(
        [sys.executable, "-m", "adgenius.localstack.reaper"],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        kept, forgotten = sleepers
        assert watchdog.stdin is not None
        watchdog.stdin.write(f"+{kept.pid}\n+{forgotten.pid}\n-{forgotten.pid}\n".encode())
        watchdog.stdin.close()  # as when its parent dies
        assert watchdog.wait(timeout=60) == 0
        assert kept.wait(timeout=10) == -signal.SIGTERM
        assert forgotten.poll() is None
    finally:
        for proc in [*sleepers, watchdog]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

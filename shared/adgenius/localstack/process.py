"""A child process of the stack: own process group, own log file, readiness, clean stop.

Each component runs in a new session so that stopping it signals the whole group: the Firestore
emulator is a bash launcher with a java child, and killing only the launcher would leave java
running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from adgenius.localstack.errors import StackError


class ManagedProcess:
    def __init__(
        self,
        name: str,
        command: list[str],
        *,
        log_dir: Path,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.cwd = cwd
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it for its lifetime
        log.write(f"\n=== start {time.strftime('%H:%M:%S')}: {' '.join(self.command)}\n".encode())
        log.flush()
        try:
            self.proc = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise StackError(f"{self.name}: cannot run {self.command[0]}: {exc}") from exc
        finally:
            log.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(text[-lines:])

    def wait_ready(self, check: Callable[[], bool], timeout_s: float) -> float:
        """Poll `check` until it passes; fail fast with the log tail if the child dies."""
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if not self.alive():
                code = self.proc.returncode if self.proc else None
                raise StackError(
                    f"{self.name} exited (code {code}) before it was ready; "
                    f"log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                if check():
                    return time.monotonic() - started
            except Exception:
                pass
            time.sleep(0.05)
        raise StackError(
            f"{self.name} was not ready after {timeout_s:.0f} s; log {self.log_path}:\n"
            f"{self.log_tail()}"
        )

    def stop(self, grace_s: float = 5.0) -> None:
        """SIGTERM the group, then SIGKILL what is left; return once no member is alive."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # the session leader's pid is the group id
        for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            if self._wait_group_gone(pgid, wait_s):
                break
        self.proc = None

    def _wait_group_gone(self, pgid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None:
                self.proc.poll()  # reap the leader so it does not linger as a zombie
            if not group_alive(pgid):
                return True
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """SIGKILL the whole group at once (chaos tests)."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self._wait_group_gone(pgid, 10.0)
        self.proc = None


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

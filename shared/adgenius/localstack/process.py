"""A child process of the stack: own process group, own log file, readiness, clean stop.

Each component runs in a new session so that stopping it signals the whole group: the Firestore
emulator is a bash launcher with a java child, and killing only the launcher would leave java
running. Every group is also registered with a watchdog process (`reaper.py`) that stops the
groups still running when this process ends without stopping them (SIGKILL, a crash).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from adgenius.localstack.errors import StackError
from adgenius.localstack.reaper import group_members


class Watchdog:
    """This process's side of the reaper: one per process, started with the first child."""

    _lock = threading.Lock()
    _current: Watchdog | None = None

    def __init__(self) -> None:
        self.owner = os.getpid()
        self.groups: set[int] = set()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "adgenius.localstack.reaper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            # Its own session: a terminal's Ctrl-C reaches the stack, which stops in order; the
            # watchdog only acts when this process is gone.
            start_new_session=True,
        )
        assert self.proc.stdin is not None
        self.pipe: IO[bytes] = self.proc.stdin

    @classmethod
    def get(cls) -> Watchdog:
        with cls._lock:
            current = cls._current
            # A forked child (multiprocessing) must not share its parent's watchdog; a watchdog
            # that died is replaced and told every group again.
            if current is None or current.owner != os.getpid() or current.proc.poll() is not None:
                groups = current.groups if current and current.owner == os.getpid() else set()
                current = cls()
                for pgid in groups:
                    current._send(f"+{pgid}")
                current.groups = set(groups)
                cls._current = current
            return current

    def watch(self, pgid: int) -> None:
        with self._lock:
            self.groups.add(pgid)
            self._send(f"+{pgid}")

    def forget(self, pgid: int) -> None:
        with self._lock:
            self.groups.discard(pgid)
            self._send(f"-{pgid}")

    def _send(self, line: str) -> None:
        try:
            self.pipe.write(f"{line}\n".encode())
            self.pipe.flush()
        except (BrokenPipeError, ValueError):
            pass  # the next Watchdog.get() replaces a dead watchdog


@contextlib.contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Let SIGINT / SIGTERM not interrupt an orderly stop; yields the signals that arrived.

    nox answers Ctrl-C with SIGINT, then SIGTERM and SIGKILL a fraction of a second apart, and
    an impatient user presses Ctrl-C twice: a stop interrupted half way leaves emulators running.
    Only the main thread may set handlers; elsewhere this does nothing.
    """
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, _frame: arrived.append(signum))
    try:
        yield arrived
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
        Watchdog.get().watch(self.proc.pid)

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
        gone = False
        for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                gone = True
                break
            if gone := self._wait_group_gone(pgid, wait_s):
                break
        if gone:
            Watchdog.get().forget(pgid)
        self.proc = None

    def _wait_group_gone(self, pgid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.proc is not None:
                self.proc.poll()  # reap the leader so it does not linger as a zombie
            if not group_alive(pgid):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the whole group at once (chaos tests)."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        if self._wait_group_gone(pgid, 10.0):
            Watchdog.get().forget(pgid)
        self.proc = None


def stop_all(processes: Iterable[ManagedProcess], grace_s: float = 5.0) -> None:
    """Stop several components at once: the slowest one bounds the wait, not their sum."""
    threads = [
        threading.Thread(target=p.stop, args=(grace_s,), name=f"stop-{p.name}") for p in processes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def group_alive(pgid: int) -> bool:
    """Whether any live (non-zombie) process is left in the group."""
    return bool(group_members(pgid))

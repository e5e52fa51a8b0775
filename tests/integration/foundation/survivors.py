"""Find the processes of one local stack, to prove that none is left after it stops.

A stack's processes are recognised by its data folder: every component is started with
`ADGENIUS_DATA_DIR=<data dir>` in its environment (Java and node children inherit it), and
fake-gcs-server names its root inside it. Other stacks (the session's, other tests', other
engineers') have other data folders, so they are never counted. Zombies are not processes that
run: a container whose PID 1 does not reap orphans keeps them, and they hold nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def _state(pid: str) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rfind(")") + 2 :].split()[0]


def stack_processes(data_dir: Path) -> dict[int, str]:
    """pid -> command line of every live process that belongs to the stack in `data_dir`."""
    marker = str(data_dir).encode()
    env_entry = b"ADGENIUS_DATA_DIR=" + marker
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if _state(entry.name) == "Z":
                continue
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or another user's
            continue
        in_env = any(v == env_entry or v.startswith(env_entry + b"/") for v in environ.split(b"\0"))
        if in_env or marker + b"/" in cmdline:
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")[:200]
    return found


def wait_until_gone(data_dir: Path, timeout_s: float = 60.0) -> dict[int, str]:
    """Poll until no process of the stack is left; returns the survivors (empty when none).

    A wait, not a timing assertion: SIGKILLed groups vanish in milliseconds, orderly stops in
    seconds; the bound only ends a test that would otherwise hang.
    """
    deadline = time.monotonic() + timeout_s
    while (left := stack_processes(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def kill_stack_processes(data_dir: Path) -> None:
    """Finaliser: SIGKILL whatever of the stack is left, so a failed test leaves nothing behind."""
    for pid in stack_processes(data_dir):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def process_group(command: list[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    """Run `command` in a session of its own (as a terminal runs a foreground job); on exit,
    pass or fail, SIGKILL the whole group."""
    proc: subprocess.Popen[str] = subprocess.Popen(  # type: ignore[call-overload]
        command, start_new_session=True, text=True, **kwargs
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

"""The stack's watchdog: kills the process groups of a parent that died without stopping them.

`ManagedProcess` runs each component in a process group of its own, so one signal reaches the
component and everything it started (the Firestore emulator is a bash launcher with a java
child). The parent stops those groups in `stop()`; but a parent that is SIGKILLed (nox sends
SIGKILL half a second after Ctrl-C; a CI runner kills a hung job) cannot. PR_SET_PDEATHSIG would
only reach the direct child (not the launcher's java), and it fires when the *thread* that forked
the child exits, which would kill a component started from a worker thread.

So the parent starts this process once, in a session of its own (a terminal's Ctrl-C does not
reach it), with a pipe on its stdin, and writes `+<pgid>` when it starts a group and `-<pgid>`
when it has stopped one. The pipe ends when the parent's process ends, however it ends; the
watchdog then stops every group still registered and exits.

Run by `adgenius.localstack.process` as `python -m adgenius.localstack.reaper`; never by hand.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group.

    `killpg(pgid, 0)` also succeeds for a group of zombies, and a container whose PID 1 does not
    reap orphans keeps those forever; they hold no port, file or CPU, so they do not count.
    """
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def stop_groups(pgids: set[int], grace_s: float = 3.0, kill_wait_s: float = 10.0) -> set[int]:
    """SIGTERM every group, SIGKILL what is left after `grace_s`; return the groups still alive."""
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, kill_wait_s)):
        for pgid in pgids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, sig)
        deadline = time.monotonic() + wait_s
        while pgids and time.monotonic() < deadline:
            pgids = {pgid for pgid in pgids if group_members(pgid)}
            if pgids:
                time.sleep(0.05)
        if not pgids:
            break
    return pgids


def main() -> None:
    # Ctrl-C in the parent's terminal is the parent's business; this process only acts on EOF.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    groups: set[int] = set()
    for line in sys.stdin.buffer:
        text = line.strip()
        if not text[1:].isdigit():
            continue
        pgid = int(text[1:])
        if text.startswith(b"+"):
            groups.add(pgid)
        elif text.startswith(b"-"):
            groups.discard(pgid)
    if groups:
        left = stop_groups(groups)
        if left:
            print(f"reaper: groups {sorted(left)} survived SIGKILL", file=sys.stderr)


if __name__ == "__main__":
    main()

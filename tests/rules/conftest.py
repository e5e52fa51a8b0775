"""A Firestore emulator of our own, loaded with the real firestore.rules, for the rules suite.

Its own process (not the shared local stack) so the rules under test are exactly the file in
the repository and seeded data cannot collide with other suites.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rules_rest import PROJECT

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "firestore.rules"
EMULATOR = Path(
    "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def rules_emulator() -> Iterator[str]:
    """Base URL of a Firestore emulator enforcing firestore.rules for non-admin callers."""
    if not EMULATOR.exists():
        pytest.fail(f"Firestore emulator not found at {EMULATOR} (google-cloud-cli component)")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(EMULATOR),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--project_id",
            PROJECT,
            "--rules",
            str(RULES),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the launcher is bash with a java child: stop the group
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/", timeout=1).text.strip() == "Ok":
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("the Firestore emulator did not start")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)

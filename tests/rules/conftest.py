"""A Firestore emulator of our own, loaded with the real firestore.rules, for the rules suite.

Its own process (not the shared local stack) so the rules under test are exactly the file in
the repository and seeded data cannot collide with other suites.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rules_rest import PROJECT

from adgenius.localstack.process import ManagedProcess

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
def rules_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Firestore emulator enforcing firestore.rules for non-admin callers."""
    if not EMULATOR.exists():
        pytest.fail(f"Firestore emulator not found at {EMULATOR} (google-cloud-cli component)")
    port = _free_port()
    # A process group of its own (the launcher is bash with a java child), stopped as a whole,
    # and watched: if this test process dies, the stack's watchdog stops the emulator.
    proc = ManagedProcess(
        "rules-firestore",
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
        log_dir=tmp_path_factory.mktemp("rules-emulator"),
    )
    base = f"http://127.0.0.1:{port}"
    proc.start()
    try:
        # A wait, generous for a busy machine; it fails at once, with the log, if java exits.
        proc.wait_ready(lambda: httpx.get(base + "/", timeout=1).text.strip() == "Ok", 180)
        yield base
    finally:
        proc.stop()

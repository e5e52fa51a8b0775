"""The sweeper against a real Firestore emulator of its own: its check for work due (a superset of
what the sweep acts on), a sweep that finds nothing (answered by the check alone, with nothing
loaded that the instance's start did not: what bench/coldstart_bench.py measures of the sweeper
is its start) and a sweep that finds something (the pipeline's steps take over)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import google.auth.credentials
import httpx
import pytest
from google.cloud import firestore

from adgenius.cloud.clients import reset_clients
from adgenius.localstack import tools
from adgenius.localstack.process import ManagedProcess
from adgenius.manifest import MANIFEST
from adgenius.pipeline import due
from adgenius.pipeline.model import Job, JobKind, JobStatus
from adgenius.pipeline.sweeper import COUNTS

SWEEPER = MANIFEST.function("jobs_sweeper")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def firestore_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Firestore emulator of this module's own: each test reads a project nobody else writes."""
    port = _free_port()
    proc = ManagedProcess(
        "sweeper-firestore",
        [str(tools.firestore_emulator()), "--host", "127.0.0.1", "--port", str(port)],
        log_dir=tmp_path_factory.mktemp("sweeper-firestore"),
    )
    proc.start()
    try:
        base = f"http://127.0.0.1:{port}"
        # Generous for a busy machine; fails at once, with the log, if java exits.
        proc.wait_ready(lambda: httpx.get(base + "/", timeout=1).text.strip() == "Ok", 180)
        yield f"127.0.0.1:{port}"
    finally:
        proc.stop()


@pytest.fixture
def project(firestore_host: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh project (an empty database) that this process's clients point at."""
    name = f"sweep-{uuid.uuid4().hex[:10]}"
    for variable, value in _env(firestore_host, name).items():
        monkeypatch.setenv(variable, value)
    reset_clients()
    yield name
    monkeypatch.undo()
    reset_clients()


def _env(host: str, project: str) -> dict[str, str]:
    return {
        "ADGENIUS_MODE": "local",
        "FIRESTORE_EMULATOR_HOST": host,
        "ADGENIUS_PROJECT_ID": project,
        "GOOGLE_CLOUD_PROJECT": project,
        "GCLOUD_PROJECT": project,
        # Never reached: a sweep of these tests publishes and enqueues nothing.
        "PUBSUB_EMULATOR_HOST": "127.0.0.1:9",
        "CLOUD_TASKS_EMULATOR_HOST": "127.0.0.1:9",
    }


def _db(project: str) -> firestore.Client:
    return firestore.Client(
        project=project, credentials=google.auth.credentials.AnonymousCredentials()
    )


AGO = timedelta(minutes=5)


def _job(db: firestore.Client, status: str, *, updated: timedelta = AGO) -> None:
    """A job document as the pipeline writes it, with no items."""
    at = datetime.now(UTC) - updated
    job = Job(
        id=f"j-{status}", tenant_id="t-1", campaign_id="c-1", brand_id="b-1",
        kind=JobKind.IMAGE_SET, request={}, status=JobStatus(status),
        created_at=at, updated_at=at,
    )  # fmt: skip
    db.document(f"tenants/t-1/jobs/{job.id}").set(job.model_dump())


SEEDS = {
    "overdue item": lambda db: db.document("tenants/t-1/jobs/j-1/items/i-1").set(
        {"status": "running", "deadline": datetime.now(UTC) - AGO}
    ),
    "queued job": lambda db: _job(db, "queued"),
    "planning job": lambda db: _job(db, "planning"),
    # Age zero of the check covers a stale-job patience set to anything (the sweep's setting).
    "running job, just updated": lambda db: _job(db, "running", updated=timedelta(seconds=1)),
    "assembling job": lambda db: _job(db, "assembling"),
    "tenant due a recheck": lambda db: db.document("deleted_tenants/t-9").set(
        {"status": "purged", "recheck_after": datetime.now(UTC) - AGO}
    ),
}


@pytest.mark.parametrize("seed", SEEDS)
def test_each_thing_the_sweep_acts_on_is_due(project: str, seed: str) -> None:
    assert not due.anything_due()
    SEEDS[seed](_db(project))
    assert due.anything_due()


def test_what_the_sweep_leaves_alone_is_not_due(project: str) -> None:
    db = _db(project)
    for status in ("succeeded", "partially_succeeded", "failed", "cancelled"):
        _job(db, status)
    db.document("tenants/t-1/jobs/j-1/items/i-1").set(
        {"status": "running", "deadline": datetime.now(UTC) + AGO}
    )
    db.document("tenants/t-1/jobs/j-1/items/i-2").set(
        {"status": "failed", "deadline": datetime.now(UTC) - AGO}
    )
    db.document("deleted_tenants/t-9").set({"status": "purged", "rechecked": True})
    db.document("deleted_tenants/t-8").set(
        {"status": "purged", "recheck_after": datetime.now(UTC) + AGO}
    )
    assert not due.anything_due()


# A fresh process starts the sweeper as functions-framework does, then sends it sweeps, each when
# the test says so; after each it prints what was loaded since the start: modules of ours and
# pydantic's.
PROBE = textwrap.dedent(
    """
    import json, sys
    import functions_framework

    source, target = sys.argv[1], sys.argv[2]
    app = functions_framework.create_app(target=target, source=source, signature_type="http")
    ours = lambda: {m for m in sys.modules if m.split(".")[0] in ("adgenius", "pydantic")}
    started = ours()
    say = lambda value: print("PROBE", json.dumps(value), flush=True)  # logs go to stdout too
    say({"pydantic_at_start": "pydantic" in sys.modules})
    for _ in sys.stdin:
        r = app.test_client().post("/")
        say([r.status_code, r.get_json(), sorted(ours() - started)])
    """
)


def test_a_sweep_that_finds_nothing_loads_nothing_the_start_did_not(
    firestore_host: str, project: str
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(SWEEPER.source_dir / "main.py"), "sweep"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **_env(firestore_host, project)},
    )
    assert proc.stdin is not None and proc.stdout is not None

    def said() -> object:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("PROBE "):
                return json.loads(line.removeprefix("PROBE "))
        return None

    try:
        start = said()
        # First sweep: nothing due.
        proc.stdin.write("sweep\n")
        proc.stdin.flush()
        idle = said()
        # Then a running job (no items, so nothing to complete): the pipeline's sweep runs.
        _job(_db(project), "running")
        out, err = proc.communicate("sweep\n", timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    busy = [
        json.loads(x.removeprefix("PROBE ")) for x in out.splitlines() if x.startswith("PROBE ")
    ]
    assert start == {"pydantic_at_start": False}
    assert idle == [200, dict.fromkeys(COUNTS, 0), []]
    [(busy_status, busy_body, busy_loaded)] = busy
    assert (busy_status, busy_body) == (200, dict.fromkeys(COUNTS, 0))
    assert "adgenius.pipeline.steps" in busy_loaded
    assert "adgenius.pipeline.tenant_purge" in busy_loaded

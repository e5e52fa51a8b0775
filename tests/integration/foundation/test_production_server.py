"""The functions host served as Cloud Functions serves (functions-framework's gunicorn server),
which load and soak runs use, with an extra function mounted beside the manifest's."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adgenius.localstack.ports import free_port
from adgenius.localstack.process import ManagedProcess
from adgenius.localstack.reaper import group_members
from adgenius.settings import REPO_ROOT

pytestmark = [pytest.mark.integration]

HELLO = REPO_ROOT / "bench" / "load" / "hello" / "main.py"


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[str, ManagedProcess]]:
    port = free_port()
    proc = ManagedProcess(
        "functions",
        [
            sys.executable,
            "-m",
            "adgenius.localstack.functions_host",
            "--port",
            str(port),
            "--functions",
            "api",
            "--server",
            "production",
            "--extra",
            f"hello={HELLO}:hello",
        ],
        log_dir=tmp_path,
        env={**os.environ, "THREADS": "3"},
    )
    proc.start()
    base = f"http://127.0.0.1:{port}"
    try:
        proc.wait_ready(lambda: httpx.get(f"{base}/__health", timeout=0.5).status_code == 200, 180)
        yield base, proc
    finally:
        proc.stop()


def test_gunicorn_serves_the_api_and_the_extra_function(host: tuple[str, ManagedProcess]) -> None:
    base, proc = host
    hello = httpx.get(f"{base}/hello", timeout=30)
    assert hello.status_code == 200 and hello.json() == {"hello": "world"}
    assert "gunicorn" in hello.headers.get("server", "").lower()
    spec = httpx.get(f"{base}/api/v1/openapi.json", timeout=30)
    assert spec.status_code == 200 and "gunicorn" in spec.headers.get("server", "").lower()
    assert spec.json()["openapi"].startswith("3.")
    # gunicorn's arbiter and its one worker (WORKERS defaults to 1, as in Cloud Functions).
    assert proc.pid is not None and len(group_members(proc.pid)) == 2
    proc.stop()
    assert group_members(proc.pid) == []


def test_an_extra_function_must_not_shadow_one_of_the_manifest() -> None:
    from adgenius.localstack.functions_host import build_host, parse_extra
    from adgenius.manifest import MANIFEST

    only_api = MANIFEST.model_copy(
        update={"functions": [f for f in MANIFEST.functions if f.name == "api"]}
    )
    with pytest.raises(ValueError, match="already has a function"):
        build_host(only_api, extra=[parse_extra(f"api={HELLO}:hello")])

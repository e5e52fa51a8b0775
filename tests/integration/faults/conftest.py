"""A stack of its own for the fault tests: Storage and Firestore behind TCP fault proxies.

The fault tests stop emulators and cut connections, which the session's shared stack must never
see; this stack lives for the fault tests only and the process environment is given back to the
session's stack afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from adgenius.cloud.clients import reset_clients
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.settings import reset_settings_cache

# Short pipeline patience, so work lost with a restarted emulator is redriven in seconds rather
# than after the production budget of minutes; the behaviour (redrive, dedup) is the same.
FAULT_STACK_ENV = {
    "ADGENIUS_PIPELINE_ITEM_BUDGET_S": os.environ.get("ADGENIUS_FAULT_ITEM_BUDGET_S", "6"),
    "ADGENIUS_PIPELINE_STALE_JOB_S": os.environ.get("ADGENIUS_FAULT_STALE_JOB_S", "6"),
    "ADGENIUS_PIPELINE_BACKOFF_BASE_S": os.environ.get("ADGENIUS_FAULT_BACKOFF_BASE_S", "2"),
    "ADGENIUS_PIPELINE_BACKOFF_MAX_S": os.environ.get("ADGENIUS_FAULT_BACKOFF_MAX_S", "16"),
    "ADGENIUS_IDEMPOTENCY_STALE_S": os.environ.get("ADGENIUS_FAULT_IDEMPOTENCY_STALE_S", "8"),
}


def _set_env(env: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(env)
    reset_settings_cache()
    reset_clients()


@pytest.fixture(scope="package")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    if os.environ.get("ADGENIUS_REUSE_STACK") == "1":
        pytest.skip("the fault tests stop emulators: they need a stack of their own")
    saved = dict(os.environ)
    data_dir: Path = tmp_path_factory.mktemp("fault-stack")
    stack = LocalStack(
        data_dir=data_dir, proxied=("storage", "firestore"), extra_env=FAULT_STACK_ENV
    )
    try:
        stack.start()  # points this process's env and clients at the fault stack
        yield stack
    finally:
        stack.stop()
        _set_env(saved)


@pytest.fixture
def fault_ws(fault_stack: LocalStack) -> Workspace:
    assert fault_stack.info is not None
    return create_workspace(fault_stack.info)


@pytest.fixture(autouse=True)
def _healed(request: pytest.FixtureRequest) -> Iterator[None]:
    """Whatever a test broke is given back, so one failing test does not fail the next."""
    yield
    if "fault_stack" in request.fixturenames:
        stack: LocalStack = request.getfixturevalue("fault_stack")
        for proxy in stack.proxies.values():
            proxy.heal()
        for name in ("pubsub", "tasks"):
            if not stack.processes[name].alive():
                stack.start_component(name)
        if not stack.processes["functions"].alive():
            stack.restart_functions_host()

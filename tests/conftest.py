"""Shared fixtures. The local stack starts once per test session, on free ports.

Set ADGENIUS_REUSE_STACK=1 to reuse a stack that `nox -s dev` (or `python -m adgenius.localstack`)
already runs: its `.data/local/stack.json` is read instead of starting a new one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from adgenius.cloud.clients import reset_clients
from adgenius.localstack.auth_users import SignedInUser, user_with_claims
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.settings import REPO_ROOT, reset_settings_cache


def _apply(info: StackInfo) -> None:
    os.environ.update(info.env())
    reset_settings_cache()
    reset_clients()


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack | None]:
    """The LocalStack object (None when reusing a running one): for chaos tests."""
    if os.environ.get("ADGENIUS_REUSE_STACK") == "1":
        yield None
        return
    data_dir: Path = tmp_path_factory.mktemp("stack-data")
    stack = LocalStack(data_dir=data_dir)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def stack(local_stack: LocalStack | None) -> StackInfo:
    """URLs and emulator hosts of the running stack; the test process's env points at it."""
    if local_stack is None:
        info = StackInfo.model_validate_json((REPO_ROOT / ".data/local/stack.json").read_text())
    else:
        assert local_stack.info is not None
        info = local_stack.info
    _apply(info)
    return info


@pytest.fixture
def unique() -> str:
    """A short unique suffix so tests never collide on ids or emails."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def operator(stack: StackInfo) -> SignedInUser:
    return user_with_claims(
        stack.auth_emulator, f"operator-{uuid.uuid4().hex[:8]}@example.com", {"operator": True}
    )

"""Fixtures for the API suite: the shared local stack (root conftest `stack`), users in its Auth
emulator and two fully populated tenants. Every request goes over HTTP to the functions host."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import Api, AuthEmulator, Org, make_org

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # (a module-level pytestmark in a conftest does not reach the tests)
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def api_url(stack) -> str:
    return stack.api_base_url


@pytest.fixture(scope="session")
def auth(stack) -> AuthEmulator:
    return AuthEmulator(stack.auth_emulator, stack.project_id)


@pytest.fixture(scope="session")
def org(auth: AuthEmulator, api_url: str) -> Org:
    """Shared, read-mostly tenant. Tests that change state make their own with `new_org`."""
    return make_org(auth, api_url, "acme")


@pytest.fixture(scope="session")
def other(auth: AuthEmulator, api_url: str) -> Org:
    """Another tenant, whose ids must be invisible to `org`."""
    return make_org(auth, api_url, "rival")


@pytest.fixture
def new_org(auth: AuthEmulator, api_url: str) -> Org:
    return make_org(auth, api_url, "fresh")


@pytest.fixture
def anonymous(api_url: str) -> Api:
    return Api(api_url)

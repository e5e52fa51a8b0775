"""The provider schemas and checkov live in .tools/ (`python -m adgenius.deploy tools`, which
`nox -s tests` runs first); a test that needs one skips, saying so, only when it is missing."""

from __future__ import annotations

from typing import Any

import pytest

from adgenius.deploy import provider_schema


@pytest.fixture(scope="session")
def schemas() -> dict[str, dict[str, Any]]:
    try:
        return {name: provider_schema.load(name, fetch=False) for name in provider_schema.PACKAGES}
    except provider_schema.SchemaUnavailable as exc:
        pytest.skip(f"provider schemas not installed: {exc}")

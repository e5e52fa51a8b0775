"""The tenant purge step's entry point, loaded by functions-framework, fed real push messages."""

from __future__ import annotations

import pytest
from function_entry_helpers import entry_client, push_body

from adgenius.pipeline import tenant_purge


def test_a_purge_message_purges_that_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(tenant_purge, "purge", seen.append)
    r = entry_client("tenants_purge").post("/", json=push_body({"tenant_id": "t-9"}))
    assert r.status_code == 200, r.data
    assert seen == ["t-9"]


def test_a_malformed_purge_message_is_refused_so_it_can_be_dead_lettered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tenant_purge, "purge", lambda t: pytest.fail("must not run"))
    r = entry_client("tenants_purge").post("/", json=push_body({"tenant": "t-9"}))
    assert r.status_code >= 500

"""The tenant purge step's entry point, loaded by functions-framework, fed real push messages."""

from __future__ import annotations

import base64
import json

import functions_framework
import pytest

from adgenius.manifest import MANIFEST
from adgenius.tenancy import deletion


def _client():  # type: ignore[no-untyped-def]
    spec = MANIFEST.function("tenants_purge")
    app = functions_framework.create_app(
        target=spec.entry_point, source=str(spec.source_dir / "main.py"),
        signature_type=spec.signature_type,
    )  # fmt: skip
    return app.test_client()


def _push(data: dict) -> dict:
    return {
        "message": {
            "data": base64.b64encode(json.dumps(data).encode()).decode(),
            "attributes": {"correlation_id": "c-1"},
            "messageId": "7",
        },
        "subscription": "projects/demo-adgenius/subscriptions/tenant-purge",
    }


def test_a_purge_message_purges_that_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(deletion, "purge", seen.append)
    r = _client().post("/", json=_push({"tenant_id": "t-9"}))
    assert r.status_code == 200, r.data
    assert seen == ["t-9"]


def test_a_malformed_purge_message_is_refused_so_it_can_be_dead_lettered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deletion, "purge", lambda t: pytest.fail("must not run"))
    r = _client().post("/", json=_push({"tenant": "t-9"}))
    assert r.status_code >= 500

"""The per-instance authentication cache (pure logic; its bound against Firestore is tested in
tests/integration/api/test_auth_cache_bound.py) and the constant-time key comparison."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest

from adgenius.tenancy import api_keys, auth_cache, store
from adgenius.tenancy.errors import Unauthenticated


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    now = [50.0]
    monkeypatch.setattr(auth_cache, "clock", lambda: now[0])
    auth_cache.clear()
    yield now
    auth_cache.clear()


def test_entries_live_for_the_ttl_and_no_longer(clock: list[float]) -> None:
    reads: list[int] = []

    def load() -> dict[str, str]:
        reads.append(1)
        return {"role": f"v{len(reads)}"}

    assert auth_cache.member("t", "u", load) == {"role": "v1"}
    clock[0] += auth_cache.TTL_S - 0.01
    assert auth_cache.member("t", "u", load) == {"role": "v1"}
    clock[0] += 0.01
    assert auth_cache.member("t", "u", load) == {"role": "v2"}
    assert len(reads) == 2


def test_a_missing_member_is_remembered_but_an_unknown_key_is_not(clock: list[float]) -> None:
    assert auth_cache.member("t", "gone", lambda: None) is None
    assert auth_cache.member("t", "gone", lambda: {"role": "viewer"}) is None  # a removal sticks
    assert auth_cache.api_key("agk_new", lambda: None) is None
    assert auth_cache.api_key("agk_new", lambda: {"tenant_id": "t"}) == {"tenant_id": "t"}


def test_forgetting_is_targeted(clock: list[float]) -> None:
    auth_cache.member("t1", "u", lambda: {"role": "owner"})
    auth_cache.member("t2", "u", lambda: {"role": "owner"})
    auth_cache.api_key("agk_a", lambda: {"tenant_id": "t1"})
    auth_cache.forget_member("t1", "u")
    assert auth_cache.member("t1", "u", lambda: None) is None
    assert auth_cache.member("t2", "u", lambda: None) == {"role": "owner"}
    auth_cache.forget_tenant("t2")
    assert auth_cache.member("t2", "u", lambda: None) is None
    assert auth_cache.api_key("agk_a", lambda: None) is None


def test_the_cache_is_bounded(clock: list[float]) -> None:
    small = auth_cache.TtlCache(ttl_s=5, max_entries=3)
    for i in range(5):
        small.put(i, i)
    # The two stored first were dropped; the last three are still there.
    assert [small.get(i, lambda: "reloaded") for i in (4, 3, 2, 0)] == [4, 3, 2, "reloaded"]


def test_the_key_secret_is_compared_in_constant_time(
    monkeypatch: pytest.MonkeyPatch, clock: list[float]
) -> None:
    calls: list[tuple[object, object]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    secret = "s3cret-value"
    record = {
        "tenant_id": "t1",
        "secret_sha256": hashlib.sha256(secret.encode()).hexdigest(),
        "scopes": ["read"],
        "revoked": False,
        "last_used_at": store.now(),  # used just now: no last-used write from this check
    }
    auth_cache.api_key("agk_cafecafecafe", lambda: record)
    assert api_keys.authenticate_key(f"agk_cafecafecafe.{secret}")[0].tenant_id == "t1"
    with pytest.raises(Unauthenticated):
        api_keys.authenticate_key("agk_cafecafecafe.wrong")
    assert len(calls) == 2
    assert all(isinstance(x, bytes) for pair in calls for x in pair)

"""The failed-authentication limiter (adgenius.api.auth_limit) as pure logic: windows, the
client address, and which credentials a limited client may still present. No database: the
credentials used here fail (or pass) before any lookup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adgenius.api import auth_limit
from adgenius.api.auth_limit import FailureWindows, client_of
from adgenius.tenancy import auth
from adgenius.tenancy.errors import RateLimited, Unauthenticated
from adgenius.tenancy.principal import Principal


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_is_limited_after_the_limit_until_its_window_ends() -> None:
    clock = Clock()
    windows = FailureWindows(3, 60.0, clock=clock)
    assert [windows.fail("a") for _ in range(3)] == [False, False, True]
    assert windows.retry_after("a") == 60
    assert windows.retry_after("b") is None  # other clients are not
    clock.now += 59.2
    assert windows.retry_after("a") == 1
    clock.now += 1
    assert windows.retry_after("a") is None
    windows.fail("a")  # a new window: one failure is not the limit
    assert windows.retry_after("a") is None


def test_failures_below_the_limit_in_one_window_do_not_add_up_across_windows() -> None:
    clock = Clock()
    windows = FailureWindows(3, 10.0, clock=clock)
    for _ in range(4):
        windows.fail("a")
        windows.fail("a")
        clock.now += 10
    assert windows.retry_after("a") is None


def test_memory_is_bounded_and_the_oldest_clients_go_first() -> None:
    windows = FailureWindows(1, 60.0, max_clients=2, clock=Clock())
    for client in ("a", "b", "c"):
        windows.fail(client)
    assert windows.retry_after("a") is None
    assert windows.retry_after("b") == windows.retry_after("c") == 60


@pytest.mark.parametrize(
    ("headers", "peer", "client"),
    [
        ({"X-Forwarded-For": "203.0.113.7"}, "10.0.0.1", "203.0.113.7"),
        # What a client writes itself comes first; the front end appends the real address.
        ({"X-Forwarded-For": "1.2.3.4, 198.51.100.9"}, None, "198.51.100.9"),
        ({}, "192.0.2.5", "192.0.2.5"),
        ({"X-Forwarded-For": "2001:db8:1:2:aaaa::1"}, None, "2001:db8:1:2::/64"),
        ({"X-Forwarded-For": "2001:db8:1:2:bbbb::9"}, None, "2001:db8:1:2::/64"),
        ({"X-Forwarded-For": "::ffff:192.0.2.8"}, None, "192.0.2.8"),
        ({"X-Forwarded-For": "not an address"}, None, "not an address"),
        ({}, None, "unknown"),
    ],
)
def test_the_client_is_the_last_forwarded_address(
    headers: dict[str, str], peer: str | None, client: str
) -> None:
    assert client_of(headers, peer) == client


@pytest.fixture
def limiter(monkeypatch: pytest.MonkeyPatch) -> Iterator[FailureWindows]:
    windows = FailureWindows(2, 60.0, clock=Clock())
    monkeypatch.setattr(auth_limit, "_windows", windows)
    auth_limit.known_keys.clear()
    yield windows
    auth_limit.known_keys.clear()


def test_a_limited_client_is_refused_without_a_lookup_but_known_keys_and_tokens_are_checked(
    limiter: FailureWindows, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str | None, str | None]] = []
    valid_key = Principal.api_key(key_id="agk_000000000001", tenant_id="t", scopes=["read"])

    def authenticate(authorization: str | None, api_key: str | None) -> tuple:
        seen.append((authorization, api_key))
        if api_key == "agk_000000000001.right" or authorization == "Bearer good":
            return valid_key, None
        raise Unauthenticated("unknown API key")

    monkeypatch.setattr(auth, "authenticate", authenticate)
    # Before the limit: 401s, each checked; a valid key is remembered as known.
    assert auth_limit.authenticate("nat", None, "agk_000000000001.right")[0] == valid_key
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            auth_limit.authenticate("nat", None, "agk_00000000000f.guess")
    assert len(seen) == 3
    # Limited: an unknown key is refused with no lookup at all ...
    with pytest.raises(RateLimited) as refused:
        auth_limit.authenticate("nat", None, "agk_00000000000e.guess")
    assert refused.value.retry_after_s == 60 and len(seen) == 3
    # ... while the known key (and a valid token) from the same address still pass.
    assert auth_limit.authenticate("nat", None, "agk_000000000001.right")[0] == valid_key
    assert auth_limit.authenticate("nat", "Bearer good", None)[0] == valid_key
    # A wrong secret for the known key, or a bad token, is checked and then refused with 429.
    for credentials in ((None, "agk_000000000001.wrong"), ("Bearer bad", None)):
        with pytest.raises(RateLimited):
            auth_limit.authenticate("nat", *credentials)
    assert len(seen) == 7
    # Another address is not limited by this one's failures.
    with pytest.raises(Unauthenticated):
        auth_limit.authenticate("elsewhere", None, "agk_00000000000e.guess")

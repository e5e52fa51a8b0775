"""Per-instance caching of authentication and rate accounting, against the real emulator.

This test process plays a second function instance: it authenticates with the same code the
functions host runs, against the same Firestore, while the change (revoke, remove) is made
through the API, i.e. on the other instance. Time is a clock the test steps, never a sleep.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import Api, Org

from adgenius.tenancy import api_keys, auth, auth_cache, limits, store, tenants
from adgenius.tenancy.errors import RateLimited, Unauthenticated
from adgenius.tenancy.plans import PLANS


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """auth_cache's clock, stepped by the test: `clock[0] += 4.9`."""
    now = [1_000.0]
    monkeypatch.setattr(auth_cache, "clock", lambda: now[0])
    auth_cache.clear()
    yield now
    auth_cache.clear()


def test_a_key_revoked_elsewhere_is_refused_here_within_the_bound(
    new_org: Org, clock: list[float]
) -> None:
    owner = new_org.users["owner"]
    created = owner.post("/v1/api-keys", {"name": "poller", "scopes": ["read"]}).json()
    raw, key_id = created["key"], created["id"]
    principal, _ = api_keys.authenticate_key(raw)  # read here once: now cached here
    assert principal.tenant_id == new_org.tenant_id

    assert owner.delete(f"/v1/api-keys/{key_id}").status_code == 204  # on the other instance
    clock[0] += auth_cache.TTL_S - 0.1
    assert api_keys.authenticate_key(raw)[0].api_key_id == key_id  # still inside the bound
    clock[0] += 0.1
    with pytest.raises(Unauthenticated, match="revoked"):
        api_keys.authenticate_key(raw)


def test_a_member_removed_elsewhere_loses_access_here_within_the_bound(
    new_org: Org, clock: list[float]
) -> None:
    uid = new_org.uids["editor"]
    claims = {"uid": uid, "tenant_id": new_org.tenant_id, "email_verified": True}
    assert auth.principal_for_claims(claims).tenant_id == new_org.tenant_id

    admin = new_org.users["admin"]
    assert admin.delete(f"/v1/members/{uid}").status_code == 204
    clock[0] += auth_cache.TTL_S - 0.1
    assert auth.principal_for_claims(claims).tenant_id == new_org.tenant_id
    clock[0] += 0.1
    after = auth.principal_for_claims(claims)
    assert after.tenant_id is None and not after.permissions


def test_on_the_instance_that_made_the_change_access_ends_at_once(
    new_org: Org, api_url: str
) -> None:
    owner = new_org.users["owner"]
    created = owner.post("/v1/api-keys", {"name": "poller", "scopes": ["read"]}).json()
    key = Api(api_url, api_key=created["key"])
    assert key.get("/v1/campaigns").status_code == 200  # cached on the functions host now
    assert owner.delete(f"/v1/api-keys/{created['id']}").status_code == 204
    assert key.get("/v1/campaigns").status_code == 401


# ------------------------------------------------------------------------------ rate limits
def test_many_keys_share_their_tenants_limit(new_org: Org, api_url: str) -> None:
    """Each key's own limit is generous; the tenant's (all keys and members) still binds."""
    owner = new_org.users["owner"]
    keys = [
        Api(
            api_url,
            api_key=owner.post(
                "/v1/api-keys",
                {"name": f"k{i}", "scopes": ["read"], "rate_limit_per_minute": 100_000},
            ).json()["key"],
        )
        for i in range(3)
    ]
    # Another instance (this process) takes the tenant's whole budget for this minute and the
    # next (the test may straddle them): the host keeps only what it had leased, a few tokens.
    for minute in (0, 60):
        _exhaust(new_org.tenant_id, "tenant", store.now() + timedelta(seconds=minute))
    codes = [keys[i % 3].get("/v1/campaigns") for i in range(40)]
    refused = [r for r in codes if r.status_code == 429]
    assert refused, [r.status_code for r in codes]
    assert all("for tenant" in r.json()["error"]["message"] for r in refused)
    assert {r.status_code for r in codes} <= {200, 429}


def _exhaust(tenant_id: str, subject: str, now: datetime) -> None:
    limit = PLANS[tenants.plan_of(tenant_id)].requests_per_minute
    other = limits.RateLimiter()
    with pytest.raises(RateLimited):
        for _ in range(limit + 1):
            other.hit(tenant_id, subject, limit, now=now)


def test_instances_together_never_exceed_the_limit(new_org: Org) -> None:
    """Three instances (limiters), each serving many keys of one tenant from several threads:
    the tenant's window admits at most its limit, and strands little."""
    instances = [limits.RateLimiter() for _ in range(3)]
    t0 = datetime(2026, 2, 2, 9, 0, 5, tzinfo=UTC)
    limit = 200
    lock = threading.Lock()
    admitted = [0]

    def request(i: int) -> None:
        limiter = instances[i % 3]
        try:
            limiter.hit(new_org.tenant_id, "tenant", limit, now=t0)
            limiter.hit(new_org.tenant_id, f"key-agk_{i % 7}", 100_000, now=t0)
        except RateLimited:
            return
        with lock:
            admitted[0] += 1

    with ThreadPoolExecutor(max_workers=9) as pool:
        list(pool.map(request, range(260)))
    assert admitted[0] <= limit
    # Each instance leases at most limit / LEASE_SHARE at once: that is all it can strand.
    assert admitted[0] >= limit - 3 * (limit // limits.LEASE_SHARE)
    # Near the edge concurrent leases may all be refused and give back (under-admission); a
    # fourth instance may then still use what is left, but never more.
    late, extra = limits.RateLimiter(), 0
    with pytest.raises(RateLimited):
        for _ in range(limit + 1):
            late.hit(new_org.tenant_id, "tenant", limit, now=t0)
            extra += 1
    assert admitted[0] + extra <= limit

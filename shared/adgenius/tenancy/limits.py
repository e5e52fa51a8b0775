"""Request rate limits and monthly generation quotas that hold across function instances.

Both are Firestore counters updated with `Increment` (never a read-then-write transaction:
contended transactions are slow and production Firestore sustains ~1 write/s per document, so
counters are spread over shard documents). The pattern is *add first, then read the total*:
a caller is admitted only if the total including itself is within the limit, so concurrent
callers can never be over-admitted; near the edge some may be refused that a perfect lock would
have admitted (quota reservations are given back when refused).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from adgenius.observability import log_fields
from adgenius.tenancy import store
from adgenius.tenancy.errors import QuotaExceeded, RateLimited
from adgenius.tenancy.plans import PLANS, Plan, QuotaKind, Quotas

log = logging.getLogger(__name__)

RATE_SHARDS = 4
USAGE_SHARDS = 4
WINDOW_S = 60


def _add_and_total(
    refs: list[firestore.DocumentReference], field: str, amount: float, base: dict
) -> float:
    target = random.choice(refs)
    target.set({**base, field: firestore.Increment(amount)}, merge=True)
    return sum(float((s.to_dict() or {}).get(field, 0)) for s in store.db().get_all(refs))


# ---------------------------------------------------------------------------- rate limits
def _window(now: datetime) -> tuple[int, int]:
    epoch = int(now.timestamp())
    start = epoch - epoch % WINDOW_S
    return start, start + WINDOW_S - epoch


# An instance leases at most this share of a limit at once (see RateLimiter).
LEASE_SHARE = 20
# After a refusal, the same instance refuses the same subject for this long without asking
# Firestore again: a client hammering past its limit costs no writes.
REFUSAL_MEMORY_S = 1.0


@dataclass
class _Lease:
    tokens: int = 0  # leased and not used yet
    used: int = 0  # admitted by this instance in this window
    refused_until: float = 0.0  # epoch seconds


class RateLimiter:
    """Fixed one-minute windows per (tenant, subject), shared by every instance, without a
    Firestore write per request.

    An instance *leases* tokens from the window's shared counter: it adds n to a shard, reads the
    total, keeps the part that fits under the limit and gives the rest back. Admission then
    spends leased tokens locally. That keeps the global limit exact: a token is only ever spent
    once it was counted in the shared total with everything counted before it (add first, then
    read), so all instances together never admit more than the limit in a window. What it costs
    is under-admission: tokens an instance leased and did not use before the window ends are
    lost. The lease grows with the instance's own use in the window (1, 2, 4, ... up to
    limit / LEASE_SHARE), so an instance strands at most about as many tokens as it has already
    admitted, and never more than a twentieth of the limit. One busy instance at a 6,000/min
    limit makes ~25 counter writes a minute instead of 6,000.
    """

    def __init__(self) -> None:
        self._leases: dict[tuple[str, str, int], _Lease] = {}
        self._locks: dict[tuple[str, str, int], threading.Lock] = {}
        self._guard = threading.Lock()

    def _slot(self, key: tuple[str, str, int]) -> tuple[_Lease, threading.Lock]:
        with self._guard:
            if key not in self._leases:
                # A new window: forget the ended ones (bounded memory per instance).
                for old in [k for k in self._leases if k[2] < key[2]]:
                    del self._leases[old], self._locks[old]
                self._leases[key] = _Lease()
                self._locks[key] = threading.Lock()
            return self._leases[key], self._locks[key]

    def hit(self, tenant_id: str, subject: str, limit: int, *, now: datetime | None = None) -> None:
        now = now or store.now()
        start, remaining = _window(now)
        lease, lock = self._slot((tenant_id, subject, start))
        with lock:  # one lease at a time per subject and instance; the others wait for it
            if lease.tokens == 0:
                if now.timestamp() < lease.refused_until:
                    raise _refusal(subject, limit, remaining)
                want = max(1, min(limit // LEASE_SHARE, lease.used + 1))
                granted = _lease_tokens(tenant_id, subject, start, want, limit, now)
                if granted == 0:
                    lease.refused_until = now.timestamp() + REFUSAL_MEMORY_S
                    raise _refusal(subject, limit, remaining)
                lease.tokens = granted
            lease.tokens -= 1
            lease.used += 1


def _refusal(subject: str, limit: int, remaining: int) -> RateLimited:
    return RateLimited(
        f"rate limit of {limit} requests per minute exceeded for {subject}",
        retry_after_s=remaining,
    )


def _lease_tokens(
    tenant_id: str, subject: str, start: int, want: int, limit: int, now: datetime
) -> int:
    """Add `want` to the window's shared count; keep what fits under `limit`, give back the rest.

    The window documents carry `expires_at` so a Firestore TTL policy on
    `rate_windows.expires_at` deletes them.
    """
    refs = [
        store.tenant_collection(tenant_id, store.RATE).document(f"{subject}-{start}-{i}")
        for i in range(RATE_SHARDS)
    ]
    base = {
        "tenant_id": tenant_id,
        "subject": subject,
        "window_start": start,
        "expires_at": now + timedelta(minutes=10),
    }
    total = _add_and_total(refs, "count", want, base)
    keep = max(0, min(want, limit - int(total - want)))
    if keep < want:
        random.choice(refs).set({**base, "count": firestore.Increment(keep - want)}, merge=True)
    return keep


_limiter = RateLimiter()


def hit_rate_limit(
    tenant_id: str, subject: str, limit: int, *, now: datetime | None = None
) -> None:
    """Count one request for `subject` (e.g. 'tenant', 'key-<prefix>'); raise when over limit.

    Uses this instance's RateLimiter (see there for how the limit holds across instances).
    """
    _limiter.hit(tenant_id, subject, limit, now=now)


# ---------------------------------------------------------------------------------- quotas
def current_period(now: datetime | None = None) -> str:
    now = now or store.now()
    return f"{now.year:04d}-{now.month:02d}"


def _seconds_to_next_period(now: datetime) -> int:
    first_next = (now.replace(day=1) + timedelta(days=32)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return int((first_next - now).total_seconds()) + 1


def _usage_refs(tenant_id: str, period: str) -> list[firestore.DocumentReference]:
    return [
        store.tenant_collection(tenant_id, store.USAGE).document(f"{period}-{i}")
        for i in range(USAGE_SHARDS)
    ]


def quotas_for(tenant_id: str) -> Quotas:
    snap = store.tenant_ref(tenant_id).get()
    plan = Plan((snap.to_dict() or {}).get("plan", Plan.STARTER))
    return PLANS[plan].quotas


def read_usage(tenant_id: str, period: str | None = None) -> dict[str, float]:
    period = period or current_period()
    totals = {k.value: 0.0 for k in QuotaKind}
    for snap in store.db().get_all(_usage_refs(tenant_id, period)):
        data = snap.to_dict() or {}
        for kind in totals:
            totals[kind] += float(data.get(kind, 0))
    return totals


RESERVE_ATTEMPTS = 6


def reserve_quota(
    tenant_id: str, kind: QuotaKind | str, amount: float = 1, *, now: datetime | None = None
) -> float:
    """Reserve `amount` of this month's `kind` quota before accepting generation work.

    Returns the month's usage including this reservation. Raises `QuotaExceeded` (HTTP 402,
    code `quota_exceeded`) and reserves nothing when it would go over the plan's quota.
    Call `release_quota` with the same amount if the work is then not done.
    """
    kind = QuotaKind(kind)
    if amount <= 0:
        raise ValueError("amount must be positive")
    now = now or store.now()
    period = current_period(now)
    limit = getattr(quotas_for(tenant_id), kind.value)
    refs = _usage_refs(tenant_id, period)
    base = {"tenant_id": tenant_id, "period": period}
    # Optimistic: add, read the total, give back if over. Concurrent callers near the limit can
    # all see each other's additions and all give back; when the total without them leaves room,
    # try again after a random pause, so the quota is used without ever being exceeded.
    for attempt in range(RESERVE_ATTEMPTS):
        total = _add_and_total(refs, kind.value, amount, base)
        if total <= limit:
            return total
        random.choice(refs).set({**base, kind.value: firestore.Increment(-amount)}, merge=True)
        settled = sum(
            float((s.to_dict() or {}).get(kind.value, 0)) for s in store.db().get_all(refs)
        )
        if settled + amount > limit or attempt == RESERVE_ATTEMPTS - 1:
            # The quota-refusals metric counts these lines (by kind; no tenant in the label).
            log.info("quota refused", extra=log_fields(quota_kind=kind.value, amount=amount))
            raise QuotaExceeded(
                f"monthly {kind.value} quota of {limit} would be exceeded",
                kind=kind.value,
                limit=limit,
                used=settled,
                retry_after_s=_seconds_to_next_period(now.astimezone(UTC)),
            )
        time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def release_quota(
    tenant_id: str, kind: QuotaKind | str, amount: float = 1, *, period: str | None = None
) -> None:
    """Give back a reservation whose work was not done (e.g. the job failed before a model call).

    `period`: the month the reservation was made in (default: this month).
    """
    batch = store.db().batch()
    release_in(batch, tenant_id, kind, amount, period=period)
    batch.commit()


def release_in(
    batch: firestore.WriteBatch,
    tenant_id: str,
    kind: QuotaKind | str,
    amount: float,
    *,
    period: str | None = None,
) -> None:
    """`release_quota` as part of the caller's batch, atomic with its other writes."""
    kind = QuotaKind(kind)
    period = period or current_period()
    batch.set(
        random.choice(_usage_refs(tenant_id, period)),
        {"tenant_id": tenant_id, "period": period, kind.value: firestore.Increment(-amount)},
        merge=True,
    )

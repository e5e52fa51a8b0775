"""Per-instance cache of what authenticating a request reads: API key records and memberships.

Every authenticated request used to read its API key's index document or its member document
from Firestore before doing anything. Both change rarely (a key is revoked, a member removed or
their role changed), so each function instance keeps what it read for `TTL_S` seconds.

The bound this buys, and what it costs: a key revoked or a member removed or demoted through
*another* instance keeps working on this one for at most `TTL_S` seconds (5 s). On the instance
that made the change it ends at once: every write path (revoke, remove, role change, accepted
invitation, new tenant, tenant deletion) forgets the entries it touches. The web client's direct
Firestore reads never see this cache: the security rules read the member document each time.

Only found records are cached (and a missing member, which is what a removal leaves): an unknown
key is read every time, so a key created on one instance works on every other at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

TTL_S = 5.0
MAX_ENTRIES = 20_000  # a few MB at most; the least recently stored go first

# The clock: monotonic seconds. Tests replace it to step over the bound without sleeping.
clock: Callable[[], float] = time.monotonic


class TtlCache:
    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The cached value for `key`, or `load()` (outside the lock) stored for TTL_S."""
        now = clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
        value = load()
        self.put(key, value, stored_at=now)
        return value

    def put(self, key: Hashable, value: Any, *, stored_at: float | None = None) -> None:
        with self._lock:
            self._entries[key] = (clock() if stored_at is None else stored_at, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, match: Callable[[Hashable], bool]) -> None:
        with self._lock:
            for key in [k for k in self._entries if match(k)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# ("key", prefix) -> the api_key_index document's data (or None: not cached)
# ("member", tenant_id, uid) -> the member document's data, or None when there is none
_cache = TtlCache()


def api_key(prefix: str, load: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
    key = ("key", prefix)
    data = _cache.get(key, load)
    if data is None:
        _cache.forget(lambda k: k == key)  # unknown keys are not remembered (see above)
    return data


def member(tenant_id: str, uid: str, load: Callable[[], dict[str, Any] | None]) -> Any:
    return _cache.get(("member", tenant_id, uid), load)


def forget_key(prefix: str) -> None:
    _cache.forget(lambda k: k == ("key", prefix))


def forget_member(tenant_id: str, uid: str) -> None:
    _cache.forget(lambda k: k == ("member", tenant_id, uid))


def forget_tenant(tenant_id: str) -> None:
    """Every member of the tenant and every key (whose tenant is only in the cached data)."""
    _cache.forget(lambda k: isinstance(k, tuple) and k[:2] == ("member", tenant_id))
    _cache.forget(lambda k: isinstance(k, tuple) and k[0] == "key")


def clear() -> None:
    _cache.clear()

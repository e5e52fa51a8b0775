"""Failed authentications per client: after too many, 429 -- but never for valid credentials.

Without this a client could send made-up API keys as fast as it likes, and every well-formed one
costs a Firestore read (unknown keys are never cached, see tenancy.auth_cache). Each instance
counts the failed authentications of each client (its address as Google's front end appends it
to X-Forwarded-For; an IPv6 client by its /64, which one host can fill) in a fixed window. Once
a client has `auth_failures_per_window`, until the window ends:

- an API key this instance has seen authenticate is still checked as usual (its record is cached
  per instance, so at most one read per auth_cache.TTL_S) and served when valid;
- any other API key, and a malformed one, is answered 429 at once: no Firestore read;
- an ID token is still verified (a signature check against cached certificates, no Firestore
  read): a valid one is served, an invalid one is answered 429.

So the members and integrations of an agency behind one NAT keep working while someone behind
the same address hammers the API with bogus credentials; the one exception is an API key used
for the first time on this instance during such a flood, which waits for the window to end
(Retry-After). Per instance, not global: what it guards is each instance's reads, and a flood
spread over N instances is N times the limit, still bounded. No Firestore state, so the refusal
costs nothing; a library limiter was not worth a dependency in every bundle for a bounded dict.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from adgenius.settings import get_settings
from adgenius.tenancy import auth
from adgenius.tenancy.errors import RateLimited, Unauthenticated
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)

MAX_CLIENTS = 50_000  # clients (and known keys) remembered per instance; the oldest go first
TOO_MANY = "too many failed authentications from this address; retry later"


class FailureWindows:
    """Failures per client in a fixed window from the client's first failure; bounded memory."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_clients = max_clients
        self.clock = clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may fail again; None when it is not limited."""
        now = self.clock()
        with self._lock:
            window = self._windows.get(client)
        if window is None or window[1] < self.limit:
            return None
        left = self.window_s - (now - window[0])
        return max(1, math.ceil(left)) if left > 0 else None

    def fail(self, client: str) -> bool:
        """Count one failure; True when this one reached the limit (log it once)."""
        now = self.clock()
        with self._lock:
            start, count = self._windows.pop(client, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            self._windows[client] = (start, count + 1)
            while len(self._windows) > self.max_clients:
                self._windows.popitem(last=False)
        return count + 1 == self.limit

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


class KnownKeys:
    """API key prefixes that authenticated on this instance (bounded, most recent kept)."""

    def __init__(self, max_keys: int = MAX_CLIENTS) -> None:
        self.max_keys = max_keys
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, prefix: str) -> None:
        with self._lock:
            self._keys[prefix] = None
            self._keys.move_to_end(prefix)
            while len(self._keys) > self.max_keys:
                self._keys.popitem(last=False)

    def __contains__(self, prefix: object) -> bool:
        with self._lock:
            return prefix in self._keys

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


_windows: FailureWindows | None = None
known_keys = KnownKeys()


def windows() -> FailureWindows:
    global _windows
    if _windows is None:
        settings = get_settings()
        _windows = FailureWindows(settings.auth_failures_per_window, settings.auth_failure_window_s)
    return _windows


def client_of(headers: Mapping[str, str], remote_addr: str | None) -> str:
    """Who is asking: the last X-Forwarded-For entry (the one Google's front end appends; the
    ones before it are the client's to make up), else the peer; IPv6 by its /64."""
    forwarded = headers.get("X-Forwarded-For") or ""
    candidate = forwarded.rsplit(",", 1)[-1].strip() or (remote_addr or "")
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return candidate[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _may_be_valid(authorization: str | None, api_key: str | None) -> bool:
    """Whether a limited client's credentials are worth checking (see the module docstring)."""
    if api_key:
        prefix = api_key.strip().partition(".")[0]
        return prefix in known_keys
    return bool(authorization)


def authenticate(
    client: str, authorization: str | None, api_key: str | None
) -> tuple[Principal | None, int | None]:
    """`auth.authenticate`, counting this client's failures and refusing it once over the limit."""
    limiter = windows()
    limited_for = limiter.retry_after(client)
    if limited_for is not None and not _may_be_valid(authorization, api_key):
        raise RateLimited(TOO_MANY, retry_after_s=limited_for)
    try:
        principal, key_rate = auth.authenticate(authorization, api_key)
    except Unauthenticated:
        if limiter.fail(client):
            logger.warning("client %s reached the failed-authentication limit", client)
        if limited_for is not None:
            raise RateLimited(TOO_MANY, retry_after_s=limited_for) from None
        raise
    if principal is not None and principal.api_key_id is not None:
        known_keys.add(principal.api_key_id)
    return principal, key_rate

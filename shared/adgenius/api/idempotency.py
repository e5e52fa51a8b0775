"""`Idempotency-Key` on creating POSTs: the same key replays the first response, once only.

No transaction: the first request wins `create()` of `idempotency_keys/{hash}` (state pending),
does the work and stores the response; concurrent or later requests with the same key wait for
that response and replay it. A failed first attempt marks its record failed so a retry can
proceed, with the failed attempt's ids; one whose process died leaves it pending, and after
`idempotency_stale_s` a retry runs the work again with the dead attempt's ids. Either way a
document the first attempt had already created is found, not doubled (store.create_once).
Records carry `expires_at` for a Firestore TTL policy (24 h).

A record belongs to a caller *in a tenant*: it stores the tenant the caller acted in when the work
was done, and replays only to the same caller acting in that same tenant. A user removed from
tenant A who goes on in tenant B with the same key gets new work in B, never A's response (which
would also leak A's ids). For a caller without a tenant (onboarding, accepting an invitation)
the tenant is the one the work left them in, read from `users/{uid}` after the work and again on
a replay, so a retry of a successful onboarding still replays, and the same key after leaving
that tenant does not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from google.api_core import exceptions as gexc
from google.cloud.firestore import DocumentSnapshot

from adgenius.api.errors import ApiError
from adgenius.settings import get_settings
from adgenius.tenancy import store
from adgenius.tenancy.errors import FieldProblem
from adgenius.tenancy.principal import Principal

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
WAIT_FOR_S = 20.0  # how long a replay waits for a first attempt still in progress


class StoredResponse:
    def __init__(
        self,
        status: int,
        body: str,
        headers: dict[str, str],
        raw: bytes | None = None,
        media_type: str | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers
        self.raw = raw  # a file body (never stored as an idempotent replay)
        self.media_type = media_type


def _check_key(key: str) -> None:
    if not (1 <= len(key) <= 255) or not key.isprintable():
        raise ApiError(
            400,
            "invalid_request",
            "invalid Idempotency-Key",
            details=[FieldProblem(HEADER, "1 to 255 printable characters")],
        )


def _tenant_now(principal: Principal) -> str | None:
    """The tenant the caller acts in. A user whose principal has none may have just gained one
    (by the work under this very key, or a concurrent attempt of it): the server record says."""
    if principal.tenant_id is not None or principal.kind != "user" or principal.uid is None:
        return principal.tenant_id
    snap = store.db().collection(store.USERS).document(principal.uid).get()
    return snap.get("tenant_id") if snap.exists else None


def _delete_if_unchanged(snap: DocumentSnapshot) -> None:
    """Delete a record nobody changed since `snap` (a concurrent request may have beaten us to
    it, and then its record stands: the caller's loop reads it again)."""
    with contextlib.suppress(gexc.FailedPrecondition, gexc.NotFound):
        snap.reference.delete(option=store.db().write_option(last_update_time=snap.update_time))


def _inheritable(data: dict, principal: Principal) -> tuple[str, datetime] | None:
    """The seed and start of an attempt this one takes over: only in the tenant that attempt
    acted in (or from a tenantless attempt, which made the caller's tenant), so the ids it derives
    never meet another tenant's documents, e.g. in the top-level indexes."""
    if not data.get("seed") or data.get("tenant_id") not in (None, principal.tenant_id):
        return None
    return data["seed"], data.get("started_at") or data["created_at"]


def run_once(
    principal: Principal,
    key: str,
    method: str,
    path: str,
    body: bytes,
    work: Callable[[], StoredResponse],
) -> tuple[StoredResponse, bool]:
    """(response, replayed). `work` runs at most once per (caller, tenant, method, path, key)."""
    _check_key(key)
    record_id = hashlib.sha256(
        "\x1f".join([principal.subject, method, path, key]).encode()
    ).hexdigest()
    request_hash = hashlib.sha256(body).hexdigest()
    ref = store.db().collection(store.IDEMPOTENCY).document(record_id)
    deadline = time.monotonic() + WAIT_FOR_S
    delay = 0.02
    # The ids an attempt makes are derived from its record's seed (store.replayable_ids). A retry
    # that takes over a crashed attempt's record inherits its seed, so it makes the same ids and
    # finds what the dead attempt wrote; any other new record starts a fresh seed.
    inherited: tuple[str, datetime] | None = None  # the crashed attempt's seed and start
    while True:
        now = store.now()
        seed, started = inherited or (secrets.token_hex(16), now)
        try:
            ref.create(
                {
                    "tenant_id": principal.tenant_id,
                    "state": "pending",
                    "seed": seed,
                    "started_at": started,
                    "request_hash": request_hash,
                    "created_at": now,
                    "expires_at": now + KEEP_FOR,
                }
            )
        except gexc.AlreadyExists:
            pass
        else:
            try:
                with store.replayable_ids(seed, started):
                    response = work()
            except BaseException:
                # Let a retry with the same key try again, keeping this attempt's seed: what it
                # wrote before it failed (a document, then a 503 from Pub/Sub) is then found by
                # the retry, not made twice. (If even this write fails, the record stays pending
                # and a retry takes it over once it is stale, as after a crash.)
                with contextlib.suppress(Exception):
                    ref.update({"state": "failed"})
                raise
            ref.update(
                {
                    "tenant_id": _tenant_now(principal),
                    "state": "done",
                    "status": response.status,
                    "body": response.body,
                    "headers": json.dumps(response.headers),
                }
            )
            return response, False

        snap = ref.get()
        if not snap.exists:
            continue  # a stale or foreign record was removed: try to be first
        data = snap.to_dict() or {}
        if data.get("state") == "failed":
            # The same request again runs with the failed attempt's ids; another body after a
            # failure is a new request (not a reuse of the key), with ids of its own.
            if data.get("request_hash") == request_hash:
                inherited = _inheritable(data, principal) or inherited
            _delete_if_unchanged(snap)
            continue
        if data.get("state") == "done" and data.get("tenant_id") != _tenant_now(principal):
            # Done for this caller in another tenant (since left): not this request's answer.
            _delete_if_unchanged(snap)
            continue
        if data.get("request_hash") != request_hash:
            raise ApiError(
                409,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request body",
            )
        if data.get("state") == "done":
            return StoredResponse(
                data["status"], data["body"], json.loads(data.get("headers") or "{}")
            ), True
        # A pending record this old belongs to a crashed attempt: the work runs again, with the
        # same ids (store.replayable_ids), so what the first run wrote is found, not doubled, and
        # what it had not written yet (an audit entry, a message) is written now.
        if now - data["created_at"] > timedelta(seconds=get_settings().idempotency_stale_s):
            inherited = _inheritable(data, principal) or inherited
            _delete_if_unchanged(snap)
            continue
        if time.monotonic() > deadline:
            raise ApiError(
                409,
                "idempotency_in_progress",
                "a request with this Idempotency-Key is still in progress; retry shortly",
                headers={"Retry-After": "1"},
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)

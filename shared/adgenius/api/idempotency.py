"""`Idempotency-Key` on creating POSTs: the same key replays the first response, once only.

No transaction: the first request wins `create()` of `idempotency_keys/{hash}` (state pending),
does the work and stores the response; concurrent or later requests with the same key wait for
that response and replay it. A failed first attempt deletes its record so a retry can proceed.
Records carry `expires_at` for a Firestore TTL policy (24 h).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import timedelta

from google.api_core import exceptions as gexc

from adgenius.api.errors import ApiError
from adgenius.tenancy import store
from adgenius.tenancy.errors import FieldProblem
from adgenius.tenancy.principal import Principal

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
WAIT_FOR_S = 20.0  # how long a replay waits for a first attempt still in progress
STALE_AFTER = timedelta(minutes=2)  # a pending record this old belongs to a crashed attempt


class StoredResponse:
    def __init__(self, status: int, body: str, headers: dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers


def _check_key(key: str) -> None:
    if not (1 <= len(key) <= 255) or not key.isprintable():
        raise ApiError(
            400,
            "invalid_request",
            "invalid Idempotency-Key",
            details=[FieldProblem(HEADER, "1 to 255 printable characters")],
        )


def run_once(
    principal: Principal,
    key: str,
    method: str,
    path: str,
    body: bytes,
    work: Callable[[], StoredResponse],
) -> tuple[StoredResponse, bool]:
    """(response, replayed). `work` runs at most once per (caller, method, path, key)."""
    _check_key(key)
    record_id = hashlib.sha256(
        "\x1f".join([principal.subject, method, path, key]).encode()
    ).hexdigest()
    request_hash = hashlib.sha256(body).hexdigest()
    ref = store.db().collection(store.IDEMPOTENCY).document(record_id)
    deadline = time.monotonic() + WAIT_FOR_S
    delay = 0.02
    while True:
        now = store.now()
        try:
            ref.create(
                {
                    "tenant_id": principal.tenant_id,
                    "state": "pending",
                    "request_hash": request_hash,
                    "created_at": now,
                    "expires_at": now + KEEP_FOR,
                }
            )
        except gexc.AlreadyExists:
            pass
        else:
            try:
                response = work()
            except BaseException:
                ref.delete()  # let a retry with the same key try again
                raise
            ref.update(
                {
                    "state": "done",
                    "status": response.status,
                    "body": response.body,
                    "headers": json.dumps(response.headers),
                }
            )
            return response, False

        snap = ref.get()
        if not snap.exists:
            continue  # the first attempt failed and removed its record: try to be first
        data = snap.to_dict() or {}
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
        if now - data["created_at"] > STALE_AFTER:
            ref.delete(option=store.db().write_option(last_update_time=snap.update_time))
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

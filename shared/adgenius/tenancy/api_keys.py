"""API keys for integrations: shown once, stored as a hash, scoped, revocable.

A key looks like `agk_<prefix>.<secret>`. The prefix is the key's id and the id of a top-level
`api_key_index/{prefix}` document holding the SHA-256 of the secret, so a request is
authenticated with one document read and no query, and that read is cached per instance for
a few seconds (see auth_cache: a revocation elsewhere takes effect within `auth_cache.TTL_S`).
The secret itself is never stored; its hash is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import Field, StringConstraints, computed_field, field_validator

from adgenius.tenancy import audit, auth_cache, store
from adgenius.tenancy.errors import Unauthenticated
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Scope

KEY_PREFIX = "agk_"
# Writing last_used_at on every request would make each key a hot document; a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyCreate(store.StrictModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope))
    rate_limit_per_minute: int | None = Field(
        default=None, ge=1, le=100_000, description="Defaults to 120 requests per minute."
    )

    @field_validator("scopes")
    @classmethod
    def _unique(cls, scopes: list[Scope]) -> list[Scope]:
        if len(set(scopes)) != len(scopes):
            raise ValueError("scopes must not repeat")
        return scopes


class ApiKey(store.Document):
    id: str
    tenant_id: str
    name: str
    prefix: str
    scopes: list[Scope]
    rate_limit_per_minute: int | None = None
    created_at: datetime
    created_by: dict[str, str | None]
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The full key. Shown only in this response; store it safely.")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(tenant_id: str, body: ApiKeyCreate, principal: Principal) -> ApiKeyCreated:
    prefix = KEY_PREFIX + store.new_token_hex(6)
    secret = secrets.token_urlsafe(32)  # random even on a rerun: never derivable from a record
    now = store.now()
    doc = {
        "id": prefix,
        "tenant_id": tenant_id,
        "name": body.name,
        "prefix": prefix,
        "scopes": [s.value for s in body.scopes],
        "rate_limit_per_minute": body.rate_limit_per_minute,
        "created_at": now,
        "created_by": principal.actor,
        "last_used_at": None,
        "revoked_at": None,
    }
    index = {
        "tenant_id": tenant_id,
        "secret_sha256": _hash(secret),
        "scopes": doc["scopes"],
        "rate_limit_per_minute": body.rate_limit_per_minute,
        "revoked": False,
        "last_used_at": None,
    }
    index_ref = store.db().collection(store.API_KEY_INDEX).document(prefix)
    key_ref = store.tenant_collection(tenant_id, store.API_KEYS).document(prefix)
    (_, stored), created = store.create_all_once([(index_ref, index), (key_ref, doc)])
    if not created:
        # A rerun after a crash: the first run's key stands, but its secret was never answered
        # (the process died before the response was recorded), so it gets this run's secret.
        index_ref.update({"secret_sha256": _hash(secret)})
        auth_cache.forget_key(prefix)
        doc = stored
    audit.record(
        tenant_id,
        "api_key.created",
        principal,
        target=f"api_keys/{prefix}",
        details={"scopes": doc["scopes"], "name": body.name},
    )
    return ApiKeyCreated(**doc, key=f"{prefix}.{secret}")


def list_keys(tenant_id: str) -> list[ApiKey]:
    snaps = store.tenant_collection(tenant_id, store.API_KEYS).order_by("__name__").stream()
    return [ApiKey(**store.data_with_id(s)) for s in snaps]


def revoke_key(tenant_id: str, key_id: str, principal: Principal) -> None:
    snap = store.get_in_tenant(tenant_id, store.API_KEYS, key_id)
    if snap.get("revoked_at") is not None:
        return  # revoking twice is not an error: the outcome the caller wants holds
    now = store.now()
    batch = store.db().batch()
    batch.update(store.db().collection(store.API_KEY_INDEX).document(key_id), {"revoked": True})
    batch.update(snap.reference, {"revoked_at": now})
    batch.commit()
    auth_cache.forget_key(key_id)  # at once here; other instances within auth_cache.TTL_S
    audit.record(tenant_id, "api_key.revoked", principal, target=f"api_keys/{key_id}")


def authenticate_key(raw: str) -> tuple[Principal, int | None]:
    """Resolve an `X-API-Key` header to its principal and its own rate limit (or raise 401)."""
    prefix, dot, secret = raw.strip().partition(".")
    # The prefix is a document id: one Firestore could not take (a '/', a reserved name) is
    # refused here rather than failing inside Firestore.
    if not dot or not prefix.startswith(KEY_PREFIX) or not secret or not store.is_doc_id(prefix):
        raise Unauthenticated("malformed API key")
    data = auth_cache.api_key(prefix, lambda: _read_index(prefix))
    # Constant time: how much of the hash matched must not show in how long the refusal took.
    if not data or not secret_matches(data.get("secret_sha256", ""), secret):
        raise Unauthenticated("unknown API key")
    if data.get("revoked"):
        raise Unauthenticated("this API key has been revoked")
    _touch(prefix, data)
    principal = Principal.api_key(
        key_id=prefix, tenant_id=data["tenant_id"], scopes=data.get("scopes", [])
    )
    return principal, data.get("rate_limit_per_minute")


def _read_index(prefix: str) -> dict | None:
    snap = store.db().collection(store.API_KEY_INDEX).document(prefix).get()
    return snap.to_dict() if snap.exists else None


def secret_matches(stored_sha256: str, secret: str) -> bool:
    return hmac.compare_digest(stored_sha256.encode(), _hash(secret).encode())


def _touch(prefix: str, index: dict) -> None:
    now = store.now()
    last = index.get("last_used_at")
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    # The cached record remembers the write, or every request would repeat it until it expires.
    index["last_used_at"] = now
    store.db().collection(store.API_KEY_INDEX).document(prefix).update({"last_used_at": now})
    store.tenant_collection(index["tenant_id"], store.API_KEYS).document(prefix).update(
        {"last_used_at": now}
    )


def get_key(tenant_id: str, key_id: str) -> ApiKey:
    return ApiKey(**store.data_with_id(store.get_in_tenant(tenant_id, store.API_KEYS, key_id)))

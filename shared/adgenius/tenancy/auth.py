"""Turn request credentials into a `Principal`.

Users send a Firebase ID token (`Authorization: Bearer ...`), verified by firebase-admin (with
FIREBASE_AUTH_EMULATOR_HOST set it accepts the Auth emulator's unsigned tokens: only ever in
`local` mode, see settings.refuse_emulators_in_cloud). The token's
`tenant_id` claim says where to look; the member document is the authority for role and brands,
so a role change or removal takes effect on the next request, not when the token expires (on
the instance that made the change; on the others within auth_cache.TTL_S seconds).
Integrations send `X-API-Key` (see api_keys).
"""

from __future__ import annotations

import logging
from typing import Any

from adgenius.cloud.clients import firebase_app
from adgenius.settings import get_settings, refuse_emulators_in_cloud
from adgenius.tenancy import api_keys, auth_cache, store
from adgenius.tenancy.errors import Unauthenticated
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Role

logger = logging.getLogger(__name__)


def verify_id_token(token: str) -> dict[str, Any]:
    # Checked again per token: the variable could appear after start (firebase-admin reads it
    # on every call), and then we refuse to verify rather than accept unsigned tokens.
    refuse_emulators_in_cloud(get_settings().mode.value)
    # Imported here: the functions that import this module to purge tenants verify no token.
    from firebase_admin import auth as fb_auth

    try:
        return fb_auth.verify_id_token(token, app=firebase_app())
    except fb_auth.CertificateFetchError:
        raise  # our problem, not the caller's: let it surface as a 5xx and alert
    except (ValueError, fb_auth.InvalidIdTokenError, fb_auth.UserDisabledError) as exc:
        logger.info("rejected ID token: %s", exc)
        raise Unauthenticated("invalid or expired ID token") from exc


def principal_for_claims(claims: dict[str, Any]) -> Principal:
    uid = claims["uid"]
    email = claims.get("email")
    verified = bool(claims.get("email_verified"))
    tenant_id = claims.get("tenant_id")
    if not tenant_id:
        # Right after sign-up the client may still hold a token minted before the claims.
        snap = store.db().collection(store.USERS).document(uid).get()
        tenant_id = snap.get("tenant_id") if snap.exists else None
    if tenant_id:
        data = _member(tenant_id, uid)
        if data is None and claims.get("tenant_id"):
            # A stale claim (removed, then joined elsewhere): the server record decides.
            snap = store.db().collection(store.USERS).document(uid).get()
            if snap.exists and snap.get("tenant_id") != tenant_id:
                tenant_id = snap.get("tenant_id")
                data = _member(tenant_id, uid)
        if data is not None:
            return Principal.member(
                uid=uid,
                email=email,
                email_verified=verified,
                tenant_id=tenant_id,
                role=Role(data["role"]),
                brand_ids=data.get("brand_ids"),
            )
    return Principal(kind="user", uid=uid, email=email, email_verified=verified)


def _member(tenant_id: str, uid: str) -> dict[str, Any] | None:
    """The member document's data (None: not a member), cached per instance for
    auth_cache.TTL_S seconds: a removal or role change elsewhere applies within that bound."""

    def load() -> dict[str, Any] | None:
        snap = store.tenant_collection(tenant_id, store.MEMBERS).document(uid).get()
        return (snap.to_dict() or {}) if snap.exists else None

    return auth_cache.member(tenant_id, uid, load)  # type: ignore[no-any-return]


def authenticate(
    authorization: str | None, api_key: str | None
) -> tuple[Principal | None, int | None]:
    """(principal, key rate limit) or (None, None) when no credentials were sent."""
    if api_key:
        return api_keys.authenticate_key(api_key)
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Authorization must be 'Bearer <Firebase ID token>'")
        return principal_for_claims(verify_id_token(token.strip())), None
    return None, None


def set_claims(
    uid: str, tenant_id: str | None, role: Role | None, brand_ids: list[str] | None
) -> None:
    """Custom claims the web client and security rules read (after the next token refresh)."""
    claims: dict[str, Any] | None = None
    if tenant_id:
        claims = {"tenant_id": tenant_id, "role": role.value if role else None}
        if brand_ids is not None:
            claims["brand_ids"] = brand_ids
    from firebase_admin import auth as fb_auth

    fb_auth.set_custom_user_claims(uid, claims, app=firebase_app())

"""Operators only: a Firebase ID token whose user has the `operator` custom claim *now*.

The claim in the token says what was true when it was minted (up to an hour ago), so the user's
current record in Firebase Auth decides: taking the claim away ends access at once.

In the cloud the function is also private (IAM invoker), so this is defence in depth there and the
only gate locally.
"""

from __future__ import annotations

from adgenius.cloud.clients import firebase_app
from adgenius.settings import get_settings, refuse_emulators_in_cloud


class NotAuthenticated(Exception):
    pass


class NotAuthorized(Exception):
    pass


def operator_uid(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated("missing bearer token")
    refuse_emulators_in_cloud(get_settings().mode.value)  # never accept unsigned tokens there
    from firebase_admin import auth  # here: a request without a token is refused without it

    try:
        claims = auth.verify_id_token(
            authorization.removeprefix("Bearer ").strip(), app=firebase_app()
        )
    except (ValueError, auth.InvalidIdTokenError, auth.ExpiredIdTokenError) as exc:
        raise NotAuthenticated(f"invalid token: {exc}") from exc
    if claims.get("operator") is not True:
        raise NotAuthorized("the operator claim is required")
    uid = str(claims["uid"])
    try:
        current = auth.get_user(uid, app=firebase_app()).custom_claims or {}
    except auth.UserNotFoundError as exc:
        raise NotAuthorized("the operator claim is required") from exc
    if current.get("operator") is not True:
        raise NotAuthorized("the operator claim was withdrawn")
    return uid

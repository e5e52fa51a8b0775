"""Operators only: a Firebase ID token carrying the `operator` custom claim.

In the cloud the function is also private (IAM invoker), so this is defence in depth there and the
only gate locally.
"""

from __future__ import annotations

from firebase_admin import auth

from adgenius.cloud.clients import firebase_app


class NotAuthenticated(Exception):
    pass


class NotAuthorized(Exception):
    pass


def operator_uid(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated("missing bearer token")
    try:
        claims = auth.verify_id_token(
            authorization.removeprefix("Bearer ").strip(), app=firebase_app()
        )
    except (ValueError, auth.InvalidIdTokenError, auth.ExpiredIdTokenError) as exc:
        raise NotAuthenticated(f"invalid token: {exc}") from exc
    if claims.get("operator") is not True:
        raise NotAuthorized("the operator claim is required")
    return str(claims["uid"])

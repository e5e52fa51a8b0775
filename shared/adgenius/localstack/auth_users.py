"""Users in the Auth emulator, for tests, the demo and local operators.

Sign-up and sign-in go through the emulator's REST API exactly as the web SDK does; custom claims
are set through firebase-admin, as the backend does in production.
"""

from __future__ import annotations

from typing import Any

import httpx
from firebase_admin import auth
from pydantic import BaseModel

from adgenius.cloud.clients import firebase_app


class SignedInUser(BaseModel):
    uid: str
    email: str
    id_token: str
    refresh_token: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.id_token}"}


def _identity_url(auth_host: str, method: str) -> str:
    return (
        f"http://{auth_host}/identitytoolkit.googleapis.com/v1/accounts:{method}?key=demo-api-key"
    )


def sign_up(auth_host: str, email: str, password: str = "password-123") -> SignedInUser:
    r = httpx.post(
        _identity_url(auth_host, "signUp"),
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=10,
    )
    r.raise_for_status()
    body = r.json()
    return SignedInUser(
        uid=body["localId"],
        email=email,
        id_token=body["idToken"],
        refresh_token=body["refreshToken"],
    )


def sign_in(auth_host: str, email: str, password: str = "password-123") -> SignedInUser:
    r = httpx.post(
        _identity_url(auth_host, "signInWithPassword"),
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=10,
    )
    r.raise_for_status()
    body = r.json()
    return SignedInUser(
        uid=body["localId"],
        email=email,
        id_token=body["idToken"],
        refresh_token=body["refreshToken"],
    )


def set_claims(uid: str, claims: dict[str, Any]) -> None:
    auth.set_custom_user_claims(uid, claims, app=firebase_app())


def user_with_claims(
    auth_host: str, email: str, claims: dict[str, Any], password: str = "password-123"
) -> SignedInUser:
    """Sign up, set claims, and sign in again so the ID token carries them."""
    user = sign_up(auth_host, email, password)
    set_claims(user.uid, claims)
    return sign_in(auth_host, email, password)


def main() -> None:
    """`python -m adgenius.localstack.auth_users operator EMAIL`: an operator's ID token for the
    running local stack (read from .data/local/stack.json), for the diagnostics endpoint."""
    import argparse
    import os

    from adgenius.cloud.clients import reset_clients
    from adgenius.localstack.stack import StackInfo
    from adgenius.settings import get_settings, reset_settings_cache

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("role", choices=["operator"])
    parser.add_argument("email")
    args = parser.parse_args()
    info = StackInfo.model_validate_json(get_settings().stack_file.read_text())
    os.environ.update(info.env())
    reset_settings_cache()
    reset_clients()
    try:
        user = sign_in(info.auth_emulator, args.email)
    except httpx.HTTPStatusError:
        user = user_with_claims(info.auth_emulator, args.email, {"operator": True})
    print(user.id_token)


if __name__ == "__main__":
    main()

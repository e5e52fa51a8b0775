"""Test helpers: real users in the Auth emulator and an HTTP client for the API."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

_counter = itertools.count()


class AuthEmulator:
    """Sign users up and in through the Auth emulator's REST API, like the web SDK does."""

    def __init__(self, host: str, project_id: str) -> None:
        self.base = f"http://{host}"
        self.project_id = project_id
        self.http = httpx.Client(timeout=10)

    def _post(self, path: str, body: dict[str, Any], admin: bool = False) -> dict[str, Any]:
        headers = {"Authorization": "Bearer owner"} if admin else {}
        response = self.http.post(f"{self.base}{path}", json=body, headers=headers)
        response.raise_for_status()
        return response.json()

    def sign_up(self, email: str, password: str = "password-123", verified: bool = True) -> str:
        data = self._post(
            "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-key",
            {"email": email, "password": password, "returnSecureToken": True},
        )
        if verified:
            self._post(
                f"/identitytoolkit.googleapis.com/v1/projects/{self.project_id}/accounts:update",
                {"localId": data["localId"], "emailVerified": True},
                admin=True,
            )
        return data["localId"]

    def id_token(self, email: str, password: str = "password-123") -> str:
        """A fresh ID token (carrying the current custom claims)."""
        data = self._post(
            "/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-key",
            {"email": email, "password": password, "returnSecureToken": True},
        )
        return data["idToken"]


def unique_email(label: str) -> str:
    return f"{label}-{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class Api:
    """An API caller: a user (ID token) or an integration (API key), or nobody."""

    base_url: str
    token: str | None = None
    api_key: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        out = dict(self.headers)
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        if self.api_key:
            out["X-API-Key"] = self.api_key
        out.update(extra or {})
        return out

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        return self.http.request(method, path, headers=self._headers(headers), **kw)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)

"""Minimal Firestore REST client for rules tests: unsigned `alg: none` ID tokens carrying custom
claims (the emulator accepts them, like the web SDK's signed ones in production)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx

PROJECT = "demo-adgenius-rules"  # its own project id: nothing shared with other suites


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def id_token(project: str, uid: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "sub": uid,
        "user_id": uid,
        "iat": now,
        "exp": now + 3600,
        "auth_time": now,
        "email": f"{uid}@example.com",
        "email_verified": True,
        "firebase": {"sign_in_provider": "password", "identities": {}},
        **claims,
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."


def encode(value: Any) -> dict[str, Any]:
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, list):
        return {"arrayValue": {"values": [encode(v) for v in value]}}
    if isinstance(value, dict):
        return {"mapValue": {"fields": {k: encode(v) for k, v in value.items()}}}
    raise TypeError(type(value))


class Firestore:
    def __init__(self, base: str, project: str, token: str | None) -> None:
        self.root = f"{base}/v1/projects/{project}/databases/(default)/documents"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # Generous: the first rules evaluations of a cold emulator JVM on a busy machine are slow.
        self.http = httpx.Client(headers=headers, timeout=30)

    def get(self, path: str) -> httpx.Response:
        return self.http.get(f"{self.root}/{path}")

    def query(
        self,
        collection_path: str,
        where: tuple[str, Any] | None = None,
        *,
        op: str = "EQUAL",
        order_by: str | None = None,
        limit: int = 10,
    ) -> httpx.Response:
        """runQuery on one collection: an optional filter (`op` EQUAL or IN with a list value),
        an optional ascending order (`__name__` is the document id) and a limit."""
        parent, _, collection = collection_path.rpartition("/")
        query: dict[str, Any] = {"from": [{"collectionId": collection}], "limit": limit}
        if where:
            field, value = where
            query["where"] = {
                "fieldFilter": {
                    "field": {"fieldPath": field},
                    "op": op,
                    "value": encode(value),
                }
            }
        if order_by:
            query["orderBy"] = [{"field": {"fieldPath": order_by}, "direction": "ASCENDING"}]
        url = f"{self.root}/{parent}:runQuery" if parent else f"{self.root}:runQuery"
        return self.http.post(url, json={"structuredQuery": query})

    def create(self, collection_path: str, doc_id: str, data: dict[str, Any]) -> httpx.Response:
        return self.http.post(
            f"{self.root}/{collection_path}",
            params={"documentId": doc_id},
            json={"fields": {k: encode(v) for k, v in data.items()}},
        )

    def set(self, path: str, data: dict[str, Any]) -> httpx.Response:
        return self.http.patch(
            f"{self.root}/{path}", json={"fields": {k: encode(v) for k, v in data.items()}}
        )

    def update(self, path: str, data: dict[str, Any]) -> httpx.Response:
        return self.http.patch(
            f"{self.root}/{path}",
            params=[("updateMask.fieldPaths", k) for k in data]
            + [("currentDocument.exists", "true")],
            json={"fields": {k: encode(v) for k, v in data.items()}},
        )

    def delete(self, path: str) -> httpx.Response:
        return self.http.delete(f"{self.root}/{path}")

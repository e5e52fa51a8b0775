"""Bogus credentials through the real API: after the limit of failed authentications a client
is answered 429 (Retry-After, the JSON error shape) without a lookup, while valid keys and ID
tokens from the same address -- the agency behind one NAT -- go on working.

Each test is its own client: a made-up address in X-Forwarded-For (what Google's front end would
append), so the session's other tests, all from 127.0.0.1, are not counted with it."""

from __future__ import annotations

import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from api_helpers import Org

from adgenius.localstack.stack import AUTH_FAILURES_PER_WINDOW


def _address() -> str:
    return f"198.51.{secrets.randbelow(256)}.{secrets.randbelow(256)}"


def _flood(base_url: str, address: str, n: int) -> list[int]:
    """n malformed keys: failures that cost the API nothing to tell, sent 8 at a time."""
    with httpx.Client(base_url=base_url, timeout=30) as http:

        def one(i: int) -> int:
            headers = {"X-Forwarded-For": address, "X-API-Key": f"garbage-{i}"}
            return http.get("/v1/brands", headers=headers).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(one, range(n)))


def test_a_flood_of_bogus_credentials_is_429_but_valid_ones_from_the_same_address_pass(
    org: Org,
) -> None:
    base_url, address = org.users["owner"].base_url, _address()
    mine = {"X-Forwarded-For": address}
    valid_key = org.keys["read"].api_key
    token = org.users["viewer"].token
    http = httpx.Client(base_url=base_url, timeout=30)
    # The integration's key works from here before the flood (this instance knows it).
    assert http.get("/v1/brands", headers={**mine, "X-API-Key": valid_key}).status_code == 200

    statuses = _flood(base_url, address, AUTH_FAILURES_PER_WINDOW)
    assert set(statuses) == {401}, sorted(set(statuses))

    unknown = f"agk_{secrets.token_hex(6)}.{uuid.uuid4().hex}"
    for headers in (
        {"X-API-Key": unknown},
        {"X-API-Key": "garbage"},
        {"Authorization": "Bearer not-a-jwt"},
    ):
        refused = http.get("/v1/brands", headers={**mine, **headers})
        assert refused.status_code == 429, (headers, refused.text)
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        error = refused.json()["error"]
        assert error["code"] == "rate_limited" and error["correlation_id"]

    # Valid credentials from the same address are never refused for the others' failures.
    assert http.get("/v1/brands", headers={**mine, "X-API-Key": valid_key}).status_code == 200
    me = http.get("/v1/me", headers={**mine, "Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    # Nor is any other address: the same unknown key is a plain 401 from there.
    other_address = {"X-Forwarded-For": _address(), "X-API-Key": unknown}
    elsewhere = http.get("/v1/brands", headers=other_address)
    assert elsewhere.status_code == 401
    http.close()

"""Hostile input through the functions host: ids Firestore reserves, deeply nested JSON, bodies
without a length, and correlation ids that would not fit where they travel. Never a 500.

The path-id test enumerates the live route table, so a new route with a path id is covered
without touching this file.
"""

from __future__ import annotations

import base64
import re
import select
import socket
from urllib.parse import quote, urlsplit

import pytest
from api_helpers import Org

from adgenius.api.app import MAX_JSON_BYTES, MAX_RAW_BYTES, route_table

_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
# `.` and `..` are percent-encoded so that no client normalises them away: the server decodes
# them back into the path parameter, which is what a hostile caller gets through too.
BAD_PATH_IDS = {
    "reserved": "__x__",
    "dot": "%2E",
    "dotdot": "%2E%2E",
    "too_long": "a" * 200,
    "reserved_long": "__" + "y" * 130 + "__",
}


def _routes_with_path_ids() -> list[tuple[str, str, str]]:
    _, by_endpoint = route_table()
    out = []
    for route in by_endpoint.values():
        for name in _PARAM.findall(route.path):
            out.append((route.method, route.path, name))
    return sorted(out)


ROUTES = _routes_with_path_ids()


def test_the_route_table_has_path_ids() -> None:
    # Guards the enumeration itself: if the pattern stopped matching, the test below would
    # silently cover nothing.
    names = {name for _, _, name in ROUTES}
    assert {"brand_id", "campaign_id", "creative_id", "job_id", "uid", "key_id", "inv_id"} <= names
    assert len(ROUTES) >= 25


def _real_ids(org: Org) -> dict[str, str]:
    return {
        "brand_id": org.brand_a,
        "campaign_id": org.campaign_a,
        "creative_id": org.creative_a,
        "uid": org.uids["viewer"],
        "job_id": "0000000000000deadbeef",
        "key_id": "agk_000000000000",
        "inv_id": "aaaaaaaaaaaaaaaaaaaa",
        "document_id": "aaaaaaaaaaaaaaaaaaaa",
    }


@pytest.mark.parametrize("bad", sorted(BAD_PATH_IDS))
@pytest.mark.parametrize(("method", "path", "param"), ROUTES)
def test_impossible_path_ids_are_404_on_every_route(
    org: Org, method: str, path: str, param: str, bad: str
) -> None:
    ids = _real_ids(org)
    url = _PARAM.sub(
        # another route's new parameter gets a well-formed id that exists nowhere
        lambda m: (
            BAD_PATH_IDS[bad]
            if m.group(1) == param
            else quote(ids.get(m.group(1), "aaaaaaaaaaaaaaaaaaaa"))
        ),
        path,
    )
    response = org.users["owner"].request(
        method,
        url,
        json={},
        headers={"If-Match": '"1.000000000"', "Content-Type": "application/json"},
    )
    assert response.status_code == 404, (method, url, response.text)
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["details"][0]["field"] == param


def test_a_real_uid_of_another_shape_is_still_a_member_id(org: Org) -> None:
    # Firebase uids are 1 to 128 characters of anything: the member routes take what DocId
    # would not (here 128 characters), and answer 404 for a uid that is not a member.
    response = org.users["owner"].patch("/v1/members/" + "u" * 128, {"role": "viewer"})
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("value", ["__x__", "__brands__", "a/b", "", "x" * 65])
def test_reserved_ids_in_bodies_are_400_naming_the_field(org: Org, value: str) -> None:
    owner = org.users["owner"]
    campaign = owner.post(
        "/v1/campaigns",
        {"brand_id": value, "name": "n", "objective": "sales", "offer": "o", "platforms": ["meta"]},
    )
    assert campaign.status_code == 400, campaign.text
    assert "brand_id" in [d["field"] for d in campaign.json()["error"]["details"]]

    invitation = owner.post(
        "/v1/invitations",
        {"email": "someone@example.com", "role": "viewer", "brand_ids": [org.brand_a, value]},
    )
    assert invitation.status_code == 400, invitation.text
    fields = [d["field"] for d in invitation.json()["error"]["details"]]
    assert any(f.startswith("brand_ids") for f in fields), fields

    member = owner.patch(f"/v1/members/{org.uids['viewer']}", {"brand_ids": [value]})
    assert member.status_code == 400, member.text
    fields = [d["field"] for d in member.json()["error"]["details"]]
    assert any(f.startswith("brand_ids") for f in fields), fields


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/v1/campaigns", "brand_id"),
        ("/v1/creatives", "brand_id"),
        ("/v1/creatives", "campaign_id"),
        ("/v1/jobs", "campaign_id"),
    ],
)
def test_reserved_ids_in_queries_are_400(org: Org, path: str, param: str) -> None:
    response = org.users["owner"].get(path, params={param: "__x__"})
    assert response.status_code == 400, response.text
    assert f"query.{param}" in [d["field"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("decoded", ["__x__", ".", "..", "__name__", "a/b"])
@pytest.mark.parametrize("path", ["/v1/brands", "/v1/campaigns", "/v1/creatives", "/v1/jobs"])
def test_cursors_that_decode_to_impossible_ids_are_400(org: Org, path: str, decoded: str) -> None:
    cursor = base64.urlsafe_b64encode(decoded.encode()).decode().rstrip("=")
    response = org.users["owner"].get(path, params={"cursor": cursor})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["details"][0]["field"] == "cursor"


def test_an_api_key_with_a_path_in_its_prefix_is_401(org: Org) -> None:
    from api_helpers import Api

    for key in ("agk_a/b.secret", "agk_/.secret", "agk___x__/x.secret"):
        response = Api(org.users["owner"].base_url, api_key=key).get("/v1/brands")
        assert response.status_code == 401, (key, response.text)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"a":' * 3_000 + b"1" + b"}" * 3_000,
        b'{"name": "x", "kit": {"voice": ' + b"[" * 65 + b"]" * 65 + b"}}",
    ],
    ids=["open_arrays", "nested_objects", "just_over_the_cap"],
)
def test_deeply_nested_json_is_400(org: Org, body: bytes) -> None:
    response = org.users["owner"].post(
        "/v1/brands", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "malformed_json"
    assert error["details"][0]["field"] == "body"
    assert "nested deeper" in error["details"][0]["problem"]


def test_brackets_inside_strings_do_not_count_as_nesting(org: Org) -> None:
    name = "[{" * 100 + '\\"' + "]}" * 100
    body = ('{"name": "' + name[:150] + '", "kit": {"voice": "warm"}}').encode()
    response = org.users["owner"].post(
        "/v1/brands", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text


def _chunked_upload(
    api_url: str, token: str, method: str, path: str, total: int
) -> tuple[int, int]:
    """Send a chunked body of `total` bytes, stopping as soon as the server answers.

    Returns (status, bytes sent when the answer arrived). A server that reads the whole body
    before answering makes this send all of it.
    """
    parts = urlsplit(api_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    try:
        head = (
            f"{method} {parts.path}{path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b" " * (256 * 1024)
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        sent = 0
        answered = False
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                answered = True
                break
            try:
                sock.sendall(framed)
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
        if not answered:
            sock.sendall(b"0\r\n\r\n")
        reply = b""
        while b"\r\n" not in reply:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
        status = int(reply.split(b" ", 2)[1])
        return status, sent
    finally:
        sock.close()


@pytest.mark.parametrize(
    ("method", "path", "cap", "expected"),
    [
        ("POST", "/v1/brands", MAX_JSON_BYTES, 413),
        ("PUT", "/v1/brands/{brand}/logo", MAX_RAW_BYTES, 413),
        # answered before the body matters: none of it is read
        ("POST", "/v1/brands/__x__/documents", 0, 404),
        ("OPTIONS", "/v1/brands", 0, 204),
    ],
)
def test_a_chunked_body_is_never_read_past_the_cap(
    org: Org, api_url: str, method: str, path: str, cap: int, expected: int
) -> None:
    total = 50 * 1024 * 1024
    status, sent = _chunked_upload(
        api_url, org.users["owner"].token or "", method, path.format(brand=org.brand_a), total
    )
    assert status == expected
    # The server stopped at the cap; what was sent beyond it sat in socket buffers (a few MB
    # at most), far from the 50 MB a full read would have taken.
    assert sent < cap + 16 * 1024 * 1024, sent


def test_correlation_ids_are_capped_and_sanitised(org: Org) -> None:
    viewer = org.users["viewer"]
    fine = viewer.get("/v1/me", headers={"X-Correlation-Id": "trace-1.2:3_x"})
    assert fine.headers["X-Correlation-Id"] == "trace-1.2:3_x"
    for hostile in ("a" * 5000, "x" * 129, "bad id with spaces", "ümlaut", "a;b=c"):
        # bytes: sent as they are (UTF-8), as a raw HTTP client would
        headers: dict = {"X-Correlation-Id": hostile.encode()}
        response = viewer.request("GET", "/v1/brands/__x__", headers=headers)
        echoed = response.headers["X-Correlation-Id"]
        assert echoed != hostile and re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", echoed), echoed
        assert response.json()["error"]["correlation_id"] == echoed

"""Every kind of broken text (lone surrogates, overlong UTF-8, NUL, a BOM, bytes that are no
UTF-8) in bodies, query strings and headers, and files that are something else than they claim:
always a 4xx in the one error shape (or, where the input is harmless, a 2xx), never a 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from api_helpers import Org

from adgenius.settings import REPO_ROOT
from adgenius.testing import hostile

BRAND = b'"kit": {"voice": "warm", "tone": "friendly"}'

BROKEN_BODIES = {
    # JSON escapes of a lone surrogate: valid JSON, but no Unicode text (Firestore cannot store it)
    "lone_high_surrogate": b'{"name": "a\\ud800b", ' + BRAND + b"}",
    "lone_low_surrogate": b'{"name": "\\udfff", ' + BRAND + b"}",
    "reversed_pair": b'{"name": "\\udc00\\ud800", ' + BRAND + b"}",
    "surrogate_in_a_key": b'{"name": "x", "\\ud800": 1, ' + BRAND + b"}",
    "surrogate_deep_inside": b'{"name": "x", "kit": {"voice": "\\ud83d", "tone": "friendly"}}',
    # raw bytes that are not UTF-8
    "overlong_slash": b'{"name": "\xc0\xaf", ' + BRAND + b"}",
    "overlong_nul": b'{"name": "\xc0\x80", ' + BRAND + b"}",
    "utf8_encoded_surrogate": b'{"name": "\xed\xa0\x80", ' + BRAND + b"}",
    "invalid_byte": b'{"name": "\xff\xfe", ' + BRAND + b"}",
    "truncated_sequence": b'{"name": "\xe2\x82", ' + BRAND + b"}",
    "latin1_text": b'{"name": "caf\xe9", ' + BRAND + b"}",
    # NUL, escaped and raw
    "escaped_nul": b'{"name": "a\\u0000b", ' + BRAND + b"}",
    "escaped_control_in_a_list": b'{"name": "x", "kit": {"voice": "w", "fonts": ["\\u001b[31m"]}}',
    "raw_nul": b'{"name": "a\x00b", ' + BRAND + b"}",
}


def _error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"], body
    return dict(body["error"])


@pytest.mark.parametrize("body", BROKEN_BODIES.values(), ids=BROKEN_BODIES.keys())
def test_broken_text_in_a_body_is_400_naming_where(org: Org, body: bytes) -> None:
    response = org.users["owner"].post(
        "/v1/brands", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = _error(response)
    assert error["details"] and error["details"][0]["field"], error


@pytest.mark.parametrize(
    "body",
    [
        b'\xef\xbb\xbf{"name": "bom", ' + BRAND + b"}",
        ('{"name": "utf-16", "kit": {"voice": "warm"}}').encode("utf-16"),
    ],
    ids=["utf8_bom", "utf16_with_bom"],
)
def test_other_encodings_of_json_are_read_or_refused_never_a_500(org: Org, body: bytes) -> None:
    response = org.users["owner"].post(
        "/v1/brands", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:
        assert _error(response)["details"][0]["field"] == "body"


def test_valid_astral_text_still_works(org: Org) -> None:
    """The refusals above are about broken text, not about text beyond the BMP."""
    body = '{"name": "Café ☕ 🎉 𝒜", "kit": {"voice": "warm", "tone": "friendly"}}'.encode()
    response = org.users["owner"].post(
        "/v1/brands", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Café ☕ 🎉 𝒜"


@pytest.mark.parametrize(
    "raw",
    ["%ff", "%c0%af", "%ed%a0%80", "%00", "a%00b", "%ef%bb%bfx", "%e2%82", "%e2%80%ae%00"],
)
@pytest.mark.parametrize("path", ["/v1/campaigns?brand_id={}", "/v1/brands?cursor={}"])
def test_broken_text_in_a_query_is_4xx(org: Org, path: str, raw: str) -> None:
    url = org.users["owner"].base_url + path.format(raw)
    response = httpx.get(url, headers={"Authorization": f"Bearer {org.users['owner'].token}"})
    assert 400 <= response.status_code < 500, response.text
    _error(response)


@pytest.mark.parametrize(
    "value",
    [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"caf\xe9", b"\xef\xbb\xbfkey"],
    ids=["invalid", "overlong", "surrogate", "latin1", "bom"],
)
def test_broken_text_in_headers_is_4xx_or_ignored(org: Org, value: bytes) -> None:
    owner = org.users["owner"]
    auth = {"Authorization": f"Bearer {owner.token}"}
    created = httpx.post(
        f"{owner.base_url}/v1/brands",
        json={"name": "hdr", "kit": {"voice": "warm", "tone": "friendly"}},
        headers=httpx.Headers([*auth.items(), ("Idempotency-Key", value)]),  # type: ignore[list-item]
    )
    assert created.status_code in (201, 400), created.text
    if created.status_code == 400:
        assert _error(created)["details"][0]["field"] == "Idempotency-Key"
    token = httpx.get(
        f"{owner.base_url}/v1/me", headers=httpx.Headers([("Authorization", b"Bearer " + value)])
    )
    assert token.status_code == 401, token.text
    key = httpx.get(f"{owner.base_url}/v1/brands", headers=httpx.Headers([("X-Api-Key", value)]))
    assert key.status_code == 401, key.text
    correlated = httpx.get(
        f"{owner.base_url}/v1/me",
        headers=httpx.Headers([*auth.items(), ("X-Correlation-Id", value)]),
    )
    assert correlated.status_code == 200, correlated.text


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
# A GIF whose second frame header is cut short (found by atheris; it was a 500).
CUT_GIF = (REPO_ROOT / "tests/fuzz/crashes/image_upload/gif_frame_header_cut_short").read_bytes()
ZIP = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"\x00" * 40 + b"[Content_Types].xml"


@pytest.mark.parametrize(
    ("data", "content_type", "filename"),
    [
        (hostile.pdf([hostile.text_page("hi")]), "image/png", "logo.png"),
        (HTML, "image/png", "logo.png"),
        (HTML, "image/jpeg", "photo.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/png", "x.png"),
        (ZIP, "image/png", "x.png"),
        (CUT_GIF, "image/gif", "anim.gif"),
    ],
    ids=["pdf_as_png", "html_as_png", "html_as_jpeg", "svg_as_png", "zip_as_png", "cut_gif"],
)
def test_disguised_files_are_refused_as_images(
    org: Org, data: bytes, content_type: str, filename: str
) -> None:
    response = org.users["admin"].post(
        f"/v1/brands/{org.brand_a}/assets",
        content=data,
        headers={"Content-Type": content_type},
        params={"kind": "product", "filename": filename},
    )
    assert response.status_code in (400, 415), response.text
    assert _error(response)["details"][0]["field"] in ("body", "Content-Type")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (ZIP, "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel"),
        (hostile.pdf([hostile.text_page("hi")]), "PDF"),
        (HTML, "HTML"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "PNG"),
    ],
    ids=["xlsx_as_csv", "xls_as_csv", "pdf_as_csv", "html_as_csv", "png_as_csv"],
)
def test_disguised_files_are_refused_as_reports(org: Org, data: bytes, problem: str) -> None:
    response = org.users["admin"].post(
        "/v1/metrics/imports",
        content=data,
        headers={"Content-Type": "text/csv"},
        params={"filename": "report.csv"},
    )
    assert response.status_code == 400, response.text
    detail = _error(response)["details"][0]
    assert detail["field"] == "body" and problem in detail["problem"], detail

"""ETags and cursors: round trips and rejection of anything we did not issue."""

from __future__ import annotations

import pytest

from adgenius.tenancy.errors import InvalidInput
from adgenius.tenancy.store import _timestamp_from_etag, decode_cursor, encode_cursor


@pytest.mark.parametrize("doc_id", ["a", "AbC_123-xyz", "x" * 64])
def test_cursor_round_trip(doc_id: str) -> None:
    assert decode_cursor(encode_cursor(doc_id)) == doc_id


@pytest.mark.parametrize(
    "cursor", ["", "!!!", encode_cursor("a/b"), "%%", encode_cursor("x" * 200)]
)
def test_foreign_cursors_are_400(cursor: str) -> None:
    with pytest.raises(InvalidInput) as info:
        decode_cursor(cursor)
    assert info.value.details[0].field == "cursor"


def test_etag_parsing() -> None:
    ts = _timestamp_from_etag('"1795680497.593874000"')
    assert ts is not None and (ts.seconds, ts.nanos) == (1795680497, 593874000)
    for bad in ('W/"1.000000000"', '"1.5"', "*", '"abc.def"', ""):
        assert _timestamp_from_etag(bad) is None, bad

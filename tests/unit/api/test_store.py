"""ETags and cursors: round trips and rejection of anything we did not issue."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from adgenius.tenancy.errors import InvalidInput
from adgenius.tenancy.store import (
    DocId,
    Uid,
    _timestamp_from_etag,
    decode_cursor,
    encode_cursor,
    is_doc_id,
    is_uid,
)


@pytest.mark.parametrize("doc_id", ["a", "AbC_123-xyz", "x" * 64])
def test_cursor_round_trip(doc_id: str) -> None:
    assert decode_cursor(encode_cursor(doc_id)) == doc_id


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        encode_cursor("a/b"),
        "%%",
        encode_cursor("x" * 200),
        encode_cursor("__x__"),
        encode_cursor("."),
        encode_cursor(".."),
    ],
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


@pytest.mark.parametrize("value", ["__x__", "__name__", "____", ".", "..", "a/b", "", "x" * 65])
def test_ids_firestore_could_not_take_are_not_doc_ids(value: str) -> None:
    assert not is_doc_id(value)
    with pytest.raises(ValidationError):
        TypeAdapter(DocId).validate_python(value)


@pytest.mark.parametrize("value", ["abc", "_x_", "__x", "x__", "a-b_c" * 12])
def test_doc_ids(value: str) -> None:
    assert is_doc_id(value) and TypeAdapter(DocId).validate_python(value) == value


def test_member_uids_are_firebase_uids() -> None:
    assert is_uid("u" * 128) and is_uid("Ab3.x-y@z") and TypeAdapter(Uid).validate_python("u1")
    for bad in ("u" * 129, "a/b", ".", "..", "__x__", "", "a\nb"):
        assert not is_uid(bad), bad

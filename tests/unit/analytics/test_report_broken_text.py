"""Report files with broken text: each is parsed (bad bytes replaced, the row kept or named as a
problem) or refused as a whole with a ReportError, never an uncaught exception; and files that
are something else under a .csv name are told apart at upload."""

from __future__ import annotations

import pytest

from adgenius.analytics.report_import import ReportError, parse_report, upload_problem

HEADER = "Day,Campaign,Impr.,Clicks,Cost,Currency code\r\n"
ROW = "2026-11-01,{name},100,5,1.50,EUR\r\n"


def _utf8(name: bytes) -> bytes:
    return HEADER.encode() + ROW.encode().replace(b"{name}", name)


@pytest.mark.parametrize(
    "data",
    [
        _utf8(b"\xc0\xaf"),  # overlong '/'
        _utf8(b"\xed\xa0\x80"),  # a surrogate encoded as UTF-8
        _utf8(b"\xff\xfe\xfd"),  # bytes that are no UTF-8
        _utf8(b"caf\xe9"),  # Latin-1
        b"\xef\xbb\xbf" + _utf8(b"\xc0\xaf"),  # a BOM, then broken UTF-8
        b"\xef\xbb\xbf\xef\xbb\xbf" + _utf8(b"x"),  # two BOMs
    ],
    ids=["overlong", "utf8_surrogate", "invalid", "latin1", "bom_then_broken", "double_bom"],
)
def test_broken_utf8_is_read_with_replacements(data: bytes) -> None:
    try:
        report = parse_report(data)
    except ReportError:
        return  # refused as a whole, naming why: also clean
    assert len(report.rows) + len(report.problems) == 1
    for row in report.rows:
        assert row.impressions == 100 and row.clicks == 5


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + ROW.format(name="x")).encode("utf-16-le")[:-1],  # odd length, no BOM
        b"\xff\xfe" + (HEADER + ROW.format(name="x")).encode("utf-16-le")[:-1],  # odd, BOM
        b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00\xd8" + b"x\x00",  # lone surrogate
        b"\xfe\xff" + b"\xdc\x00\x00a",  # big-endian lone low surrogate
        b"\xf4\x84\x00",  # found by atheris: mostly NULs, taken for UTF-16, truncated
    ],
    ids=["odd_length", "odd_length_bom", "lone_surrogate", "be_low_surrogate", "fuzz_truncated"],
)
def test_broken_utf16_is_refused_naming_the_byte(data: bytes) -> None:
    with pytest.raises(ReportError, match=r"looks like UTF-16 but does not decode"):
        parse_report(data)


def test_nul_in_a_utf8_report_is_refused_as_binary() -> None:
    with pytest.raises(ReportError, match="binary"):
        parse_report(_utf8(b"a\x00b"))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"PK\x03\x04rest-of-an-xlsx", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"  \n<!DOCTYPE html><html>", "HTML"),
        (b"<HTML><body>", "HTML"),
    ],
)
def test_other_files_under_a_csv_name_are_told_apart(data: bytes, problem: str) -> None:
    assert problem in (upload_problem(data) or "")


def test_a_real_report_is_not_taken_for_another_file() -> None:
    assert upload_problem(_utf8(b"x")) is None
    assert upload_problem(b"\xff\xfe" + HEADER.encode("utf-16-le")) is None

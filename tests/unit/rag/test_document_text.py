"""Bounded reading of brand documents: hostile PDFs are refused on counters, before parsing."""

from __future__ import annotations

import pytest

from adgenius.rag.document_text import (
    LIMITS,
    PDF,
    Limits,
    Unreadable,
    extract,
    extract_isolated,
    markdown_to_text,
    upload_problem,
)
from adgenius.testing import hostile


def test_an_ordinary_pdf_is_read_and_its_work_counted() -> None:
    data = hostile.pdf([hostile.text_page("Trail tested since 1998")], forms=(b"",))
    extracted = extract(data, PDF)
    assert "Trail tested since 1998" in extracted.text
    work = extracted.work
    assert work.pages == 1 and work.words == 4 and work.operators > 0
    assert 0 < work.content_bytes < 200 and work.content_tokens > 0


def test_a_tiny_pdf_of_text_operators_is_refused_before_parsing() -> None:
    # 3.5 MB of `(a) Tj` compress to a ~6 kB file: under every byte cap, a million tokens.
    data = hostile.pdf([hostile.tj_bomb(3_500_000)])
    assert len(data) < 8 * 1024
    with pytest.raises(Unreadable) as info:
        extract(data, PDF)
    work = info.value.work
    assert "content operators" in info.value.reason
    assert work.operators == 0  # nothing was parsed
    assert work.content_tokens > LIMITS.max_content_tokens


def test_decompression_stops_at_the_content_budget() -> None:
    data = hostile.pdf([hostile.tj_bomb(6_000_000)])
    with pytest.raises(Unreadable) as info:
        extract(data, PDF)
    assert "decompresses to more than" in info.value.reason
    # Stopped one byte past the budget: the other 1.8 MB were never inflated.
    assert info.value.work.content_bytes == LIMITS.max_content_bytes + 1
    assert info.value.work.operators == 0


def test_content_hidden_in_a_form_xobject_counts_too() -> None:
    data = hostile.pdf([hostile.text_page("hello")], forms=(hostile.tj_bomb(3_000_000),))
    with pytest.raises(Unreadable) as info:
        extract(data, PDF)
    assert info.value.work.operators == 0 and "content operators" in info.value.reason


def test_pages_and_words_are_bounded() -> None:
    pages = hostile.pdf([hostile.text_page(f"page {i}") for i in range(4)])
    with pytest.raises(Unreadable, match="more than 3 pages"):
        extract(pages, PDF, Limits(max_pages=3))
    with pytest.raises(Unreadable, match="more than 5 words"):
        extract(b"one two three four five six", "text/plain", Limits(max_words=5))
    with pytest.raises(Unreadable, match="no text"):
        extract(hostile.pdf([b""]), PDF)


def test_the_child_process_is_bounded_in_cpu_whatever_the_counters_allow() -> None:
    # Counters disabled: only the child's CPU limit (1 s) stops the parse of a million tokens.
    generous = Limits(max_content_bytes=10**9, max_content_tokens=10**9, cpu_seconds=1)
    with pytest.raises(Unreadable, match="CPU"):
        extract_isolated(hostile.pdf([hostile.tj_bomb(3_500_000)]), PDF, generous)
    ok = extract_isolated(hostile.pdf([hostile.text_page("fine words")]), PDF)
    assert ok.text.strip() == "fine words" and ok.work.operators > 0


@pytest.mark.parametrize(
    ("data", "mime", "problem"),
    [
        (b"  \n ", "text/plain", "empty"),
        (b"hello", PDF, "not a PDF"),
        (b"%PDF-1.4 whatever", PDF, None),
        (b"# Title", "text/markdown", None),
    ],
)
def test_what_an_upload_can_be_refused_for_at_once(
    data: bytes, mime: str, problem: str | None
) -> None:
    found = upload_problem(data, mime)
    assert found == problem if problem is None else problem in (found or "")


@pytest.mark.timeout(60)  # a hang guard: the old pattern took hours on this input
def test_markdown_cleanup_is_linear_on_hostile_brackets() -> None:
    assert markdown_to_text("[" * 2_000_000) == "[" * 2_000_000
    assert markdown_to_text("![a](" * 300_000).count("a") == 300_000
    assert markdown_to_text("see [the guide](https://x.example/g) now") == "see the guide now"

"""What gets embedded: chunking with overlap, document formats, creative texts."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adgenius.rag.chunking import chunk_text, creative_text, document_text


@given(
    n_words=st.integers(min_value=1, max_value=400),
    size=st.integers(min_value=2, max_value=50),
    data=st.data(),
)
def test_chunks_overlap_and_cover_the_text(n_words: int, size: int, data: st.DataObject) -> None:
    overlap = data.draw(st.integers(min_value=0, max_value=size - 1))
    words = [f"w{i}" for i in range(n_words)]
    chunks = [c.split() for c in chunk_text(" ".join(words), size, overlap)]
    assert all(1 <= len(c) <= size for c in chunks)
    assert chunks[0][0] == words[0] and chunks[-1][-1] == words[-1]
    for previous, current in itertools.pairwise(chunks):
        # Each chunk starts with the last `overlap` words of the one before it.
        assert current[:overlap] == previous[len(previous) - overlap :]
        assert len(previous) == size
    rebuilt = chunks[0] + [w for c in chunks[1:] for w in c[overlap:]]
    assert rebuilt == words


def test_chunking_rejects_bad_sizes_and_handles_empty_text() -> None:
    assert chunk_text("   ") == []
    with pytest.raises(ValueError):
        chunk_text("a b c", size=3, overlap=3)


def _pdf_with_text(text: str) -> bytes:
    """A minimal one-page PDF with the text in Helvetica (xref offsets computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_document_formats() -> None:
    assert "Trail-tested since 1998" in document_text(
        _pdf_with_text("Trail-tested since 1998"), "application/pdf"
    )
    md = document_text("# Voice\n**Warm** and [honest](https://x.example/y)", "text/markdown")
    assert "Voice" in md and "Warm" in md and "honest" in md
    assert "#" not in md and "*" not in md and "https" not in md
    assert document_text(b"plain words", "text/plain") == "plain words"
    with pytest.raises(ValueError):
        document_text(b"\x00", "image/png")


def test_creative_text_by_kind() -> None:
    copy = {
        "kind": "copy",
        "content": {"headlines": ["H1", "H2"], "primary_text": "Body", "url": "https://no"},
    }
    assert creative_text(copy).split("\n") == ["H1", "H2", "Body"]
    image = {"kind": "image", "content": {"prompt": "a red bike", "caption": "Ride on"}}
    assert creative_text(image) == "a red bike\nRide on"
    video = {
        "kind": "video",
        "content": {"script": [{"text": "Open on a trail", "visual": "drone shot"}]},
    }
    assert creative_text(video) == "Open on a trail\ndrone shot"
    with pytest.raises(ValueError):
        creative_text({"kind": "audio", "content": {}})

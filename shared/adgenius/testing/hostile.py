"""Hostile inputs for tests: small files that cost a lot to read if nothing bounds the work."""

from __future__ import annotations

import io
import zlib

from PIL import Image


def pdf(contents: list[bytes], *, compress: bool = True, forms: tuple[bytes, ...] = ()) -> bytes:
    """A valid PDF with one page per content stream (FlateDecode when `compress`). Each of
    `forms` becomes a Form XObject drawn by the first page (`/Fm<i> Do`)."""
    n = len(contents)
    first_form = 4 + 2 * n
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    xobjects = " ".join(f"/Fm{i} {first_form + i} 0 R" for i in range(len(forms)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    def stream(data: bytes, extra: str = "") -> bytes:
        body = zlib.compress(data, 9) if compress else data
        filt = " /Filter /FlateDecode" if compress else ""
        head = f"<< /Length {len(body)}{filt}{extra} >>\nstream\n".encode()
        return head + body + b"\nendstream"

    for i, content in enumerate(contents):
        resources = "/Font << /F1 3 0 R >>" + (f" /XObject << {xobjects} >>" if i == 0 else "")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << {resources} >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        draws = b"".join(b" /Fm%d Do" % k for k in range(len(forms))) if i == 0 else b""
        objects.append(stream(content + draws))
    for form in forms:
        objects.append(
            stream(
                form,
                " /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                "/Resources << /Font << /F1 3 0 R >> >>",
            )
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def text_page(text: str) -> bytes:
    return f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()


def tj_bomb(decompressed_bytes: int) -> bytes:
    """A content stream of `decompressed_bytes` of `(a) Tj` operators (compresses ~600:1)."""
    return b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * (decompressed_bytes // 7) + b"ET"


def png_16bit(width: int, height: int) -> bytes:
    """A flat 16-bit grayscale PNG: tiny on disk, `width * height * 2` bytes when decoded."""
    out = io.BytesIO()
    Image.new("I;16", (width, height), 1000).save(out, "PNG", optimize=True)
    return out.getvalue()

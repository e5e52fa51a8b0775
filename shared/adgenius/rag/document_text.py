"""Bounded text extraction of brand documents.

A brand document is outside input: any bytes up to 2 MB. A PDF that small can still hold
compressed content streams that expand to megabytes of text operators (a 4 kB file parsing for
seconds of CPU), so the work is bounded before anything is parsed:

- pages (`max_pages`), decompressed page and form content for the whole document
  (`max_content_bytes`, enforced while decompressing) and the operands + operators the parser
  would see (`max_content_tokens`, counted on the decompressed bytes before parsing);
- the words of the extracted text (`max_words`, they all get embedded);
- what counters cannot foresee (a pypdf pathology) is bounded by parsing in a child process with
  a CPU-time and a memory limit (`extract_isolated`).

`Work` reports the counters, so a refusal says how far reading got. This module imports nothing
from `adgenius` at module level: the child runs it as a plain script (`python document_text.py`)
to start in a fraction of the time the package takes.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

PDF = "application/pdf"


@dataclass(frozen=True)
class Limits:
    # About 100 pages of dense text; a few seconds of pypdf parsing at most.
    max_pages: int = 300
    max_content_bytes: int = 4 * 1024 * 1024
    max_content_tokens: int = 200_000
    max_words: int = 100_000
    cpu_seconds: int = 30
    memory_bytes: int = 1024 * 1024 * 1024


LIMITS = Limits()


@dataclass
class Work:
    """How much reading a document took (reported on success and on refusal)."""

    pages: int = 0
    content_bytes: int = 0  # decompressed page and form content streams
    content_tokens: int = 0  # operands + operators in them (what the parser would handle)
    operators: int = 0  # operators the text extraction went through (parsed)
    words: int = 0


@dataclass
class Extracted:
    text: str
    work: Work = field(default_factory=Work)


class Unreadable(Exception):
    """The document cannot be used; `reason` says why, for the document's status."""

    def __init__(self, reason: str, work: Work | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.work = work or Work()


# ----------------------------------------------------------------------------- at upload
def upload_problem(data: bytes, mime: str) -> str | None:
    """What is wrong with an upload that can be told at once (no parsing), or None."""
    if not data.strip():
        return "the document is empty"
    if mime == PDF and b"%PDF-" not in data[:1024]:
        return "not a PDF (no %PDF- header)"
    return None


# ---------------------------------------------------------------------------------- text
# Markdown noise, each span bounded by characters it cannot contain (no '[' inside link text,
# no '(' or whitespace inside a target), so a failed match stops at the next bracket: the scan
# stays linear on hostile input like a megabyte of '['.
_MARKDOWN_NOISE = re.compile(
    r"(^#{1,6}\s*|[*_`>]+|!\[[^\[\]]*\]\([^()\s]*\)|\[([^\[\]]*)\]\([^()\s]*\))", re.MULTILINE
)


def markdown_to_text(markdown: str) -> str:
    """Drop Markdown markup (headings, emphasis, link targets) that only adds noise to vectors."""
    return _MARKDOWN_NOISE.sub(lambda m: m.group(2) or " ", markdown)


def _words_checked(text: str, work: Work, limits: Limits) -> str:
    work.words = len(text.split())
    if work.words > limits.max_words:
        raise Unreadable(f"more than {limits.max_words} words of text", work)
    if not work.words:
        raise Unreadable("no text found in the document", work)
    return text


def extract(data: bytes, mime: str, limits: Limits = LIMITS) -> Extracted:
    """Plain text of a document, in this process; PDFs are bounded by the counters only."""
    work = Work()
    if mime == PDF:
        text = _pdf_text(data, work, limits)
    elif mime.startswith("text/"):
        text = data.decode("utf-8", errors="replace")
        if mime in ("text/markdown", "text/x-markdown"):
            text = markdown_to_text(text)
    else:
        raise Unreadable(f"unsupported document type {mime}")
    return Extracted(_words_checked(text, work, limits), work)


def extract_isolated(data: bytes, mime: str, limits: Limits = LIMITS) -> Extracted:
    """`extract`, with PDFs parsed in a child process under a CPU-time and a memory limit."""
    if mime != PDF:
        return extract(data, mime, limits)
    wall_s = limits.cpu_seconds * 4 + 15  # a loaded machine shares the CPU with others
    try:
        done = subprocess.run(
            # -P: the script's directory (rag/, with modules like store.py) stays off sys.path
            [sys.executable, "-s", "-P", os.path.abspath(__file__), json.dumps(asdict(limits))],
            input=data,
            capture_output=True,
            timeout=wall_s,  # a last resort: the CPU limit ends a busy child first
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Unreadable(f"reading took longer than {wall_s} s") from exc
    if done.returncode != 0 or not done.stdout:
        # SIGXCPU/SIGKILL (CPU limit), MemoryError (address-space limit) or a crash.
        raise Unreadable(
            f"reading took more than {limits.cpu_seconds} s of CPU or "
            f"{limits.memory_bytes // (1024 * 1024)} MB of memory"
        )
    reply = json.loads(done.stdout)
    work = Work(**reply["work"])
    if reply.get("error"):
        raise Unreadable(reply["error"], work)
    return Extracted(reply["text"], work)


def _limit_this_process(limits: Limits) -> None:
    """The child limits itself first thing (a `preexec_fn` is unsafe in a threaded host)."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


# ----------------------------------------------------------------------------------- PDF
def _pdf_text(data: bytes, work: Work, limits: Limits) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PdfReadError
    from pypdf.generic import DictionaryObject, StreamObject

    def content_of(get_stream: Any) -> None:
        """Count one content stream: decompressed bytes and tokens, both against the budget."""
        try:
            stream = get_stream()  # pypdf decompresses here, within the configured limits
            raw = stream.get_data() if stream is not None else b""
        except LimitReachedError as exc:
            work.content_bytes += limits.max_content_bytes + 1  # at least: it stopped there
            raise Unreadable(too_much_content, work) from exc
        work.content_bytes += len(raw)
        if work.content_bytes > limits.max_content_bytes:
            raise Unreadable(too_much_content, work)
        work.content_tokens += len(raw.split())
        if work.content_tokens > limits.max_content_tokens:
            raise Unreadable(
                f"more than {limits.max_content_tokens} content operators and operands", work
            )

    def visited(*_: Any) -> None:
        work.operators += 1

    def forms_of(resources: Any, depth: int = 0) -> None:
        """Form XObjects (content reachable from a page) count too, each once."""
        if depth > 8 or not isinstance(resources, DictionaryObject):
            return
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject):
            return
        for ref in xobjects.values():
            key = getattr(ref, "idnum", None)
            obj = ref.get_object()
            if key in seen or not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/Form":
                continue
            seen.add(key)
            content_of(lambda obj=obj: obj)
            inner = obj.get("/Resources")
            forms_of(inner.get_object() if inner is not None else None, depth + 1)

    too_much_content = f"page content decompresses to more than {limits.max_content_bytes} bytes"
    seen: set[Any] = set()
    # Every stream decompression stops at the document's content budget (pypdf raises), and
    # pypdf's own parsing budget per content stream matches ours.
    with apply_configuration(
        zlib_maximum_output_length=limits.max_content_bytes + 1,
        lzw_maximum_output_length=limits.max_content_bytes + 1,
        run_length_maximum_output_length=limits.max_content_bytes + 1,
        brotli_maximum_output_length=limits.max_content_bytes + 1,
        stream_parsing_work_maximum_count=limits.max_content_tokens,
    ):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise Unreadable("the PDF is encrypted", work)
            work.pages = len(reader.pages)
            if work.pages > limits.max_pages:
                raise Unreadable(f"more than {limits.max_pages} pages", work)
            # First count everything (cheap), then parse: nothing is parsed over budget.
            for page in reader.pages:
                content_of(page.get_contents)
                resources = page.get("/Resources")
                forms_of(resources.get_object() if resources is not None else None)
            return "\n".join(
                page.extract_text(visitor_operand_before=visited) or "" for page in reader.pages
            )
        except Unreadable:
            raise
        except LimitReachedError as exc:
            raise Unreadable(f"the PDF exceeds a reading limit: {str(exc)[:120]}", work) from exc
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise Unreadable(f"unreadable PDF: {str(exc)[:120]}", work) from exc
        except (NotImplementedError, ArithmeticError, IndexError, RecursionError) as exc:
            # pypdf on malformed input: an unknown filter name (found by atheris), a zero
            # scale, a short array, a reference cycle; each means this PDF cannot be read.
            problem = f"unreadable PDF: {type(exc).__name__}: {str(exc)[:100]}"
            raise Unreadable(problem, work) from exc


def _child_main() -> None:
    """`python document_text.py '<limits json>'` < pdf bytes > {"text", "work", "error"}."""
    limits = Limits(**json.loads(sys.argv[1]))
    _limit_this_process(limits)
    data = sys.stdin.buffer.read()
    try:
        extracted = extract(data, PDF, limits)
        reply = {"text": extracted.text, "work": asdict(extracted.work), "error": None}
    except Unreadable as exc:
        reply = {"text": "", "work": asdict(exc.work), "error": exc.reason}
    sys.stdout.write(json.dumps(reply))


if __name__ == "__main__":
    _child_main()

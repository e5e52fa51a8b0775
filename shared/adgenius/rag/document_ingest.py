"""Brand documents are read once, off the request path.

The API stores the upload and answers at once with `status: processing`. The documents indexer
(a Firestore trigger) reads the text within the bounds of `document_text` (in a child process
for PDFs), stores it next to the file (`<storage_path>.txt`) and, once the points are written,
marks the document `ready`; a document that cannot be read is marked `failed` with the reason.
Re-delivered events and every reindex reuse the stored text, so a document is parsed once.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict
from enum import StrEnum
from typing import Any

from google.api_core import exceptions as gexc

from adgenius.cloud.storage import blob_store
from adgenius.rag.document_text import Unreadable, extract_isolated
from adgenius.tenancy.store import DocumentSnapshot

logger = logging.getLogger(__name__)


class DocumentStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


def text_path(storage_path: str) -> str:
    return f"{storage_path}.txt"


def read_text(snap: DocumentSnapshot) -> str | None:
    """The document's text: the stored one, or read now (bounded) and stored. None when the
    document cannot be used; it is then marked failed with the reason."""
    data = snap.to_dict() or {}
    if data.get("status") == DocumentStatus.FAILED:
        return None
    if data.get("text_path"):
        try:
            return blob_store().get(data["text_path"]).decode("utf-8")
        except Exception:  # lost or unreadable: read the file again below
            logger.warning("document %s: stored text missing; reading the file again", snap.id)
    try:
        raw = blob_store().get(data["storage_path"])
        extracted = extract_isolated(raw, data.get("mime_type", ""))
    except Unreadable as exc:
        failed = {"status": DocumentStatus.FAILED.value, "failure_reason": exc.reason}
        _update(snap, {**failed, "extraction": asdict(exc.work)})
        logger.info("document %s refused: %s (%s)", snap.id, exc.reason, exc.work)
        return None
    path = text_path(data["storage_path"])
    blob_store().put(path, extracted.text.encode("utf-8"), "text/plain; charset=utf-8")
    _update(snap, {"text_path": path, "extraction": asdict(extracted.work)})
    return extracted.text


def mark_ready(snap: DocumentSnapshot) -> None:
    """After the points are written: what the API shows as `ready`."""
    _update(snap, {"status": DocumentStatus.READY.value, "failure_reason": None})


def _update(snap: DocumentSnapshot, changes: dict[str, Any]) -> None:
    with contextlib.suppress(gexc.NotFound):  # deleted meanwhile: its event drops the points
        snap.reference.update(changes)

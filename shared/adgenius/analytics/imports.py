"""Importing report files: upload -> Storage -> Firestore trigger -> Pub/Sub parse -> chunks.

    POST /v1/metrics/imports (the file)     -> tenants/{t}/imports/{id}/... in Storage and the
                                               progress document tenants/{t}/metric_imports/{id}
    trigger metrics_import_on_created       -> publishes metrics-import
    Pub/Sub metrics_import_parse            -> parse + match the whole file; a file that is
                                               unusable as a whole fails here with nothing
                                               applied; otherwise the facts are staged as chunk
                                               documents (each within one commit) and one
                                               metrics-apply message per chunk is published
    Pub/Sub metrics_import_apply            -> one chunk, atomically: its facts, their rollup
                                               deltas, the chunk's `applied` mark and the
                                               progress counts in ONE commit; the last chunk
                                               completes the import and refreshes `metrics` on
                                               the creatives it touched

Redelivery is harmless everywhere: a chunk applied once is marked in the same commit, and the
facts are upserts (the same fact again changes nothing). Rows that cannot be used are listed
with their line and reason on the progress document (the first 500, and how many in all).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

from google.api_core import exceptions as gexc
from google.cloud import firestore
from pydantic import BaseModel, Field

from adgenius.analytics import facts as fact_store
from adgenius.analytics.facts import DailyFact, plan_commits, upsert_facts
from adgenius.analytics.matching import match_rows
from adgenius.analytics.messages import ChunkMessage as ChunkMessage
from adgenius.analytics.messages import ImportMessage as ImportMessage
from adgenius.analytics.report_import import (
    ReportError,
    RowProblem,
    parse_report,
    upload_problem,
)
from adgenius.analytics.rollups import Totals, rates_of
from adgenius.cloud import messaging
from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.principal import Principal

log = logging.getLogger(__name__)

IMPORTS = "metric_imports"
CHUNKS = "chunks"
PARSE_TOPIC = "metrics-import"
APPLY_TOPIC = "metrics-apply"
MAX_PROBLEMS_KEPT = 500
MAX_FILE_BYTES = 8 * 1024 * 1024

ImportStatus = Literal["uploaded", "parsing", "applying", "succeeded", "failed"]


class ImportOptions(BaseModel):
    model_config = {"extra": "forbid"}

    filename: str = Field(default="report.csv", max_length=200)
    platform: Literal["google_ads", "meta"] | None = Field(
        default=None, description="detected from the header when absent"
    )
    currency: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="the account currency, for reports without a currency column",
    )


class MetricImport(store.Document):
    id: str
    tenant_id: str
    status: ImportStatus
    filename: str
    bytes: int
    platform: str | None = None
    kind: str | None = None
    rows_total: int = 0
    rows_matched: int = 0
    facts_total: int = 0
    facts_written: int = 0
    facts_unchanged: int = 0
    chunks_total: int = 0
    chunks_done: int = 0
    skipped_totals: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None
    created_at: Any = None
    updated_at: Any = None


def _ref(tenant_id: str, import_id: str) -> firestore.DocumentReference:
    return store.tenant_collection(tenant_id, IMPORTS).document(import_id)


def _safe_name(filename: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", filename.rsplit("/", 1)[-1]).strip("._")
    return (base or "report")[:100]


# ------------------------------------------------------------------------------- the API
def start_import(
    tenant_id: str, principal: Principal, data: bytes, options: ImportOptions
) -> MetricImport:
    if not data.strip():
        raise InvalidInput("the file is empty", details=[FieldProblem("body", "empty file")])
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            "the file is too large", details=[FieldProblem("body", f"> {MAX_FILE_BYTES} bytes")]
        )
    if problem := upload_problem(data):
        raise InvalidInput("not a report file", details=[FieldProblem("body", problem)])
    import_id = store.new_id()
    path = tenant_path(tenant_id, "imports", import_id, _safe_name(options.filename))
    blob_store().put(path, data, "text/csv")
    now = store.now()
    doc = {
        "id": import_id,
        "tenant_id": tenant_id,
        "status": "uploaded",
        "filename": options.filename,
        "bytes": len(data),
        "storage_path": path,
        "options": options.model_dump(),
        "created_by": principal.actor,
        "created_at": now,
        "updated_at": now,
    }
    doc, _, _ = store.create_once(_ref(tenant_id, import_id), doc)  # a crashed run's stands
    audit.record(
        tenant_id, "metrics.import_started", principal, target=f"metric_imports/{import_id}"
    )
    return MetricImport(**doc)


def get_import(tenant_id: str, import_id: str) -> MetricImport:
    snap = store.get_in_tenant(tenant_id, IMPORTS, import_id)
    return MetricImport(**store.data_with_id(snap))


def list_imports(
    tenant_id: str, *, limit: int, cursor: str | None
) -> tuple[list[MetricImport], str | None]:
    query: Any = store.tenant_collection(tenant_id, IMPORTS)
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)
    return [MetricImport(**store.data_with_id(s)) for s in snaps], next_cursor


# ------------------------------------------------------------------------- trigger (step 1)
def on_import_created(tenant_id: str, import_id: str) -> None:
    messaging.publish(PARSE_TOPIC, ImportMessage(tenant_id=tenant_id, import_id=import_id))


# ---------------------------------------------------------------------------- parse (step 2)
def _fail(ref: firestore.DocumentReference, reason: str) -> None:
    ref.update({"status": "failed", "error": reason[:1000], "updated_at": store.now()})


def on_parse(message: ImportMessage) -> None:
    ref = _ref(message.tenant_id, message.import_id)
    snap = ref.get()
    if not snap.exists:
        return
    doc = snap.to_dict() or {}
    if doc.get("tenant_id") != message.tenant_id or doc.get("status") in ("succeeded", "failed"):
        return
    if doc.get("status") == "applying":
        # A redelivery after staging: publish the chunks again (applying one twice is a no-op).
        _publish_chunks(message, int(doc.get("chunks_total", 0)))
        return
    ref.update({"status": "parsing", "updated_at": store.now()})
    options = ImportOptions(**(doc.get("options") or {}))
    try:
        data = blob_store().get(doc["storage_path"])
        report = parse_report(data, platform=options.platform, default_currency=options.currency)
    except ReportError as exc:
        _fail(ref, str(exc))
        return
    matched = match_rows(message.tenant_id, report.rows, source=f"import:{message.import_id}")
    problems = sorted([*report.problems, *matched.problems], key=lambda p: p.line)
    try:
        facts = fact_store.merge_same_key(matched.facts)
    except ValueError as exc:
        _fail(ref, f"rows of one day in two currencies: {exc}")
        return
    chunks = plan_commits(facts, reserve=4)
    coll = ref.collection(CHUNKS)
    staged = [
        (
            coll.document(f"{n:06d}"),
            {
                "tenant_id": message.tenant_id,
                "n": n,
                "applied": False,
                "facts": [f.model_dump() for f in chunk],
            },
        )
        for n, chunk in enumerate(chunks)
    ]
    # create(), never set(): a parse delivered twice at once must not reset `applied` marks
    for start in range(0, len(staged), 20):  # chunk documents are large: small commits
        group = staged[start : start + 20]
        batch = store.db().batch()
        for chunk_ref, chunk_doc in group:
            batch.create(chunk_ref, chunk_doc)
        try:
            batch.commit()
        except gexc.AlreadyExists:
            for chunk_ref, chunk_doc in group:
                try:
                    chunk_ref.create(chunk_doc)
                except gexc.AlreadyExists:
                    continue
    ref.update(
        {
            "status": "applying" if chunks else "succeeded",
            "platform": report.platform,
            "kind": report.kind,
            "rows_total": len(report.rows) + len(report.problems),
            "rows_matched": matched.matched_rows,
            "facts_total": len(facts),
            "chunks_total": len(chunks),
            "skipped_totals": report.skipped_totals,
            "problem_count": len(problems),
            "problems": [p.model_dump() for p in problems[:MAX_PROBLEMS_KEPT]],
            "warnings": report.warnings,
            "updated_at": store.now(),
        }
    )
    _publish_chunks(message, len(chunks))


def _publish_chunks(message: ImportMessage, total: int) -> None:
    for n in range(total):
        messaging.publish(
            APPLY_TOPIC,
            ChunkMessage(tenant_id=message.tenant_id, import_id=message.import_id, chunk=n),
        )


# ---------------------------------------------------------------------------- apply (step 3)
def on_apply(message: ChunkMessage) -> None:
    ref = _ref(message.tenant_id, message.import_id)
    chunk_ref = ref.collection(CHUNKS).document(f"{message.chunk:06d}")
    for _ in range(5):
        snap = chunk_ref.get()
        if not snap.exists:
            return  # a message for a chunk that was never staged: nothing to do
        data = snap.to_dict() or {}
        if data.get("applied") or data.get("tenant_id") != message.tenant_id:
            break
        chunk_facts = [DailyFact(**f) for f in data.get("facts", [])]

        def extra(batch: Any, result: fact_store.UpsertResult, snap: Any = snap) -> None:
            # Marked applied only if nobody else marked it since we read it (same commit).
            batch.update(
                chunk_ref,
                {"applied": True, "creative_ids": sorted(result.creative_ids)},
                option=store.db().write_option(last_update_time=snap.update_time),
            )
            batch.update(
                ref,
                {
                    "chunks_done": firestore.Increment(1),
                    "facts_written": firestore.Increment(result.written),
                    "facts_unchanged": firestore.Increment(result.unchanged),
                    "updated_at": store.now(),
                },
            )

        try:
            upsert_facts(message.tenant_id, chunk_facts, extra_writes=extra)
        except (gexc.FailedPrecondition, gexc.Aborted):
            continue  # another delivery applied this chunk meanwhile: look again
        break
    _maybe_complete(message.tenant_id, message.import_id)


def _maybe_complete(tenant_id: str, import_id: str) -> None:
    ref = _ref(tenant_id, import_id)
    snap = ref.get()
    doc = snap.to_dict() or {}
    if doc.get("status") != "applying":
        return
    if int(doc.get("chunks_done", 0)) < int(doc.get("chunks_total", 0)):
        return
    if not store.update_unchanged_since(
        snap, {"status": "succeeded", "finished_at": store.now(), "updated_at": store.now()}
    ):
        return  # another chunk's delivery completes it
    touched: set[str] = set()
    for chunk in ref.collection(CHUNKS).select(["creative_ids"]).stream():
        touched.update((chunk.to_dict() or {}).get("creative_ids", []))
    refresh_creative_metrics(tenant_id, sorted(touched))


# -------------------------------------------------------------------- closing the loop
def refresh_creative_metrics(tenant_id: str, creative_ids: list[str]) -> None:
    """Write `metrics` (CTR, conversion rate, impressions; all platforms) on each creative.

    Brand memory's indexer picks them up (performance-weighted grounding). One write per
    creative per import, never per row.
    """
    if not creative_ids:
        return
    totals = fact_store.totals_for(tenant_id, [f"creative:{c}" for c in creative_ids])
    coll = store.tenant_collection(tenant_id, store.CREATIVES)
    batch = store.db().batch()
    pending = 0
    for cid in creative_ids:
        overall = Totals()
        for g in totals.get(f"creative:{cid}", []):
            overall.add(g, days=g.days)
        r = rates_of(overall)
        metrics = {
            "impressions": overall.impressions,
            "ctr": None if r.ctr is None else min(r.ctr, 1.0),
            "conversion_rate": None if r.cvr is None else min(r.cvr, 1.0),
        }
        batch.update(coll.document(cid), {"metrics": metrics})
        pending += 1
        if pending >= 400:
            _commit_ignoring_missing(batch)
            batch, pending = store.db().batch(), 0
    if pending:
        _commit_ignoring_missing(batch)


def _commit_ignoring_missing(batch: Any) -> None:
    try:
        batch.commit()
    except gexc.NotFound:
        log.warning("a creative was deleted while its metrics were refreshed")

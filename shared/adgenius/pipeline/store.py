"""Firestore access for jobs: documents, once-only marks, and progress without contention.

Progress is written with `Increment` (no read-modify-write transaction), and each count change is
guarded by a mark created with `create()`: a redelivered task or message finds the mark and
changes nothing. The job document is the one a client listens to; items are per-item documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from adgenius.cloud import firestore_reads
from adgenius.cloud.clients import firestore_client
from adgenius.pipeline import due
from adgenius.pipeline.due import now as now
from adgenius.pipeline.model import Counts, Item, ItemStatus, Job, JobStatus


def job_ref(tenant_id: str, job_id: str) -> firestore.DocumentReference:
    return firestore_client().document(f"tenants/{tenant_id}/jobs/{job_id}")


def item_ref(tenant_id: str, job_id: str, item_id: str) -> firestore.DocumentReference:
    return job_ref(tenant_id, job_id).collection("items").document(item_id)


def mark_ref(tenant_id: str, job_id: str, mark: str) -> firestore.DocumentReference:
    return job_ref(tenant_id, job_id).collection("marks").document(mark)


def mark_once(tenant_id: str, job_id: str, mark: str, data: dict[str, Any] | None = None) -> bool:
    """True for the first caller only: the once-only guard of every effect."""
    try:
        mark_ref(tenant_id, job_id, mark).create({"at": now(), **(data or {})})
    except gexc.AlreadyExists:
        return False
    return True


def has_mark(tenant_id: str, job_id: str, mark: str) -> bool:
    return bool(mark_ref(tenant_id, job_id, mark).get().exists)


def read_job(tenant_id: str, job_id: str) -> Job | None:
    snap = firestore_reads.get(job_ref(tenant_id, job_id))
    return Job(**(snap.to_dict() or {})) if snap.exists else None


def read_item(tenant_id: str, job_id: str, item_id: str) -> Item | None:
    snap = item_ref(tenant_id, job_id, item_id).get()
    return Item(**(snap.to_dict() or {})) if snap.exists else None


def read_item_and_job(tenant_id: str, job_id: str, item_id: str) -> tuple[Item | None, Job | None]:
    """Both documents in one round trip (every item task starts with them)."""
    item_doc, job_doc = item_ref(tenant_id, job_id, item_id), job_ref(tenant_id, job_id)
    found = {s.reference.path: s for s in firestore_client().get_all([item_doc, job_doc])}
    item_snap, job_snap = found.get(item_doc.path), found.get(job_doc.path)
    item = Item(**(item_snap.to_dict() or {})) if item_snap and item_snap.exists else None
    job = Job(**(job_snap.to_dict() or {})) if job_snap and job_snap.exists else None
    return item, job


def list_items(tenant_id: str, job_id: str) -> list[Item]:
    docs = firestore_reads.stream(job_ref(tenant_id, job_id).collection("items").order_by("index"))
    return [Item(**(d.to_dict() or {})) for d in docs]


def create_job(job: Job) -> None:
    job_ref(job.tenant_id, job.id).create(job.model_dump(mode="python"))


def update_job(tenant_id: str, job_id: str, changes: dict[str, Any]) -> None:
    job_ref(tenant_id, job_id).update({**changes, "updated_at": now()})


_BATCH_LIMIT = 400  # Firestore allows 500 writes per commit


def create_items(items: list[Item]) -> int:
    """Create-if-absent; a re-planned job keeps the items it already has.

    A first plan creates its items in a few commits. A batch with an item that exists fails as a
    whole (a redelivered plan message); that chunk is then created one item at a time.
    """
    created = 0
    for start in range(0, len(items), _BATCH_LIMIT):
        chunk = items[start : start + _BATCH_LIMIT]
        batch = firestore_client().batch()
        for item in chunk:
            batch.create(
                item_ref(item.tenant_id, item.job_id, item.id), item.model_dump(mode="python")
            )
        try:
            batch.commit()
            created += len(chunk)
            continue
        except gexc.AlreadyExists:
            pass
        for item in chunk:
            try:
                item_ref(item.tenant_id, item.job_id, item.id).create(
                    item.model_dump(mode="python")
                )
                created += 1
            except gexc.AlreadyExists:
                continue
    return created


def update_item(item: Item, changes: dict[str, Any]) -> None:
    item_ref(item.tenant_id, item.job_id, item.id).update({**changes, "updated_at": now()})


def count_changes(**deltas: int) -> dict[str, Any]:
    return {f"counts.{k}": firestore.Increment(v) for k, v in deltas.items() if v}


_COUNT_FIELDS = tuple(Counts.model_fields)


def _all_counts_changes(deltas: dict[str, int]) -> dict[str, Any]:
    """Every count as an `Increment`, +0 for those not changing: the commit then returns the
    counts as they stand after this write, so the completion check needs no read."""
    return {f"counts.{k}": firestore.Increment(deltas.get(k, 0)) for k in _COUNT_FIELDS}


def _counts_after(result: Any) -> Counts | None:
    # Transform results come back in the order of the field transforms, which the client sorts
    # by field path (tests/integration/pipeline checks this against the emulator).
    values = [v.integer_value for v in getattr(result, "transform_results", [])]
    if len(values) != len(_COUNT_FIELDS):
        return None
    return Counts(**dict(zip(sorted(_COUNT_FIELDS), values, strict=True)))


Documents = list[tuple[firestore.DocumentReference, dict[str, Any]]]


@dataclass(frozen=True)
class Transition:
    recorded: bool  # False: this transition had been recorded before (a redelivery)
    counts: Counts | None = None  # the job's counts right after it, when the commit returned them


def _counted_transition(
    item: Item,
    mark: str,
    item_changes: dict[str, Any],
    deltas: dict[str, int],
    job_changes: dict[str, Any] | None = None,
    documents: Documents | None = None,
) -> Transition:
    """Item change + once-only mark + count change (+ the item's creative documents) in ONE
    atomic batch, with no read and no lock.

    If the mark exists the batch fails as a whole, so a count is never applied twice and a
    creative never created twice; a process that dies cannot leave a mark without its count, or
    a counted success without its creative (or the reverse).
    """
    client = firestore_client()
    batch = client.batch()
    batch.update(
        item_ref(item.tenant_id, item.job_id, item.id), {**item_changes, "updated_at": now()}
    )
    batch.create(mark_ref(item.tenant_id, item.job_id, mark), {"at": now()})
    for ref, data in documents or []:
        batch.create(ref, data)
    batch.update(
        job_ref(item.tenant_id, item.job_id),
        {**(job_changes or {}), **_all_counts_changes(deltas), "updated_at": now()},
    )
    try:
        results = batch.commit()
    except gexc.AlreadyExists:
        if documents and not has_mark(item.tenant_id, item.job_id, mark):
            # Not recorded yet, but a document of the creative exists (created outside this
            # step): keep it, and record the outcome.
            return _counted_transition(item, mark, item_changes, deltas, job_changes)
        update_item(item, item_changes)  # the count was taken before; keep the item current
        return Transition(recorded=False)
    return Transition(recorded=True, counts=_counts_after(results[-1]))


def item_started(item: Item) -> None:
    """pending -> running, counted once per (item, round)."""
    _counted_transition(
        item,
        f"{item.id}.r{item.round}.start",
        {"status": ItemStatus.RUNNING.value, "attempts": firestore.Increment(1)},
        {"pending": -1, "running": 1},
    )


def item_finished(
    item: Item,
    status: ItemStatus,
    *,
    changes: dict[str, Any] | None = None,
    started: bool | None = None,
    job: Job | None = None,
    documents: Documents | None = None,
) -> Transition:
    """Record the item's outcome once, with its creative's `documents` if it made one.

    `started`: whether this round of the item was counted as running (None: the item's status
    as read says so; the start transition sets it in the same commit as its mark).
    `job`: the job as read before this outcome, to update the time-left estimate in the same write.
    """
    if started is None:
        started = item.status is ItemStatus.RUNNING
    return _counted_transition(
        item,
        f"{item.id}.r{item.round}.end",
        {"status": status.value, **(changes or {})},
        {status.value: 1, ("running" if started else "pending"): -1},
        {"eta_s": eta_after_one_more(job)} if job is not None else None,
        documents,
    )


def eta_after_one_more(job: Job) -> float | None:
    """Time left once one more item is done, from the pace so far."""
    if job.started_at is None or job.counts.total == 0:
        return None
    done = job.counts.finished + 1
    elapsed = (now() - job.started_at).total_seconds()
    return round(elapsed / done * max(0, job.counts.total - done), 1)


def reset_counts(total: int) -> dict[str, Any]:
    return {"counts": Counts(total=total, pending=total).model_dump()}


def overdue_items(limit: int = 200) -> list[Item]:
    """Pending or running items past their deadline, across tenants (the sweeper's query)."""
    return [Item(**(d.to_dict() or {})) for d in due.overdue_items_query(limit).stream()]


def stale_jobs(older_than: timedelta, limit: int = 100) -> list[Job]:
    """Jobs stuck before planning finished (a lost trigger or plan message)."""
    return jobs_in(JobStatus.QUEUED, older_than, limit) + jobs_in(
        JobStatus.PLANNING, older_than, limit
    )


def jobs_in(status: JobStatus, older_than: timedelta, limit: int = 100) -> list[Job]:
    """Jobs in `status` whose last update is older than `older_than`, across tenants."""
    query = due.jobs_in_query(status, older_than, limit)
    return [Job(**(d.to_dict() or {})) for d in query.stream()]

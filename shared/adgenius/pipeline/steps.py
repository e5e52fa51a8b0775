"""The pipeline's steps, one per function. Each is safe to run twice for the same input.

job created (Firestore trigger) -> `on_job_created` publishes the plan message ->
`on_plan` (Pub/Sub) writes items and enqueues one task per item on its model's queue ->
`on_item_task` (Cloud Tasks) generates, stores, writes the creative and counts the outcome ->
the last outcome completes the job, or (video) publishes `on_assemble` (Pub/Sub) which stitches
the scenes and completes it. `sweep` (scheduled) re-drives or fails what overran.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from google.cloud import firestore

from adgenius import tracing
from adgenius.cloud import messaging, tasks
from adgenius.observability import log_fields
from adgenius.pipeline import leases, store
from adgenius.pipeline.model import (
    TERMINAL_ITEM,
    Item,
    ItemStatus,
    ItemTask,
    Job,
    JobKind,
    JobMessage,
    JobRequest,
    JobStatus,
)
from adgenius.settings import get_settings
from adgenius.tenancy.errors import NotFound

# Rendering (Pillow, numpy, ffmpeg, the model engines) loads in the steps that render: jobs_item
# and jobs_assemble. The planning, trigger and sweeper functions import this module too and never
# render, so their instances start without it. Planning (the copy engines, numpy) likewise loads
# in `on_plan` only, and a job's context (campaign, brand, assets) in the steps that read it: the
# sweeper, which imports this module at its start, never does.
if TYPE_CHECKING:
    from adgenius.pipeline.work import Done, ItemFailure

PLAN_TOPIC = "job-plan"
ASSEMBLE_TOPIC = "job-assemble"
ASSEMBLY_LEASE_S = 600.0

log = logging.getLogger(__name__)


def job_span_attributes(tenant_id: str, job_id: str, function: str) -> dict[str, str]:
    """What every pipeline span says: the job, the function, and the tenant as a hash only."""
    return {
        "faas.name": function,
        "adgenius.job_id": job_id,
        "adgenius.tenant": tracing.tenant_hash(tenant_id),
    }


# ---------------------------------------------------------------------------- trigger + plan
def on_job_created(tenant_id: str, job_id: str) -> None:
    mark = "plan-published.r0"
    if store.has_mark(tenant_id, job_id, mark):
        return
    messaging.publish(PLAN_TOPIC, JobMessage(tenant_id=tenant_id, job_id=job_id))
    store.mark_once(tenant_id, job_id, mark)


def _deadline(item: Item) -> Any:
    s = get_settings()
    per_item = {"image": 1.5, "scene": 10.0, "copy": 2.0}[item.kind]
    return store.now() + timedelta(seconds=s.pipeline_item_budget_s + item.index * per_item)


def _task_id(item: Item, suffix: str) -> str:
    return f"{item.job_id}-{item.id}-r{item.round}-{suffix}"


def _enqueue(
    item: Item,
    *,
    attempt: int = 0,
    suffix: str = "a0",
    delay_s: float = 0.0,
    action: str = "run",
    poll: int = 0,
) -> None:
    task = ItemTask(
        tenant_id=item.tenant_id,
        job_id=item.job_id,
        item_id=item.id,
        round=item.round,
        attempt=attempt,
        action=action,
        poll=poll,  # type: ignore[arg-type]
    )
    tasks.enqueue(item.queue, task, task_id=_task_id(item, suffix), delay_s=delay_s)


def on_plan(message: JobMessage) -> None:
    from adgenius.pipeline.context import read_context
    from adgenius.pipeline.planning import plan

    job = store.read_job(message.tenant_id, message.job_id)
    if job is None or job.status.terminal:
        return
    if job.cancel_requested:
        finalize(job)
        return
    planned_mark = f"planned.r{job.round}"
    if not store.has_mark(job.tenant_id, job.id, planned_mark):
        store.update_job(
            job.tenant_id, job.id, {"status": JobStatus.PLANNING.value, "phase": "planning"}
        )
        try:
            request = JobRequest(**job.request)
            ctx = read_context(job.tenant_id, job.campaign_id)
            items = plan(job, request, ctx)
        except (NotFound, ValueError) as exc:
            # Nothing to retry: the campaign or brand is gone, or the request cannot be planned.
            _fail_job(job, f"planning failed: {exc}")
            return
        for item in items:
            item.deadline = _deadline(item)
        store.create_items(items)
        if store.mark_once(job.tenant_id, job.id, planned_mark):
            store.update_job(
                job.tenant_id,
                job.id,
                {
                    "status": JobStatus.RUNNING.value,
                    "phase": "generating",
                    "started_at": store.now(),
                    **store.reset_counts(len(items)),
                },
            )
    # Enqueue (again, on redelivery: named tasks and idempotent handlers make that harmless).
    for item in store.list_items(job.tenant_id, job.id):
        if item.status is ItemStatus.PENDING and item.round == job.round:
            _enqueue(item)


# ------------------------------------------------------------------------------- item tasks
def _backoff_s(attempt: int) -> float:
    s = get_settings()
    return min(s.pipeline_backoff_max_s, s.pipeline_backoff_base_s * 2**attempt) * random.uniform(
        0.75, 1.25
    )


def on_item_task(task: ItemTask) -> str:
    """Run one item task; logs `item task` (the item-latency and provider-error metrics read it)."""
    started = time.monotonic()
    seen: dict[str, Any] = {}
    result = _on_item_task(task, seen)
    fields = {
        "job_id": task.job_id,
        "item_id": task.item_id,
        "attempt": task.attempt,
        "action": task.action,
        "result": result,
        "latency_ms": round((time.monotonic() - started) * 1000, 1),
        **seen,
    }
    tracing.set_attributes(
        result=result, kind=seen.get("kind"), model=seen.get("model"), error=seen.get("error_kind")
    )
    log.info("item task", extra=log_fields(**fields))
    return result


def _on_item_task(task: ItemTask, seen: dict[str, Any]) -> str:
    item, job = store.read_item_and_job(task.tenant_id, task.job_id, task.item_id)
    if item is None or job is None:
        return "gone"
    # The queue is per model and engine (see planning.queue_for): the metrics' model label.
    seen.update(kind=item.kind, model=item.queue, engine=job.engine)
    if item.round != task.round or item.status in TERMINAL_ITEM:
        return "already done"
    if job.cancel_requested or job.status is JobStatus.CANCELLED:
        _complete_if_last(
            job,
            store.item_finished(
                item, ItemStatus.CANCELLED, changes={"error_reason": "job cancelled"}
            ),
        )
        return "cancelled"
    # Sub-second items (an image, a copy set) go straight from pending to their outcome: a
    # "running" state nobody could see would cost a write per item on the hot job document.
    # Long items (scenes, Veo polls) and retries are marked running so progress shows them.
    from adgenius.pipeline.context import load_context
    from adgenius.pipeline.work import ItemFailure, Pending, poll_scene, run_item

    started = _marks_running(item, task)
    if started:
        store.item_started(item)
    try:
        if task.action == "poll":
            outcome: Done | Pending = poll_scene(job, item)
        else:
            outcome = run_item(job, item, load_context(job.tenant_id, job.campaign_id))
    except ItemFailure as failure:
        seen.update(error_kind=failure.kind, error_type=failure.error_type)
        return _failed(job, item, task, failure)
    except NotFound as exc:
        seen.update(error_kind="permanent", error_type="NotFound")
        return _failed(job, item, task, ItemFailure(str(exc), kind="permanent", retryable=False))
    except Exception as exc:
        log.exception("item failed unexpectedly", extra=log_fields(job_id=job.id, item_id=item.id))
        seen.update(error_kind="transient", error_type=type(exc).__name__)
        return _failed(
            job, item, task, ItemFailure(f"internal error: {exc}", kind="transient", retryable=True)
        )
    if isinstance(outcome, Pending):
        # The photos a Veo clip starts from are recorded now: the poll that finishes it has no
        # context to choose them again.
        store.update_item(
            item, {"operation": outcome.operation, "brand_asset_ids": outcome.brand_asset_ids}
        )
        _enqueue(
            item,
            suffix=f"p{task.poll + 1}",
            delay_s=get_settings().pipeline_poll_interval_s,
            action="poll",
            poll=task.poll + 1,
            attempt=task.attempt,
        )
        return "polling"
    recorded = store.item_finished(
        item,
        ItemStatus.SUCCEEDED,
        started=True if started else None,
        job=job,
        changes={
            "creative_id": outcome.creative_id,
            "output_path": outcome.output_path,
            "brand_asset_ids": outcome.brand_asset_ids,
            "error_reason": None,
            "error_kind": None,
        },
        documents=outcome.documents,
    )
    _complete_if_last(job, recorded)
    return "succeeded"


def _marks_running(item: Item, task: ItemTask) -> bool:
    return item.kind == "scene" or task.attempt > 0 or task.action == "poll"


def _failed(job: Job, item: Item, task: ItemTask, failure: ItemFailure) -> str:
    started = _marks_running(item, task)
    next_attempt = task.attempt + 1
    if failure.retryable and next_attempt < get_settings().pipeline_max_attempts:
        store.update_item(
            item, {"error_reason": f"retrying: {failure.reason}", "error_kind": failure.kind}
        )
        _enqueue(
            item, attempt=next_attempt, suffix=f"a{next_attempt}", delay_s=_backoff_s(task.attempt)
        )
        return "retrying"
    recorded = store.item_finished(
        item,
        ItemStatus.FAILED,
        changes={"error_reason": failure.reason, "error_kind": failure.kind},
        started=True if started else None,
        job=job,
    )
    _complete_if_last(job, recorded)
    return "failed"


# ------------------------------------------------------------------------------- completion
def _complete_if_last(job: Job, recorded: store.Transition) -> None:
    """After an item's outcome: complete the job if that was its last item.

    The outcome's commit returns the counts as they stand after it, so all but the last item
    skip the completion check's read. A redelivered outcome (not recorded again) still checks:
    the process that recorded it may have died before it could.
    """
    counts = recorded.counts
    if recorded.recorded and counts is not None and counts.finished < counts.total:
        return
    check_complete(job.tenant_id, job.id)


def check_complete(tenant_id: str, job_id: str) -> None:
    job = store.read_job(tenant_id, job_id)
    if job is None or job.status.terminal:
        return
    if job.counts.total == 0 or job.counts.finished < job.counts.total:
        return
    if not store.mark_once(tenant_id, job_id, f"complete.r{job.round}"):
        return
    with tracing.span("jobs.complete", attributes={"adgenius.job_id": job_id}):
        _complete(job)


def _complete(job: Job) -> None:
    tenant_id, job_id = job.tenant_id, job.id
    if job.kind is JobKind.VIDEO and job.counts.succeeded > 0 and not job.cancel_requested:
        store.update_job(
            tenant_id, job_id, {"status": JobStatus.ASSEMBLING.value, "phase": "assembling"}
        )
        # A video's items are done: this span hands over to jobs.assemble, which ends the job
        # in a jobs.complete of its own.
        tracing.set_attributes(status=JobStatus.ASSEMBLING.value)
        messaging.publish(
            ASSEMBLE_TOPIC, JobMessage(tenant_id=tenant_id, job_id=job_id, round=job.round)
        )
        return
    finalize(job)


def finalize(job: Job, *, error: str | None = None) -> None:
    fresh = store.read_job(job.tenant_id, job.id) or job
    c = fresh.counts
    if fresh.cancel_requested and (c.cancelled > 0 or c.total == 0):
        # A cancel that came after every item had ended stopped nothing: the outcome stands.
        status = JobStatus.CANCELLED
    elif error is not None or c.succeeded == 0:
        status = JobStatus.FAILED
    elif c.succeeded == c.total:
        status = JobStatus.SUCCEEDED
    else:
        status = JobStatus.PARTIALLY_SUCCEEDED
    changes: dict[str, Any] = {
        "status": status.value,
        "phase": "done",
        "finished_at": store.now(),
        "eta_s": 0,
    }
    if error is not None:
        changes["error"] = error
    elif status is JobStatus.FAILED and c.failed:
        changes["error"] = f"all {c.failed} items failed"
    store.update_job(job.tenant_id, job.id, changes)
    # Quotas (plans, limits) load with the first job that ends: not at the sweeper's start, whose
    # sweeps mostly find nothing to end.
    from adgenius.pipeline import quota

    released = quota.settle(fresh, status)
    tracing.set_attributes(status=status.value)
    log.info(
        "job finished",
        extra=log_fields(
            job_id=job.id, kind=fresh.kind.value, status=status.value, quota_released=released
        ),
    )


def _fail_job(job: Job, reason: str) -> None:
    store.update_job(
        job.tenant_id,
        job.id,
        {
            "status": JobStatus.FAILED.value,
            "phase": "done",
            "error": reason,
            "finished_at": store.now(),
        },
    )
    from adgenius.pipeline import quota

    quota.settle(job, JobStatus.FAILED)


# ---------------------------------------------------------------------------------- assembly
def on_assemble(message: JobMessage) -> None:
    job = store.read_job(message.tenant_id, message.job_id)
    if job is None or job.status.terminal or job.round != message.round:
        return
    done_mark = f"assembled.r{job.round}"
    if store.has_mark(job.tenant_id, job.id, done_mark):
        finalize(job)
        return
    if not leases.claim(job.tenant_id, job.id, f"assembly.r{job.round}", ASSEMBLY_LEASE_S):
        return  # another delivery is assembling; the sweeper takes over if it died
    from adgenius.pipeline import assembly
    from adgenius.pipeline.context import read_context

    try:
        assembly.assemble(job, read_context(job.tenant_id, job.campaign_id))
    except assembly.AssemblyError as exc:
        finalize(job, error=f"assembly failed: {exc}")
        return
    store.mark_once(job.tenant_id, job.id, done_mark)
    with tracing.span("jobs.complete", attributes={"adgenius.job_id": job.id}):
        finalize(job)


# ------------------------------------------------------------------------- cancel and retry
def cancel(job: Job) -> None:
    store.update_job(job.tenant_id, job.id, {"cancel_requested": True, "phase": "cancelling"})
    if job.status in (JobStatus.QUEUED, JobStatus.PLANNING) or job.counts.total == 0:
        finalize(job)
    else:
        check_complete(job.tenant_id, job.id)


def retry_failed(job: Job) -> int:
    """Start a new round for the failed items only; returns how many.

    Their quota is reserved again first (QuotaExceeded, and nothing changes, when it is short).
    """
    failed = [i for i in store.list_items(job.tenant_id, job.id) if i.status is ItemStatus.FAILED]
    if not failed:
        return 0
    from adgenius.pipeline import quota

    held_more = quota.reserve(job.tenant_id, quota.retry_need(job, failed))
    new_round = job.round + 1
    store.update_job(
        job.tenant_id,
        job.id,
        {
            "round": new_round,
            "status": JobStatus.RUNNING.value,
            "phase": "generating",
            "finished_at": None,
            "error": None,
            "cancel_requested": False,
            **store.count_changes(failed=-len(failed), pending=len(failed)),
            **held_more,
        },
    )
    for item in failed:
        item.round = new_round
        item.deadline = _deadline(item)
        store.update_item(
            item,
            {
                "status": ItemStatus.PENDING.value,
                "round": new_round,
                "error_reason": None,
                "error_kind": None,
                "attempts": 0,
                "redrives": 0,
                "operation": None,
                "deadline": item.deadline,
            },
        )
        _enqueue(item)
    return len(failed)


# ------------------------------------------------------------------------------------ sweeper
def sweep() -> dict[str, int]:
    """Re-drive or fail overdue items; re-publish jobs stuck before or in assembly."""
    s = get_settings()
    redriven = failed = replanned = reassembled = 0
    for item in store.overdue_items():
        job = store.read_job(item.tenant_id, item.job_id)
        if job is None or job.status.terminal:
            continue
        if item.redrives < s.pipeline_max_redrives:
            item.deadline = _deadline(item)
            store.update_item(item, {"redrives": firestore.Increment(1), "deadline": item.deadline})
            _enqueue(
                item, suffix=f"d{item.redrives + 1}", action="poll" if item.operation else "run"
            )
            redriven += 1
        else:
            recorded = store.item_finished(
                item,
                ItemStatus.FAILED,
                changes={
                    "error_reason": f"deadline exceeded after {item.redrives} re-drives",
                    "error_kind": "deadline",
                },
            )
            _complete_if_last(job, recorded)
            failed += 1
    for job in store.stale_jobs(timedelta(seconds=s.pipeline_stale_job_s)):
        messaging.publish(PLAN_TOPIC, JobMessage(tenant_id=job.tenant_id, job_id=job.id))
        replanned += 1
    # A process that died between an item's last count and the completion check leaves a job
    # whose counts are complete but which never finished: complete it now.
    for job in store.jobs_in(JobStatus.RUNNING, timedelta(seconds=30)):
        if job.counts.total and job.counts.finished >= job.counts.total:
            check_complete(job.tenant_id, job.id)
    # A job assembling for a while may have lost its message (Pub/Sub down when it was
    # published): publish again after the stale-job patience, not the whole lease; a live
    # assembler holds the lease, so the extra message is dropped by its claim.
    stale_assembly = timedelta(seconds=min(ASSEMBLY_LEASE_S, s.pipeline_stale_job_s))
    for job in store.jobs_in(JobStatus.ASSEMBLING, stale_assembly):
        messaging.publish(
            ASSEMBLE_TOPIC, JobMessage(tenant_id=job.tenant_id, job_id=job.id, round=job.round)
        )
        reassembled += 1
    return {
        "redriven": redriven,
        "failed": failed,
        "replanned": replanned,
        "reassembled": reassembled,
    }

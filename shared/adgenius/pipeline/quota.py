"""A job's plan quota: reserved in full when it is accepted, settled to what it delivered.

Marketers are charged for creatives they get: when a job ends, the quota held for images or copy
sets it did not make (failed, cancelled) and for a video it did not deliver is given back. A retry
of the failed items reserves their share again, before any work. Settling happens once per round
(a mark created in the same commit as the release), so a repeated completion gives nothing back
twice.
"""

from __future__ import annotations

from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from adgenius.cloud.clients import firestore_client
from adgenius.pipeline import store
from adgenius.pipeline.model import Item, Job, JobKind, JobRequest, JobStatus
from adgenius.tenancy import limits
from adgenius.tenancy.errors import QuotaExceeded
from adgenius.tenancy.plans import QuotaKind

DELIVERED = (JobStatus.SUCCEEDED, JobStatus.PARTIALLY_SUCCEEDED)


def used(job: Job, status: JobStatus) -> dict[str, float]:
    """What a job that ended in `status` consumed of each quota it holds."""
    if job.kind is JobKind.VIDEO:
        return dict(job.quota_held) if status in DELIVERED else {}
    kind = QuotaKind.IMAGES if job.kind is JobKind.IMAGE_SET else QuotaKind.TEXT_CALLS
    return {kind.value: float(job.counts.succeeded)}


def unused(job: Job, status: JobStatus) -> dict[str, float]:
    spent = used(job, status)
    return {
        kind: held - spent.get(kind, 0.0)
        for kind, held in job.quota_held.items()
        if held - spent.get(kind, 0.0) > 0
    }


def settle(job: Job, status: JobStatus) -> dict[str, float]:
    """Give back what the ended job did not use; returns it (empty if settled before)."""
    give_back = unused(job, status)
    if not give_back:
        return {}
    batch = firestore_client().batch()
    batch.create(store.mark_ref(job.tenant_id, job.id, f"quota-settled.r{job.round}"), {})
    for kind, amount in give_back.items():
        limits.release_in(batch, job.tenant_id, kind, amount, period=job.quota_period)
    batch.update(
        store.job_ref(job.tenant_id, job.id),
        {f"quota_held.{kind}": firestore.Increment(-amount) for kind, amount in give_back.items()},
    )
    try:
        batch.commit()
    except gexc.AlreadyExists:
        return {}
    return give_back


def retry_need(job: Job, failed: list[Item]) -> dict[str, float]:
    """What retrying `failed` needs reserved again."""
    if job.quota_period is None:
        return {}  # a job accepted before quota settlement existed still holds its reservation
    if job.kind is JobKind.VIDEO:
        held = job.quota_held.get(QuotaKind.VIDEO_SECONDS.value, 0.0)
        need = JobRequest(**job.request).quota_need()[QuotaKind.VIDEO_SECONDS.value]
        return {QuotaKind.VIDEO_SECONDS.value: need - held} if need > held else {}
    kind = QuotaKind.IMAGES if job.kind is JobKind.IMAGE_SET else QuotaKind.TEXT_CALLS
    return {kind.value: float(len(failed))}


def reserve(tenant_id: str, need: dict[str, float]) -> dict[str, Any]:
    """Reserve every quota in `need` or none (402 `quota_exceeded` names the first short)."""
    reserved: list[tuple[str, float]] = []
    try:
        for kind, amount in need.items():
            if amount > 0:
                limits.reserve_quota(tenant_id, kind, amount)
                reserved.append((kind, amount))
    except QuotaExceeded:
        for kind, amount in reserved:
            limits.release_quota(tenant_id, kind, amount)
        raise
    return {f"quota_held.{kind}": firestore.Increment(amount) for kind, amount in reserved}

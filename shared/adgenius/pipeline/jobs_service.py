"""Jobs as the API sees them: accept (quota first), read, list, cancel, retry."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from pydantic import BaseModel, Field

from adgenius import tracing
from adgenius.domain.campaigns import Campaign
from adgenius.domain.creatives import CreativeKind, get_creative
from adgenius.observability import current_correlation_id
from adgenius.pipeline import quota, steps, store
from adgenius.pipeline.model import (
    VIDEO_RATIOS,
    Item,
    Job,
    JobKind,
    JobRequest,
    JobStatus,
    LikeCreative,
)
from adgenius.settings import get_settings
from adgenius.tenancy import limits
from adgenius.tenancy import store as tenancy_store
from adgenius.tenancy.errors import Conflict, NotFound
from adgenius.tenancy.principal import Principal


class JobView(Job):
    items: list[Item] = Field(default_factory=list)


class JobAccepted(BaseModel):
    id: str
    status: JobStatus


def _campaign(tenant_id: str, campaign_id: str, principal: Principal) -> Campaign:
    snap = tenancy_store.get_in_tenant(tenant_id, tenancy_store.CAMPAIGNS, campaign_id)
    campaign = Campaign(**tenancy_store.data_with_id(snap))
    principal.require_brand(campaign.brand_id, "campaign")
    return campaign


# Lists page in document-id order (no composite index per filter), so a job's id starts with
# the milliseconds left until 2286 (10**13 ms): ids, and so `GET /v1/jobs`, sort newest first.
_ID_CLOCK_END_MS = 10**13


def new_job_id(now: datetime) -> str:
    """Inside an idempotent request, the same id in a rerun after a crash (its first attempt's
    time and a derived suffix), so the rerun meets the job its first run made."""
    if tenancy_store.ids_are_replayed():
        now = tenancy_store.request_started()
    suffix = tenancy_store.new_token_hex(4)
    return f"{_ID_CLOCK_END_MS - int(now.timestamp() * 1000):013d}{suffix}"


def create_job(
    tenant_id: str,
    campaign_id: str,
    request: JobRequest,
    principal: Principal,
    *,
    job_id: str | None = None,
) -> JobAccepted:
    """Accept a job: quota first, then the document (its trigger starts the pipeline).

    `job_id`: a caller that may run twice (a redelivered message) chooses the id, so a repeat
    finds the job already there and neither reserves quota again nor starts a second job."""
    campaign = _campaign(tenant_id, campaign_id, principal)
    stamp = store.now()
    if job_id is not None or tenancy_store.ids_are_replayed():
        # Chosen by the caller, or derived in an idempotent request: it may exist already (the
        # rerun after a crash must not need quota the first run already took).
        job_id = job_id or new_job_id(stamp)
        existing = store.read_job(tenant_id, job_id)
        if existing is not None:
            return JobAccepted(id=existing.id, status=existing.status)
    need = request.quota_need()
    quota.reserve(tenant_id, need)
    job = Job(
        id=job_id or new_job_id(stamp),
        tenant_id=tenant_id,
        campaign_id=campaign.id,
        brand_id=campaign.brand_id,
        kind=request.kind,
        request=request.model_dump(mode="json"),
        engine=get_settings().engine.value,
        created_by=principal.uid or principal.api_key_id or principal.actor.get("id"),
        created_at=stamp,
        updated_at=stamp,
        quota_held=need,
        quota_period=limits.current_period(stamp),
    )
    doc: dict[str, Any] = job.model_dump(mode="python")
    doc["correlation_id"] = current_correlation_id()
    # The trigger this write fires continues the request's trace from here.
    doc[tracing.DOCUMENT_FIELD] = tracing.document_carrier()
    try:
        store.job_ref(tenant_id, job.id).create(doc)
    except gexc.AlreadyExists:
        # A concurrent repeat created it between our read and our write, or this is the rerun
        # of a request whose first run made it and died: keep one reservation, answer that job.
        for kind, amount in need.items():
            if amount > 0:
                limits.release_quota(tenant_id, kind, amount)
        existing = store.read_job(tenant_id, job.id)
        return JobAccepted(id=job.id, status=existing.status if existing else JobStatus.QUEUED)
    return JobAccepted(id=job.id, status=job.status)


def job_from_creative(
    tenant_id: str,
    creative_id: str,
    principal: Principal,
    *,
    more: bool,
    comment: str | None,
    job_id: str | None = None,
) -> JobAccepted:
    """Regenerate one creative (steered by the reviewer's comment) or make more like it."""
    creative = get_creative(tenant_id, creative_id, principal)
    content = creative.content
    seed = random.randrange(2**31)
    ratio = str(content.get("ratio") or (creative.ratios[0] if creative.ratios else "1:1"))
    if creative.kind is CreativeKind.IMAGE:
        like = None
        if more and content.get("headline"):
            like = LikeCreative(
                headline=content["headline"], cta=content.get("cta", ""),
                style=content.get("style", "gradient"), creative_id=creative.id,
            )  # fmt: skip
        request = JobRequest(
            kind=JobKind.IMAGE_SET, variants=4 if more else 1, ratios=[ratio],  # type: ignore[list-item]
            comment=comment, like=like, seed=seed,
        )  # fmt: skip
    elif creative.kind is CreativeKind.VIDEO:
        request = JobRequest(
            kind=JobKind.VIDEO, duration_s=int(content.get("duration_s", 15)),
            ratio=ratio if ratio in VIDEO_RATIOS else "9:16",  # type: ignore[arg-type]
            scenes=int(content.get("scenes", 3)), comment=comment, seed=seed,
        )  # fmt: skip
    else:
        request = JobRequest(
            kind=JobKind.COPY_BATCH, platforms=[creative.platform],  # type: ignore[list-item]
            languages=[content.get("language") or "en"],
            ad_groups=[content["audience"]] if content.get("audience") else [],
            comment=comment, seed=seed,
        )  # fmt: skip
    return create_job(tenant_id, creative.campaign_id, request, principal, job_id=job_id)


def get_job(tenant_id: str, job_id: str, principal: Principal) -> JobView:
    job = _visible(tenant_id, job_id, principal)
    return JobView(**job.model_dump(), items=store.list_items(tenant_id, job_id))


def _visible(tenant_id: str, job_id: str, principal: Principal) -> Job:
    if not job_id or "/" in job_id or len(job_id) > 128:
        raise NotFound("job not found")
    job = store.read_job(tenant_id, job_id)
    if job is None or job.tenant_id != tenant_id or not principal.sees_brand(job.brand_id):
        raise NotFound("job not found")
    return job


def list_jobs(
    tenant_id: str, principal: Principal, *, campaign_id: str | None, limit: int, cursor: str | None
) -> tuple[list[Job], str | None]:
    query: Any = tenancy_store.tenant_collection(tenant_id, "jobs")
    if campaign_id:
        query = query.where("campaign_id", "==", campaign_id)
    if principal.brand_ids is not None:
        query = query.where("brand_id", "in", list(principal.brand_ids)[:30] or ["-"])
    snaps, next_cursor = tenancy_store.page(query, limit=limit, cursor=cursor)
    return [Job(**(s.to_dict() or {})) for s in snaps], next_cursor


def cancel_job(tenant_id: str, job_id: str, principal: Principal) -> JobView:
    job = _visible(tenant_id, job_id, principal)
    if job.status.terminal:
        raise Conflict(f"the job already ended ({job.status.value})")
    steps.cancel(job)
    return get_job(tenant_id, job_id, principal)


def retry_job(tenant_id: str, job_id: str, principal: Principal) -> JobView:
    job = _visible(tenant_id, job_id, principal)
    if not job.status.terminal:
        raise Conflict("the job is still running; retry its failed items when it ends")
    if job.counts.failed == 0:
        raise Conflict("the job has no failed items")
    steps.retry_failed(job)
    return get_job(tenant_id, job_id, principal)

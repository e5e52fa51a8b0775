"""Asynchronous generation jobs: image sets, videos and copy batches."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from adgenius.api.routing import Call, ListQuery, Page, Reply, Router
from adgenius.pipeline import jobs_service
from adgenius.pipeline.model import Job, JobRequest
from adgenius.tenancy import store as tenancy_store
from adgenius.tenancy.roles import Permission

router = Router(tag="jobs")


class RegenerateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(default=None, max_length=1000)


class JobListQuery(ListQuery):
    campaign_id: tenancy_store.DocId | None = Field(default=None)


@router.post(
    "/v1/campaigns/<campaign_id>/jobs",
    permission=Permission.GENERATE,
    body=JobRequest,
    response=jobs_service.JobAccepted,
    status=202,
    creates=True,
    errors=(402,),
)
def create_job(call: Call) -> Reply:
    """Start a job; answers 202 with its id at once. Quotas are reserved first."""
    accepted = jobs_service.create_job(
        call.tenant_id, call.params["campaign_id"], call.body, call.user
    )
    return Reply(body=accepted, status=202)


@router.get(
    "/v1/jobs", permission=Permission.CREATIVES_READ, query=JobListQuery, response=Page[Job]
)
def list_jobs(call: Call) -> Page[Job]:
    """Jobs the caller may see, newest first (job ids sort by creation time, newest first)."""
    q: JobListQuery = call.query
    items, cursor = jobs_service.list_jobs(
        call.tenant_id, call.user, campaign_id=q.campaign_id, limit=q.limit, cursor=q.cursor
    )
    return Page[Job](items=items, next_cursor=cursor)


@router.get(
    "/v1/jobs/<job_id>", permission=Permission.CREATIVES_READ, response=jobs_service.JobView
)
def get_job(call: Call) -> jobs_service.JobView:
    """A job with its items (status, error reason, creative) - the same data listeners get."""
    return jobs_service.get_job(call.tenant_id, call.params["job_id"], call.user)


@router.post(
    "/v1/jobs/<job_id>/cancel",
    permission=Permission.GENERATE,
    response=jobs_service.JobView,
    errors=(409,),
)
def cancel_job(call: Call) -> jobs_service.JobView:
    """Stop the items not yet started; the job ends as cancelled (unless nothing was left)."""
    return jobs_service.cancel_job(call.tenant_id, call.params["job_id"], call.user)


@router.post(
    "/v1/jobs/<job_id>/retry",
    permission=Permission.GENERATE,
    response=jobs_service.JobView,
    errors=(402, 409),
)
def retry_job(call: Call) -> jobs_service.JobView:
    """Run the failed items of an ended job again (a new round); their quota is reserved again."""
    return jobs_service.retry_job(call.tenant_id, call.params["job_id"], call.user)


@router.post(
    "/v1/creatives/<creative_id>/regenerate",
    permission=Permission.GENERATE,
    body=RegenerateBody,
    response=jobs_service.JobAccepted,
    status=202,
    creates=True,
    errors=(402,),
)
def regenerate_creative(call: Call) -> Reply:
    """Make this creative again (one image, copy set or video), steered by an optional comment."""
    accepted = jobs_service.job_from_creative(
        call.tenant_id, call.params["creative_id"], call.user, more=False, comment=call.body.comment
    )
    return Reply(body=accepted, status=202)


@router.post(
    "/v1/creatives/<creative_id>/more-like-this",
    permission=Permission.GENERATE,
    response=jobs_service.JobAccepted,
    status=202,
    creates=True,
    errors=(402,),
)
def more_like_this(call: Call) -> Reply:
    """Variations of this creative: same message and look, new renditions."""
    accepted = jobs_service.job_from_creative(
        call.tenant_id, call.params["creative_id"], call.user, more=True, comment=None
    )
    return Reply(body=accepted, status=202)

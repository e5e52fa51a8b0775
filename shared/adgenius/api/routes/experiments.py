"""Experiments on a campaign's creatives: which one wins, how sure we are, where to shift budget."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adgenius.analytics.experiments import service
from adgenius.api.routing import Call, ListQuery, Page, Reply, Router
from adgenius.tenancy import store
from adgenius.tenancy.roles import Permission

router = Router(tag="experiments")


class ExperimentListQuery(ListQuery):
    campaign_id: store.DocId | None = None
    status: Literal["running", "stopped", "archived"] | None = Field(default=None)


@router.post(
    "/v1/experiments",
    permission=Permission.CAMPAIGNS_WRITE,
    body=service.ExperimentCreate,
    response=service.Experiment,
    status=201,
    creates=True,
)
def create_experiment(call: Call) -> Reply:
    """Start an experiment between creatives (or assets) of one campaign; the first decision
    follows as soon as facts exist, and after every new fact for an arm."""
    exp = service.create_experiment(call.tenant_id, call.body, call.user)
    return Reply(exp, status=201, headers={"Location": f"/v1/experiments/{exp.id}"})


@router.get(
    "/v1/experiments",
    permission=Permission.CAMPAIGNS_READ,
    query=ExperimentListQuery,
    response=Page[service.Experiment],
)
def list_experiments(call: Call) -> Page[service.Experiment]:
    """Experiments the caller may see, optionally of one campaign or status."""
    q: ExperimentListQuery = call.query
    items, cursor = service.list_experiments(
        call.tenant_id, call.user, campaign_id=q.campaign_id, status=q.status, limit=q.limit,
        cursor=q.cursor,
    )  # fmt: skip
    return Page[service.Experiment](items=items, next_cursor=cursor)


@router.get(
    "/v1/experiments/<experiment_id>",
    permission=Permission.CAMPAIGNS_READ,
    response=service.Experiment,
)
def get_experiment(call: Call) -> service.Experiment:
    """An experiment with its latest decision (per arm: posterior, P(best), expected loss,
    allocation advice; the reason in plain words; the input snapshot, seed, engine version)."""
    return service.get_experiment(call.tenant_id, call.params["experiment_id"], call.user)


@router.post(
    "/v1/experiments/<experiment_id>/stop",
    permission=Permission.CAMPAIGNS_WRITE,
    response=service.Experiment,
    errors=(409,),
)
def stop_experiment(call: Call) -> service.Experiment:
    """Stop: the data window ends with yesterday; the decision is evaluated a last time."""
    return service.stop_experiment(call.tenant_id, call.params["experiment_id"], call.user)


@router.post(
    "/v1/experiments/<experiment_id>/archive",
    permission=Permission.CAMPAIGNS_WRITE,
    response=service.Experiment,
    errors=(409,),
)
def archive_experiment(call: Call) -> service.Experiment:
    """Archive: kept with its last decision, never evaluated again."""
    return service.archive_experiment(call.tenant_id, call.params["experiment_id"], call.user)

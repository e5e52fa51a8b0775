"""Experiments on a campaign: documents, API operations and event-driven re-evaluation.

Documents: `tenants/{t}/experiments/{e}` holds the spec, the status and the latest decision
(the web app listens to it). `tenants/{t}/experiments/{e}/evaluation/pending` is the
coalescing marker: new facts for an arm create it (create() fails if it exists, so a burst of
900 facts asks for one evaluation, not 900) and publish one `experiment-evaluate` message; the
evaluator deletes the marker BEFORE it reads the facts, so facts written during an evaluation
ask for the next one. No document is written per fact, none is hot.

The evaluation reads every fact of the window again (never increments), so redelivered and
out-of-order fact events give the same decision; the write is a compare-and-set that never
replaces a decision computed from a later read with one from an earlier read.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from google.cloud.firestore import CollectionReference, DocumentReference, Query
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field, StringConstraints, model_validator

from adgenius.analytics.experiments.engine import ExperimentSpec, evaluate
from adgenius.analytics.experiments.facts import ArmRef, ExperimentFacts, FirestoreFacts
from adgenius.analytics.experiments.model import Decision, Metric, Thresholds
from adgenius.analytics.messages import EvaluationMessage as EvaluationMessage
from adgenius.cloud.messaging import publish
from adgenius.domain.campaigns import get_campaign
from adgenius.observability import log_fields
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import Conflict, FieldProblem, InvalidInput, NotFound
from adgenius.tenancy.principal import Principal

EXPERIMENTS = "experiments"
EVALUATION = "evaluation"  # subcollection holding the `pending` marker
EVALUATE_TOPIC = "experiment-evaluate"
STALE_MARKER = timedelta(minutes=5)  # a marker whose message was lost is re-published after this

log = logging.getLogger(__name__)

Label = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Status = Literal["running", "stopped", "archived"]


class ArmCreate(store.StrictModel):
    creative_id: store.DocId
    asset_key: Key | None = Field(default=None, description="one asset of the creative's slot")
    label: Label | None = Field(default=None, description="defaults to A, B, C...")
    platform: Key | None = None


class ExperimentCreate(store.StrictModel):
    campaign_id: store.DocId
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    arms: list[ArmCreate] = Field(min_length=2, max_length=10)
    metric: Metric
    guardrails: list[Metric] = Field(default_factory=list, max_length=4)
    planned_split: list[Annotated[float, Field(gt=0)]] | None = None
    thresholds: Thresholds = Field(default_factory=Thresholds)
    attribution: Key | None = None
    start_date: date | None = Field(default=None, description="default: today (UTC)")

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentCreate:
        if self.planned_split is not None and len(self.planned_split) != len(self.arms):
            raise ValueError("planned_split needs one share per arm")
        keys = [(a.creative_id, a.asset_key, a.platform) for a in self.arms]
        if len(set(keys)) != len(keys):
            raise ValueError("arms must differ (creative_id, asset_key, platform)")
        labels = [a.label for a in self.arms if a.label]
        if len(set(labels)) != len(labels):
            raise ValueError("arm labels must differ")
        if self.metric in self.guardrails:
            raise ValueError("the primary metric cannot also be a guardrail")
        return self


class Experiment(store.Document):
    id: str
    tenant_id: str
    campaign_id: str
    brand_id: str
    name: str
    arms: list[ArmRef]
    arm_creative_ids: list[str]
    metric: Metric
    guardrails: list[Metric] = Field(default_factory=list)
    planned_split: list[float] | None = None
    thresholds: Thresholds
    attribution: str | None = None
    start_date: date
    status: Status
    stopped_on: date | None = None
    decision: Decision | None = None
    evaluated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    created_by: dict[str, str | None] | None = None

    def spec(self) -> ExperimentSpec:
        return ExperimentSpec(
            tenant_id=self.tenant_id, arms=self.arms, metric=self.metric,
            guardrails=self.guardrails, planned_split=self.planned_split,
            thresholds=self.thresholds, start_date=self.start_date, stopped_on=self.stopped_on,
            attribution=self.attribution,
        )  # fmt: skip


def today() -> date:
    return datetime.now(UTC).date()


def _ref(tenant_id: str, experiment_id: str) -> DocumentReference:
    return store.tenant_collection(tenant_id, EXPERIMENTS).document(experiment_id)


def _marker(tenant_id: str, experiment_id: str) -> DocumentReference:
    return _ref(tenant_id, experiment_id).collection(EVALUATION).document("pending")


def create_experiment(tenant_id: str, body: ExperimentCreate, principal: Principal) -> Experiment:
    try:
        campaign, _ = get_campaign(tenant_id, body.campaign_id, principal)
    except NotFound as exc:
        raise InvalidInput(
            "unknown campaign", details=[FieldProblem("campaign_id", "no such campaign")]
        ) from exc
    creatives = store.tenant_collection(tenant_id, store.CREATIVES)
    problems = []
    for i, arm in enumerate(body.arms):
        snap = creatives.document(arm.creative_id).get()
        data = snap.to_dict() or {}
        if not snap.exists or data.get("tenant_id") != tenant_id:
            problems.append(FieldProblem(f"arms[{i}].creative_id", "no such creative"))
        elif data.get("campaign_id") != campaign.id:
            problems.append(FieldProblem(f"arms[{i}].creative_id", "not in this campaign"))
    if problems:
        raise InvalidInput("invalid arms", details=problems)
    experiment_id = store.new_id()
    now = store.now()
    arms = [
        ArmRef(
            arm_id=f"arm{i}",
            label=a.label or chr(ord("A") + i),
            creative_id=a.creative_id,
            asset_key=a.asset_key,
            platform=a.platform,
        )
        for i, a in enumerate(body.arms)
    ]
    exp = Experiment(
        id=experiment_id, tenant_id=tenant_id, campaign_id=campaign.id,
        brand_id=campaign.brand_id, name=body.name, arms=arms,
        arm_creative_ids=sorted({a.creative_id for a in arms}), metric=body.metric,
        guardrails=body.guardrails, planned_split=body.planned_split,
        thresholds=body.thresholds, attribution=body.attribution,
        start_date=body.start_date or today(), status="running", created_at=now,
        updated_at=now, created_by=principal.actor,
    )  # fmt: skip
    doc = exp.model_dump(mode="json")
    doc.update(created_at=now, updated_at=now)
    stored, _, created = store.create_once(_ref(tenant_id, experiment_id), doc)
    if not created:  # a crashed first run's experiment stands
        exp = Experiment.model_validate(stored)
    audit.record(tenant_id, "experiment.created", principal, target=f"experiments/{experiment_id}")
    request_evaluation(tenant_id, experiment_id)  # facts may already exist
    return exp


def _load(tenant_id: str, experiment_id: str, principal: Principal | None) -> Experiment:
    snap = store.get_in_tenant(tenant_id, EXPERIMENTS, experiment_id)
    exp = Experiment.model_validate(store.data_with_id(snap))
    if principal is not None and not principal.sees_brand(exp.brand_id):
        raise NotFound("experiment not found")
    return exp


def get_experiment(tenant_id: str, experiment_id: str, principal: Principal) -> Experiment:
    return _load(tenant_id, experiment_id, principal)


def list_experiments(
    tenant_id: str,
    principal: Principal,
    *,
    campaign_id: str | None,
    status: Status | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Experiment], str | None]:
    query: CollectionReference | Query = store.tenant_collection(tenant_id, EXPERIMENTS)
    if campaign_id is not None:
        query = query.where(filter=FieldFilter("campaign_id", "==", campaign_id))
    if status is not None:
        query = query.where(filter=FieldFilter("status", "==", status))
    if principal.brand_ids is not None:
        if not principal.brand_ids:
            return [], None
        query = query.where(filter=FieldFilter("brand_id", "in", list(principal.brand_ids)))
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)  # type: ignore[arg-type]
    return [Experiment.model_validate(store.data_with_id(s)) for s in snaps], next_cursor


def stop_experiment(tenant_id: str, experiment_id: str, principal: Principal) -> Experiment:
    """Stop: the window ends with the last complete day; a final evaluation follows."""
    exp = _load(tenant_id, experiment_id, principal)
    if exp.status != "running":
        raise Conflict(f"the experiment is {exp.status}")
    stopped_on = today() - timedelta(days=1)
    _ref(tenant_id, experiment_id).update(
        {"status": "stopped", "stopped_on": stopped_on.isoformat(), "updated_at": store.now()}
    )
    audit.record(tenant_id, "experiment.stopped", principal, target=f"experiments/{experiment_id}")
    request_evaluation(tenant_id, experiment_id)
    return _load(tenant_id, experiment_id, principal)


def archive_experiment(tenant_id: str, experiment_id: str, principal: Principal) -> Experiment:
    """Archive: kept with its last decision, never evaluated again."""
    exp = _load(tenant_id, experiment_id, principal)
    if exp.status == "archived":
        raise Conflict("the experiment is already archived")
    changes: dict[str, Any] = {"status": "archived", "updated_at": store.now()}
    if exp.stopped_on is None:
        changes["stopped_on"] = (today() - timedelta(days=1)).isoformat()
    _ref(tenant_id, experiment_id).update(changes)
    audit.record(tenant_id, "experiment.archived", principal, target=f"experiments/{experiment_id}")
    return _load(tenant_id, experiment_id, principal)


# ------------------------------------------------------------------ event-driven evaluation
def request_evaluation(tenant_id: str, experiment_id: str) -> bool:
    """Ask for one evaluation unless one is already pending; True if a message was published."""
    marker = _marker(tenant_id, experiment_id)
    if not store.claim_pending_marker(marker, tenant_id, STALE_MARKER):
        return False
    publish(EVALUATE_TOPIC, EvaluationMessage(tenant_id=tenant_id, experiment_id=experiment_id))
    return True


def on_facts_changed(tenant_id: str, creative_ids: list[str]) -> int:
    """New or changed facts for these creatives: request evaluation of the running
    experiments that include them (this tenant's only). Returns how many were requested."""
    requested = 0
    seen: set[str] = set()
    for creative_id in sorted(set(creative_ids)):
        query = store.tenant_collection(tenant_id, EXPERIMENTS).where(
            filter=FieldFilter("arm_creative_ids", "array_contains", creative_id)
        )
        for snap in query.stream():
            data = snap.to_dict() or {}
            if snap.id in seen or data.get("status") != "running":
                continue
            seen.add(snap.id)
            requested += int(request_evaluation(tenant_id, snap.id))
    return requested


def evaluate_experiment(
    tenant_id: str,
    experiment_id: str,
    *,
    as_of: date | None = None,
    source: ExperimentFacts | None = None,
) -> Decision | None:
    """Re-evaluate from every fact of the window and store the decision (idempotent)."""
    _marker(tenant_id, experiment_id).delete()  # before reading: later facts ask again
    try:
        exp = _load(tenant_id, experiment_id, None)
    except NotFound:
        return None
    if exp.status == "archived":
        return None
    read_at = store.now()
    decision = evaluate(exp.spec(), source or FirestoreFacts(), as_of or today())
    decision.evaluated_at = read_at
    ref = _ref(tenant_id, experiment_id)
    for _ in range(5):
        snap = ref.get()
        if not snap.exists:
            return None
        stored = (snap.to_dict() or {}).get("evaluated_at")
        if stored is not None and stored > read_at:
            return None  # a later read already decided; ours is stale
        changes = {
            "decision": decision.model_dump(mode="json"),
            "evaluated_at": read_at,
            "updated_at": store.now(),
        }
        if store.update_unchanged_since(snap, changes):
            log.info(
                "experiment evaluated",
                extra=log_fields(experiment_id=experiment_id, outcome=decision.outcome.value),
            )
            return decision
    raise RuntimeError("experiment document kept changing; the message will be redelivered")

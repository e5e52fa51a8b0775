"""The one declaration of the deployment.

Every Cloud Function, Pub/Sub topic and subscription, Cloud Tasks queue, Firestore trigger and
schedule is listed here and nowhere else. The local stack builds itself from this manifest
(adgenius.localstack) and terraform reads the JSON it renders (`python -m adgenius.deploy
manifest` writes terraform/manifest.json; a test fails when that file is stale).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, computed_field, model_validator

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


class FunctionKind(StrEnum):
    HTTP = "http"  # public HTTP (the API)
    PUBSUB = "pubsub"  # CloudEvent from a Pub/Sub push subscription / Eventarc
    FIRESTORE = "firestore"  # CloudEvent from a Firestore document trigger
    TASK = "task"  # HTTP target of a Cloud Tasks queue (private)
    SCHEDULED = "scheduled"  # private HTTP called by Cloud Scheduler


class FirestoreEvent(StrEnum):
    WRITTEN = "google.cloud.firestore.document.v1.written"
    CREATED = "google.cloud.firestore.document.v1.created"
    UPDATED = "google.cloud.firestore.document.v1.updated"
    DELETED = "google.cloud.firestore.document.v1.deleted"


class Extra(StrEnum):
    """Optional-dependency groups of shared/pyproject.toml a function's bundle installs on top of
    the base dependencies (adgenius.bundles derives them from the imports; a test checks)."""

    MEDIA = "media"  # Pillow, ffmpeg, fonts: rendering, compositing, image checks
    VERTEX = "vertex"  # google-genai: Gemini, Imagen, Veo, Vertex embeddings
    VECTORS = "vectors"  # qdrant-client: the Qdrant server
    DOCUMENTS = "documents"  # pypdf
    STATS = "stats"  # scipy: experiment decisions
    WORDLLAMA = "wordllama"  # brand-memory embeddings


class FunctionSpec(BaseModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{2,40}$")
    kind: FunctionKind
    entry_point: str  # the Python callable in functions/<name>/main.py
    # At least twice the measured footprint (adgenius.deploy.footprints; a test checks), more
    # where a request holds big media.
    memory_mb: int = 512
    timeout_s: int = 60
    max_instances: int = 20
    extras: list[Extra] = []
    # Requests one instance serves at once (gen2). 1 where a request holds a CPU or most of the
    # memory (rendering, PDF parsing); more where requests mostly wait on Firestore or a model.
    concurrency: int = Field(default=1, ge=1, le=1000)
    # Instances kept warm: only where a user waits on a cold start (each costs idle time).
    min_instances: int = Field(default=0, ge=0)
    topic: str | None = None  # PUBSUB: the topic whose push subscription delivers here
    document: str | None = None  # FIRESTORE: document path pattern, e.g. "tenants/{t}/jobs/{j}"
    event: FirestoreEvent | None = None
    # The identity it runs as in the cloud (a ServiceAccountSpec name): one per role, so a
    # compromised indexer cannot enqueue generation work, a diagnostics run cannot read secrets.
    service_account: str = "runtime"
    # Secret Manager secrets mounted as environment variables of the same name.
    secrets: list[str] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deployed_name(self) -> str:
        """Cloud Functions gen2 (Cloud Run) names allow no underscore."""
        return self.name.replace("_", "-")

    @property
    def source_dir(self) -> Path:
        return FUNCTIONS_DIR / self.name

    @computed_field  # type: ignore[prop-decorator]
    @property
    def signature_type(self) -> str:
        return (
            "cloudevent" if self.kind in (FunctionKind.PUBSUB, FunctionKind.FIRESTORE) else "http"
        )

    @model_validator(mode="after")
    def _trigger_matches_kind(self) -> FunctionSpec:
        if self.kind is FunctionKind.PUBSUB and not self.topic:
            raise ValueError(f"{self.name}: a pubsub function needs a topic")
        if self.kind is FunctionKind.FIRESTORE and not (self.document and self.event):
            raise ValueError(f"{self.name}: a firestore function needs document and event")
        return self


class TopicSpec(BaseModel):
    name: str
    dead_letter: bool = True  # a "<name>-dead-letter" topic collects poison messages
    max_delivery_attempts: int = Field(default=5, ge=5, le=100)  # Pub/Sub's own bounds
    # Pub/Sub's bounds, so the local emulator never accepts what the cloud would refuse.
    ack_deadline_s: int = Field(default=60, ge=10, le=600)
    min_backoff_s: int = Field(default=5, ge=0, le=600)
    max_backoff_s: int = Field(default=300, ge=0, le=600)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dead_letter_topic(self) -> str | None:
        return f"{self.name}-dead-letter" if self.dead_letter else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dead_letter_inspection(self) -> str | None:
        """The pull subscription that keeps poison messages for inspection and replay."""
        return f"{self.name}-dead-letter-inspect" if self.dead_letter else None


class QueueSpec(BaseModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{2,60}$")
    handler: str  # the TASK function that the queue's tasks call
    max_dispatches_per_second: float = 5.0
    max_concurrent_dispatches: int = 10
    max_attempts: int = 10
    min_backoff_s: float = 1.0
    max_backoff_s: float = 300.0


class ScheduleSpec(BaseModel):
    name: str
    cron: str
    function: str  # an HTTP or TASK function called by Cloud Scheduler
    every_s: int  # the same cadence in seconds, for the local scheduler


class PushSubscription(BaseModel):
    """How one topic delivers to one function, identically in the local stack and the cloud."""

    name: str
    topic: str
    function: str
    ack_deadline_s: int
    min_backoff_s: int
    max_backoff_s: int
    dead_letter_topic: str | None
    max_delivery_attempts: int


class ServiceAccountSpec(BaseModel):
    """A runtime identity and exactly what it may touch (terraform grants these, nothing more)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{2,20}$")
    description: str
    project_roles: list[str] = ["roles/datastore.user", "roles/logging.logWriter"]
    publishes: list[str] = []  # topics
    enqueues: list[str] = []  # queues
    bucket_role: str | None = "roles/storage.objectUser"  # on the media bucket only
    acts_as_invoker: bool = False  # creates Cloud Tasks whose OIDC identity is the invoker
    signs_urls: bool = False  # signs Storage URLs with its own key (IAM signBlob on itself)
    reads_dead_letters: bool = False  # pulls the dead-letter inspection subscriptions


class SecretSpec(BaseModel):
    name: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,60}$")
    description: str
    required: bool = True  # the deploy refuses to apply until it has a version


class Manifest(BaseModel):
    functions: list[FunctionSpec]
    topics: list[TopicSpec]
    queues: list[QueueSpec]
    schedules: list[ScheduleSpec] = []
    service_accounts: list[ServiceAccountSpec] = []
    secrets: list[SecretSpec] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> Manifest:
        names = {f.name for f in self.functions}
        if len(names) != len(self.functions):
            raise ValueError("duplicate function names")
        topics = {t.name for t in self.topics}
        for fn in self.functions:
            if fn.topic and fn.topic not in topics:
                raise ValueError(f"{fn.name}: unknown topic {fn.topic}")
        for q in self.queues:
            if self.function(q.handler).kind is not FunctionKind.TASK:
                raise ValueError(f"queue {q.name}: handler {q.handler} is not a task function")
        for s in self.schedules:
            self.function(s.function)
        accounts = {a.name for a in self.service_accounts}
        secrets = {s.name for s in self.secrets}
        queues = {q.name for q in self.queues}
        for fn in self.functions:
            if self.service_accounts and fn.service_account not in accounts:
                raise ValueError(f"{fn.name}: unknown service account {fn.service_account}")
            for secret in fn.secrets:
                if secret not in secrets:
                    raise ValueError(f"{fn.name}: unknown secret {secret}")
        for a in self.service_accounts:
            for topic in a.publishes:
                if topic not in topics:
                    raise ValueError(f"service account {a.name}: unknown topic {topic}")
            for queue in a.enqueues:
                if queue not in queues:
                    raise ValueError(f"service account {a.name}: unknown queue {queue}")
        return self

    def function(self, name: str) -> FunctionSpec:
        for fn in self.functions:
            if fn.name == name:
                return fn
        raise KeyError(f"no function named {name!r} in the manifest")

    def queue(self, name: str) -> QueueSpec:
        for q in self.queues:
            if q.name == name:
                return q
        raise KeyError(f"no queue named {name!r} in the manifest")

    def by_kind(self, kind: FunctionKind) -> list[FunctionSpec]:
        return [f for f in self.functions if f.kind is kind]

    def subscribers(self, topic: str) -> list[FunctionSpec]:
        return [f for f in self.functions if f.topic == topic]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def push_subscriptions(self) -> list[PushSubscription]:
        """Pub/Sub push subscriptions: adgenius.localstack.provision and terraform both read
        these, so names, retry backoff and dead-letter policy cannot drift apart."""
        return [
            PushSubscription(
                name=f"{topic.name}-{fn.name}",
                topic=topic.name,
                function=fn.name,
                ack_deadline_s=topic.ack_deadline_s,
                min_backoff_s=topic.min_backoff_s,
                max_backoff_s=topic.max_backoff_s,
                dead_letter_topic=topic.dead_letter_topic,
                max_delivery_attempts=topic.max_delivery_attempts,
            )
            for topic in self.topics
            for fn in self.subscribers(topic.name)
        ]


E = Extra
MANIFEST = Manifest(
    functions=[
        FunctionSpec(
            name="api",
            kind=FunctionKind.HTTP,
            entry_point="api",
            memory_mb=1024,
            service_account="api",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
            # Measured (`nox -s load`, README "Load, soak and capacity"): a read costs ~4 ms of
            # CPU in a ~40 ms request, so ~10 in flight fill the one vCPU; more only queue.
            concurrency=10,
            min_instances=1,  # a person waits on every API cold start
        ),
        # Diagnostics: HTTP -> Firestore -> trigger -> Pub/Sub -> Cloud Task -> Storage + Firestore.
        FunctionSpec(
            name="diagnostics",
            kind=FunctionKind.HTTP,
            entry_point="diagnostics",
            memory_mb=256,
            service_account="diagnostics",
            concurrency=10,
        ),
        FunctionSpec(
            name="diagnostics_on_run",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_run_written",
            document="diagnostics/{run_id}",
            event=FirestoreEvent.CREATED,
            memory_mb=256,
            service_account="diagnostics",
            concurrency=10,
        ),
        FunctionSpec(
            name="diagnostics_step",
            kind=FunctionKind.PUBSUB,
            entry_point="on_step_message",
            topic="diagnostics",
            memory_mb=256,
            service_account="diagnostics",
            concurrency=10,
        ),
        FunctionSpec(
            name="diagnostics_task",
            kind=FunctionKind.TASK,
            entry_point="handle_task",
            memory_mb=256,
            service_account="diagnostics",
            concurrency=10,
        ),
        # Generation jobs: trigger -> plan (Pub/Sub) -> items (Cloud Tasks) -> assemble (Pub/Sub).
        FunctionSpec(
            name="jobs_on_created",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_job_created",
            document="tenants/{tenant_id}/jobs/{job_id}",
            event=FirestoreEvent.CREATED,
            memory_mb=512,  # its code path measures ~150 MB (adgenius/deploy/footprints.json)
            service_account="pipeline",
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
            concurrency=10,
        ),
        FunctionSpec(
            name="jobs_plan",
            kind=FunctionKind.PUBSUB,
            entry_point="on_plan_message",
            topic="job-plan",
            memory_mb=1024,
            timeout_s=300,
            service_account="pipeline",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
            concurrency=4,
        ),
        FunctionSpec(
            name="jobs_item",
            kind=FunctionKind.TASK,
            entry_point="handle_item_task",
            memory_mb=2048,
            timeout_s=540,
            max_instances=50,
            service_account="pipeline",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
        ),
        FunctionSpec(
            name="jobs_assemble",
            kind=FunctionKind.PUBSUB,
            entry_point="on_assemble_message",
            topic="job-assemble",
            memory_mb=4096,
            timeout_s=540,
            service_account="pipeline",
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
        ),
        # Brand memory: creatives -> Qdrant points (index, status, performance, delete).
        FunctionSpec(
            name="creatives_indexer",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_creative_written",
            document="tenants/{tenant_id}/creatives/{creative_id}",
            event=FirestoreEvent.WRITTEN,
            memory_mb=1024,
            service_account="indexer",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.MEDIA, E.VECTORS, E.WORDLLAMA],
            concurrency=4,
        ),
        FunctionSpec(
            name="documents_indexer",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_document_written",
            document="tenants/{tenant_id}/documents/{document_id}",
            event=FirestoreEvent.WRITTEN,
            memory_mb=1024,
            timeout_s=300,
            service_account="indexer",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.MEDIA, E.VECTORS, E.WORDLLAMA],
        ),
        # Tenant deletion: the API ends access, this step purges the data (Storage, Qdrant,
        # Firestore); it runs where the vector store is (locally the functions host).
        FunctionSpec(
            name="tenants_purge",
            kind=FunctionKind.PUBSUB,
            entry_point="on_purge_message",
            topic="tenant-purge",
            memory_mb=1024,
            timeout_s=540,
            service_account="indexer",
            secrets=["QDRANT_API_KEY"],
            extras=[E.DOCUMENTS, E.VECTORS, E.WORDLLAMA],
        ),
        # Experiments: a metric fact written -> (coalesced, one pending evaluation per
        # experiment) -> Pub/Sub step re-evaluates the decision from all its facts. The same
        # trigger asks for the loop's fatigue check (one pending per campaign, `loop-check`):
        # one function per fact write, not one per consumer of facts.
        FunctionSpec(
            name="experiments_on_fact",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_fact_written",
            document="tenants/{tenant_id}/metric_facts/{fact_id}",
            event=FirestoreEvent.WRITTEN,
            memory_mb=256,
            service_account="experiments",
            extras=[E.STATS],
            concurrency=10,
        ),
        FunctionSpec(
            name="experiments_evaluate",
            kind=FunctionKind.PUBSUB,
            entry_point="on_evaluate_message",
            topic="experiment-evaluate",
            memory_mb=512,
            timeout_s=120,
            service_account="experiments",
            extras=[E.STATS],
            concurrency=4,
        ),
        # The learning loop: a decision naming losers, or facts showing fatigue (coalesced per
        # campaign by experiments_on_fact, then a fatigue check), become candidates; the act
        # step suggests or starts a regenerate job (daily cap, quota, audit, undo) as the
        # campaign's loop mode says.
        FunctionSpec(
            name="loop_on_decision",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_experiment_written",
            document="tenants/{tenant_id}/experiments/{experiment_id}",
            event=FirestoreEvent.WRITTEN,
            memory_mb=256,
            service_account="loop",
            extras=[E.STATS],
            concurrency=10,
        ),
        FunctionSpec(
            name="loop_check",
            kind=FunctionKind.PUBSUB,
            entry_point="on_check_message",
            topic="loop-check",
            memory_mb=512,
            timeout_s=120,
            service_account="loop",
            extras=[E.STATS],
            concurrency=4,
        ),
        FunctionSpec(
            name="loop_act",
            kind=FunctionKind.PUBSUB,
            entry_point="on_candidate_message",
            topic="loop-act",
            memory_mb=512,
            timeout_s=120,
            service_account="loop",
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
            concurrency=4,
        ),
        # Performance data coming home: report upload -> trigger -> parse -> chunks applied.
        FunctionSpec(
            name="metrics_import_on_created",
            kind=FunctionKind.FIRESTORE,
            entry_point="on_import_created",
            document="tenants/{tenant_id}/metric_imports/{import_id}",
            event=FirestoreEvent.CREATED,
            memory_mb=256,
        ),
        FunctionSpec(
            name="metrics_import_parse",
            kind=FunctionKind.PUBSUB,
            entry_point="on_parse_message",
            topic="metrics-import",
            memory_mb=2048,
            timeout_s=540,
        ),
        FunctionSpec(
            name="metrics_import_apply",
            kind=FunctionKind.PUBSUB,
            entry_point="on_apply_message",
            topic="metrics-apply",
            memory_mb=512,
            timeout_s=120,
        ),
        # Exports too big to stream (ZIPs of many videos) are built into Storage by this step.
        FunctionSpec(
            name="exports_build",
            kind=FunctionKind.PUBSUB,
            entry_point="on_build_message",
            topic="exports-build",
            memory_mb=2048,
            timeout_s=540,
            extras=[E.STATS, E.WORDLLAMA],  # the export validates with the copy rules
        ),
        FunctionSpec(
            name="jobs_sweeper",
            kind=FunctionKind.SCHEDULED,
            entry_point="sweep",
            memory_mb=512,
            timeout_s=300,
            service_account="pipeline",
            extras=[E.DOCUMENTS, E.MEDIA, E.STATS, E.VECTORS, E.VERTEX, E.WORDLLAMA],
        ),
    ],
    topics=[
        TopicSpec(name="diagnostics"),
        TopicSpec(name="job-plan", ack_deadline_s=300),
        TopicSpec(name="job-assemble", ack_deadline_s=600),
        TopicSpec(name="tenant-purge", ack_deadline_s=600),
        TopicSpec(name="experiment-evaluate", ack_deadline_s=120),
        TopicSpec(name="metrics-import", ack_deadline_s=600),
        TopicSpec(name="metrics-apply", ack_deadline_s=120),
        TopicSpec(name="exports-build", ack_deadline_s=600),
        TopicSpec(name="loop-check", ack_deadline_s=120),
        TopicSpec(name="loop-act", ack_deadline_s=120),
    ],
    queues=[
        QueueSpec(name="diagnostics", handler="diagnostics_task", max_dispatches_per_second=10),
        # One queue per model: each model's quota is its own rate limit.
        # The local renderer has no model quota: only its concurrency bounds it.
        QueueSpec(
            name="images-local",
            handler="jobs_item",
            max_dispatches_per_second=200,
            max_concurrent_dispatches=20,
        ),
        QueueSpec(
            name="images-imagen",
            handler="jobs_item",
            max_dispatches_per_second=2,
            max_concurrent_dispatches=10,
            min_backoff_s=5,
            max_backoff_s=300,
        ),
        QueueSpec(
            name="video-local",
            handler="jobs_item",
            max_dispatches_per_second=5,
            max_concurrent_dispatches=5,
        ),
        QueueSpec(
            name="video-veo",
            handler="jobs_item",
            max_dispatches_per_second=0.5,
            max_concurrent_dispatches=5,
            min_backoff_s=10,
            max_backoff_s=600,
        ),
        QueueSpec(
            name="copy-local",
            handler="jobs_item",
            max_dispatches_per_second=20,
            max_concurrent_dispatches=20,
        ),
        QueueSpec(
            name="copy-gemini",
            handler="jobs_item",
            max_dispatches_per_second=5,
            max_concurrent_dispatches=20,
            min_backoff_s=2,
            max_backoff_s=120,
        ),
    ],
    schedules=[
        ScheduleSpec(name="jobs-sweeper", cron="* * * * *", function="jobs_sweeper", every_s=60)
    ],
    service_accounts=[
        ServiceAccountSpec(
            name="api",
            description="The public HTTP API",
            project_roles=[
                "roles/datastore.user",
                "roles/logging.logWriter",
                "roles/aiplatform.user",  # synchronous copy and query embeddings
                "roles/firebaseauth.admin",  # custom claims (tenant, role) on members
            ],
            # tenant purge, experiment start/stop; every topic for redriving dead letters
            publishes=[
                "tenant-purge",
                "job-plan",
                "job-assemble",
                "diagnostics",
                "experiment-evaluate",
                "loop-check",  # turning a campaign's loop on looks at its decisions
            ],
            signs_urls=True,
            reads_dead_letters=True,  # operators redrive dead letters through the API
        ),
        ServiceAccountSpec(
            name="pipeline",
            description="Generation jobs: trigger, plan, items, assembly, sweeper",
            project_roles=[
                "roles/datastore.user",
                "roles/logging.logWriter",
                "roles/aiplatform.user",
            ],
            publishes=["job-plan", "job-assemble", "tenant-purge"],
            enqueues=[
                "images-local",
                "images-imagen",
                "video-local",
                "video-veo",
                "copy-local",
                "copy-gemini",
            ],
            acts_as_invoker=True,
        ),
        ServiceAccountSpec(
            name="indexer",
            description="Brand memory indexing and tenant purge (Qdrant, Storage, Firestore)",
            project_roles=[
                "roles/datastore.user",
                "roles/logging.logWriter",
                "roles/aiplatform.user",  # embeddings
            ],
        ),
        ServiceAccountSpec(
            name="experiments",
            description="Experiments: fact trigger, coalesced evaluation and loop checks",
            publishes=["experiment-evaluate", "loop-check"],  # the fact trigger asks for both
            bucket_role=None,  # facts and decisions live in Firestore only
        ),
        ServiceAccountSpec(
            name="loop",
            description="The learning loop: detection triggers, fatigue checks, automatic jobs",
            publishes=["loop-act"],  # loop-check comes from experiments_on_fact
            bucket_role=None,  # candidates, slots, jobs and audit entries live in Firestore
        ),
        ServiceAccountSpec(
            name="diagnostics",
            description="The operators' end-to-end check",
            publishes=["diagnostics"],
            enqueues=["diagnostics"],
            acts_as_invoker=True,
        ),
        ServiceAccountSpec(
            name="runtime",
            description="Default for a function not yet given a role: every runtime permission",
            project_roles=[
                "roles/datastore.user",
                "roles/logging.logWriter",
                "roles/aiplatform.user",
                "roles/firebaseauth.admin",
            ],
            publishes=[
                "diagnostics",
                "job-plan",
                "job-assemble",
                "tenant-purge",
                "experiment-evaluate",
            ],
            enqueues=[
                "diagnostics",
                "images-local",
                "images-imagen",
                "video-local",
                "video-veo",
                "copy-local",
                "copy-gemini",
            ],
            acts_as_invoker=True,
            signs_urls=True,
        ),
    ],
    secrets=[
        SecretSpec(
            name="QDRANT_API_KEY",
            description="API key of the external Qdrant server (Qdrant Cloud or self-hosted)",
        )
    ],
)


def main() -> None:
    import argparse  # the command line only: functions import this module at their start

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the manifest as JSON")
    parser.parse_args()
    print(json.dumps(MANIFEST.model_dump(mode="json"), indent=2))


if __name__ == "__main__":
    main()

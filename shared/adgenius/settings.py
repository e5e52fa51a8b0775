"""One settings object for the whole product.

`local` mode runs against the emulators and the local creative engine; `gcp` mode runs in Google
Cloud. Standard Google variable names (FIRESTORE_EMULATOR_HOST, ...) are read as they are, so the
Google client libraries and our code agree on where the emulators are.

The environment is read here, not by pydantic-settings: every field is a plain value (text,
number, path, enum), so the reading is a few lines, and pydantic-settings costs each function
instance a sizeable share of its cold start (bench/coldstart_bench.py). The rules are the ones
pydantic-settings applied: `ADGENIUS_<FIELD>` unless the field names its variables (the first one
set wins), names compared case-insensitively, values handed to pydantic's validation as text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from adgenius.environment import (  # re-exported: the settings' own guard and mode
    DEFAULT_PROJECT,
    EMULATOR_VARIABLES,
    PROJECT_VARIABLES,
    EmulatorInCloudError,
    Mode,
    refuse_emulators_in_cloud,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "EMULATOR_VARIABLES",
    "REPO_ROOT",
    "EmulatorInCloudError",
    "Engine",
    "Mode",
    "Settings",
    "get_settings",
    "refuse_emulators_in_cloud",
    "reset_settings_cache",
]


class Engine(StrEnum):
    LOCAL = "local"
    VERTEX = "vertex"


ENV_PREFIX = "ADGENIUS_"


class Settings(BaseModel):
    """The product's settings; `Settings.from_environ()` (through `get_settings`) reads them."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    mode: Mode = Mode.LOCAL
    # adgenius.environment.project_id reads the same variables for the Firestore client.
    project_id: str = Field(
        default=DEFAULT_PROJECT, validation_alias=AliasChoices(*PROJECT_VARIABLES)
    )
    region: str = "us-central1"
    data_dir: Path = REPO_ROOT / ".data"

    # Where the deployed functions are reached; push subscriptions and task targets point here.
    functions_base_url: str = "http://127.0.0.1:8080"
    api_base_url: str = "http://127.0.0.1:8080/api"
    bucket: str = "demo-adgenius-media"
    tasks_location: str = "us-central1"
    # Service account that Pub/Sub push and Cloud Tasks use to sign OIDC tokens in the cloud.
    invoker_service_account: str | None = None

    engine: Engine = Engine.LOCAL
    vertex_location: str = "us-central1"
    vertex_base_url: str | None = None
    # In-call retries stay short: the pipeline retries a failed item later with its own backoff,
    # so a 429 storm never holds a function instance sleeping.
    vertex_retry_attempts: int = 2
    vertex_timeout_s: float = 60.0
    text_model: str = "gemini-2.5-flash"
    image_model: str = "imagen-4.0-generate-001"
    video_model: str = "veo-3.0-fast-generate-001"
    embedding_model: str = "text-embedding-005"
    # The brand's own pictures on Vertex: product recontext for images, and image embeddings
    # (text and images in one space) to choose which photo goes with which message.
    recontext_model: str = "imagen-product-recontext-preview-06-30"
    image_embedding_model: str = "multimodalembedding@001"

    qdrant_url: str | None = Field(
        default=None, validation_alias=AliasChoices("QDRANT_URL", "ADGENIUS_QDRANT_URL")
    )
    qdrant_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("QDRANT_API_KEY", "ADGENIUS_QDRANT_API_KEY")
    )

    firestore_emulator_host: str | None = Field(
        default=None, validation_alias="FIRESTORE_EMULATOR_HOST"
    )
    pubsub_emulator_host: str | None = Field(default=None, validation_alias="PUBSUB_EMULATOR_HOST")
    auth_emulator_host: str | None = Field(
        default=None, validation_alias="FIREBASE_AUTH_EMULATOR_HOST"
    )
    storage_emulator_host: str | None = Field(
        default=None, validation_alias="STORAGE_EMULATOR_HOST"
    )
    tasks_emulator_host: str | None = Field(
        default=None, validation_alias="CLOUD_TASKS_EMULATOR_HOST"
    )

    # Pipeline retries (our own: the Tasks emulator has no backoff) and the sweeper's patience.
    pipeline_max_attempts: int = 6
    pipeline_backoff_base_s: float = 2.0
    pipeline_backoff_max_s: float = 120.0
    pipeline_poll_interval_s: float = 10.0
    pipeline_item_budget_s: float = 300.0
    pipeline_stale_job_s: float = 120.0
    pipeline_max_redrives: int = 3
    # Storage calls retry with backoff for at most this long, each try bounded by the timeout.
    storage_retry_s: float = 20.0
    storage_timeout_s: float = 30.0
    # An Idempotency-Key whose first attempt has been pending this long belongs to a process that
    # died: a retry runs the work again (with the same ids, so nothing is written twice).
    idempotency_stale_s: float = 120.0
    # Failed authentications a client (address) may make per window and instance before it is
    # answered 429 without a lookup (adgenius.api.auth_limit; valid credentials still pass).
    auth_failures_per_window: int = 30
    auth_failure_window_s: float = 60.0
    # Local engine renders in N worker processes (see adgenius.pipeline.rendering); 0 = inline.
    render_processes: int = 0

    log_level: str = "INFO"
    # Tracing (adgenius.tracing): off | file | cloud; unset = cloud in gcp mode, file locally
    # when a trace file is given (the local stack gives one), else off.
    tracing: str | None = None
    trace_file: Path | None = None
    # Share of new traces kept (a carried-in sampling decision is always followed).
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _no_emulators_in_the_cloud(self) -> Settings:
        # Also what was given to the constructor rather than the environment.
        given = {
            "ADGENIUS_VERTEX_BASE_URL": self.vertex_base_url,
            "FIRESTORE_EMULATOR_HOST": self.firestore_emulator_host,
            "PUBSUB_EMULATOR_HOST": self.pubsub_emulator_host,
            "FIREBASE_AUTH_EMULATOR_HOST": self.auth_emulator_host,
            "STORAGE_EMULATOR_HOST": self.storage_emulator_host,
            "CLOUD_TASKS_EMULATOR_HOST": self.tasks_emulator_host,
        }
        refuse_emulators_in_cloud(
            self.mode.value, tuple(k for k, v in given.items() if v and not os.environ.get(k))
        )
        return self

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (`os.environ` unless another mapping is given)."""
        given = {k.lower(): v for k, v in (os.environ if environ is None else environ).items()}
        values: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            alias = field.validation_alias
            if isinstance(alias, AliasChoices):
                names = [str(choice) for choice in alias.choices]
            elif isinstance(alias, str):
                names = [alias]
            else:
                names = [ENV_PREFIX + name]
            found = next((n for n in names if n.lower() in given), None)
            if found is not None:
                # Validated under the name pydantic expects: the alias, or else the field's name.
                values[found if alias else name] = given[found.lower()]
        return cls.model_validate(values)

    @property
    def is_local(self) -> bool:
        return self.mode is Mode.LOCAL

    @property
    def stack_file(self) -> Path:
        """Where the running local stack publishes its URLs (see adgenius.localstack)."""
        return self.data_dir / "local" / "stack.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environ()


def reset_settings_cache() -> None:
    """Tests and the local stack change the environment; forget the cached object."""
    get_settings.cache_clear()

"""What must be known before any library loads: the mode, the emulator guard, the log level.

Read from the environment with the standard library only, so an entry module can check them
when it is imported (a misconfigured instance fails to start) and the API can answer a request
that needs no backend without importing pydantic and the settings. `adgenius.settings` re-exports
these and reads the same variables.
"""

from __future__ import annotations

import os
from enum import StrEnum

# Variables that switch a Google or Firebase library to an emulator (or, for Vertex, to another
# server). firebase-admin, for one, accepts unsigned `alg: none` ID tokens whenever
# FIREBASE_AUTH_EMULATOR_HOST is set, so in the cloud any of them is a hole: `gcp` mode refuses to
# start. The libraries read the environment themselves, so it is the environment that is checked.
EMULATOR_VARIABLES = (
    "FIREBASE_AUTH_EMULATOR_HOST",
    "FIRESTORE_EMULATOR_HOST",
    "FIREBASE_FIRESTORE_EMULATOR_ADDRESS",
    "PUBSUB_EMULATOR_HOST",
    "STORAGE_EMULATOR_HOST",
    "FIREBASE_STORAGE_EMULATOR_HOST",
    "CLOUD_TASKS_EMULATOR_HOST",
    "FIREBASE_DATABASE_EMULATOR_HOST",
    "ADGENIUS_VERTEX_BASE_URL",
)


class EmulatorInCloudError(ValueError):
    """`gcp` mode with an emulator variable set: refuse to start rather than trust emulators."""


def refuse_emulators_in_cloud(mode: str | None = None, extra: tuple[str, ...] = ()) -> None:
    """Raise EmulatorInCloudError naming the variables when `mode` (default: ADGENIUS_MODE) is
    `gcp` and an emulator variable is set. adgenius.cloud.clients calls it when imported, so a
    misconfigured function instance fails to start instead of serving requests."""
    if (mode or os.environ.get("ADGENIUS_MODE", Mode.LOCAL.value)) != Mode.GCP.value:
        return
    leaked = [name for name in EMULATOR_VARIABLES if os.environ.get(name)] + list(extra)
    if leaked:
        raise EmulatorInCloudError(
            f"ADGENIUS_MODE=gcp but {', '.join(leaked)} is set: emulator settings must never "
            "reach the cloud (firebase-admin would accept unsigned ID tokens); unset it, or run "
            "with ADGENIUS_MODE=local"
        )


class Mode(StrEnum):
    LOCAL = "local"
    GCP = "gcp"


def current_mode() -> Mode:
    """`Settings.mode`: ADGENIUS_MODE, local by default."""
    return Mode(os.environ.get("ADGENIUS_MODE") or Mode.LOCAL.value)


# Settings.project_id's variables (the first one set wins) and its default.
PROJECT_VARIABLES = ("ADGENIUS_PROJECT_ID", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT")
DEFAULT_PROJECT = "demo-adgenius"


def variable(name: str) -> str | None:
    """An environment variable by name in any case, as `Settings` reads them."""
    if (value := os.environ.get(name)) is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in os.environ.items() if k.lower() == wanted), None)


def project_id() -> str:
    """`Settings.project_id`, for the Firestore client: the sweeper's check for work due builds
    it at its start without loading the settings (pydantic)."""
    found = (variable(name) for name in PROJECT_VARIABLES)
    return next((value for value in found if value is not None), DEFAULT_PROJECT)


def log_level() -> str:
    """`Settings.log_level`: ADGENIUS_LOG_LEVEL, INFO by default."""
    return os.environ.get("ADGENIUS_LOG_LEVEL") or "INFO"

"""Process-wide Google clients, built once per function instance from settings.

The Google libraries find the emulators through the standard *_EMULATOR_HOST variables; the only
local special cases are credentials (firebase-admin insists on one) and Cloud Tasks (its client has
no emulator switch, so we give it an insecure channel).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import google.auth.credentials

from adgenius.environment import project_id, refuse_emulators_in_cloud, variable

# Every function entry imports this module: an instance in `gcp` mode with an emulator variable
# set (firebase-admin would then accept unsigned ID tokens) fails to start, naming the variable.
refuse_emulators_in_cloud()

# Each client library is imported by the first call that needs it, not at instance start: a
# function that never publishes or signs a URL does not pay for Pub/Sub or Storage on a cold start.
# The settings (pydantic) too: the Firestore client needs only the project and the emulator, read
# from the environment as the settings read them, so the sweeper's check for work due, which is
# all most of its sweeps do, loads no pydantic.
if TYPE_CHECKING:
    import firebase_admin
    from google.cloud import firestore, pubsub_v1, storage, tasks_v2  # type: ignore[attr-defined]


def _anonymous_firebase_credential() -> Any:
    from firebase_admin import credentials as fb_credentials

    class AnonymousFirebaseCredential(fb_credentials.Base):  # type: ignore[misc]
        """firebase-admin refuses to start without a credential, even against the emulators."""

        def get_credential(self) -> google.auth.credentials.Credentials:
            return google.auth.credentials.AnonymousCredentials()

    return AnonymousFirebaseCredential()


@lru_cache(maxsize=1)
def firestore_client() -> firestore.Client:
    from google.cloud import firestore  # type: ignore[attr-defined]

    if variable("FIRESTORE_EMULATOR_HOST"):
        return firestore.Client(
            project=project_id(), credentials=google.auth.credentials.AnonymousCredentials()
        )
    return firestore.Client(project=project_id())


@lru_cache(maxsize=1)
def firebase_app() -> firebase_admin.App:
    import firebase_admin

    from adgenius.settings import get_settings

    settings = get_settings()
    options: dict[str, Any] = {"projectId": settings.project_id}
    credential = _anonymous_firebase_credential() if settings.is_local else None
    name = f"adgenius-{settings.project_id}"
    try:
        return firebase_admin.get_app(name)
    except ValueError:
        return firebase_admin.initialize_app(credential, options, name=name)


@lru_cache(maxsize=1)
def publisher_client() -> pubsub_v1.PublisherClient:
    from google.cloud import pubsub_v1  # type: ignore[attr-defined]

    return pubsub_v1.PublisherClient()


@lru_cache(maxsize=1)
def storage_client() -> storage.Client:
    from google.cloud import storage  # type: ignore[attr-defined]

    from adgenius.settings import get_settings

    settings = get_settings()
    if settings.storage_emulator_host:
        return storage.Client(
            project=settings.project_id,
            credentials=google.auth.credentials.AnonymousCredentials(),
        )
    return storage.Client(project=settings.project_id)


@lru_cache(maxsize=1)
def tasks_client() -> tasks_v2.CloudTasksClient:
    from google.cloud import tasks_v2  # type: ignore[attr-defined]

    from adgenius.settings import get_settings

    settings = get_settings()
    if settings.tasks_emulator_host:
        import grpc
        from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

        channel = grpc.insecure_channel(settings.tasks_emulator_host)
        return tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
    return tasks_v2.CloudTasksClient()


def reset_clients() -> None:
    """Forget every cached client (tests point the process at a fresh stack)."""
    for fn in (firestore_client, publisher_client, storage_client, tasks_client):
        fn.cache_clear()
    firebase_app.cache_clear()

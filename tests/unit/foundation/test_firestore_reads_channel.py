"""The hot-path reader's channel for Google's Firestore (not the emulator) is built as the
library builds its own: TLS with the client's credentials, the database's resource prefix and
the library's client header on every call. No network: gRPC channels connect on first use."""

from __future__ import annotations

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore  # type: ignore[attr-defined]

from adgenius.cloud import firestore_reads


@pytest.fixture
def cloud_client(monkeypatch: pytest.MonkeyPatch) -> firestore.Client:
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    return firestore.Client(project="acme-prod", database="ads", credentials=AnonymousCredentials())


def test_the_cloud_reader_speaks_to_googles_endpoint_with_the_clients_headers(
    cloud_client: firestore.Client,
) -> None:
    assert cloud_client._emulator_host is None
    reader = firestore_reads._reader(cloud_client)
    headers = dict(reader.metadata)
    assert headers["google-cloud-resource-prefix"] == "projects/acme-prod/databases/ads"
    assert "gccl/" in headers["x-goog-api-client"]  # the library's own client header
    assert "authorization" not in headers  # the emulator's "Bearer owner" is not sent
    assert cloud_client._target == "firestore.googleapis.com"
    assert callable(reader.get_document) and callable(reader.run_query)

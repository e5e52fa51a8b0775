"""Media in Cloud Storage behind a small interface (put, get, url, delete).

Every path a caller builds goes through `tenant_path`, so no object lands outside its tenant's
prefix.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Protocol
from urllib.parse import quote

from google.api_core import exceptions as gexc

from adgenius.cloud.clients import storage_client
from adgenius.settings import get_settings

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.\-]{0,200}$")


def tenant_path(tenant_id: str, *segments: str) -> str:
    """`tenants/{tenant_id}/...`; refuses segments that could climb out of the prefix."""
    for seg in (tenant_id, *segments):
        if not _SAFE_SEGMENT.match(seg) or seg in (".", ".."):
            raise ValueError(f"unsafe storage path segment: {seg!r}")
    return "/".join(("tenants", tenant_id, *segments))


class BlobStore(Protocol):
    def put(self, path: str, data: bytes, content_type: str) -> None: ...
    def get(self, path: str) -> bytes: ...
    def exists(self, path: str) -> bool: ...
    def delete(self, path: str) -> None: ...
    def delete_prefix(self, prefix: str) -> int: ...
    def url(self, path: str, *, minutes: int = 60) -> str: ...


def _policy() -> dict[str, Any]:
    """Retry with backoff, bounded: the library's default keeps an API request (or a pipeline
    item) waiting up to 120 s while Storage is down; ours gives up after `storage_retry_s`, so
    the API answers 503 and the pipeline retries the item later with its own backoff. Every
    call here is safe to repeat (a put writes the same bytes to the same name)."""
    from google.cloud.storage.retry import DEFAULT_RETRY

    s = get_settings()
    return {
        "retry": DEFAULT_RETRY.with_timeout(s.storage_retry_s),
        "timeout": s.storage_timeout_s,
    }


class GcsBlobStore:
    """google-cloud-storage; honours STORAGE_EMULATOR_HOST locally."""

    def __init__(self, bucket: str | None = None) -> None:
        self.bucket_name = bucket or get_settings().bucket

    @property
    def _bucket(self):  # type: ignore[no-untyped-def]
        return storage_client().bucket(self.bucket_name)

    def ensure_bucket(self) -> None:
        client = storage_client()
        if client.lookup_bucket(self.bucket_name) is None:
            client.create_bucket(self.bucket_name)

    def put(self, path: str, data: bytes, content_type: str) -> None:
        self._bucket.blob(path).upload_from_string(data, content_type=content_type, **_policy())

    def get(self, path: str) -> bytes:
        return bytes(self._bucket.blob(path).download_as_bytes(**_policy()))

    def exists(self, path: str) -> bool:
        return bool(self._bucket.blob(path).exists(**_policy()))

    def delete(self, path: str) -> None:
        self._bucket.blob(path).delete(**_policy())

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object whose name starts with `prefix`; returns how many."""
        if not prefix.endswith("/"):
            raise ValueError("a prefix to delete must end with '/'")
        deleted = 0
        policy = _policy()
        for blob in storage_client().list_blobs(self.bucket_name, prefix=prefix, **policy):
            try:
                blob.delete(**policy)
            except gexc.NotFound:
                continue  # deleted meanwhile (a purge run twice)
            deleted += 1
        return deleted

    def url(self, path: str, *, minutes: int = 60) -> str:
        settings = get_settings()
        if settings.storage_emulator_host:
            # The emulator serves objects without signatures; give the browser a direct link.
            host = settings.storage_emulator_host.rstrip("/")
            if not host.startswith("http"):
                host = f"http://{host}"
            name = quote(path, safe="")
            return f"{host}/download/storage/v1/b/{self.bucket_name}/o/{name}?alt=media"
        blob = self._bucket.blob(path)
        return str(blob.generate_signed_url(version="v4", expiration=timedelta(minutes=minutes)))


def blob_store() -> BlobStore:
    return GcsBlobStore()

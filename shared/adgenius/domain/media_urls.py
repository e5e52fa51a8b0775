"""Browser-fetchable URLs for stored media (logos, creative assets).

Locally the storage emulator serves objects directly; in the cloud these are V4 signed URLs.
A URL is a convenience for the UI, never a reason to fail a read: when one cannot be made
(e.g. credentials that cannot sign) the field is null and the failure is logged.
"""

from __future__ import annotations

import logging

from adgenius.cloud.storage import blob_store

logger = logging.getLogger(__name__)
VALID_MINUTES = 60


def url_for(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return blob_store().url(path, minutes=VALID_MINUTES)
    except Exception:  # signing needs a key or IAM signBlob; a missing URL is not an error
        logger.warning("could not make a URL for %s", path, exc_info=True)
        return None

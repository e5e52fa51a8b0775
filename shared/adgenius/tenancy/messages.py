"""The Pub/Sub message of a deleted tenant's purge.

Apart from the service so that the function receiving the message refuses a malformed one before
importing its backend (Firestore, gRPC): cold starts. The service module re-exports these.
"""

from __future__ import annotations

from pydantic import BaseModel


class TenantPurge(BaseModel):
    tenant_id: str

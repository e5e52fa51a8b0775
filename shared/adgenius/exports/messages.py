"""The Pub/Sub message of a big export's build.

Apart from the service so that the function receiving the message refuses a malformed one before
importing its backend (Firestore, gRPC): cold starts. The service module re-exports these.
"""

from __future__ import annotations

from pydantic import BaseModel


class ExportMessage(BaseModel):
    tenant_id: str
    export_id: str

"""The Pub/Sub messages of report imports and experiment evaluation.

Apart from the service so that the function receiving the message refuses a malformed one before
importing its backend (Firestore, gRPC): cold starts. The service module re-exports these.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from adgenius.tenancy.ids import DocId


class ImportMessage(BaseModel):
    tenant_id: str
    import_id: str


class ChunkMessage(ImportMessage):
    chunk: int = Field(ge=0)


class EvaluationMessage(BaseModel):
    tenant_id: DocId
    experiment_id: DocId

"""The states of jobs and items, and the kinds of jobs: plain enums, apart from their models.

`adgenius.pipeline.model` re-exports them. They live here so that what only names a state, such
as the sweeper's check for anything due (`adgenius.pipeline.due`), imports no pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class JobKind(StrEnum):
    IMAGE_SET = "image_set"
    VIDEO = "video"
    COPY_BATCH = "copy_batch"


class JobStatus(StrEnum):
    QUEUED = "queued"
    PLANNING = "planning"
    RUNNING = "running"
    ASSEMBLING = "assembling"
    SUCCEEDED = "succeeded"
    PARTIALLY_SUCCEEDED = "partially_succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_JOB


TERMINAL_JOB = {
    JobStatus.SUCCEEDED,
    JobStatus.PARTIALLY_SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.CANCELLED,
}


class ItemStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_ITEM = {ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.CANCELLED}

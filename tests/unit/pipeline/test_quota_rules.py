"""What an ended job gives back of its quota, and what a retry reserves again (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adgenius.pipeline import quota
from adgenius.pipeline.model import Counts, Item, Job, JobKind, JobStatus

STAMP = datetime(2026, 11, 26, tzinfo=UTC)


def _job(kind: JobKind, held: dict[str, float], counts: Counts, request: dict) -> Job:
    return Job(
        id="j", tenant_id="t", campaign_id="c", brand_id="b", kind=kind,
        request={"kind": kind.value, **request}, counts=counts, quota_held=held,
        quota_period="2026-11", created_at=STAMP, updated_at=STAMP,
    )  # fmt: skip


def _failed(n: int) -> list[Item]:
    return [
        Item(id=f"i{i}", tenant_id="t", job_id="j", index=i, kind="image", queue="q")
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("status", "succeeded", "back"),
    [
        (JobStatus.SUCCEEDED, 8, {}),
        (JobStatus.PARTIALLY_SUCCEEDED, 5, {"images": 3.0}),
        (JobStatus.CANCELLED, 2, {"images": 6.0}),
        (JobStatus.FAILED, 0, {"images": 8.0}),
    ],
)
def test_an_image_set_keeps_only_the_images_it_made(
    status: JobStatus, succeeded: int, back: dict
) -> None:
    job = _job(
        JobKind.IMAGE_SET, {"images": 8}, Counts(total=8, succeeded=succeeded), {"variants": 8}
    )
    assert quota.unused(job, status) == back


def test_a_job_that_failed_before_planning_gives_everything_back() -> None:
    job = _job(JobKind.COPY_BATCH, {"text_calls": 6}, Counts(), {})
    assert quota.unused(job, JobStatus.FAILED) == {"text_calls": 6.0}


@pytest.mark.parametrize(
    ("status", "back"),
    [
        (JobStatus.SUCCEEDED, {}),
        (JobStatus.PARTIALLY_SUCCEEDED, {}),  # a video was delivered, with fewer scenes
        (JobStatus.FAILED, {"video_seconds": 30.0}),
        (JobStatus.CANCELLED, {"video_seconds": 30.0}),
    ],
)
def test_a_video_is_charged_only_when_delivered(status: JobStatus, back: dict) -> None:
    job = _job(JobKind.VIDEO, {"video_seconds": 30}, Counts(total=3, succeeded=2), {})
    assert quota.unused(job, status) == back


def test_a_retry_reserves_the_failed_items_again() -> None:
    job = _job(JobKind.IMAGE_SET, {"images": 5}, Counts(total=8, succeeded=5, failed=3), {})
    assert quota.retry_need(job, _failed(3)) == {"images": 3.0}


def test_a_video_retry_reserves_the_video_again_only_if_it_was_given_back() -> None:
    request = {"duration_s": 15, "ratio": "9:16", "ratios": ["9:16", "1:1"]}
    given_back = _job(JobKind.VIDEO, {"video_seconds": 0}, Counts(total=3, failed=3), request)
    assert quota.retry_need(given_back, _failed(3)) == {"video_seconds": 30.0}
    delivered = _job(JobKind.VIDEO, {"video_seconds": 30}, Counts(total=3, failed=1), request)
    assert quota.retry_need(delivered, _failed(1)) == {}


def test_a_job_from_before_settlement_reserves_nothing_more() -> None:
    job = _job(JobKind.IMAGE_SET, {}, Counts(total=2, failed=2), {})
    job.quota_period = None
    assert quota.retry_need(job, _failed(2)) == {}
    assert quota.unused(job, JobStatus.FAILED) == {}

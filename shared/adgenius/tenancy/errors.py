"""Typed failures of the account layer; the API maps each to one HTTP status and error code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldProblem:
    field: str
    problem: str


class TenancyError(Exception):
    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, details: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(TenancyError):
    status, code = 400, "invalid_request"


class Unauthenticated(TenancyError):
    status, code = 401, "unauthenticated"


class PermissionDenied(TenancyError):
    status, code = 403, "permission_denied"


class NotFound(TenancyError):
    """Also what another tenant's ids produce: existence elsewhere is never revealed."""

    status, code = 404, "not_found"


class Conflict(TenancyError):
    status, code = 409, "conflict"


class PreconditionFailed(TenancyError):
    status, code = 412, "precondition_failed"


class PreconditionRequired(TenancyError):
    status, code = 428, "precondition_required"


class RateLimited(TenancyError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = max(1, retry_after_s)


class QuotaExceeded(TenancyError):
    """A plan's monthly generation quota would be exceeded.

    402 rather than 429: retrying soon will not help; the tenant must wait for the next period
    or change plan. `retry_after_s` still says when the period resets.
    """

    status, code = 402, "quota_exceeded"

    def __init__(
        self, message: str, *, kind: str, limit: float, used: float, retry_after_s: int
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.limit = limit
        self.used = used
        self.retry_after_s = max(1, retry_after_s)

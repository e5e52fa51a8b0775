"""The one JSON error shape: {"error": {"code", "message", "details": [{"field", "problem"}]}}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adgenius.tenancy.errors import FieldProblem, TenancyError

if TYPE_CHECKING:
    from pydantic import ValidationError

# No pydantic here: the request pipeline answers requests refused early (no credentials, no
# such endpoint) with this shape before anything imports pydantic. The shape's schema for the
# OpenAPI document is `adgenius.api.openapi.ErrorBody`; a unit test holds the two together.


class ApiError(TenancyError):
    """An HTTP-level failure that is not a domain error (bad JSON, unknown route, ...)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.status = status
        self.code = code
        self.headers = headers or {}


_PROBLEMS = {
    "extra_forbidden": "unknown field",
    "missing": "required",
}


def _field(loc: tuple[Any, ...], prefix: str) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
    name = ".".join(parts)
    if prefix and name:
        return name if prefix == "body" else f"{prefix}.{name}"
    return name or prefix


def from_validation_error(exc: ValidationError, where: str) -> ApiError:
    """Map pydantic errors to field/problem pairs; `where` is 'body', 'query' or 'path'."""
    details = [
        FieldProblem(
            field=_field(tuple(err["loc"]), where),
            problem=_PROBLEMS.get(err["type"], err["msg"]),
        )
        for err in exc.errors(include_url=False)
    ]
    return ApiError(400, "invalid_request", f"the request {where} is not valid", details=details)


def body_of(exc: TenancyError, correlation_id: str | None) -> dict[str, Any]:
    return {
        "error": {
            "code": exc.code,
            "message": exc.message,
            "details": [{"field": d.field, "problem": d.problem} for d in exc.details],
            "correlation_id": correlation_id,
        }
    }

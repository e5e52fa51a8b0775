"""Typed failures of model calls, so the pipeline can decide what to do without parsing text.

A safety block is NOT an error (see `Outcome.SAFETY_BLOCKED`). These are for calls that did not
produce an answer:

- `TransientModelError`: quota (429), server errors (5xx), timeouts, connection failures. The
  provider has already retried with backoff; the pipeline may retry the step later.
- `PermanentModelError`: the request itself is wrong (4xx other than 408/429) or the model keeps
  returning output that does not match the requested schema. Retrying the same call won't help.
- `OperationFailedError`: a long-running video operation finished with an error. Polling again is
  pointless; `retryable` says whether starting a new operation may succeed.
"""

from __future__ import annotations


class ModelError(Exception):
    """Base of every model-layer failure."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        model: str = "",
        status_code: int | None = None,
        status: str | None = None,
    ) -> None:
        super().__init__(message)
        self.model = model
        self.status_code = status_code  # HTTP status when the failure came from HTTP
        self.status = status  # e.g. "RESOURCE_EXHAUSTED", "INVALID_ARGUMENT", "TIMEOUT"


class TransientModelError(ModelError):
    """Worth retrying later: quota, overload, server error, timeout."""

    retryable = True


class PermanentModelError(ModelError):
    """Retrying the same request will fail the same way."""

    retryable = False


class MalformedOutputError(PermanentModelError):
    """The model's structured output did not parse/validate, even after one re-ask."""

    def __init__(self, message: str, *, model: str = "", raw_text: str = "") -> None:
        super().__init__(message, model=model, status="MALFORMED_OUTPUT")
        self.raw_text = raw_text


class OperationFailedError(ModelError):
    """A long-running operation ended in error; start a new one if `retryable`."""

    def __init__(
        self,
        message: str,
        *,
        model: str = "",
        operation: str = "",
        code: int | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message, model=model, status_code=code, status="OPERATION_FAILED")
        self.operation = operation
        self.retryable = retryable

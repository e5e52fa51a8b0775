"""Typed failures of the media toolkit.

Bad caller input (undecodable logo bytes, an unknown ratio, an impossible duration) is a
`MediaInputError`: a `ValueError` that names the offending field, so an API layer can answer
422 with the field name instead of a 500 with a stack trace.
"""

from __future__ import annotations


class MediaError(Exception):
    """Base of every media-toolkit failure."""


class MediaInputError(MediaError, ValueError):
    """The caller gave something we cannot render; `field` names it (e.g. ``"logo"``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class EncodeError(MediaError, RuntimeError):
    """ffmpeg failed to encode or decode; `detail` keeps the tail of its log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(f"{message}: {detail[-600:]}" if detail else message)
        self.detail = detail

"""Which ids may exist: document ids and Firebase uids, as checks and as pydantic types.

Apart from `adgenius.tenancy.store` (which re-exports all of it) so that message models can
validate ids without importing the Firestore client: a function refuses a malformed message
before loading its backend (cold starts).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# Firestore refuses these document ids (InvalidArgument): they must never reach it.
_RESERVED = re.compile(r"__.*__", re.DOTALL)
_DOC_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_UID_CHARS = 128  # Firebase Auth uids are 1 to 128 characters


def _not_reserved(value: str) -> str:
    if _RESERVED.fullmatch(value):
        raise ValueError("ids of the form __name__ are reserved")
    return value


def is_doc_id(value: str) -> bool:
    """What `DocId` accepts: an id we (or Firestore auto ids) could have made."""
    return bool(_DOC_ID.fullmatch(value)) and not _RESERVED.fullmatch(value)


def is_uid(value: str) -> bool:
    """What `Uid` accepts: a Firebase uid that can also be a Firestore document id."""
    return (
        0 < len(value) <= MAX_UID_CHARS
        and "/" not in value
        and value not in {".", ".."}
        and not _RESERVED.fullmatch(value)
        and value.isprintable()
    )


def _uid(value: str) -> str:
    if not is_uid(value):
        raise ValueError(f"not a user id (1 to {MAX_UID_CHARS} characters, no '/')")
    return value


# Ids in bodies and paths: what new_id() and Firestore auto ids produce, nothing path-like and
# nothing Firestore reserves. Every id from outside enters through this type (bodies, queries)
# or `is_doc_id` (path parameters, cursors), so no handler sees one that cannot exist.
DocId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$"), AfterValidator(_not_reserved)
]
# Member ids are Firebase uids: not made by us, up to 128 characters.
Uid = Annotated[str, AfterValidator(_uid)]

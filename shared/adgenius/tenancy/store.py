"""Firestore paths and small helpers shared by the account data layer.

Every tenant-owned document lives under `tenants/{tenant_id}/{collection}/{id}` and carries
`tenant_id`. The few top-level collections are server-only lookup indexes (see COLLECTIONS).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import dataclasses
import hashlib
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore import DocumentSnapshot
from google.cloud.firestore_v1.types import WriteResult
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, ConfigDict

from adgenius.cloud import firestore_reads
from adgenius.cloud.clients import firestore_client
from adgenius.tenancy.errors import NotFound, PreconditionFailed
from adgenius.tenancy.ids import MAX_UID_CHARS as MAX_UID_CHARS
from adgenius.tenancy.ids import DocId as DocId
from adgenius.tenancy.ids import Uid as Uid
from adgenius.tenancy.ids import is_doc_id as is_doc_id
from adgenius.tenancy.ids import is_uid as is_uid

__all__ = ["DocumentSnapshot"]  # re-exported for type hints in handlers

# Collections under tenants/{t}/
MEMBERS = "members"
INVITATIONS = "invitations"
API_KEYS = "api_keys"
BRANDS = "brands"
CAMPAIGNS = "campaigns"
CREATIVES = "creatives"
ASSETS = "assets"
AUDIT = "audit"
USAGE = "usage"  # usage/{period}-{shard}: monthly generation counters
RATE = "rate_windows"  # rate_windows/{subject}-{window}-{shard}
# Top-level, server-only
TENANTS = "tenants"
USERS = "users"  # users/{uid} -> {tenant_id}: one tenant per user, created once
API_KEY_INDEX = "api_key_index"  # api_key_index/{prefix} -> hash, scopes, tenant
INVITATION_INDEX = "invitation_index"  # invitation_index/{id} -> tenant (accept has no tenant yet)
IDEMPOTENCY = "idempotency_keys"


class StrictModel(BaseModel):
    """Request bodies: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Document(BaseModel):
    """Stored documents and responses: tolerate fields added by newer writers."""

    model_config = ConfigDict(extra="ignore")


def db() -> firestore.Client:
    return firestore_client()


def now() -> datetime:
    return datetime.now(UTC)


# Inside an idempotent request (see adgenius.api.idempotency) everything a creating request makes
# up -- ids, tokens, the audit entry's id, the time it started -- is derived from its idempotency
# record, so a second run of the same request after a crash (its record left pending by a process
# that died between the write and the record) makes the same documents, and a create() of one that
# the first run wrote finds it (`create_once`, `create_all_once`) instead of writing a duplicate.
# Every creating route uses these; none keeps a mechanism of its own.
@dataclasses.dataclass
class _Replay:
    seed: str
    started: datetime
    counter: int = 0


_REPLAY: contextvars.ContextVar[_Replay | None] = contextvars.ContextVar(
    "adgenius_id_seed", default=None
)


def _derived(replay: _Replay, *parts: object) -> bytes:
    return hashlib.sha256("\x1f".join([replay.seed, *map(str, parts)]).encode()).digest()


def new_id() -> str:
    """20 url-safe characters, like Firestore's auto ids (derived inside `replayable_ids`)."""
    replay = _REPLAY.get()
    if replay is None:
        return secrets.token_urlsafe(15)
    replay.counter += 1
    return base64.urlsafe_b64encode(_derived(replay, replay.counter)[:15]).decode()


def new_token_hex(nbytes: int) -> str:
    """Like `secrets.token_hex` (derived inside `replayable_ids`): for ids with a shape of their
    own (API key prefixes, job ids). Never for secrets: those must not follow from a record."""
    replay = _REPLAY.get()
    if replay is None:
        return secrets.token_hex(nbytes)
    replay.counter += 1
    return _derived(replay, "hex", replay.counter).hex()[: 2 * nbytes]


def replay_key(*parts: object) -> str | None:
    """A document id for a side record of this request named by `parts` (the audit entry), the
    same in every run; None outside `replayable_ids`. Independent of how many ids were made."""
    replay = _REPLAY.get()
    if replay is None:
        return None
    return base64.urlsafe_b64encode(_derived(replay, "key", *parts)[:15]).decode()


def request_started() -> datetime:
    """When this request was first attempted (a rerun after a crash: the dead attempt's time)."""
    replay = _REPLAY.get()
    return replay.started if replay is not None else now()


@contextlib.contextmanager
def replayable_ids(seed: str, started: datetime | None = None) -> Iterator[None]:
    """Each run with this seed makes the same ids: the n-th `new_id()` inside, the n-th id."""
    token = _REPLAY.set(_Replay(seed, started or now()))
    try:
        yield
    finally:
        _REPLAY.reset(token)


def ids_are_replayed() -> bool:
    """Whether ids are derived (a create() that meets its document may meet its own first run)."""
    return _REPLAY.get() is not None


def create_once(
    ref: firestore.DocumentReference, doc: dict[str, Any]
) -> tuple[dict[str, Any], WriteResult | DocumentSnapshot, bool]:
    """`create(doc)`: (document, version, created). Inside `replayable_ids` a document that is
    already there was written by this same request's first run, which died before it could
    answer: it is returned (created False) instead of failing or being written twice."""
    try:
        return doc, ref.create(doc), True
    except gexc.AlreadyExists:
        if not ids_are_replayed():
            raise
        snap = ref.get()
        return snap.to_dict() or {}, snap, False


def create_all_once(
    writes: list[tuple[firestore.DocumentReference, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], bool]:
    """`create_once` for documents written together in one atomic batch: (documents, created).
    The batch lands whole or not at all, so meeting any of them means the first run wrote all."""
    batch = db().batch()
    for ref, doc in writes:
        batch.create(ref, doc)
    try:
        batch.commit()
    except gexc.AlreadyExists:
        if not ids_are_replayed():
            raise
        snaps = {s.reference.path: s for s in db().get_all([ref for ref, _ in writes])}
        return [(snaps[ref.path].to_dict() or {}) for ref, _ in writes], False
    return [doc for _, doc in writes], True


def tenant_ref(tenant_id: str) -> firestore.DocumentReference:
    return db().collection(TENANTS).document(tenant_id)


def tenant_collection(tenant_id: str, name: str) -> firestore.CollectionReference:
    return tenant_ref(tenant_id).collection(name)


def get_in_tenant(tenant_id: str, collection: str, doc_id: str) -> firestore.DocumentSnapshot:
    """Read one tenant-owned document or raise NotFound (also for malformed ids)."""
    if not is_uid(doc_id):  # the widest id kind we store; ids made by us are narrower
        raise NotFound(f"{collection[:-1]} not found")
    snap = firestore_reads.get(tenant_collection(tenant_id, collection).document(doc_id))
    if not snap.exists or _field(snap, "tenant_id") != tenant_id:
        raise NotFound(f"{collection[:-1]} not found")
    return snap


def _field(snap: firestore.DocumentSnapshot, name: str) -> Any:
    """One top-level field (None when absent): to_dict() would deep-copy the whole document."""
    try:
        return snap.get(name)
    except KeyError:
        return None


def data_with_id(snap: firestore.DocumentSnapshot) -> dict[str, Any]:
    data = snap.to_dict() or {}
    data["id"] = snap.id
    return data


# ----------------------------------------------------------------- optimistic concurrency
def etag_of(version: firestore.DocumentSnapshot | WriteResult) -> str:
    """A strong ETag from the document's update time (changes on every write): read from a
    snapshot, or from the result of the write that made it (no re-read)."""
    ts = version.update_time
    assert ts is not None
    pb = ts.timestamp_pb() if hasattr(ts, "timestamp_pb") else ts
    return f'"{pb.seconds}.{pb.nanos:09d}"'


def _timestamp_from_etag(etag: str) -> Timestamp | None:
    value = etag.strip()
    if value.startswith("W/"):
        return None  # a weak tag never matches a strong comparison
    value = value.strip('"')
    seconds, _, nanos = value.partition(".")
    if not (seconds.isdigit() and nanos.isdigit() and len(nanos) == 9):
        return None
    return Timestamp(seconds=int(seconds), nanos=int(nanos))


def update_if_match(
    ref: firestore.DocumentReference, changes: dict[str, Any], if_match: str
) -> None:
    """Apply `changes` only if the document still has the version the caller read.

    Firestore checks `last_update_time` atomically with the write, so no transaction is needed.
    """
    ts = _timestamp_from_etag(if_match)
    if ts is None:
        raise PreconditionFailed("If-Match does not match the current version")
    try:
        ref.update(changes, option=db().write_option(last_update_time=ts))
    except (gexc.FailedPrecondition, gexc.Aborted) as exc:
        raise PreconditionFailed("the resource changed since it was read; GET it again") from exc


def update_unchanged_since(snap: firestore.DocumentSnapshot, changes: dict[str, Any]) -> bool:
    """Server-side compare-and-set on a snapshot we just read; False if someone wrote first."""
    try:
        snap.reference.update(changes, option=db().write_option(last_update_time=snap.update_time))
        return True
    except (gexc.FailedPrecondition, gexc.Aborted):
        return False


def claim_pending_marker(
    marker: firestore.DocumentReference, tenant_id: str, stale_after: timedelta
) -> bool:
    """Coalescing: True when the caller should publish the one pending request this marker
    stands for. The marker is created by the first caller; later callers are coalesced into it
    until it is older than `stale_after`, which means its message was lost (a publish that failed
    after the create), and then exactly one caller (compare-and-set) claims it again."""
    now_at = now()
    try:
        marker.create({"tenant_id": tenant_id, "requested_at": now_at})
        return True
    except gexc.AlreadyExists:
        snap = marker.get()
        requested = (snap.to_dict() or {}).get("requested_at")
        if not snap.exists or requested is None or now_at - requested < stale_after:
            return False
        return update_unchanged_since(snap, {"requested_at": now_at})


# ----------------------------------------------------------------------- cursor pagination
def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    from adgenius.tenancy.errors import FieldProblem, InvalidInput

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "invalid cursor", details=[FieldProblem("cursor", "not a cursor from this API")]
        ) from exc
    # The last id of a page: an id we made, or a member's uid (the widest kind).
    if not is_uid(value):
        raise InvalidInput(
            "invalid cursor", details=[FieldProblem("cursor", "not a cursor from this API")]
        )
    return value


def page(
    query: firestore.Query, *, limit: int, cursor: str | None
) -> tuple[list[firestore.DocumentSnapshot], str | None]:
    """Stable order by document id; the cursor is the last id of the previous page.

    Ordering by id alone keeps equality-filtered queries servable by Firestore's single-field
    indexes (no composite index per filter combination).
    """
    query = query.order_by("__name__")
    if cursor:
        last = decode_cursor(cursor)
        query = query.start_after({"__name__": _ref_for(query, last)})
    snaps = firestore_reads.stream(query.limit(limit + 1))
    more = len(snaps) > limit
    snaps = snaps[:limit]
    return snaps, (encode_cursor(snaps[-1].id) if more and snaps else None)


def _ref_for(query: firestore.Query, doc_id: str) -> firestore.DocumentReference:
    parent = query._parent  # the collection the query runs on
    return parent.document(doc_id)


def not_found_if_missing(snap: firestore.DocumentSnapshot, what: str) -> None:
    if not snap.exists:
        raise NotFound(f"{what} not found")

"""Document reads for the API's hot paths, without the Firestore library's per-read costs.

The library (google-cloud-firestore 2.x) decodes every document through proto-plus, deep-copies
the result into its snapshot and again in `to_dict()`, reads a single document with the
server-streaming `BatchGetDocuments`, and consumes every stream through a thread that gRPC
starts for it. Profiled under the load bench that was most of a read's CPU in the API: per
query ~1.2 ms of streaming plus ~0.6 ms per document, per single read ~0.75 ms. Here:

- queries are the library's own (`_prep_stream` builds the request: filters, cursors, limits)
  sent on a channel of our own, built as the library builds its, whose streams are read on the
  caller's thread (gRPC's single-threaded unary-stream option): ~0.6 ms a query. That option
  leaks a stream dropped before its end (even a cancelled one), so every stream here is read to
  its end, also when decoding fails;
- the two calls go straight to gRPC with raw protobuf messages: no proto-plus wrappers, no
  GAPIC layers; what those layers gave is kept (the library's retry and timeout settings for
  these calls, its routing and client headers, errors as google.api_core exceptions);
- documents are decoded straight from the protobuf (~0.15 ms each) into snapshots that own
  their data;
- a single document is read with the unary `GetDocument` (~0.3 ms).

The values are the library's (every Firestore type, compared on the emulator in
tests/integration/foundation/test_firestore_reads.py) and the snapshots are
`DocumentSnapshot`s. What differs: a snapshot's `to_dict()` is a new top-level dict whose nested
values are the snapshot's own (no deep copy), so readers treat them as read-only, as every
reader here does (they build models from them). Writes and transactions stay on the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import grpc
from google.api_core import exceptions as gexc
from google.api_core import retry as retries
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.api_core.gapic_v1 import routing_header
from google.cloud.firestore_v1 import _helpers
from google.cloud.firestore_v1.base_document import DocumentSnapshot
from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query
from google.cloud.firestore_v1.services.firestore.transports.grpc import FirestoreGrpcTransport
from google.cloud.firestore_v1.types import (
    Document,
    GetDocumentRequest,
    RunQueryRequest,
    RunQueryResponse,
)

_READ_ON_CALLER = (grpc.experimental.ChannelOptions.SingleThreadedUnaryStream, 1)
_UNLIMITED_MESSAGES = [
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
]
# The library's own settings for these two calls (its GAPIC transport): what is retried, how
# long each attempt may take. A query is read whole before anything is returned, so a retry
# runs it again from the top.
_GET_TIMEOUT_S, _QUERY_TIMEOUT_S = 60.0, 300.0
_GET_RETRY = retries.Retry(
    initial=0.1,
    maximum=60.0,
    multiplier=1.3,
    predicate=retries.if_exception_type(
        gexc.DeadlineExceeded,
        gexc.InternalServerError,
        gexc.ResourceExhausted,
        gexc.ServiceUnavailable,
    ),
    timeout=_GET_TIMEOUT_S,
)
_QUERY_RETRY = retries.Retry(
    initial=0.1,
    maximum=60.0,
    multiplier=1.3,
    predicate=retries.if_exception_type(
        gexc.DeadlineExceeded, gexc.InternalServerError, gexc.ServiceUnavailable
    ),
    timeout=_QUERY_TIMEOUT_S,
)


@dataclass(frozen=True)
class _Reader:
    """The two calls, on raw protobuf messages (no proto-plus wrappers, no GAPIC layers)."""

    get_document: Any
    run_query: Any
    metadata: tuple[tuple[str, str], ...]


@lru_cache(maxsize=4)
def _reader(client: Any) -> _Reader:
    """A channel beside the library's, built as the library builds its own (emulator or
    Google, credentials, limits) plus single-threaded streams."""
    if client._emulator_host is not None:
        # The emulator takes any bearer token; the library sends "owner" too.
        options = [("Authorization", "Bearer owner"), *_UNLIMITED_MESSAGES, _READ_ON_CALLER]
        channel = grpc.insecure_channel(client._emulator_host, options=options)
    else:
        channel = FirestoreGrpcTransport.create_channel(
            client._target,
            credentials=client._credentials,
            options=[("grpc.keepalive_time_ms", 30000), *_UNLIMITED_MESSAGES, _READ_ON_CALLER],
        )
    service = "/google.firestore.v1.Firestore"
    return _Reader(
        get_document=channel.unary_unary(
            f"{service}/GetDocument",
            request_serializer=GetDocumentRequest.pb().SerializeToString,
            response_deserializer=Document.pb().FromString,
        ),
        run_query=channel.unary_stream(
            f"{service}/RunQuery",
            request_serializer=RunQueryRequest.pb().SerializeToString,
            response_deserializer=RunQueryResponse.pb().FromString,
        ),
        metadata=(*client._rpc_metadata, client._client_info.to_grpc_metadata()),
    )


class DecodedSnapshot(DocumentSnapshot):
    """A snapshot that owns the data decoded for it: no defensive deep copies."""

    def __init__(
        self,
        reference: DocumentReference,
        data: dict[str, Any] | None,
        *,
        exists: bool,
        read_time: Any,
        create_time: Any,
        update_time: Any,
    ) -> None:
        # The library's __init__ deep-copies `data`; it is ours alone here.
        self._reference = reference
        self._data = data
        self._exists = exists
        self.read_time = read_time
        self.create_time = create_time
        self.update_time = update_time

    def to_dict(self) -> dict[str, Any] | None:
        return dict(self._data) if self._exists and self._data is not None else None


def stream(query: Query) -> list[DocumentSnapshot]:
    """Every document the query matches, in its order (`list(query.stream())`, cheaper)."""
    if query._all_descendants:
        # A collection group's documents live under many parents; the library finds each one's.
        return list(query.stream())
    request, prefix, _ = query._prep_stream()
    message = RunQueryRequest.pb()(
        parent=request["parent"], structured_query=request["structured_query"]._pb
    )
    reader = _reader(query._client)
    metadata = (*reader.metadata, routing_header.to_grpc_metadata((("parent", message.parent),)))
    return _QUERY_RETRY(_run_query)(query, reader, message, metadata, len(prefix) + 1)


def _run_query(
    query: Query, reader: _Reader, message: Any, metadata: Any, cut: int
) -> list[DocumentSnapshot]:
    client, collection = query._client, query._parent
    snaps: list[DocumentSnapshot] = []
    try:
        # Single-threaded: the call starts here and is read below, on this thread.
        responses = reader.run_query(message, timeout=_QUERY_TIMEOUT_S, metadata=metadata)
    except grpc.RpcError as exc:
        raise gexc.from_grpc_error(exc) from exc
    try:
        for pb in responses:
            if not pb.HasField("document"):  # progress messages carry no document
                continue
            doc = pb.document
            snaps.append(
                DecodedSnapshot(
                    collection.document(doc.name[cut:]),
                    {key: _decode(value, client) for key, value in doc.fields.items()},
                    exists=True,
                    read_time=_time(pb.read_time),
                    create_time=_time(doc.create_time),
                    update_time=_time(doc.update_time),
                )
            )
    except grpc.RpcError as exc:  # the stream ended, with an error
        raise gexc.from_grpc_error(exc) from exc
    except BaseException:
        _end(responses)
        raise
    return snaps


def _end(responses: Any) -> None:
    """Read a stream left part-way to its end. A single-threaded stream that is dropped, or
    even cancelled, keeps its call and ~20 KB forever: its last events are only collected by
    reading it to the end (measured in tests/integration/foundation/test_firestore_reads.py)."""
    try:
        for _ in responses:
            pass
    except grpc.RpcError:
        pass


def get(ref: DocumentReference) -> DocumentSnapshot:
    """One document (`ref.get()`, cheaper); a snapshot with exists False when there is none."""
    reader = _reader(ref._client)
    name = ref._document_path
    message = GetDocumentRequest.pb()(name=name)
    metadata = (*reader.metadata, routing_header.to_grpc_metadata((("name", name),)))
    try:
        doc = _GET_RETRY(_get_document)(reader, message, metadata)
    except gexc.NotFound:
        return DecodedSnapshot(
            ref, None, exists=False, read_time=None, create_time=None, update_time=None
        )
    return DecodedSnapshot(
        ref,
        {key: _decode(value, ref._client) for key, value in doc.fields.items()},
        exists=True,
        # GetDocument answers no read time; the document's update time is when it was as read.
        read_time=_time(doc.update_time),
        create_time=_time(doc.create_time),
        update_time=_time(doc.update_time),
    )


def _get_document(reader: _Reader, message: Any, metadata: Any) -> Any:
    try:
        return reader.get_document(message, timeout=_GET_TIMEOUT_S, metadata=metadata)
    except grpc.RpcError as exc:
        raise gexc.from_grpc_error(exc) from exc


def _time(timestamp_pb: Any) -> DatetimeWithNanoseconds:
    return DatetimeWithNanoseconds.from_timestamp_pb(timestamp_pb)


def _decode(value: Any, client: Any) -> Any:
    """One protobuf `Value` as the library decodes it (`_helpers.decode_value`), for the common
    kinds without its per-value wrappers; every other kind goes to the library."""
    kind = value.WhichOneof("value_type")
    if kind == "string_value":
        return value.string_value
    if kind == "map_value":
        fields = value.map_value.fields
        decoded = {key: _decode(v, client) for key, v in fields.items()}
        # Vectors ({"__type__": "__vector__", ...}) and BSON values (one-key maps) are maps on
        # the wire: the library decides what such a map is.
        if len(decoded) == 1 or "__type__" in decoded:
            return _helpers.decode_dict(fields, client)
        return decoded
    if kind == "array_value":
        return [_decode(v, client) for v in value.array_value.values]
    if kind == "integer_value":
        return value.integer_value
    if kind == "double_value":
        return value.double_value
    if kind == "boolean_value":
        return value.boolean_value
    if kind == "null_value":
        return None
    if kind == "timestamp_value":
        return _time(value.timestamp_value)
    return _helpers.decode_value(value, client)

"""Document reads for the API's hot paths, without the Firestore library's per-read costs.

The library (google-cloud-firestore 2.x) decodes every document through proto-plus, deep-copies
the result into its snapshot and again in `to_dict()`, reads a single document with the
server-streaming `BatchGetDocuments`, and consumes every stream through a thread that gRPC
starts for it. Profiled under the load bench that was most of a read's CPU in the API: per
query ~1.2 ms of streaming plus ~0.6 ms per document, per single read ~0.75 ms. Here:

- queries send the library's own request (`_prep_stream`: filters, cursors, routing) through
  a channel of our own whose streams are read on the caller's thread (gRPC's single-threaded
  unary-stream option): ~0.7 ms a query. That option leaks a call abandoned before its end, so
  every stream here is read to its end or cancelled and drained;
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

from functools import lru_cache
from typing import Any

import grpc
from google.api_core import exceptions as gexc
from google.api_core import gapic_v1
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.cloud.firestore_v1 import _helpers
from google.cloud.firestore_v1.base_document import DocumentSnapshot
from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query
from google.cloud.firestore_v1.services.firestore import FirestoreClient
from google.cloud.firestore_v1.services.firestore.transports.grpc import FirestoreGrpcTransport

_READ_ON_CALLER = (grpc.experimental.ChannelOptions.SingleThreadedUnaryStream, 1)
_UNLIMITED_MESSAGES = [
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
]


@lru_cache(maxsize=4)
def _reader(client: Any) -> FirestoreClient:
    """A GAPIC client beside the library's, on a channel built as the library builds its own
    (emulator or Google, credentials, limits) plus single-threaded streams."""
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
    transport = FirestoreGrpcTransport(host=client._target, channel=channel)
    return FirestoreClient(transport=transport, client_options=client._client_options)


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
    client = query._client
    request, prefix, kwargs = query._prep_stream(None, gapic_v1.method.DEFAULT, None)
    cut = len(prefix) + 1
    collection = query._parent
    snaps: list[DocumentSnapshot] = []
    try:
        responses = _reader(client).run_query(
            request=request, metadata=client._rpc_metadata, **kwargs
        )
    except gexc.GoogleAPICallError as exc:
        return _library_stream(query, exc)
    try:
        for response in responses:
            pb = response._pb
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
    except gexc.GoogleAPICallError as exc:  # the stream ended, with an error
        return _library_stream(query, exc)
    except BaseException:
        _end(responses)
        raise
    return snaps


def _library_stream(query: Query, exc: gexc.GoogleAPICallError) -> list[DocumentSnapshot]:
    """A query that failed here runs again through the library's stream, which retries what
    its RunQuery settings retry; nothing has been returned yet, so it starts from the top."""
    if not query._retry_query_after_exception(exc, gapic_v1.method.DEFAULT, None):
        raise exc
    return list(query.stream())


def _end(responses: Any) -> None:
    """Read a stream left part-way to its end. A single-threaded stream that is dropped, or
    even cancelled, keeps its call and ~20 KB forever: its last events are only collected by
    reading it to the end (measured in tests/integration/foundation/test_firestore_reads.py)."""
    try:
        for _ in responses:
            pass
    except gexc.GoogleAPICallError:
        pass


def get(ref: DocumentReference) -> DocumentSnapshot:
    """One document (`ref.get()`, cheaper); a snapshot with exists False when there is none."""
    client = ref._client
    try:
        doc = (
            _reader(client)
            .get_document(request={"name": ref._document_path}, metadata=client._rpc_metadata)
            ._pb
        )
    except gexc.NotFound:
        return DecodedSnapshot(
            ref, None, exists=False, read_time=None, create_time=None, update_time=None
        )
    return DecodedSnapshot(
        ref,
        {key: _decode(value, client) for key, value in doc.fields.items()},
        exists=True,
        # GetDocument answers no read time; the document's update time is when it was as read.
        read_time=_time(doc.update_time),
        create_time=_time(doc.create_time),
        update_time=_time(doc.update_time),
    )


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

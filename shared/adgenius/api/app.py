"""The request pipeline of the `api` Cloud Function.

handle(request): CORS -> route match -> authenticate -> rate limits -> authorize -> validate
query/body -> (idempotency) -> handler -> serialise. Every failure becomes the one JSON error
shape; bad input is always a 4xx, never a 500.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import time
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import flask
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as RouteNotFound
from werkzeug.routing import Map, MapAdapter, Rule

from adgenius import tracing
from adgenius.api import cors
from adgenius.api.errors import ApiError, body_of, from_validation_error
from adgenius.api.route_index import ROUTES
from adgenius.environment import log_level, refuse_emulators_in_cloud
from adgenius.observability import (
    CORRELATION_HEADER,
    configure_logging,
    correlation,
    correlation_from_headers,
    log_fields,
)
from adgenius.tenancy.errors import FieldProblem, TenancyError, Unauthenticated
from adgenius.tenancy.principal import ANONYMOUS_MESSAGE, Principal

if TYPE_CHECKING:
    from adgenius.api import routes  # noqa: F401  (for the static import graph: see routes)
    from adgenius.api.idempotency import StoredResponse
    from adgenius.api.routing import Call, Reply, Route

# Imported on first use, not here: authentication (firebase-admin), rate limits, plans,
# idempotency and every route module pull in Firestore/gRPC and the capabilities' models. A
# request that needs none of them (no credentials, unknown path, preflight) is answered without
# importing them, so an instance's first answer is not its slowest (bench/coldstart_bench.py).
# pydantic and the settings too: they come with the route's module (`adgenius.api.routing`).

# A misconfigured instance (emulator variables in the cloud) still fails to start.
refuse_emulators_in_cloud()

logger = logging.getLogger(__name__)

MAX_JSON_BYTES = 256 * 1024
MAX_RAW_BYTES = 8 * 1024 * 1024  # uploads; what each route accepts is checked by the route
MAX_JSON_DEPTH = 64  # no request model nests anywhere near this
READ_CHUNK = 64 * 1024
_BODY_READ = "adgenius.body_read"  # environ key: the body was read to its end
# Brackets outside strings: a string (with its escapes) is matched whole and skipped. The string
# branch always matches (possessively, up to its closing quote or the end), so the scan is linear
# even on an unterminated string of escaped quotes.
_BRACKETS = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
PLAN_CACHE_S = 60.0


@cache
def route_table() -> tuple[Map, dict[str, Route]]:
    """Every route (imports every route module): for the OpenAPI document, docs and tests."""
    return _map(), {endpoint: _route(endpoint) for endpoint in _index()}


@cache
def _index() -> dict[str, tuple[str, str]]:
    """endpoint ("GET /v1/brands") -> (route module, access), from the generated route index."""
    return {f"{method} {path}": (module, access) for method, path, module, access in ROUTES}


@cache
def _map() -> Map:
    rules = [
        Rule(path, methods=[method], endpoint=f"{method} {path}") for method, path, *_ in ROUTES
    ]
    return Map(rules, strict_slashes=False, merge_slashes=False)


@cache
def _route(endpoint: str) -> Route:
    """The route behind `endpoint`, importing only the module that declares it."""
    module, _ = _index()[endpoint]
    routes = importlib.import_module(f"adgenius.api.routes.{module}").router.routes
    for route in routes:
        if f"{route.method} {route.path}" == endpoint:
            return cast("Route", route)
    raise RuntimeError(f"{endpoint} is not in routes.{module}: python -m adgenius.api.route_index")


def _adapter() -> MapAdapter:
    return _map().bind("api", url_scheme="http")


def _path(request: flask.Request) -> str:
    # Deployed, the function sees /v1/...; some hosts keep the function's name in the path.
    path = request.path
    if path.startswith("/api/"):
        path = path[len("/api") :]
    return path


_plan_cache: dict[str, tuple[float, int]] = {}


def _tenant_rate(tenant_id: str) -> int:
    cached = _plan_cache.get(tenant_id)
    if cached and time.monotonic() - cached[0] < PLAN_CACHE_S:
        return cached[1]
    from adgenius.tenancy import tenants
    from adgenius.tenancy.plans import PLANS

    rate = PLANS[tenants.plan_of(tenant_id)].requests_per_minute
    _plan_cache[tenant_id] = (time.monotonic(), rate)
    return rate


def _rate_limit(principal: Principal, key_rate: int | None) -> None:
    if principal.tenant_id is None:
        return
    from adgenius.tenancy import limits
    from adgenius.tenancy.plans import DEFAULT_KEY_REQUESTS_PER_MINUTE

    limits.hit_rate_limit(principal.tenant_id, "tenant", _tenant_rate(principal.tenant_id))
    if principal.kind == "api_key":
        limits.hit_rate_limit(
            principal.tenant_id,
            f"key-{principal.api_key_id}",
            key_rate or DEFAULT_KEY_REQUESTS_PER_MINUTE,
        )


def _authorize(route: Route, principal: Principal | None) -> None:
    from adgenius.api.routing import Access

    if route.access is Access.PUBLIC:
        return
    if principal is None:
        raise Unauthenticated(ANONYMOUS_MESSAGE)
    if route.access is Access.USER:
        if principal.kind != "user":
            raise ApiError(403, "permission_denied", "this endpoint is for signed-in users")
        return
    assert route.permission is not None, f"{route.path} declares no permission"
    principal.require(route.permission)


def _query(route: Route, request: flask.Request) -> Any:
    if route.query is None:
        return None
    from pydantic import ValidationError

    raw: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        raw[key] = values if len(values) > 1 else values[0]
    try:
        return route.query.model_validate(raw)
    except ValidationError as exc:
        raise from_validation_error(exc, "query") from exc


def _read_body(route: Route, request: flask.Request) -> bytes:
    """The body, read in bounded chunks: never more than the route's cap (+1 byte to tell).

    A chunked request has no Content-Length, so the declared length alone cannot stop a huge
    body; reading stops as soon as the cap is passed and the answer is a 413 at once.
    """
    cap = MAX_RAW_BYTES if route.raw_body is not None else MAX_JSON_BYTES
    if (request.content_length or 0) > cap:
        raise ApiError(
            413,
            "payload_too_large",
            f"the body is larger than {cap} bytes",
            details=[FieldProblem("body", f"larger than {cap} bytes")],
        )
    stream = request.stream
    data = bytearray()
    while True:
        chunk = stream.read(min(READ_CHUNK, cap + 1 - len(data)))
        if not chunk:
            break
        data += chunk
        if len(data) > cap:
            raise ApiError(
                413,
                "payload_too_large",
                f"the body is larger than {cap} bytes",
                details=[FieldProblem("body", f"larger than {cap} bytes")],
            )
    request.environ[_BODY_READ] = True
    return bytes(data)


def _nesting_depth(data: bytes, limit: int) -> int:
    """How deep arrays and objects nest outside strings, counted up to `limit` + 1.

    Cheap on ordinary bodies (few brackets: no scan at all). Deep nesting must be refused before
    `json.loads`, whose recursion (and pydantic's after it) would otherwise end in a 500.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return 0
    depth = deepest = 0
    for match in _BRACKETS.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _control_character_at(parsed: Any, data: bytes) -> str | None:
    """The field of the first string (key or value) holding a C0 control character, or None.

    Raw ones are already invalid JSON; escaped ones (`\\u0000`) decode into strings that would
    travel into documents, exports and rendered ads. Only bodies with such an escape are walked.
    """
    if b"\\u00" not in data and b"\\b" not in data and b"\\f" not in data:
        return None
    stack: list[tuple[str, Any]] = [("body", parsed)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _CONTROL.search(value):
                return where
        elif isinstance(value, dict):
            for key, item in value.items():
                if _CONTROL.search(key):
                    return where
                stack.append((key if where == "body" else f"{where}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None


def _body(route: Route, request: flask.Request, data: bytes) -> Any:
    if route.raw_body is not None:
        return data
    if route.body is None:
        return None
    from pydantic import ValidationError

    mimetype = request.mimetype or ""
    if data and mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            "send the body as application/json",
            details=[FieldProblem("Content-Type", f"{mimetype} is not application/json")],
        )
    if _nesting_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ApiError(
            400,
            "malformed_json",
            "the request body nests too deeply",
            details=[FieldProblem("body", f"nested deeper than {MAX_JSON_DEPTH} levels")],
        )
    try:
        parsed = json.loads(data) if data else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400,
            "malformed_json",
            "the request body is not valid JSON",
            details=[FieldProblem("body", str(exc)[:200])],
        ) from exc
    if (where := _control_character_at(parsed, data)) is not None:
        raise ApiError(
            400,
            "invalid_request",
            "the request body holds a control character",
            details=[FieldProblem(where, "control characters (NUL, U+0001-U+001F except tab and "
                                  "newlines) are not text")],
        )  # fmt: skip
    if parsed is None:
        raise ApiError(
            400,
            "invalid_request",
            "a JSON object body is required",
            details=[FieldProblem("body", "required")],
        )
    try:
        return route.body.model_validate(parsed)
    except ValidationError as exc:
        raise from_validation_error(exc, "body") from exc


def _serialise(reply: Reply) -> StoredResponse:
    from adgenius.api import idempotency

    if reply.raw_bytes is not None:
        return idempotency.StoredResponse(
            reply.status, "", dict(reply.headers), raw=reply.raw_bytes, media_type=reply.media_type
        )
    body = reply.raw_json or ("" if reply.body is None else reply.body.model_dump_json())
    return idempotency.StoredResponse(reply.status, body, dict(reply.headers))


def _run(route: Route, call: Call) -> StoredResponse:
    from pydantic import BaseModel

    from adgenius.api.routing import Reply

    result = route.handler(call)
    if isinstance(result, Reply):
        reply = result
    elif isinstance(result, BaseModel):
        reply = Reply(result, status=route.status)
    else:
        reply = Reply(None, status=route.status)
    return _serialise(reply)


def _respond(stored: StoredResponse, extra: dict[str, str]) -> flask.Response:
    if stored.raw is not None:
        response = flask.Response(stored.raw, status=stored.status, content_type=stored.media_type)
    else:
        response = flask.Response(
            stored.body or None,
            status=stored.status,
            mimetype="application/json" if stored.body else None,
        )
    for key, value in {**stored.headers, **extra}.items():
        response.headers[key] = value
    return response


def _error(exc: TenancyError, cid: str, extra: dict[str, str]) -> flask.Response:
    response = flask.Response(
        json.dumps(body_of(exc, cid)), status=exc.status, mimetype="application/json"
    )
    headers = dict(extra)
    retry_after = getattr(exc, "retry_after_s", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    headers |= getattr(exc, "headers", {})
    for key, value in headers.items():
        response.headers[key] = value
    return response


# A path segment that is an id (digits, or long) is not part of a span's name: names stay few.
@cache
def _route_words() -> tuple[frozenset[str], int]:
    """The fixed segments of the API's paths (`v1`, `campaigns`, `jobs`, ...), and the most
    segments a path has (a longer one is a caller's invention: its name is cut there)."""
    paths = [[part for part in path.split("/") if part] for _, path, *_ in ROUTES]
    words = frozenset(part for parts in paths for part in parts if part[0] != "<")
    return words, max(len(parts) for parts in paths)


def span_name(method: str, path: str) -> str:
    """`GET /v1/jobs/{id}`: the route's shape, without the ids (or anything a caller typed).
    Every segment that is not one of the routes' fixed words is an id: Firestore ids need not
    contain a digit, so no pattern tells an id from a word."""
    if path.startswith("/api/"):
        path = path[len("/api") :]
    words, depth = _route_words()
    parts = [(p if p in words else "{id}") for p in path.split("/") if p][:depth]
    return f"{method[:16]} /{'/'.join(parts)}"


def _dependency_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says a Google service could not be reached in time."""
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    transient: tuple[type[BaseException], ...] = (
        gexc.ServiceUnavailable,
        gexc.DeadlineExceeded,
        gexc.RetryError,
        auth_exc.TransportError,
        ConnectionError,
        TimeoutError,
    )
    try:  # the HTTP transport of google-cloud-storage; not in every bundle
        from requests import exceptions as req_exc

        transient += (req_exc.ConnectionError, req_exc.Timeout)
    except ImportError:
        pass
    seen: BaseException | None = exc
    for _ in range(5):  # the client libraries wrap the transport's error once or twice
        if seen is None:
            return False
        if isinstance(seen, transient):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def handle(request: flask.Request) -> flask.Response:
    configure_logging(log_level())
    # werkzeug's Headers is a case-insensitive read-only mapping, though not typed as Mapping.
    headers = cast("Mapping[str, str]", request.headers)
    with (
        correlation(correlation_from_headers(headers)) as cid,
        tracing.span(
            span_name(request.method, request.path),
            parent=tracing.carrier_from_headers(headers),
            kind=tracing.SERVER,
            attributes={"http.request.method": request.method, "faas.name": "api"},
            flush_on_exit=False,  # after the response is sent, below
        ) as span,
    ):
        origin = request.headers.get("Origin")
        extra = {CORRELATION_HEADER: cid, **cors.headers(origin, preflight=False)}
        if request.method == "OPTIONS":
            preflight = flask.Response(status=204, headers=cors.headers(origin, preflight=True))
            return _without_reading_the_rest(request, preflight)
        started = time.monotonic()
        try:
            response = _handle(request, extra)
        except TenancyError as exc:
            response = _error(exc, cid, extra)
        except Exception as exc:
            if _dependency_unavailable(exc):
                # Storage, Firestore or Pub/Sub down or timing out: not this request's fault nor
                # a bug of ours; say so, and when to come back (an Idempotency-Key makes the
                # retry safe).
                logger.warning("a dependency is unavailable in %s %s: %s", request.method,
                               request.path, str(exc)[:300])  # fmt: skip
                unavailable = ApiError(
                    503,
                    "unavailable",
                    "a service this request needs is unavailable; retry shortly",
                    headers={"Retry-After": "5"},
                )
                response = _error(unavailable, cid, extra)
            else:
                logger.exception("unhandled error in %s %s", request.method, request.path)
                failure = ApiError(500, "internal", "internal error; quote the correlation_id")
                response = _error(failure, cid, extra)
        logger.info(
            "%s %s -> %s",
            request.method,
            request.path,
            response.status_code,
            extra=log_fields(
                http={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                },
                latency_ms=round((time.monotonic() - started) * 1000, 1),
            ),
        )
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                from opentelemetry.trace import Status, StatusCode

                span.set_status(Status(StatusCode.ERROR))
            response.call_on_close(tracing.flush)
        return _without_reading_the_rest(request, response)


def _without_reading_the_rest(request: flask.Request, response: flask.Response) -> flask.Response:
    """Keep functions-framework from reading a body we did not (or only partly) read.

    The framework reads the whole request body after every non-streamed response (to spare the
    client a reset connection); for a 50 MB chunked body answered 413, or any body sent to a
    request refused before its body mattered, that would be the very read the cap avoids. It
    skips streamed responses, so the answer is made one: same bytes and Content-Length.
    """
    if request.environ.get(_BODY_READ) or not (
        request.content_length or "chunked" in request.headers.get("Transfer-Encoding", "")
    ):
        return response
    response.response = iter([response.get_data()])
    return response


def _handle(request: flask.Request, extra: dict[str, str]) -> flask.Response:
    path = _path(request)
    try:
        endpoint, params = _adapter().match(path, method=request.method)
    except RouteNotFound as exc:
        raise ApiError(404, "not_found", f"no such endpoint: {path}") from exc
    except MethodNotAllowed as exc:
        allowed = ", ".join(sorted(exc.valid_methods or []))
        raise ApiError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed here",
            headers={"Allow": allowed},
        ) from exc
    _, access = _index()[endpoint]

    principal: Principal | None = None
    if access != "public":  # Access.PUBLIC, without importing pydantic
        authorization = request.headers.get("Authorization")
        api_key = request.headers.get("X-API-Key")
        if not (authorization or api_key):
            # What `_authorize` says to anyone without credentials, before any import.
            raise Unauthenticated(ANONYMOUS_MESSAGE)
        from adgenius.api import auth_limit  # failures counted per client; 429 once too many

        headers = cast("Mapping[str, str]", request.headers)
        client = auth_limit.client_of(headers, request.remote_addr)
        principal, key_rate = auth_limit.authenticate(client, authorization, api_key)
        if principal is not None:
            _rate_limit(principal, key_rate)
    route = _route(endpoint)
    _authorize(route, principal)
    for name, value in params.items():
        if not route.path_id_ok(name, value):
            raise ApiError(
                404,
                "not_found",
                f"no such {name.removesuffix('_id')}",
                details=[FieldProblem(name, "not an id this API could have made")],
            )

    data = _read_body(route, request)
    from adgenius.api.routing import Call

    call = Call(
        principal=principal,
        params=dict(params),
        headers=request.headers,
        query=_query(route, request),
        body=_body(route, request, data),
    )
    from adgenius.api import idempotency

    key = request.headers.get(idempotency.HEADER)
    if route.creates and key and principal is not None:
        stored, replayed = idempotency.run_once(
            principal,
            key,
            route.method,
            path,
            data,
            lambda: _run(route, call),
        )
        if replayed:
            extra = {**extra, "Idempotent-Replayed": "true"}
        return _respond(stored, extra)
    return _respond(_run(route, call), extra)

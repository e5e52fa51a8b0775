"""The functions host: every function of the manifest, served as it is deployed.

Each function gets its own functions-framework app (the same loader Cloud Functions uses), mounted
at `/<name>`. Firestore trigger events from the emulator arrive at
`/functions/projects/<project>/triggers/<function>` and are forwarded to that function as the
binary-mode CloudEvent Eventarc would send (the emulator base64-encodes the protobuf body; we
decode it here so the function sees production bytes).

Run: `python -m adgenius.localstack.functions_host --port P` (the stack does this).

`--server production` serves through functions-framework's production server (gunicorn, one
worker, WORKERS/THREADS from the environment), which is what Cloud Functions runs; the default
`dev` server (werkzeug's threaded one) starts faster and is what the tests use. Load and soak
runs use `production`: throughput measured on a development server says nothing about Cloud.
`--extra name=path/main.py:target` mounts one more HTTP function (the load run's hello-world
ceiling), served by the same server in the same process as the product's functions.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import io
import logging
import mimetypes
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import flask
import functions_framework
import httpx
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from adgenius.manifest import MANIFEST, FunctionKind, Manifest
from adgenius.observability import configure_logging

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_TRIGGER_PATH = re.compile(r"^/functions/projects/[^/]+/triggers/(?P<key>[^/]+)/?$")

log = logging.getLogger("adgenius.functions_host")


def _slash_root(app: WsgiApp) -> WsgiApp:
    """`POST /fn` reaches the mounted app with an empty PATH_INFO; Flask would redirect it."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO"):
            environ["PATH_INFO"] = "/"
        return app(environ, start_response)

    return wrapped


def _decode_trigger_body(body: bytes) -> bytes:
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return body  # already raw protobuf (what Eventarc sends)


class TriggerRouter:
    """Receives the Firestore emulator's trigger calls and forwards them to the function."""

    def __init__(self, apps: dict[str, WsgiApp], fallback: WsgiApp) -> None:
        self.apps = apps
        self.fallback = fallback

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        match = _TRIGGER_PATH.match(environ.get("PATH_INFO", ""))
        if not match:
            return self.fallback(environ, start_response)
        key = match.group("key")
        app = self.apps.get(key)
        if app is None:
            return Response(f"no trigger {key}", status=404)(environ, start_response)
        request = Request(environ)
        body = _decode_trigger_body(request.get_data())
        environ = dict(environ)
        environ["PATH_INFO"] = "/"
        environ["SCRIPT_NAME"] = f"/{key}"
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["CONTENT_TYPE"] = "application/protobuf"
        return app(environ, start_response)


class StaticSite:
    """Serves the built web app (web/dist) and its runtime config at the host's root."""

    def __init__(self, root: Path | None, config_json: str | None) -> None:
        self.root = root
        self.config_json = config_json

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/__health":
            return Response("ok")(environ, start_response)
        if path == "/app-config.json" and self.config_json:
            resp = Response(self.config_json, mimetype="application/json")
            resp.headers["Cache-Control"] = "no-store"
            return resp(environ, start_response)
        if self.root is None or not (self.root / "index.html").exists():
            return Response("not found", status=404)(environ, start_response)
        candidate = (self.root / path.lstrip("/")).resolve()
        if not str(candidate).startswith(str(self.root.resolve())) or not candidate.is_file():
            candidate = self.root / "index.html"  # single-page app: routes fall back to index
        mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        resp = Response(candidate.read_bytes(), mimetype=mime)
        if "/assets/" in path:
            resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return resp(environ, start_response)


# Hop-by-hop headers and those the forwarded body's length and encoding decide.
_NOT_FORWARDED = {"host", "connection", "content-length", "transfer-encoding", "content-encoding"}


def forwarded(url: str) -> WsgiApp:
    """A function served by another process: a deploy bundle installed in its own venv and run
    by functions-framework, as Cloud Functions runs it (tests/bundles)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        query = environ.get("QUERY_STRING", "")
        reply = httpx.request(
            request.method,
            f"{url.rstrip('/')}{request.path}" + (f"?{query}" if query else ""),
            content=request.get_data(),
            headers=[(k, v) for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED],
            timeout=600,
        )
        headers = [(k, v) for k, v in reply.headers.items() if k.lower() not in _NOT_FORWARDED]
        return Response(reply.content, status=reply.status_code, headers=headers)(
            environ, start_response
        )

    return app


def parse_extra(value: str) -> tuple[str, Path, str]:
    """`name=path/main.py:target` -> (name, path, target)."""
    name, eq, rest = value.partition("=")
    source, colon, target = rest.rpartition(":")
    if not (eq and colon and name and source and target):
        raise argparse.ArgumentTypeError(f"expected name=path/main.py:target, got {value!r}")
    return name, Path(source), target


def build_host(
    manifest: Manifest = MANIFEST,
    *,
    web_root: Path | None = None,
    app_config_json: str | None = None,
    forward: dict[str, str] | None = None,
    extra: Sequence[tuple[str, Path, str]] = (),
) -> WsgiApp:
    apps: dict[str, WsgiApp] = {}
    for spec in manifest.functions:
        if forward and spec.name in forward:
            apps[spec.name] = _slash_root(forwarded(forward[spec.name]))
            continue
        source = spec.source_dir / "main.py"
        app = functions_framework.create_app(
            target=spec.entry_point, source=str(source), signature_type=spec.signature_type
        )
        apps[spec.name] = _slash_root(app)
    for name, source, target in extra:
        if name in apps:
            raise ValueError(f"--extra {name}: the manifest already has a function of that name")
        app = functions_framework.create_app(target=target, source=str(source))
        apps[name] = _slash_root(app)
    triggers = {f.name: apps[f.name] for f in manifest.by_kind(FunctionKind.FIRESTORE)}
    site = StaticSite(web_root, app_config_json)
    dispatcher = DispatcherMiddleware(site, {f"/{name}": app for name, app in apps.items()})
    return TriggerRouter(triggers, dispatcher)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--web-root", type=Path, default=None)
    parser.add_argument("--app-config", type=Path, default=None)
    parser.add_argument(
        "--functions", default="", help="comma-separated subset of the manifest (default: all)"
    )
    parser.add_argument(
        "--forward",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="serve function NAME by forwarding its requests to URL (another process)",
    )
    parser.add_argument("--server", choices=SERVERS, default="dev")
    parser.add_argument("--extra", type=parse_extra, action="append", default=[])
    args = parser.parse_args()
    configure_logging()
    config = args.app_config.read_text() if args.app_config and args.app_config.exists() else None
    manifest = MANIFEST
    if args.functions:
        wanted = set(args.functions.split(","))
        manifest = MANIFEST.model_copy(
            update={"functions": [f for f in MANIFEST.functions if f.name in wanted]}
        )
    forward = dict(item.split("=", 1) for item in args.forward)
    app = build_host(
        manifest, web_root=args.web_root, app_config_json=config, forward=forward, extra=args.extra
    )
    log.info("functions host (%s server) listening on %s:%s", args.server, args.host, args.port)
    if args.server == "production":
        serve_production(app, args.host, args.port)
    else:
        run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


SERVERS = ("dev", "production")


def serve_production(app: WsgiApp, host: str, port: int) -> None:
    """functions-framework's own production server, exactly as `functions-framework --target`
    starts it in Cloud Functions: gunicorn's threaded worker, 1 worker, THREADS threads (default
    4 per core), no timeout. It only takes a Flask app, so the host is wrapped in one."""
    from functions_framework._http import create_server

    wrapper = flask.Flask("adgenius-functions-host")
    wrapper.wsgi_app = app  # type: ignore[method-assign,assignment]
    create_server(wrapper, False).run(host, port)


if __name__ == "__main__":
    main()

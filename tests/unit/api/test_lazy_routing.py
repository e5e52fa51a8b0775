"""The request pipeline imports only what a request needs: the route index says which module
declares each endpoint, and a request refused before its handler matters imports no route module,
no pydantic and no Google client at all (what keeps the API's cold start near a hello-world's;
see bench/coldstart_bench.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from adgenius.api import route_index
from adgenius.api.errors import ApiError, body_of
from adgenius.api.openapi import ErrorBody
from adgenius.tenancy.errors import FieldProblem, Unauthenticated

MAIN = Path(__file__).resolve().parents[3] / "functions/api/main.py"

# Loaded by requests that need data or a handler, never by one refused before that.
NOT_ON_AN_EARLY_ANSWER = [
    "pydantic",
    "pydantic_settings",
    "google.cloud.firestore",
    "grpc",
    "firebase_admin",
    "adgenius.settings",
    "adgenius.api.routing",
    "adgenius.api.routes",
    "adgenius.tenancy.store",
]

PROBE = textwrap.dedent(
    """
    import json, sys
    import functions_framework
    app = functions_framework.create_app(target="api", source=sys.argv[1], signature_type="http")
    client = app.test_client()
    out = {}
    for method, path, headers in json.loads(sys.argv[2]):
        status = client.open(path, method=method, headers=headers).status_code
        out[f"{method} {path} {sorted(headers)}"] = [status, sorted(
            m for m in sys.modules
            if any(m == w or m.startswith(w + ".") for w in json.loads(sys.argv[3]))
        )]
    print(json.dumps(out))
    """
)


def _probe(requests: list[tuple[str, str, dict[str, str]]]) -> dict[str, list]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            str(MAIN),
            json.dumps(requests),
            json.dumps(NOT_ON_AN_EARLY_ANSWER),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "ADGENIUS_MODE": "local"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, list] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_requests_refused_early_import_no_route_pydantic_or_google_client() -> None:
    seen = _probe(
        [
            ("GET", "/v1/brands", {}),  # no credentials on a tenant route: 401
            ("POST", "/v1/tenants", {}),  # no credentials on a user route: 401
            ("GET", "/v1/no-such-thing", {}),  # 404
            ("DELETE", "/v1/me", {}),  # 405
            ("OPTIONS", "/v1/brands", {"Origin": "http://localhost:5173"}),  # preflight
        ]
    )
    assert [status for status, _ in seen.values()] == [401, 401, 404, 405, 204]
    for request, (_, modules) in seen.items():
        assert not modules, f"{request} loaded {modules}"


def test_a_request_imports_its_route_module_only_and_the_contract_stays_whole() -> None:
    seen = _probe([("GET", "/v1/openapi.json", {})])  # public: served, needs every route
    [(status, modules)] = seen.values()
    assert status == 200
    assert "adgenius.api.routes.brands" in modules  # the document covers every router
    seen = _probe([("GET", "/v1/brands", {"X-API-Key": "nodot"})])  # authentication runs
    [(status, modules)] = seen.values()
    assert status == 401
    assert "adgenius.api.routes.brands" not in modules  # refused before the route mattered


def test_route_index_is_what_the_routers_declare() -> None:
    assert route_index.from_routers() == route_index.ROUTES, (
        "the route index is stale: run `python -m adgenius.api.route_index`"
    )
    assert Path(route_index.__file__).read_text() == route_index.render(route_index.ROUTES)


def test_error_body_without_pydantic_is_the_documented_shape() -> None:
    for exc in (
        Unauthenticated("no"),
        ApiError(400, "invalid_request", "bad", details=[FieldProblem("body.name", "required")]),
    ):
        for cid in ("c1", None):
            body = body_of(exc, cid)
            assert ErrorBody.model_validate(body).model_dump(mode="json") == body
            assert body["error"]["code"] == exc.code


def test_every_route_module_is_in_the_static_import_graph() -> None:
    """The routes are imported by name at run time; the bundle's extras are derived from the
    static import graph, which sees them through the TYPE_CHECKING import in routes/__init__."""
    import ast

    from adgenius.api import routes

    tree = ast.parse(Path(routes.__file__).read_text())
    static = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "adgenius.api.routes"
        for alias in node.names
    }
    assert static == set(routes.MODULES)

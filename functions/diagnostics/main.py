"""HTTP: POST starts a diagnostics run (operators only); GET ?run_id= reads it."""

import flask
import functions_framework

from adgenius.diagnostics import auth
from adgenius.observability import configure_logging, correlation, correlation_from_headers

configure_logging()


def _error(status: int, code: str, message: str) -> flask.Response:
    body = {"error": {"code": code, "message": message, "details": []}}
    return flask.make_response(flask.jsonify(body), status)


@functions_framework.http
def diagnostics(request: flask.Request) -> flask.Response:
    with correlation(correlation_from_headers(request.headers)):
        try:
            uid = auth.operator_uid(request.headers.get("Authorization"))
        except auth.NotAuthenticated as exc:
            return _error(401, "unauthenticated", str(exc))
        except auth.NotAuthorized as exc:
            return _error(403, "forbidden", str(exc))
        # Imported here, not at start: what is refused above needs no backend (cold starts).
        from adgenius.diagnostics import pipeline

        if request.method == "POST":
            run_id = pipeline.start_run(uid)
            return flask.make_response(flask.jsonify({"run_id": run_id}), 202)
        if request.method == "GET":
            run_id = request.args.get("run_id", "")
            run = pipeline.read_run(run_id) if run_id else None
            if run is None:
                return _error(404, "not_found", "no such diagnostics run")
            return flask.jsonify(run)
        return _error(405, "method_not_allowed", "use POST or GET")

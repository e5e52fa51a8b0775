"""Cloud Task handler of a diagnostics run."""

import flask
import functions_framework

from adgenius.observability import configure_logging, correlation, correlation_from_headers

configure_logging()


@functions_framework.http
def handle_task(request: flask.Request) -> tuple[str, int]:
    payload = request.get_json(silent=True) or {}
    run_id = payload.get("run_id")
    if not isinstance(run_id, str) or not run_id:
        # A malformed task can never succeed: acknowledge it instead of letting it retry forever.
        return "missing run_id", 200
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.diagnostics import pipeline

    with correlation(correlation_from_headers(request.headers)):
        pipeline.on_task(run_id)
    return "ok", 200

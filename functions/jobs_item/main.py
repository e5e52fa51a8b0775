"""Cloud Task handler: generate one item of a job (all generation queues call it)."""

import flask
import functions_framework
from pydantic import ValidationError

from adgenius import tracing
from adgenius.observability import configure_logging, correlation, correlation_from_headers
from adgenius.pipeline.model import ItemTask

configure_logging()


@functions_framework.http
def handle_item_task(request: flask.Request) -> tuple[dict, int]:
    try:
        task = ItemTask.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        # A malformed task can never succeed: acknowledge it rather than let it retry forever.
        return {"result": "rejected", "errors": exc.errors(include_url=False)}, 200
    # Imported here, not at start: what is refused above needs no backend (cold starts).
    from adgenius.pipeline import steps

    with (
        correlation(correlation_from_headers(request.headers)),
        tracing.span(
            "jobs.item",
            parent=tracing.carrier_from_headers(request.headers),
            kind=tracing.SERVER,
            attributes={
                **steps.job_span_attributes(task.tenant_id, task.job_id, "jobs_item"),
                "adgenius.item_id": task.item_id,
                "adgenius.action": task.action,
                "adgenius.attempt": task.attempt,
            },
        ),
    ):
        # Failures inside are handled (retried with backoff or recorded on the item); an
        # exception escaping here means the process is unhealthy and Cloud Tasks should retry.
        return {"result": steps.on_item_task(task)}, 200

"""Cloud Function `api`: the AdGenius HTTP API. Thin on purpose; see adgenius.api.app."""

from __future__ import annotations

import flask
import functions_framework

from adgenius.api.app import handle


@functions_framework.http
def api(request: flask.Request) -> flask.Response:
    return handle(request)

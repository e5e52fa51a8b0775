"""A hello-world HTTP function: the ceiling the API's throughput is compared with.

Served by the same functions-framework server, in the same process, as the API under load.
"""

from __future__ import annotations

import flask
import functions_framework


@functions_framework.http
def hello(request: flask.Request) -> flask.Response:
    return flask.Response('{"hello":"world"}', mimetype="application/json")

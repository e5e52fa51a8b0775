"""The ceilings the API's throughput is compared with, served by the same functions-framework
server, in the same process, as the API under load.

- `hello`: hello-world, no work at all.
- `floor`: the least any read endpoint does: one Firestore document read (the cheapest way we
  have, `firestore_reads.get`) answered as JSON, with no authentication, validation or logging.
  What the API costs above it is ours; what it costs up to it is the database's and the server's.
"""

from __future__ import annotations

import json

import flask
import functions_framework

from adgenius.cloud import firestore_reads
from adgenius.cloud.clients import firestore_client


@functions_framework.http
def hello(request: flask.Request) -> flask.Response:
    return flask.Response('{"hello":"world"}', mimetype="application/json")


@functions_framework.http
def floor(request: flask.Request) -> flask.Response:
    snap = firestore_reads.get(firestore_client().document(request.args["doc"]))
    return flask.Response(json.dumps(snap.to_dict(), default=str), mimetype="application/json")

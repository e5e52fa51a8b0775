"""A local HTTP server that speaks enough of the Vertex AI REST API for the real google-genai SDK.

Point the SDK at it with `genai.Client(vertexai=True, project=..., location=...,
credentials=google.oauth2.credentials.Credentials(token="fake"),
http_options=types.HttpOptions(base_url=server.base_url))`. Routes (under /v1beta1 or /v1):

  .../publishers/google/models/{m}:generateContent          Gemini text / JSON-schema output
  .../publishers/google/models/{m}:streamGenerateContent    same, as server-sent events
  .../publishers/google/models/{m}:predict                  Imagen (PNG), product recontext,
                                                            text or multimodal embeddings
  .../publishers/google/models/{m}:embedContent             gemini-embedding-* (one text)
  .../publishers/google/models/{m}:predictLongRunning       Veo: starts an operation (text or
                                                            image-to-video)
  .../publishers/google/models/{m}:fetchPredictOperation    Veo: done after N polls, real MP4

Control routes, so another process (local stack, chaos tests) can steer it:
  POST /_faults  {"faults": [Fault...], "seed": 1, "replace": true}   DELETE /_faults
  GET  /_calls   {"routes": {"generateContent": 3}, "models": {"gemini-x:generateContent": 3}}
  POST /_reset   clears faults, counters and operations          GET /_health

Run: `python -m adgenius.testing.fake_vertex --port 8765` prints `fake-vertex ready <url>`.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import re
import signal
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from pydantic import ValidationError

from adgenius.testing import fake_content as content
from adgenius.testing.faults import Fault, FaultPlan

_MODEL_ROUTE = re.compile(
    r"^/v1(?:beta1)?/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/google/models/(?P<model>[^/:]+):(?P<method>\w+)$"
)
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
# HTTP status -> gRPC code, for errors inside a finished long-running operation.
_GRPC_CODES = {400: 3, 403: 7, 404: 5, 429: 8, 500: 13, 503: 14, 504: 4}


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FakeVertexState:
    """Everything the handlers share: faults, call counters and video operations."""

    def __init__(
        self, *, seed: int = 0, video_polls_before_done: int = 1, image_scale: float = 1.0
    ) -> None:
        self.faults = FaultPlan(seed)
        self.video_polls_before_done = video_polls_before_done
        self.image_scale = image_scale
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._routes: collections.Counter[str] = collections.Counter()
        self._models: collections.Counter[str] = collections.Counter()
        self._operations: dict[str, dict[str, Any]] = {}

    def count(self, route: str, model: str) -> None:
        with self._lock:
            self._routes[route] += 1
            self._models[f"{model}:{route}"] += 1

    def calls(self) -> dict[str, Any]:
        with self._lock:
            return {
                "routes": dict(self._routes),
                "models": dict(self._models),
                "total": sum(self._routes.values()),
            }

    def reset(self) -> None:
        self.faults.clear()
        with self._lock:
            self._routes.clear()
            self._models.clear()
            self._operations.clear()

    def add_operation(self, name: str, op: dict[str, Any]) -> None:
        with self._lock:
            self._operations[name] = op

    def poll_operation(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            op = self._operations.get(name)
            if op is not None:
                op["polls"] += 1
                return dict(op)
            return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API
    server: _Server

    # The SDK's httpx client logs enough; keep test output quiet.
    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle plus delayed ACKs
        # add ~40 ms to every call.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def state(self) -> FakeVertexState:
        return self.server.state

    # ------------------------------------------------------------------ plumbing
    def _read_json(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _HttpError(400, f"request body is not JSON: {exc}") from exc

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (timeout); nothing to answer.
            self.close_connection = True

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode())

    def _send_error(self, status: int, message: str) -> None:
        name = _STATUS_NAMES.get(status, "UNKNOWN")
        self._send_json(status, {"error": {"code": status, "message": message, "status": name}})

    # ------------------------------------------------------------------ control routes
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_calls":
            self._send_json(200, self.state.calls())
        elif path in ("/_health", "/"):
            self._send_json(200, {"ok": True})
        elif path == "/_faults":
            self._send_json(200, {"faults": [f.model_dump() for f in self.state.faults.active()]})
        else:
            self._send_error(404, f"no route {path}")

    def do_DELETE(self) -> None:
        if self.path.split("?", 1)[0] == "/_faults":
            self.state.faults.clear()
            self._send_json(200, {"faults": []})
        else:
            self._send_error(404, f"no route {self.path}")

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            body = self._read_json()
            if path == "/_faults":
                try:
                    faults = [Fault.model_validate(f) for f in body.get("faults", [])]
                except ValidationError as exc:
                    raise _HttpError(400, f"bad fault: {exc}") from exc
                self.state.faults.set(
                    faults, seed=body.get("seed"), replace=body.get("replace", True)
                )
                self._send_json(200, {"faults": len(self.state.faults.active())})
                return
            if path == "/_reset":
                self.state.reset()
                self._send_json(200, {"ok": True})
                return
            match = _MODEL_ROUTE.match(path)
            if match is None:
                raise _HttpError(404, f"no route {path}")
            self._model_call(match, query, body)
        except _HttpError as exc:
            self._send_error(exc.status, str(exc))
        except Exception as exc:
            self._send_error(500, f"fake server error: {type(exc).__name__}: {exc}")

    # ------------------------------------------------------------------ model routes
    def _model_call(self, match: re.Match[str], query: str, body: dict[str, Any]) -> None:
        model, method = match["model"], match["method"]
        self.state.count(method, model)
        delay, fault = self.state.faults.fire(method, model)
        if delay > 0 and self.state.stopping.wait(delay):
            return
        if fault is not None and fault.kind == "error":
            raise _HttpError(fault.status, f"injected fault {fault.status} on {method}")
        if fault is not None and fault.kind == "malformed" and method != "generateContent":
            self._send(200, b"<html>not json", "text/html")
            return
        prefix = f"projects/{match['project']}/locations/{match['location']}"
        if method == "generateContent":
            self._send_json(200, _generate_content(model, body, fault))
        elif method == "streamGenerateContent":
            chunks = _stream_chunks(_generate_content(model, body, fault))
            payload = "".join(f"data: {json.dumps(c)}\r\n\r\n" for c in chunks)
            self._send(200, payload.encode(), "text/event-stream")
        elif method == "predict":
            self._send_json(200, _predict(body, fault, self.state.image_scale))
        elif method == "embedContent":
            self._send_json(200, _embed_content(body))
        elif method == "predictLongRunning":
            self._send_json(200, self._start_video(prefix, model, body, fault))
        elif method == "fetchPredictOperation":
            self._send_json(200, self._fetch_video(body, fault))
        else:
            raise _HttpError(404, f"method {method} is not faked")

    def _start_video(
        self, prefix: str, model: str, body: dict[str, Any], fault: Fault | None
    ) -> dict[str, Any]:
        instance = (body.get("instances") or [{}])[0]
        params = body.get("parameters") or {}
        if not instance.get("prompt") and not instance.get("image"):
            raise _HttpError(400, "instances[0].prompt is required")
        still = _video_first_frame(instance.get("image"))
        name = f"{prefix}/publishers/google/models/{model}/operations/{uuid.uuid4()}"
        self.state.add_operation(
            name,
            {
                "polls": 0,
                "aspect_ratio": params.get("aspectRatio", "16:9"),
                "duration_s": int(params.get("durationSeconds", 8)),
                "storage_uri": params.get("storageUri"),
                "count": int(params.get("sampleCount", 1)),
                "safety": fault.reason if fault is not None and fault.kind == "safety" else None,
                "still": still,
            },
        )
        return {"name": name}

    def _fetch_video(self, body: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
        name = body.get("operationName", "")
        op = self.state.poll_operation(name)
        if op is None:
            raise _HttpError(404, f"operation {name} not found")
        if op["polls"] <= self.state.video_polls_before_done:
            return {"name": name}
        if fault is not None and fault.kind == "operation_error":
            code = _GRPC_CODES.get(fault.status, 13)
            return {"name": name, "done": True, "error": {"code": code, "message": fault.reason}}
        safety = op["safety"] or (fault.reason if fault and fault.kind == "safety" else None)
        response: dict[str, Any] = {
            "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
            "raiMediaFilteredCount": op["count"] if safety else 0,
        }
        if safety:
            response["raiMediaFilteredReasons"] = [safety]
            response["videos"] = []
        elif op["storage_uri"]:
            base = op["storage_uri"].rstrip("/")
            response["videos"] = [
                {"gcsUri": f"{base}/sample_{i}.mp4", "mimeType": "video/mp4"}
                for i in range(op["count"])
            ]
        else:
            clip = content.mp4_video(op["aspect_ratio"], op["duration_s"], op["still"])
            data = base64.b64encode(clip)
            video = {"bytesBase64Encoded": data.decode(), "mimeType": "video/mp4"}
            response["videos"] = [video] * op["count"]
        return {"name": name, "done": True, "response": response}


# ---------------------------------------------------------------------- payload builders
def _decoded_image(image: Any, where: str, mime_types: tuple[str, ...]) -> bytes:
    """The bytes of an `Image` in a request, checked as Vertex does (inline bytes, a type)."""
    if not isinstance(image, dict):
        raise _HttpError(400, f"{where} must be an object")
    if image.get("gcsUri"):
        raise _HttpError(400, f"{where}.gcsUri is not faked: send bytesBase64Encoded")
    try:
        data = base64.b64decode(image["bytesBase64Encoded"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise _HttpError(400, f"{where}.bytesBase64Encoded is required") from exc
    mime = image.get("mimeType")
    if mime is not None and mime not in mime_types:
        raise _HttpError(400, f"{where}.mimeType {mime!r} is not supported")
    if not data:
        raise _HttpError(400, f"{where} is empty")
    return data


def _video_first_frame(image: Any) -> bytes | None:
    """Veo image-to-video: the first frame must be a readable PNG or JPEG with its type."""
    if image is None:
        return None
    if isinstance(image, dict) and not image.get("mimeType"):
        raise _HttpError(400, "instances[0].image.mimeType is required")
    data = _decoded_image(image, "instances[0].image", ("image/png", "image/jpeg"))
    try:
        content.check_image(data)
    except (OSError, ValueError) as exc:
        raise _HttpError(400, f"instances[0].image is not a readable image: {exc}") from exc
    return data


def _texts(contents: list[dict[str, Any]] | dict[str, Any] | None) -> str:
    if isinstance(contents, dict):
        contents = [contents]
    return "\n".join(
        part.get("text", "") for item in contents or [] for part in item.get("parts", [])
    )


def _generate_content(model: str, body: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
    prompt = _texts(body.get("contents"))
    system = _texts(body.get("systemInstruction"))
    config = body.get("generationConfig") or {}
    seed = config.get("seed")
    usage = {"promptTokenCount": content.count_tokens(system + prompt)}
    if fault is not None and fault.kind == "safety" and fault.safety_mode == "prompt":
        usage["totalTokenCount"] = usage["promptTokenCount"]
        return {
            "promptFeedback": {
                "blockReason": fault.reason,
                "blockReasonMessage": "Prompt blocked by the fake safety filter.",
            },
            "usageMetadata": usage,
            "modelVersion": model,
        }
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if fault is not None and fault.kind == "malformed":
        text = '{"truncated": "this is not valid JSON'
    elif schema is not None:
        text = json.dumps(content.json_for_schema(schema, prompt, seed))
    elif config.get("responseMimeType") == "application/json":
        text = json.dumps({"text": content.text_reply(prompt, system, seed)})
    else:
        text = content.text_reply(prompt, system, seed)
    finish = "STOP"
    ratings: list[dict[str, Any]] = []
    if fault is not None and fault.kind == "safety":  # safety_mode == "finish"
        finish, text = "SAFETY", ""
        ratings = [
            {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}
        ]
    usage["candidatesTokenCount"] = content.count_tokens(text)
    usage["totalTokenCount"] = usage["promptTokenCount"] + usage["candidatesTokenCount"]
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": []}, "finishReason": finish}
    if text:
        candidate["content"]["parts"] = [{"text": text}]
    if ratings:
        candidate["safetyRatings"] = ratings
    return {"candidates": [candidate], "usageMetadata": usage, "modelVersion": model}


def _stream_chunks(response: dict[str, Any]) -> list[dict[str, Any]]:
    """Split one response into a few SSE chunks; usage and finish reason on the last."""
    candidates = response.get("candidates") or []
    parts = candidates[0]["content"]["parts"] if candidates else []
    text = parts[0]["text"] if parts else ""
    if not text:
        return [response]
    step = max(1, len(text) // 3 + 1)
    pieces = [text[i : i + step] for i in range(0, len(text), step)]
    chunks = []
    for i, piece in enumerate(pieces):
        cand: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": piece}]}}
        chunk: dict[str, Any] = {"candidates": [cand], "modelVersion": response["modelVersion"]}
        if i == len(pieces) - 1:
            cand["finishReason"] = candidates[0].get("finishReason", "STOP")
            chunk["usageMetadata"] = response["usageMetadata"]
        chunks.append(chunk)
    return chunks


def _predict(body: dict[str, Any], fault: Fault | None, image_scale: float) -> dict[str, Any]:
    instances = body.get("instances") or []
    params = body.get("parameters") or {}
    if not instances:
        raise _HttpError(400, "instances must not be empty")
    if "content" in instances[0]:  # text-embedding-00x
        dim = int(params.get("outputDimensionality") or 768)
        predictions = []
        for inst in instances:
            text = inst.get("content", "")
            predictions.append(
                {
                    "embeddings": {
                        "values": content.embedding(text, dim),
                        "statistics": {
                            "token_count": content.count_tokens(text),
                            "truncated": False,
                        },
                    }
                }
            )
        return {"predictions": predictions, "metadata": {"billableCharacterCount": 0}}
    if "image" in instances[0] or "text" in instances[0]:  # multimodalembedding@001
        return _multimodal_embedding(instances, params)
    if "productImages" in instances[0]:  # Imagen product recontext (recontext_image)
        return _recontext(instances[0], params, fault, image_scale)
    prompt = instances[0].get("prompt")
    if not prompt:
        raise _HttpError(400, "instances[0].prompt is required")
    count = int(params.get("sampleCount", 1))
    if not 1 <= count <= 4:
        raise _HttpError(400, "sampleCount must be between 1 and 4")
    if fault is not None and fault.kind == "safety":
        if not params.get("includeRaiReason"):
            return {}  # production returns no predictions at all without includeRaiReason
        return {"predictions": [{"raiFilteredReason": fault.reason}] * count}
    aspect = params.get("aspectRatio", "1:1")
    images = [
        {
            "bytesBase64Encoded": base64.b64encode(
                content.png_image(prompt, aspect, params.get("seed"), i, image_scale)
            ).decode(),
            "mimeType": "image/png",  # always PNG, whatever outputOptions asked
        }
        for i in range(count)
    ]
    return {"predictions": images}


def _recontext(
    instance: dict[str, Any], params: dict[str, Any], fault: Fault | None, image_scale: float
) -> dict[str, Any]:
    products = instance.get("productImages") or []
    if not 1 <= len(products) <= 3:
        raise _HttpError(400, "productImages must hold one to three images")
    try:
        first = base64.b64decode(products[0]["image"]["bytesBase64Encoded"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise _HttpError(400, "productImages[0].image.bytesBase64Encoded is required") from exc
    count = int(params.get("sampleCount", 1))
    if not 1 <= count <= 4:
        raise _HttpError(400, "sampleCount must be between 1 and 4")
    if fault is not None and fault.kind == "safety":
        if not params.get("includeRaiReason"):
            return {}  # as production: filtered images vanish without includeRaiReason
        return {"predictions": [{"raiFilteredReason": fault.reason}] * count}
    prompt = str(instance.get("prompt") or "")
    try:
        images = [
            content.recontext_png(prompt, first, params.get("seed"), i, image_scale)
            for i in range(count)
        ]
    except (OSError, ValueError) as exc:
        raise _HttpError(400, f"productImages[0] is not a readable image: {exc}") from exc
    return {
        "predictions": [
            {"bytesBase64Encoded": base64.b64encode(data).decode(), "mimeType": "image/png"}
            for data in images
        ]
    }


def _multimodal_embedding(
    instances: list[dict[str, Any]], params: dict[str, Any]
) -> dict[str, Any]:
    """multimodalembedding@001: one instance per request, image and/or text, 128-1408 dims.

    The vectors are deterministic and share one space: a picture's vector is the embedding of
    the names of its main colours, a text's that of its words, so "a red mug" lands near a
    photo of a red product (what a test of the choosing needs, without a model)."""
    if len(instances) != 1:
        raise _HttpError(400, "multimodalembedding takes exactly one instance per request")
    dim = int(params.get("dimension") or 1408)
    if dim not in (128, 256, 512, 1408):
        raise _HttpError(400, "parameters.dimension must be 128, 256, 512 or 1408")
    instance = instances[0]
    prediction: dict[str, Any] = {}
    if "image" in instance:
        data = _decoded_image(
            instance["image"],
            "instances[0].image",
            ("image/png", "image/jpeg", "image/gif", "image/bmp"),
        )
        try:
            words = content.colour_words(data)
        except (OSError, ValueError) as exc:
            raise _HttpError(400, f"instances[0].image is not a readable image: {exc}") from exc
        prediction["imageEmbedding"] = content.embedding(" ".join(words), dim)
    if "text" in instance:
        text = str(instance["text"] or "")
        if not text.strip():
            raise _HttpError(400, "instances[0].text must not be empty")
        prediction["textEmbedding"] = content.embedding(text, dim)
    return {"predictions": [prediction], "deployedModelId": "fake"}


def _embed_content(body: dict[str, Any]) -> dict[str, Any]:
    text = _texts(body.get("content"))
    dim = int((body.get("embedContentConfig") or {}).get("outputDimensionality") or 3072)
    return {
        "embedding": {"values": content.embedding(text, dim)},
        "usageMetadata": {"promptTokenCount": content.count_tokens(text)},
    }


# ---------------------------------------------------------------------- server object
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: FakeVertexState) -> None:
        super().__init__(address, _Handler)
        self.state = state


class FakeVertexServer:
    """In-process handle: start/stop, base_url, faults and call counters.

    >>> with FakeVertexServer() as fake:
    ...     fake.add_faults(Fault(route="generateContent", kind="error", status=429, times=1))
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        seed: int = 0,
        video_polls_before_done: int = 1,
        image_scale: float = 1.0,
    ) -> None:
        self.state = FakeVertexState(
            seed=seed, video_polls_before_done=video_polls_before_done, image_scale=image_scale
        )
        self._httpd = _Server((host, port), self.state)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        assert isinstance(host, str)  # an AF_INET server's address is (host, port)
        return f"http://{host}:{self.port}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="fake-vertex", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.stopping.set()  # wake handlers sleeping on a delay fault
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # steering -----------------------------------------------------------------
    def set_faults(self, *faults: Fault, seed: int | None = None) -> None:
        """Replace the active faults."""
        self.state.faults.set(list(faults), seed=seed)

    def add_faults(self, *faults: Fault) -> None:
        self.state.faults.set(list(faults), replace=False)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def calls(self, route: str | None = None) -> Any:
        """All counters, or the number of requests to one route."""
        counts = self.state.calls()
        return counts if route is None else counts["routes"].get(route, 0)

    def reset(self) -> None:
        self.state.reset()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Vertex AI server for local runs and tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0, help="seed for probabilistic faults")
    parser.add_argument("--video-polls", type=int, default=1, help="fetches before Veo is done")
    parser.add_argument(
        "--image-scale", type=float, default=1.0, help="fraction of Imagen's real image size"
    )
    args = parser.parse_args(argv)
    server = FakeVertexServer(
        args.host,
        args.port,
        seed=args.seed,
        video_polls_before_done=args.video_polls,
        image_scale=args.image_scale,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    server.start()
    print(f"fake-vertex ready {server.base_url}", flush=True)
    try:
        while not done.wait(0.5):  # a timed wait keeps Ctrl-C responsive
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()

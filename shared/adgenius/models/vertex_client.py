"""The google-genai client in Vertex mode, and translation of its failures into typed errors.

Retries: we use the SDK's own `HttpRetryOptions` rather than wrapping calls in tenacity
ourselves. The SDK runs tenacity inside its transport (`wait_exponential_jitter`), per HTTP
request, on 408/429/5xx and on httpx timeouts/connection errors. That retries exactly the failed
request (a Veo poll, one generateContent), keeps one retry layer instead of two nested ones, and
gives up by re-raising the last error, which `translate_errors` then classifies. The only retry
we add on top is semantic: re-asking once when structured output does not validate.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
from collections.abc import Iterator
from urllib.parse import urlparse

import google.auth.credentials
import google.oauth2.credentials
from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from pydantic import BaseModel, ConfigDict, Field

from adgenius.models.errors import ModelError, PermanentModelError, TransientModelError

try:  # the SDK may use httpx or its fork httpx2; both raise their own timeout classes
    import httpx2

    _HTTPX_MODULES: tuple = (__import__("httpx"), httpx2)
except ImportError:  # pragma: no cover - depends on the installed SDK
    _HTTPX_MODULES = (__import__("httpx"),)

_TIMEOUT_ERRORS = tuple(m.TimeoutException for m in _HTTPX_MODULES)
_NETWORK_ERRORS = tuple(m.TransportError for m in _HTTPX_MODULES)
_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# Token sent to a local fake server; it never reaches Google.
_FAKE_TOKEN = "adgenius-local-fake-vertex"


class VertexConfig(BaseModel):
    """Where and how to call Vertex AI. The lead's factory fills this from settings."""

    model_config = ConfigDict(frozen=True)

    project: str
    location: str = "us-central1"
    base_url: str | None = None  # e.g. the fake server's http://127.0.0.1:PORT
    timeout_s: float = Field(default=60.0, gt=0)  # per HTTP request
    retry_attempts: int = Field(default=4, ge=1)  # including the first try
    retry_initial_delay_s: float = Field(default=1.0, ge=0)
    retry_max_delay_s: float = Field(default=30.0, ge=0)
    retry_jitter_s: float = Field(default=1.0, ge=0)
    # None: use a static dummy token when base_url is a loopback address, else ADC.
    fake_credentials: bool | None = None

    def uses_fake_credentials(self) -> bool:
        if self.fake_credentials is not None:
            return self.fake_credentials
        if not self.base_url:
            return False
        host = urlparse(self.base_url).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


_SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)


def credentials_for(config: VertexConfig) -> google.auth.credentials.Credentials | None:
    """A static dummy token for a local fake server; None means Application Default
    Credentials (what the SDK looks up itself)."""
    if config.uses_fake_credentials():
        return google.oauth2.credentials.Credentials(token=_FAKE_TOKEN)
    return None


def rest_credentials(config: VertexConfig) -> google.auth.credentials.Credentials:
    """Credentials for the Vertex REST calls the SDK has no method for (the same auth the SDK
    uses: the fake token locally, Application Default Credentials in the cloud)."""
    fake = credentials_for(config)
    if fake is not None:
        return fake
    import google.auth

    credentials, _ = google.auth.default(scopes=list(_SCOPES))
    return credentials


def make_client(
    config: VertexConfig, credentials: google.auth.credentials.Credentials | None = None
) -> genai.Client:
    """A Vertex-mode client; with a local base_url it needs no Google credentials.

    Found by experiment: `AnonymousCredentials` fails ("cannot be refreshed") because the SDK
    refreshes credentials that have no token. An OAuth2 `Credentials` carrying a static token and
    no expiry is never refreshed, so the SDK just sends `Authorization: Bearer <token>`.
    """
    if credentials is None:
        credentials = credentials_for(config)
    http_options = types.HttpOptions(
        base_url=config.base_url,
        timeout=int(config.timeout_s * 1000),  # the SDK takes milliseconds
        retry_options=types.HttpRetryOptions(
            attempts=config.retry_attempts,
            initial_delay=config.retry_initial_delay_s,
            max_delay=config.retry_max_delay_s,
            exp_base=2.0,
            jitter=config.retry_jitter_s,
            http_status_codes=sorted(_TRANSIENT_STATUS),
        ),
    )
    return genai.Client(
        vertexai=True,
        project=config.project,
        location=config.location,
        credentials=credentials,
        http_options=http_options,
    )


class VertexModel:
    """What every Vertex-backed model holds: one google-genai client and the model's name."""

    def __init__(self, config: VertexConfig, model: str, client: genai.Client | None) -> None:
        self._client = client or make_client(config)
        self._model = model

    @property
    def name(self) -> str:
        return self._model


def classify(exc: BaseException, model: str) -> ModelError:
    """Map an SDK/transport failure to Transient or Permanent."""
    if isinstance(exc, ModelError):
        return exc
    if isinstance(exc, genai_errors.APIError):
        code = int(exc.code or 0)
        cls = TransientModelError if code in _TRANSIENT_STATUS or code >= 500 else None
        message = f"{model}: HTTP {code} {exc.status or ''} {exc.message or ''}".strip()
        return (cls or PermanentModelError)(
            message, model=model, status_code=code, status=exc.status
        )
    if isinstance(exc, genai_errors.UnknownApiResponseError | json.JSONDecodeError):
        # A 200 whose body is not JSON (the SDK json.loads it unguarded): a proxy or server
        # hiccup, not our request's fault.
        return TransientModelError(
            f"{model}: unreadable response: {exc}", model=model, status="BAD_RESPONSE"
        )
    if isinstance(exc, _TIMEOUT_ERRORS):
        return TransientModelError(f"{model}: timed out: {exc!r}", model=model, status="TIMEOUT")
    if isinstance(exc, _NETWORK_ERRORS):
        return TransientModelError(f"{model}: network: {exc!r}", model=model, status="NETWORK")
    return PermanentModelError(f"{model}: {type(exc).__name__}: {exc}", model=model)


@contextlib.contextmanager
def translate_errors(model: str) -> Iterator[None]:
    """Run an SDK call; re-raise its failure (after the SDK's retries) as a typed error."""
    try:
        yield
    except ModelError:
        raise
    except (
        genai_errors.APIError,
        genai_errors.UnknownApiResponseError,
        json.JSONDecodeError,
    ) as exc:
        raise classify(exc, model) from exc
    except _NETWORK_ERRORS as exc:
        raise classify(exc, model) from exc

"""Cloud (`gcp`) mode: how ID tokens are verified in production, and that no emulator variable can
switch that off.

The production path is exercised for real: firebase-admin fetches the signing certificates over
HTTP (here from a local server holding a certificate we made, in place of Google's URL) and checks
RS256 signatures, `kid`, expiry, audience and issuer. No emulator variable is set in these tests.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import firebase_admin
import functions_framework
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from firebase_admin import _token_gen
from flask.testing import FlaskClient
from google.auth import crypt
from google.auth import jwt as google_jwt

from adgenius.cloud.clients import reset_clients
from adgenius.settings import (
    EMULATOR_VARIABLES,
    EmulatorInCloudError,
    get_settings,
    refuse_emulators_in_cloud,
    reset_settings_cache,
)
from adgenius.tenancy import auth
from adgenius.tenancy.errors import Unauthenticated

REPO = Path(__file__).resolve().parents[3]
API_MAIN = REPO / "functions/api/main.py"


def _key_and_cert() -> tuple[bytes, bytes]:
    """An RSA key and a self-signed certificate for it (PEM), like Google's token signing keys."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "securetoken.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem_key, cert.public_bytes(serialization.Encoding.PEM)


class Signer:
    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.key_pem, self.cert_pem = _key_and_cert()

    def sign(self, payload: dict[str, Any]) -> str:
        signer = crypt.RSASigner.from_string(self.key_pem, key_id=self.kid)
        return google_jwt.encode(signer, payload).decode()


class CertServer:
    """Serves {kid: certificate} as https://www.googleapis.com/robot/v1/metadata/x509/... does."""

    def __init__(self, certs: dict[str, str]) -> None:
        body = json.dumps(certs).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "public, max-age=3600")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/certs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


PROJECT = f"adgenius-prod-{uuid.uuid4().hex[:6]}"
TRUSTED = Signer("trusted-kid")


@pytest.fixture(scope="module")
def cloud_mode(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """gcp mode, no emulator variable, Google's certificate URL pointing at our CertServer, and
    application default credentials (a service account file, as a function instance has; used
    only to build the auth client, never to call Google)."""
    saved = dict(os.environ)
    adc = tmp_path_factory.mktemp("adc") / "service-account.json"
    adc.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "private_key_id": "test",
                "private_key": Signer("sa").key_pem.decode(),
                "client_email": f"functions@{PROJECT}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "http://127.0.0.1:9/token",  # unreachable: never called
            }
        )
    )
    server = CertServer({TRUSTED.kid: TRUSTED.cert_pem.decode()})
    original_cert_uri = _token_gen.ID_TOKEN_CERT_URI
    try:
        for name in EMULATOR_VARIABLES:
            os.environ.pop(name, None)
        os.environ.update(
            ADGENIUS_MODE="gcp",
            ADGENIUS_PROJECT_ID=PROJECT,
            GOOGLE_APPLICATION_CREDENTIALS=str(adc),
        )
        _token_gen.ID_TOKEN_CERT_URI = server.url  # read when the app's verifier is built
        reset_settings_cache()
        reset_clients()
        assert not get_settings().is_local
        yield
    finally:
        _token_gen.ID_TOKEN_CERT_URI = original_cert_uri
        for app_name in [f"adgenius-{PROJECT}"]:
            with contextlib.suppress(ValueError):
                firebase_admin.delete_app(firebase_admin.get_app(app_name))
        os.environ.clear()
        os.environ.update(saved)
        reset_settings_cache()
        reset_clients()
        server.stop()


def _claims(**over: Any) -> dict[str, Any]:
    now = int(time.time())
    uid = f"user-{uuid.uuid4().hex[:8]}"
    claims = {
        "iss": f"https://securetoken.google.com/{PROJECT}",
        "aud": PROJECT,
        "sub": uid,
        "user_id": uid,
        "iat": now - 10,
        "exp": now + 3600,
        "auth_time": now - 10,
        "email": f"{uid}@example.com",
        "email_verified": True,
        "tenant_id": "t1",
        "role": "owner",
        "firebase": {"sign_in_provider": "password", "identities": {}},
    }
    return {**claims, **over}


def _unsigned(payload: dict[str, Any], **header: Any) -> str:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'none', 'typ': 'JWT', **header})}.{b64(payload)}."


def test_a_correctly_signed_token_is_accepted(cloud_mode: None) -> None:
    claims = _claims()
    verified = auth.verify_id_token(TRUSTED.sign(claims))
    assert verified["uid"] == claims["sub"]
    assert verified["tenant_id"] == "t1"


@functools.cache
def _rejected_tokens() -> dict[str, str]:
    now = int(time.time())
    foreign_same_kid, foreign_other_kid = Signer(TRUSTED.kid), Signer("foreign-kid")
    return {
        # what the Auth emulator issues, and what the review sent
        "unsigned_alg_none": _unsigned(_claims()),
        "unsigned_alg_none_with_kid": _unsigned(_claims(), kid=TRUSTED.kid),
        "foreign_key_same_kid": foreign_same_kid.sign(_claims()),
        "foreign_key_unknown_kid": foreign_other_kid.sign(_claims()),
        "expired": TRUSTED.sign(_claims(iat=now - 7200, auth_time=now - 7200, exp=now - 3600)),
        "wrong_audience": TRUSTED.sign(_claims(aud="someone-elses-project")),
        "wrong_issuer": TRUSTED.sign(
            _claims(iss="https://securetoken.google.com/someone-elses-project")
        ),
        "tampered_payload": _tamper(TRUSTED.sign(_claims(role="viewer"))),
        "issued_in_the_future": TRUSTED.sign(_claims(iat=now + 3600, exp=now + 7200)),
    }


def _tamper(token: str) -> str:
    """The trusted signature over a payload edited afterwards (role viewer -> owner)."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["role"] = "owner"
    edited = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{header}.{edited}.{signature}"


REJECTED = sorted(_rejected_tokens())


@pytest.mark.parametrize("case", REJECTED)
def test_bad_tokens_are_rejected(cloud_mode: None, case: str) -> None:
    with pytest.raises(Unauthenticated):
        auth.verify_id_token(_rejected_tokens()[case])


@pytest.fixture(scope="module")
def api(cloud_mode: None) -> FlaskClient:
    return functions_framework.create_app("api", str(API_MAIN), "http").test_client()


@pytest.mark.parametrize("case", REJECTED)
def test_bad_tokens_are_401_through_the_api(api: FlaskClient, case: str) -> None:
    response = api.get("/v1/me", headers={"Authorization": f"Bearer {_rejected_tokens()[case]}"})
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["error"]["code"] == "unauthenticated"


def test_an_emulator_variable_appearing_later_stops_verification(
    cloud_mode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST on every call; if it ever appeared in a
    running cloud instance, unsigned tokens would pass. We refuse to verify instead."""
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    with pytest.raises(EmulatorInCloudError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        auth.verify_id_token(_unsigned(_claims()))


@pytest.mark.parametrize("variable", EMULATOR_VARIABLES)
def test_cloud_mode_refuses_any_emulator_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    for name in EMULATOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "127.0.0.1:8085")
    with pytest.raises(EmulatorInCloudError, match=variable):
        refuse_emulators_in_cloud("gcp")
    refuse_emulators_in_cloud("local")  # the local stack runs on exactly these


def test_a_cloud_function_with_an_emulator_variable_fails_to_start() -> None:
    """The API's entry, imported as Cloud Functions would, with the review's configuration."""
    env = {
        "PATH": os.environ["PATH"],
        "ADGENIUS_MODE": "gcp",
        "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099",
    }
    run = subprocess.run(
        [sys.executable, "-c", f"import runpy; runpy.run_path({str(API_MAIN)!r})"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "EmulatorInCloudError" in run.stderr
    assert "FIREBASE_AUTH_EMULATOR_HOST" in run.stderr
    # (The same entry starts in gcp mode without the variable: the `api` fixture above.)

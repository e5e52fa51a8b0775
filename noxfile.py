"""Developer and CI entry points. Quick start: `python3 -m pip install nox`, then

nox -s dev     # the product locally: emulators, functions host, web app; Ctrl-C stops all
nox -s tests   # unit + integration (+ web) tests against the real emulators
nox -s lint    # ruff check, ruff format --check, mypy of shared/, the import layers
nox -s bench   # benchmarks -> bench/results.json and the README table
nox -s demo    # a demo tenant's copy, image and video jobs through the real pipeline
nox -s deploy -- --project P --env prod [--plan]   # Google Cloud (README: Deploy to Google Cloud)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent
PYTHON = "3.11"
WEB = ROOT / "web"


def _install(session: nox.Session) -> None:
    session.install("-e", "shared[local,dev]")
    session.run("python", "-m", "adgenius.localstack.tools", "install")


def _web_installed(session: nox.Session) -> bool:
    if not (WEB / "package.json").exists():
        return False
    if not shutil.which("npm"):
        session.error("npm not found: install Node.js 20 to build the web app")
    if not (WEB / "node_modules").exists():
        with session.chdir(WEB):
            session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    return True


def _build_web(session: nox.Session) -> None:
    if _web_installed(session):
        with session.chdir(WEB):
            session.run("npm", "run", "build", external=True)


@nox.session(python=PYTHON)
def dev(session: nox.Session) -> None:
    """Start the whole product locally; prints READY and the URLs; Ctrl-C stops everything."""
    _install(session)
    _build_web(session)
    port = os.environ.get("ADGENIUS_PORT", "8080")
    session.run("python", "-m", "adgenius.localstack", "--port", port)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit and integration tests against the real emulators, then the web tests."""
    _install(session)
    # Provider schemas and checkov for the terraform checks (cached in .tools/).
    session.run("python", "-m", "adgenius.deploy", "tools")
    _build_web(session)
    args = session.posargs or []
    session.run("python", "-m", "pytest", *args)
    if not session.posargs and _web_installed(session):
        with session.chdir(WEB):
            session.run("npm", "test", external=True)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("-e", "shared[local,dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--config-file", "shared/pyproject.toml", "shared/adgenius")
    session.run("lint-imports", "shared/pyproject.toml")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every benchmark; writes bench/results.json and refreshes the README table."""
    _install(session)
    _build_web(session)
    session.run("python", "-m", "bench.run", *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """See it work: a demo tenant's copy, 8 images in 4 ratios and a 15 s video; a contact sheet."""
    _install(session)
    session.run("python", "-m", "adgenius.localstack.demo", *session.posargs)


@nox.session(python=PYTHON)
def deploy(session: nox.Session) -> None:
    """Build, check, apply terraform, deploy Hosting, run diagnostics in the cloud; `--plan`
    only shows what would change (and runs offline as far as it can)."""
    _install(session)
    session.run("python", "-m", "adgenius.deploy", "tools")
    _web_installed(session)  # the deploy builds the web app itself
    session.run("python", "-m", "adgenius.deploy", "up", *session.posargs)

"""Developer and CI entry points. Quick start: `python3 -m pip install nox`, then

nox -s dev     # the product locally: emulators, functions host, web app; Ctrl-C stops all
nox -s tests   # unit + integration (+ web) tests against the real emulators
nox -s lint    # ruff check, ruff format --check, mypy of shared/, the import layers
nox -s fuzz    # atheris on the parsers of outside input (-- --runs N, or target names)
nox -s bench   # benchmarks -> bench/results.json and the README table
nox -s bundles # the diagnostics bundles installed from their locks, run through the local stack
nox -s load    # locust: the mixed API load on the stack served as in Cloud Functions; a table
nox -s soak -- --minutes 30   # the mixed load with jobs running; memory curve, stuck jobs
nox -s demo    # a demo tenant's copy, image and video jobs through the real pipeline
nox -s loop-demo -- [--rounds 5] [--seed N]   # the learning loop vs a synthetic audience
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
GCLOUD_PLATFORM = Path(
    os.environ.get("ADGENIUS_GCLOUD_PLATFORM", "/usr/lib/google-cloud-sdk/platform")
)
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# A session that starts the local stack stops it on Ctrl-C in order (children first, then the
# emulators together). nox's defaults (SIGTERM 0.3 s after the SIGINT, SIGKILL 0.2 s later) would
# kill it half way; the stack survives that too (its watchdog reaps the rest), but in order is
# quicker and leaves clean logs.
STOP_TIMEOUTS = {"interrupt_timeout": 60.0, "terminate_timeout": 10.0}


def _preflight(session: nox.Session, *, browser: bool = False) -> None:
    """Stop at once, naming the command, when the machine lacks what no session can install.

    Python packages, firebase-tools and the Tasks emulator are installed by the sessions; these
    are system packages, which need root and change the machine: that is the user's decision.
    """
    missing = []
    if not shutil.which("java"):
        missing.append(
            "Java 17+ (the Firestore and Pub/Sub emulators): "
            "apt-get install -y default-jre-headless"
        )
    for path, package in (
        (
            GCLOUD_PLATFORM / "cloud-firestore-emulator" / "cloud_firestore_emulator",
            "google-cloud-cli-firestore-emulator",
        ),
        (
            GCLOUD_PLATFORM / "pubsub-emulator" / "bin" / "cloud-pubsub-emulator",
            "google-cloud-cli-pubsub-emulator",
        ),
    ):
        if not path.exists():
            missing.append(
                f"{path.name} (not at {path}): apt-get install -y {package} (Google Cloud's apt "
                "repository), or set ADGENIUS_GCLOUD_PLATFORM to the SDK's platform folder"
            )
    if not (shutil.which("node") and shutil.which("npm")):
        missing.append(
            "Node.js 20.19+ with npm (the Auth emulator and the web app): https://nodejs.org"
        )
    if browser and not CHROMIUM.exists():
        missing.append(
            f"Chromium (not at {CHROMIUM}; the browser benchmarks): apt-get install -y chromium, "
            "or set CHROMIUM_PATH"
        )
    if missing:
        session.error("missing on this machine; install it:\n  - " + "\n  - ".join(missing))


FAULT_TESTS = "tests/integration/faults"


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


def _web_is_built() -> bool:
    """web/dist is newer than every source of the build (a second `nox -s dev` skips it)."""
    built = WEB / "dist" / "index.html"
    if not built.exists():
        return False
    sources = [
        WEB / "index.html",
        WEB / "package.json",
        WEB / "vite.config.ts",
        WEB / "tsconfig.json",
    ]
    sources += [p for d in ("src", "public") for p in (WEB / d).rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources if p.exists()), default=0.0)
    return built.stat().st_mtime >= newest


def _build_web(session: nox.Session) -> None:
    if _web_installed(session):
        if _web_is_built():
            session.log("web/dist is up to date")
            return
        with session.chdir(WEB):
            session.run("npm", "run", "build", external=True)


@nox.session(python=PYTHON)
def dev(session: nox.Session) -> None:
    """Start the whole product locally; prints READY and the URLs; Ctrl-C stops everything."""
    _preflight(session)
    _install(session)
    _build_web(session)
    port = os.environ.get("ADGENIUS_PORT", "8080")
    session.run("python", "-m", "adgenius.localstack", "--port", port, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit and integration tests against the real emulators, then the web tests."""
    _preflight(session)  # no browser: the browser test skips, naming how to install Chromium
    _install(session)
    # Provider schemas and checkov for the terraform checks (cached in .tools/).
    session.run("python", "-m", "adgenius.deploy", "tools")
    _build_web(session)
    if session.posargs:
        session.run("python", "-m", "pytest", *session.posargs, **STOP_TIMEOUTS)
    else:
        # The fault tests stop and restart emulators of a stack of their own; they run in a
        # process of their own, so nothing they leave in-process (clients, Firebase apps,
        # env) can reach the session stack the other tests share.
        session.run("python", "-m", "pytest", f"--ignore={FAULT_TESTS}", **STOP_TIMEOUTS)
        session.run("python", "-m", "pytest", FAULT_TESTS, **STOP_TIMEOUTS)
    if not session.posargs and _web_installed(session):
        with session.chdir(WEB):
            session.run("npm", "test", external=True)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Atheris on every parser of outside input: `nox -s fuzz -- [--runs N] [TARGET ...]`.

    A crash stops its target and leaves `crash-*` in .data/fuzz/<target>/: add it to
    tests/fuzz/crashes/<target>/ (the tests replay it) and fix the parser.
    """
    session.install("-e", "shared[local,dev]")
    args = list(session.posargs)
    runs = "100000"
    if "--runs" in args:
        at = args.index("--runs")
        runs = args[at + 1]
        del args[at : at + 2]
    from_targets = args or [
        "pubsub_event",
        "firestore_event",
        "report_import",
        "document_text",
        "image_upload",
    ]
    for target in from_targets:
        out = ROOT / ".data" / "fuzz" / target
        out.mkdir(parents=True, exist_ok=True)
        seeds = ROOT / "tests" / "fuzz" / "crashes" / target
        corpus = [str(out / "corpus")] + ([str(seeds)] if seeds.exists() else [])
        (out / "corpus").mkdir(exist_ok=True)
        session.run(
            "python", "-m", "adgenius.testing.fuzzing", target, f"-runs={runs}",
            "-max_len=8192", "-rss_limit_mb=2048", f"-artifact_prefix={out}/", *corpus,
        )  # fmt: skip


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("-e", "shared[local,dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--config-file", "shared/pyproject.toml", "shared/adgenius")
    session.run("lint-imports", "shared/pyproject.toml")


# Load generation only (gevent-based): never in the product extras or the tests' environment.
LOAD_TOOLS = ("locust>=2.40",)


@nox.session(python=PYTHON)
def load(session: nox.Session) -> None:
    """The mixed API load (locust) against the local stack served by functions-framework's
    production server, with a hello-world function on the same server as the ceiling."""
    _preflight(session)
    _install(session)
    session.install(*LOAD_TOOLS)
    session.run("python", "-m", "bench.load.run", "load", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def soak(session: nox.Session) -> None:
    """The mixed load with jobs running for `--minutes N` (default 30): errors, stuck jobs,
    queues drained, the functions host's memory curve (a chart)."""
    _preflight(session)
    _install(session)
    session.install(*LOAD_TOOLS)
    session.run("python", "-m", "bench.load.run", "soak", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def bundles(session: nox.Session) -> None:
    """Deploy bundles installed into a fresh venv from their locks and served by
    functions-framework; a diagnostics run goes through them (~3 min: not in `tests`)."""
    _preflight(session)
    _install(session)
    session.run("python", "-m", "pytest", "tests/bundles", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every benchmark; writes bench/results.json and refreshes the README table."""
    _preflight(session, browser=not session.posargs or "web_bench" in session.posargs)
    _install(session)
    session.install(*LOAD_TOOLS)  # bench.load_bench drives locust
    _build_web(session)
    session.run("python", "-m", "bench.run", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """See it work: a demo tenant's copy, 8 images in 4 ratios and a 15 s video; a contact sheet."""
    _preflight(session)
    _install(session)
    session.run("python", "-m", "adgenius.localstack.demo", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON, name="loop-demo")
def loop_demo(session: nox.Session) -> None:
    """The learning loop against a synthetic audience with random hidden preferences: CTR per
    round with the loop on and off (docs/loop-demo.png and .html), and the lift."""
    _preflight(session)
    _install(session)
    session.run("python", "-m", "adgenius.localstack.loop_demo", *session.posargs, **STOP_TIMEOUTS)


@nox.session(python=PYTHON)
def deploy(session: nox.Session) -> None:
    """Build, check, apply terraform, deploy Hosting, run diagnostics in the cloud; `--plan`
    only shows what would change (and runs offline as far as it can)."""
    _install(session)
    session.run("python", "-m", "adgenius.deploy", "tools")
    _web_installed(session)  # the deploy builds the web app itself
    session.run("python", "-m", "adgenius.deploy", "up", *session.posargs)

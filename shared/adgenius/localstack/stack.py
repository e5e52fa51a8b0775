"""Starts and stops the whole local stack; publishes its URLs in `.data/local/stack.json`."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from pydantic import BaseModel

from adgenius.cloud.clients import reset_clients
from adgenius.localstack import provision, tools
from adgenius.localstack.ports import claim_port, free_port, port_open
from adgenius.localstack.process import ManagedProcess, signals_deferred, stop_all
from adgenius.manifest import MANIFEST, Manifest
from adgenius.settings import REPO_ROOT, get_settings, reset_settings_cache
from adgenius.testing.tcp_proxy import FaultProxy

PROJECT_ID = "demo-adgenius"
BUCKET = "demo-adgenius-media"
TASKS_LOCATION = "us-central1"
EMULATOR_JVM_OPTIONS = "-XX:TieredStopAtLevel=1"
# How long a component may take to answer. The node-based Auth emulator needs ~10 s on an idle
# 2-core machine and over a minute on a busy one; a generous wait costs nothing when components
# are fast, and a child that dies is reported at once (wait_ready watches it).
READY_TIMEOUT_S = float(os.environ.get("ADGENIUS_READY_TIMEOUT_S", "180"))
PROXIABLE = ("storage", "firestore")
# Failed authentications per client and window (settings.auth_failures_per_window) in the
# local stack: every test of a session calls from 127.0.0.1, many with made-up credentials on
# purpose, so that one client may fail far more often than a real one.
AUTH_FAILURES_PER_WINDOW = 300


class StackInfo(BaseModel):
    """What scripts, tests and the web app need to find the running stack."""

    project_id: str
    functions_base_url: str
    api_base_url: str
    web_url: str
    firestore_emulator: str  # host:port
    pubsub_emulator: str
    auth_emulator: str
    storage_emulator: str  # http://host:port
    tasks_emulator: str
    bucket: str
    log_dir: str
    pids: dict[str, int]
    # The functions' spans (adgenius.tracing's file mode); see adgenius.localstack.traces.
    trace_file: str = ""

    def env(self) -> dict[str, str]:
        """Environment that points Google clients and our settings at this stack."""
        return {
            "ADGENIUS_MODE": "local",
            "ADGENIUS_PROJECT_ID": self.project_id,
            "GOOGLE_CLOUD_PROJECT": self.project_id,
            "GCLOUD_PROJECT": self.project_id,
            "FIRESTORE_EMULATOR_HOST": self.firestore_emulator,
            "PUBSUB_EMULATOR_HOST": self.pubsub_emulator,
            "FIREBASE_AUTH_EMULATOR_HOST": self.auth_emulator,
            "STORAGE_EMULATOR_HOST": self.storage_emulator,
            "CLOUD_TASKS_EMULATOR_HOST": self.tasks_emulator,
            "ADGENIUS_FUNCTIONS_BASE_URL": self.functions_base_url,
            "ADGENIUS_API_BASE_URL": self.api_base_url,
            "ADGENIUS_BUCKET": self.bucket,
            "ADGENIUS_TASKS_LOCATION": TASKS_LOCATION,
        }


def _ok(url: str) -> bool:
    return httpx.get(url, timeout=0.5).status_code == 200


class LocalStack:
    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        functions_port: int | None = None,
        manifest: Manifest = MANIFEST,
        web_root: Path | None = None,
        extra_env: dict[str, str] | None = None,
        queue_rate_multiplier: float = 1.0,
        forward: dict[str, str] | None = None,
        proxied: tuple[str, ...] = (),
        server: str = "dev",
        extra_functions: dict[str, str] | None = None,
    ) -> None:
        """`server`: "production" serves the functions host with functions-framework's gunicorn
        server, as Cloud Functions does (load and soak runs); "dev" with werkzeug's.
        `extra_functions`: name -> "path/main.py:target", more HTTP functions on the same host."""
        self.data_dir = data_dir or get_settings().data_dir
        self.local_dir = self.data_dir / "local"
        self.log_dir = self.local_dir / "logs"
        self.functions_port_requested = functions_port
        if only := os.environ.get("ADGENIUS_STACK_FUNCTIONS"):
            # A subset of the functions, for fast focused development; never set in CI.
            wanted = set(only.split(","))
            manifest = manifest.model_copy(
                update={"functions": [f for f in manifest.functions if f.name in wanted]}
            )
        self.manifest = manifest
        self.web_root = web_root
        self.extra_env = extra_env or {}
        self.queue_rate_multiplier = queue_rate_multiplier
        # Functions served by other processes (installed bundles): name -> URL.
        self.forward = forward or {}
        # Components reached through a TCP fault proxy ("storage", "firestore"): the fault tests
        # take them away, slow them down and give them back while the product runs.
        unknown = set(proxied) - set(PROXIABLE)
        if unknown:
            raise ValueError(f"cannot proxy {sorted(unknown)}; only {PROXIABLE}")
        self.proxied = proxied
        self.proxies: dict[str, FaultProxy] = {}
        self.server = server
        self.extra_functions = extra_functions or {}
        self.processes: dict[str, ManagedProcess] = {}
        self.info: StackInfo | None = None
        self.started_in_s: float | None = None
        self._scheduler: threading.Thread | None = None
        self._stopping = threading.Event()
        self._host_command: list[str] = []
        self._host_env: dict[str, str] = {}

    @property
    def trace_file(self) -> Path:
        return self.local_dir / "traces" / "spans.jsonl"

    @property
    def stack_file(self) -> Path:
        return self.local_dir / "stack.json"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> StackInfo:
        t0 = time.monotonic()
        # Resolve every binary before starting anything: a missing one is a message, not a hang.
        firestore_bin, pubsub_bin = tools.firestore_emulator(), tools.pubsub_emulator()
        tools.java()
        firebase_bin, tasks_bin, gcs_bin = (
            tools.firebase_cli(),
            tools.tasks_python(),
            tools.fake_gcs_server(),
        )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._kill_leftovers()
        self._rotate_trace_file()

        host_port = claim_port(self.functions_port_requested, "the functions host")
        fs_port, ps_port, auth_port = free_port(), free_port(), free_port()
        hub_port, logging_port, gcs_port, tasks_port = (
            free_port(),
            free_port(),
            free_port(),
            free_port(),
        )
        base = f"http://127.0.0.1:{host_port}"
        # Clients (and the web app) are given the proxy's address; the emulator keeps its own.
        for name, port in (("storage", gcs_port), ("firestore", fs_port)):
            if name in self.proxied:
                self.proxies[name] = FaultProxy("127.0.0.1", port).start()
        fs_client_port = self.proxies["firestore"].port if "firestore" in self.proxies else fs_port
        gcs_client_port = self.proxies["storage"].port if "storage" in self.proxies else gcs_port
        info = StackInfo(
            project_id=PROJECT_ID,
            functions_base_url=base,
            api_base_url=f"{base}/api",
            web_url=f"{base}/",
            firestore_emulator=f"127.0.0.1:{fs_client_port}",
            pubsub_emulator=f"127.0.0.1:{ps_port}",
            auth_emulator=f"127.0.0.1:{auth_port}",
            storage_emulator=f"http://127.0.0.1:{gcs_client_port}",
            tasks_emulator=f"127.0.0.1:{tasks_port}",
            bucket=BUCKET,
            log_dir=str(self.log_dir),
            pids={},
            trace_file=str(self.trace_file),
        )
        self.info = info
        # Each stack keeps its state (vector store, media) in its own data folder, so two stacks
        # (a dev stack and a test session) never open the same embedded store.
        env = {
            **os.environ,
            **info.env(),
            "ADGENIUS_DATA_DIR": str(self.data_dir),
            # One host process stands in for many function instances: give its renders the
            # machine's cores, as parallel instances would have.
            "ADGENIUS_RENDER_PROCESSES": str(max(1, os.cpu_count() or 1)),
            # Every function's spans, for `python -m adgenius.localstack.traces`.
            "ADGENIUS_TRACE_FILE": info.trace_file,
            "ADGENIUS_AUTH_FAILURES_PER_WINDOW": str(AUTH_FAILURES_PER_WINDOW),
            **self.extra_env,
        }
        # The emulators are JVMs that live for one session: C1-compiled code is fast enough for
        # them, and C2's warm-up compiling would otherwise take a core from everything else for
        # the first minute (a cold 200-image job: Firestore emulator CPU 5.9 s -> 2.4 s).
        jvm_options = f"{env.get('JAVA_TOOL_OPTIONS', '')} {EMULATOR_JVM_OPTIONS}".strip()
        java_env = {**env, "JAVA_TOOL_OPTIONS": jvm_options}
        rules = REPO_ROOT / "firestore.rules"

        firestore_cmd = [
            str(firestore_bin),
            "--host",
            "127.0.0.1",
            "--port",
            str(fs_port),
            "--project_id",
            PROJECT_ID,
            "--functions_emulator",
            f"127.0.0.1:{host_port}",
        ]
        if rules.exists():
            firestore_cmd += ["--rules", str(rules)]
        auth_config = self.local_dir / "firebase.auth.json"
        auth_config.write_text(
            json.dumps(
                {
                    "emulators": {
                        "auth": {"host": "127.0.0.1", "port": auth_port},
                        "hub": {"host": "127.0.0.1", "port": hub_port},
                        "logging": {"host": "127.0.0.1", "port": logging_port},
                        "ui": {"enabled": False},
                        "singleProjectMode": True,
                    }
                }
            )
        )
        gcs_root = self.local_dir / "gcs"
        gcs_root.mkdir(parents=True, exist_ok=True)
        app_config = self.local_dir / "app-config.json"
        app_config.write_text(json.dumps(self._app_config(info)))
        self._host_command = [
            sys.executable,
            "-m",
            "adgenius.localstack.functions_host",
            "--port",
            str(host_port),
            "--app-config",
            str(app_config),
            "--functions",
            ",".join(f.name for f in self.manifest.functions),
            "--server",
            self.server,
        ]
        for name, url in self.forward.items():
            self._host_command += ["--forward", f"{name}={url}"]
        for name, target in self.extra_functions.items():
            self._host_command += ["--extra", f"{name}={target}"]
        web_root = self.web_root or REPO_ROOT / "web" / "dist"
        if web_root.exists():
            self._host_command += ["--web-root", str(web_root)]
        self._host_env = env

        self.processes = {
            "firestore": ManagedProcess(
                "firestore", firestore_cmd, log_dir=self.log_dir, env=java_env
            ),
            "pubsub": ManagedProcess(
                "pubsub",
                [str(pubsub_bin), "--host=127.0.0.1", f"--port={ps_port}"],
                log_dir=self.log_dir,
                env=java_env,
            ),
            "auth": ManagedProcess(
                "auth",
                [
                    str(firebase_bin),
                    "emulators:start",
                    "--only",
                    "auth",
                    "--project",
                    PROJECT_ID,
                    "--config",
                    str(auth_config),
                ],
                log_dir=self.log_dir,
                env={**env, "NO_UPDATE_NOTIFIER": "1", "FIREBASE_CLI_DISABLE_UPDATE_CHECK": "true"},
                cwd=self.local_dir,
            ),
            "storage": ManagedProcess(
                "storage",
                [
                    str(gcs_bin),
                    "-scheme",
                    "http",
                    "-host",
                    "127.0.0.1",
                    "-port",
                    str(gcs_port),
                    "-backend",
                    "filesystem",
                    "-filesystem-root",
                    str(gcs_root),
                    "-external-url",
                    info.storage_emulator,
                    "-log-level",
                    "warn",
                ],
                log_dir=self.log_dir,
                env=env,
            ),
            "tasks": ManagedProcess(
                "tasks",
                [
                    str(tasks_bin),
                    str(Path(__file__).with_name("tasks_emulator.py")),
                    "--port",
                    str(tasks_port),
                ],
                log_dir=self.log_dir,
                env=env,
            ),
            "functions": ManagedProcess(
                "functions", self._host_command, log_dir=self.log_dir, env=env
            ),
        }
        checks = {
            "firestore": lambda: _ok(f"http://{info.firestore_emulator}/"),
            "pubsub": lambda: _ok(f"http://{info.pubsub_emulator}/"),
            "auth": lambda: _ok(f"http://{info.auth_emulator}/"),
            "storage": lambda: _ok(f"{info.storage_emulator}/storage/v1/b"),
            "tasks": lambda: port_open("127.0.0.1", tasks_port),
            "functions": lambda: _ok(f"{base}/__health"),
        }
        try:
            for proc in self.processes.values():
                proc.start()
            # Not `with`: its exit would wait for every poll; after a Ctrl-C the pollers end by
            # themselves once stop() has ended their process.
            pool = ThreadPoolExecutor(max_workers=len(checks))
            try:
                futures = [
                    pool.submit(self.processes[name].wait_ready, check, READY_TIMEOUT_S)
                    for name, check in checks.items()
                ]
                for future in futures:
                    future.result()
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
            self._apply_env(info)
            provision.create_bucket(info.bucket)
            provision.create_topics_and_subscriptions(
                self.manifest, PROJECT_ID, info.functions_base_url
            )
            provision.create_queues(
                self.manifest,
                PROJECT_ID,
                TASKS_LOCATION,
                rate_multiplier=self.queue_rate_multiplier,
            )
            provision.register_firestore_triggers(
                self.manifest, PROJECT_ID, info.firestore_emulator
            )
        except BaseException:
            self.stop()
            raise
        info.pids = {name: p.pid for name, p in self.processes.items() if p.pid}
        self._start_scheduler(info)
        self.started_in_s = time.monotonic() - t0
        self.stack_file.write_text(info.model_dump_json(indent=2))
        return info

    def _start_scheduler(self, info: StackInfo) -> None:
        """Cloud Scheduler's part: call each scheduled function at its cadence."""
        if not self.manifest.schedules:
            return
        self._stopping.clear()

        def loop() -> None:
            last: dict[str, float] = {s.name: time.monotonic() for s in self.manifest.schedules}
            while not self._stopping.wait(1.0):
                for spec in self.manifest.schedules:
                    if time.monotonic() - last[spec.name] < spec.every_s:
                        continue
                    last[spec.name] = time.monotonic()
                    # The host may be restarting; the next tick tries again.
                    with contextlib.suppress(httpx.HTTPError):
                        httpx.post(f"{info.functions_base_url}/{spec.function}", timeout=120)

        self._scheduler = threading.Thread(target=loop, name="local-scheduler", daemon=True)
        self._scheduler.start()

    def stop(self) -> None:
        """Stop every component; a second Ctrl-C or a SIGTERM meanwhile does not cut it short."""
        with signals_deferred():
            self._stopping.set()
            # The host first, so nothing it is doing writes to emulators that are going away;
            # then the emulators together (each gets SIGTERM, then SIGKILL after its grace).
            if host := self.processes.get("functions"):
                host.stop()
            stop_all(p for name, p in self.processes.items() if name != "functions")
            for proxy in self.proxies.values():
                proxy.stop()
            self.stack_file.unlink(missing_ok=True)

    def __enter__(self) -> StackInfo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- chaos and health ------------------------------------------------------------------

    def kill_functions_host(self) -> None:
        """SIGKILL the functions host, as a crashed instance would die."""
        self.processes["functions"].kill()

    def restart_functions_host(self) -> None:
        assert self.info is not None
        proc = ManagedProcess(
            "functions", self._host_command, log_dir=self.log_dir, env=self._host_env
        )
        proc.start()
        base = self.info.functions_base_url
        proc.wait_ready(lambda: _ok(f"{base}/__health"), READY_TIMEOUT_S)
        self.processes["functions"] = proc

    def stop_component(self, name: str, *, kill: bool = False) -> None:
        """Stop one emulator ("pubsub" or "tasks"), as a restart (SIGTERM) or a crash (SIGKILL,
        at once) would."""
        assert name in ("pubsub", "tasks")
        if kill:
            self.processes[name].kill()
        else:
            self.processes[name].stop()

    def start_component(self, name: str) -> None:
        """Start a stopped emulator again on its port and provision it again.

        The Pub/Sub and Tasks emulators keep their state in memory, so their topics,
        subscriptions and queues are created again; messages and tasks that were in flight are
        gone, which is what the product must survive (the sweeper redrives lost work).
        """
        info = self.info
        assert info is not None and name in ("pubsub", "tasks")
        old = self.processes[name]
        proc = ManagedProcess(name, old.command, log_dir=self.log_dir, env=old.env, cwd=old.cwd)
        proc.start()
        if name == "pubsub":
            proc.wait_ready(lambda: _ok(f"http://{info.pubsub_emulator}/"), READY_TIMEOUT_S)
            provision.create_topics_and_subscriptions(
                self.manifest, PROJECT_ID, info.functions_base_url
            )
        else:
            host, port = info.tasks_emulator.rsplit(":", 1)
            proc.wait_ready(lambda: port_open(host, int(port)), READY_TIMEOUT_S)
            provision.create_queues(
                self.manifest,
                PROJECT_ID,
                TASKS_LOCATION,
                rate_multiplier=self.queue_rate_multiplier,
            )
        self.processes[name] = proc
        info.pids[name] = proc.pid or 0

    def crashed(self) -> list[str]:
        """Names of components that died after start."""
        return [name for name, p in self.processes.items() if not p.alive()]

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _app_config(info: StackInfo) -> dict[str, object]:
        fs_host, fs_port = info.firestore_emulator.split(":")
        return {
            "projectId": info.project_id,
            "apiKey": "demo-api-key",
            "authDomain": f"{info.project_id}.firebaseapp.com",
            "apiBaseUrl": info.api_base_url,
            "storageBucket": info.bucket,
            "emulators": {
                "auth": f"http://{info.auth_emulator}",
                "firestore": {"host": fs_host, "port": int(fs_port)},
            },
        }

    def _rotate_trace_file(self, keep_bytes: int = 64 * 2**20) -> None:
        """The span file outlives a stack (traces stay viewable); past 64 MB it starts over."""
        path = self.trace_file
        if path.exists() and path.stat().st_size > keep_bytes:
            path.replace(path.with_suffix(".jsonl.old"))

    @staticmethod
    def _apply_env(info: StackInfo) -> None:
        os.environ.update(info.env())
        reset_settings_cache()
        reset_clients()

    def _kill_leftovers(self) -> None:
        """A stack that was SIGKILLed could not clean up; its stack.json still names its pids."""
        if not self.stack_file.exists():
            return
        try:
            old = StackInfo.model_validate_json(self.stack_file.read_text())
        except ValueError:
            return
        import signal

        for pid in old.pids.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        self.stack_file.unlink(missing_ok=True)

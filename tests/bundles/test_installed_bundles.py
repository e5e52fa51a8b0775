"""The deploy bundles themselves, installed and served as Cloud Functions would: each diagnostics
function's zip (`python -m adgenius.deploy bundle`) unpacked, its hash-pinned requirements
installed into a fresh venv, and the function run by that venv's functions-framework against the
local stack. The functions host forwards those four functions to them, so a diagnostics run's
every hop (HTTP, Firestore trigger, Pub/Sub, Cloud Task, Storage) goes through the bundles and
none through the development install.

Slow (a venv, a stack of its own): not in `nox -s tests`; run by `nox -s bundles`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adgenius.deploy import bundles, verify
from adgenius.diagnostics.pipeline import HOPS
from adgenius.localstack.auth_users import user_with_claims
from adgenius.localstack.ports import free_port
from adgenius.localstack.process import ManagedProcess, stop_all
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.manifest import MANIFEST

pytestmark = pytest.mark.integration

FUNCTIONS = ["diagnostics", "diagnostics_on_run", "diagnostics_step", "diagnostics_task"]
READY_S = float(os.environ.get("ADGENIUS_READY_TIMEOUT_S", "120"))


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """(the venv's python, function -> its unpacked bundle), each lock installed."""
    root = tmp_path_factory.mktemp("bundles")
    dirs: dict[str, Path] = {}
    for path in bundles.bundle(root / "zips", FUNCTIONS):
        target = root / path.stem
        with zipfile.ZipFile(path) as zf:
            zf.extractall(target)
        dirs[path.stem] = target
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    venv = root / "venv"
    made = _run([uv, "venv", "--python", sys.executable, str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    for name, target in dirs.items():
        # From uv's cache when it holds the pinned files; from PyPI otherwise (--require-hashes:
        # exactly the bytes the lock names, as the Cloud Functions build installs them).
        done = _run(
            [uv, "pip", "install", "--python", str(python), "--require-hashes",
             "-r", str(target / "requirements.txt")],
            timeout=900,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot install {name}'s lock (no network and not cached?): "
                        f"{done.stderr[-500:]}")  # fmt: skip
    # The venv has no adgenius of its own: each function imports its bundle's copy.
    assert _run([str(python), "-c", "import adgenius"]).returncode != 0
    return python, dirs


@pytest.fixture(scope="module")
def bundle_stack(
    installed: tuple[Path, dict[str, Path]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StackInfo, dict[str, ManagedProcess], dict[str, Path]]]:
    python, dirs = installed
    ports = {name: free_port() for name in FUNCTIONS}
    stack = LocalStack(
        data_dir=tmp_path_factory.mktemp("bundle-stack"),
        forward={name: f"http://127.0.0.1:{port}" for name, port in ports.items()},
    )
    info = stack.start()
    served: dict[str, ManagedProcess] = {}
    try:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            **info.env(),
            "ADGENIUS_DATA_DIR": str(stack.data_dir),
        }
        by_name = {fn.name: fn for fn in MANIFEST.functions}
        for name, port in ports.items():
            fn = by_name[name]
            proc = ManagedProcess(
                f"bundle-{name}",
                [str(python), "-m", "functions_framework", "--source", "main.py",
                 "--target", fn.entry_point, "--signature-type", fn.signature_type,
                 "--host", "127.0.0.1", "--port", str(port)],
                log_dir=stack.log_dir,
                env={**env, "PYTHONPATH": str(dirs[name])},
                cwd=dirs[name],
            )  # fmt: skip
            proc.start()
            served[name] = proc
        for name, port in ports.items():
            served[name].wait_ready(lambda p=port: _answers(p), READY_S)
        yield info, served, dirs
    finally:
        stop_all(served.values())
        stack.stop()


def _answers(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
    except httpx.HTTPError:
        return False
    return True


def test_a_diagnostics_run_goes_through_the_installed_bundles(
    bundle_stack: tuple[StackInfo, dict[str, ManagedProcess], dict[str, Path]],
) -> None:
    info, served, dirs = bundle_stack
    operator = user_with_claims(
        info.auth_emulator, f"operator-{uuid.uuid4().hex[:8]}@example.com", {"operator": True}
    )
    report = verify.run_diagnostics(
        f"{info.functions_base_url}/diagnostics", operator.bearer, timeout_s=180, poll_s=0.2
    )
    assert report.ok, verify.format_report(report)
    assert [hop.hop for hop in report.hops] == list(HOPS)
    # The host loads none of these four itself; each hop's log line names the file that wrote
    # it, which is in the bundle that served it.
    for name in ("diagnostics_on_run", "diagnostics_step", "diagnostics_task"):
        log = served[name].log_path.read_text()
        assert "diagnostics hop" in log, (name, log[-2000:])
        assert f'"file": "{dirs[name]}/adgenius/' in log, (name, log[-2000:])
    assert all(proc.alive() for proc in served.values())


def test_a_refused_caller_is_refused_by_the_bundle(
    bundle_stack: tuple[StackInfo, dict[str, ManagedProcess], dict[str, Path]],
) -> None:
    info, _, _ = bundle_stack
    with pytest.raises(verify.VerifyError, match="HTTP 401"):
        verify.run_diagnostics(f"{info.functions_base_url}/diagnostics", {}, timeout_s=5)

"""One hash-pinned lock per function bundle: `functions/<name>/requirements.lock`.

The inputs are the base dependencies of shared/pyproject.toml plus the function's extras (from
the manifest); `uv pip compile --generate-hashes` resolves them for the Cloud Functions runtime
(Python 3.11 on x86_64 Linux). The lock's first line records a hash of its inputs, so a test can
tell offline that a lock is stale. The bundle step ships the lock as the function's
requirements.txt, so a deploy installs exactly the locked versions.

    python -m adgenius.deploy lock [NAME ...]   # (re)writes the locks (needs PyPI)
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from adgenius.deploy.extras import requirements_of
from adgenius.manifest import FunctionSpec

INPUTS_PREFIX = "# inputs-sha256: "
PYTHON_VERSION = "3.11"  # the runtime terraform deploys (python311)
PLATFORM = "x86_64-manylinux_2_28"


class StaleLock(RuntimeError):
    pass


def lock_path(fn: FunctionSpec) -> Path:
    return fn.source_dir / "requirements.lock"


def inputs(fn: FunctionSpec) -> list[str]:
    return sorted(requirements_of(str(e) for e in fn.extras))


def inputs_hash(fn: FunctionSpec) -> str:
    text = "\n".join([f"python {PYTHON_VERSION} {PLATFORM}", *inputs(fn)])
    return hashlib.sha256(text.encode()).hexdigest()


def recorded_hash(fn: FunctionSpec) -> str | None:
    path = lock_path(fn)
    if not path.exists():
        return None
    first = path.read_text().split("\n", 1)[0]
    return first.removeprefix(INPUTS_PREFIX) if first.startswith(INPUTS_PREFIX) else None


def is_current(fn: FunctionSpec) -> bool:
    return recorded_hash(fn) == inputs_hash(fn)


def locked_requirements(fn: FunctionSpec) -> str:
    """The lock's text, refusing a missing or stale one: a deploy never ships unlocked ranges."""
    if not is_current(fn):
        raise StaleLock(
            f"{lock_path(fn)} is missing or stale: run `python -m adgenius.deploy lock {fn.name}`"
        )
    return lock_path(fn).read_text()


def _uv() -> list[str]:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    return [found] if Path(found).exists() else [sys.executable, "-m", "uv"]


def write_lock(fn: FunctionSpec) -> Path:
    done = subprocess.run(
        [
            *_uv(),
            "pip",
            "compile",
            "--generate-hashes",
            "--quiet",
            "--no-header",
            "--python-version",
            PYTHON_VERSION,
            "--python-platform",
            PLATFORM,
            "-",
        ],
        input="\n".join(inputs(fn)) + "\n",
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"uv pip compile failed for {fn.name}: {done.stderr[-2000:]}")
    header = (
        f"{INPUTS_PREFIX}{inputs_hash(fn)}\n"
        f"# {fn.name}: `python -m adgenius.deploy lock {fn.name}` writes this file; edit the\n"
        f"# dependencies in shared/pyproject.toml and the extras in the manifest instead.\n"
    )
    path = lock_path(fn)
    path.write_text(header + done.stdout)
    return path

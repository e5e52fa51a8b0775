"""The fuzz targets: every crash found so far replayed, each target under hypothesis, and a
bounded atheris run of each (a number of runs, not a time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adgenius.settings import REPO_ROOT
from adgenius.testing.fuzzing import TARGETS, seeds

CRASHES = REPO_ROOT / "tests" / "fuzz" / "crashes"
ATHERIS_RUNS = int(os.environ.get("ADGENIUS_FUZZ_RUNS", "2000"))


def _crash_files() -> list[Path]:
    return sorted(p for p in CRASHES.rglob("*") if p.is_file())


def test_every_target_has_a_crash_folder_or_none_were_found() -> None:
    for folder in CRASHES.iterdir():
        assert folder.name in TARGETS, f"{folder} names no fuzz target"


@pytest.mark.parametrize("crash", _crash_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_inputs_that_once_crashed_are_refused_cleanly(crash: Path) -> None:
    TARGETS[crash.parent.name](crash.read_bytes())


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_seeds_are_accepted_inputs(name: str) -> None:
    for seed in seeds(name):
        TARGETS[name](seed)


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048))
def test_targets_take_any_bytes(name: str, data: bytes) -> None:
    TARGETS[name](data)


def _atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _atheris_available(), reason="atheris is not installed (dev extra)")
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_atheris_finds_no_crash_in_a_bounded_run(name: str, tmp_path: Path) -> None:
    runs = ATHERIS_RUNS // 4 if name in ("document_text", "image_upload") else ATHERIS_RUNS
    corpus = tmp_path / "corpus"
    corpus.mkdir()  # seeded with valid inputs by the driver
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "adgenius.testing.fuzzing",
            name,
            f"-runs={runs}",
            "-max_len=4096",
            "-seed=1",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "ADGENIUS_FUZZ_OURS_ONLY": "1"},
        timeout=600,
    )
    crashes = list(tmp_path.glob("crash-*")) + list(tmp_path.glob("oom-*"))
    assert done.returncode == 0 and not crashes, (
        f"{name}: a crash (add it to tests/fuzz/crashes/{name}/ and fix it):\n"
        + done.stderr[-3000:]
    )
    assert f"Done {runs} runs" in done.stderr, done.stderr[-2000:]

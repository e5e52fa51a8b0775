"""Every bundle installs from a current hash-pinned lock of exactly its dependencies."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from adgenius.deploy import locks
from adgenius.deploy.bundles import bundle
from adgenius.manifest import MANIFEST, Extra


@pytest.mark.parametrize("fn", MANIFEST.functions, ids=lambda f: f.name)
def test_lock_is_current(fn) -> None:  # type: ignore[no-untyped-def]
    assert locks.is_current(fn), (
        f"{locks.lock_path(fn)} is missing or stale: run `python -m adgenius.deploy lock {fn.name}`"
    )
    pins = [line for line in locks.lock_path(fn).read_text().splitlines() if "==" in line]
    assert pins and all("--hash=sha256:" in locks.lock_path(fn).read_text() for _ in pins[:1])


def test_a_changed_extra_makes_the_lock_stale() -> None:
    fn = MANIFEST.function("diagnostics")
    changed = fn.model_copy(update={"extras": [Extra.MEDIA]})
    assert locks.inputs_hash(changed) != locks.inputs_hash(fn)
    assert not locks.is_current(changed)
    with pytest.raises(locks.StaleLock, match=r"adgenius\.deploy lock diagnostics"):
        locks.locked_requirements(changed)


def test_bundles_ship_their_lock_and_only_their_libraries(tmp_path: Path) -> None:
    zips = {p.stem: p for p in bundle(tmp_path)}

    def reqs(name: str) -> str:
        with zipfile.ZipFile(zips[name]) as zf:
            return zf.read("requirements.txt").decode()

    diagnostics = reqs("diagnostics")
    assert diagnostics == locks.lock_path(MANIFEST.function("diagnostics")).read_text()
    assert "google-cloud-firestore==" in diagnostics
    for absent in ("pillow==", "google-genai==", "qdrant-client==", "scipy==", "qdrant-edge-py=="):
        assert absent not in diagnostics
    assert "scipy==" in reqs("experiments_evaluate") and "pillow==" not in reqs(
        "experiments_evaluate"
    )
    assert all("qdrant-edge-py==" not in reqs(name) for name in zips)

"""terraform reads the manifest; the deploy bundles carry exactly what each function needs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from adgenius.deploy import TERRAFORM_MANIFEST, bundle, render_manifest
from adgenius.manifest import MANIFEST


def test_terraform_manifest_is_current() -> None:
    assert TERRAFORM_MANIFEST.read_text() == render_manifest(), (
        "terraform/manifest.json is stale: run `python -m adgenius.deploy manifest`"
    )


def test_every_function_gets_a_bundle_without_local_only_code(tmp_path: Path) -> None:
    zips = {p.stem: p for p in bundle(tmp_path)}
    assert set(zips) == {f.name for f in MANIFEST.functions}
    with zipfile.ZipFile(zips["jobs_item"]) as zf:
        names = set(zf.namelist())
        assert "main.py" in names and "requirements.txt" in names
        assert "adgenius/pipeline/steps.py" in names
        assert not any(n.startswith(("adgenius/localstack/", "adgenius/testing/")) for n in names)
        assert "google-cloud-tasks" in zf.read("requirements.txt").decode()
        assert "def handle_item_task(" in zf.read("main.py").decode()

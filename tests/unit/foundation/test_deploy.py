"""terraform reads the manifest; the deploy bundles carry exactly what each function needs."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

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


@pytest.mark.skipif(
    shutil.which("terraform") is None, reason="the terraform binary is not on PATH here"
)
def test_terraform_files_parse_and_are_formatted() -> None:
    """HCL syntax and `terraform fmt` style. (`terraform validate` needs the google provider
    from the registry, which these machines cannot reach.)"""
    done = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", "-no-color", str(TERRAFORM_MANIFEST.parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr

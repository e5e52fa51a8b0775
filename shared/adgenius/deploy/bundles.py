"""Deployment bundles and the manifest terraform reads.

Each Cloud Function's source is its own `functions/<name>/main.py`, the `adgenius` package and a
`requirements.txt`: the function's hash-pinned lock (adgenius.deploy.locks), which installs the
base dependencies and only the extras its manifest entry declares. terraform uploads the zips
and creates everything in the manifest.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from adgenius.deploy.locks import locked_requirements
from adgenius.manifest import MANIFEST
from adgenius.settings import REPO_ROOT

TERRAFORM_MANIFEST = REPO_ROOT / "terraform" / "manifest.json"
PACKAGE_DIR = REPO_ROOT / "shared" / "adgenius"
SKIP_PARTS = {"__pycache__", "localstack", "testing", "deploy"}  # tooling stays out of deploys


def render_manifest() -> str:
    return json.dumps(MANIFEST.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def bundle(out_dir: Path, names: list[str] | None = None) -> list[Path]:
    """Writes `<name>.zip` for the named functions (default: all) into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    zips = []
    for fn in MANIFEST.functions:
        if names and fn.name not in names:
            continue
        target = out_dir / f"{fn.name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(fn.source_dir / "main.py", "main.py")
            zf.writestr("requirements.txt", locked_requirements(fn))
            for path in sorted(PACKAGE_DIR.rglob("*")):
                rel = path.relative_to(PACKAGE_DIR.parent)
                if path.is_file() and not SKIP_PARTS & set(rel.parts):
                    zf.write(path, str(rel))
        zips.append(target)
    return zips

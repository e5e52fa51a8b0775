"""Each function's memory in the manifest (and so in terraform) is sized from its measured
footprint with the documented headroom (adgenius.deploy.footprints). The footprints are recorded
by `python -m adgenius.deploy footprints`, which measures them in fresh processes."""

from __future__ import annotations

import json

from adgenius.deploy import footprints
from adgenius.deploy.bundles import TERRAFORM_MANIFEST
from adgenius.manifest import MANIFEST


def test_every_function_has_a_recorded_footprint() -> None:
    recorded = footprints.recorded()
    assert set(recorded) == {fn.name for fn in MANIFEST.functions}, (
        "re-measure: `python -m adgenius.deploy footprints`"
    )
    for name, measured in recorded.items():
        # A bare functions-framework instance is ~30 MB: anything less was not measured.
        assert measured["footprint_mb"] > 30, name


def test_manifest_memory_is_the_footprint_plus_headroom() -> None:
    recorded = footprints.recorded()
    short = {
        fn.name: (fn.memory_mb, footprints.required_mb(recorded[fn.name]["footprint_mb"]))
        for fn in MANIFEST.functions
        if fn.memory_mb < footprints.required_mb(recorded[fn.name]["footprint_mb"])
    }
    assert not short, f"memory_mb below {footprints.HEADROOM}x the footprint: {short}"


def test_terraform_gets_the_manifest_memory() -> None:
    deployed = {
        f["name"]: f["memory_mb"] for f in json.loads(TERRAFORM_MANIFEST.read_text())["functions"]
    }
    assert deployed == {fn.name: fn.memory_mb for fn in MANIFEST.functions}


def test_the_headroom_rule() -> None:
    assert footprints.required_mb(82) == 256  # 164 MB -> the smallest step
    assert footprints.required_mb(128) == 256  # exactly twice fits
    assert footprints.required_mb(129) == 512
    assert footprints.required_mb(1500) == 4096

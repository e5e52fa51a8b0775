"""Each function's memory footprint, measured, and the memory its manifest entry must give it.

The footprint is the peak RSS of a fresh instance (functions-framework, as deployed) that has
loaded everything any of its requests loads: the entry, then every module of its code path
(`extras.reachable_modules`, the same walk that decides its bundle's extras; imports inside
handlers included, so the libraries of its extras too). That is what an instance holds once it
has served each kind of request it gets; the data of a request in flight (an image being
rendered, a report being parsed) comes on top, which is what the headroom is for.

Rule (checked by tests/unit/deploy/test_memory_sizing.py against the recorded file):
    memory_mb >= HEADROOM * footprint_mb, rounded up to a Cloud Run memory step
HEADROOM = 2: half of the instance for the code, half for the requests' data and the
concurrency the entry declares. Functions whose requests hold big media (rendering, ZIPs of
videos) keep sizes set from those workloads; the rule is a floor, not a ceiling.

    python -m adgenius.deploy footprints [NAME ...]   # measures, rewrites footprints.json
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from adgenius.deploy.extras import reachable_modules
from adgenius.manifest import MANIFEST, FunctionSpec

RECORD = Path(__file__).with_name("footprints.json")
HEADROOM = 2.0
# Cloud Run (gen2) memory sizes a function may have.
MEMORY_STEPS_MB = (256, 512, 1024, 2048, 4096, 8192, 16384, 32768)

PROBE = r"""
import importlib, json, resource, sys
import functions_framework
source, target, signature = sys.argv[1:4]
app = functions_framework.create_app(target=target, source=source, signature_type=signature)
failed = []
for module in json.loads(sys.argv[4]):
    try:
        importlib.import_module(module)
    except Exception as exc:  # reported: a module that cannot load is a broken bundle
        failed.append(f"{module}: {exc!r}")
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "modules": len(json.loads(sys.argv[4])), "failed": failed}))
"""


def required_mb(footprint_mb: float) -> int:
    """The smallest memory step with HEADROOM over the footprint."""
    need = math.ceil(footprint_mb * HEADROOM)
    return next(step for step in MEMORY_STEPS_MB if step >= need)


def measure(fn: FunctionSpec) -> dict:
    modules = sorted(reachable_modules(fn.source_dir / "main.py"))
    env = {
        **os.environ,
        # Nothing is contacted: loading code needs no backend, and none may be reached.
        "FIRESTORE_EMULATOR_HOST": "127.0.0.1:9",
        "STORAGE_EMULATOR_HOST": "http://127.0.0.1:9",
        "PUBSUB_EMULATOR_HOST": "127.0.0.1:9",
        "ADGENIUS_MODE": "local",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            str(fn.source_dir / "main.py"),
            fn.entry_point,
            fn.signature_type,
            json.dumps(modules),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{fn.name}: {done.stderr[-2000:]}")
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    if result["failed"]:
        raise RuntimeError(f"{fn.name}: modules failed to load: {result['failed']}")
    return {"footprint_mb": round(result["rss_mb"], 1), "modules": result["modules"]}


def measure_all(names: list[str] | None = None) -> dict[str, dict]:
    """Measures the named functions (default: all); the others keep their recorded values."""
    known = recorded() if names and RECORD.exists() else {}
    fresh = {fn.name: measure(fn) for fn in MANIFEST.functions if not names or fn.name in names}
    return {fn.name: fresh.get(fn.name) or known[fn.name] for fn in MANIFEST.functions}


def recorded() -> dict[str, dict]:
    data: dict[str, dict] = json.loads(RECORD.read_text())["functions"]
    return data


def write(measured: dict[str, dict]) -> None:
    RECORD.write_text(
        json.dumps(
            {
                "about": "peak RSS of an instance that has loaded all of its code path, MB; "
                "`python -m adgenius.deploy footprints` rewrites this",
                "headroom": HEADROOM,
                "functions": measured,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def table(measured: dict[str, dict]) -> str:
    rows = [
        "| function | footprint | x headroom -> floor | manifest memory |",
        "|---|---|---|---|",
    ]
    by_name = {fn.name: fn for fn in MANIFEST.functions}
    for name, m in measured.items():
        floor = required_mb(m["footprint_mb"])
        mark = "" if by_name[name].memory_mb >= floor else " (below the floor)"
        rows.append(
            f"| {name} | {m['footprint_mb']:.0f} MB | {floor} MB "
            f"| {by_name[name].memory_mb} MB{mark} |"
        )
    return "\n".join(rows)


def main(names: list[str] | None = None) -> None:
    measured = measure_all(names)
    write(measured)
    print(table(measured))
    print(f"wrote {RECORD}")

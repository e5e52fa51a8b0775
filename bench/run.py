"""`nox -s bench`: runs every benchmark module, writes bench/results.json and the README table.

Each module exposes `run(work_dir) -> {name: {value, unit, baseline, ratio, goal}}`, with the
baseline measured in the same run (these machines are noisy; ratios travel, absolutes don't).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
MODULES = [
    "bench.foundation_bench",
    "bench.copy_bench",
    "bench.policy_bench",
    "bench.media_bench",
    "bench.rag_bench",
    "bench.pipeline_bench",
    "bench.web_bench",
    "bench.experiments_bench",
    "bench.metrics_bench",
    "bench.coldstart_bench",
    "bench.tracing_bench",
    "bench.loop_bench",
    "bench.load_bench",
]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# What a module needs from the machine that no session installs, checked before anything runs:
# a missing browser must not surface as a Playwright traceback after ten minutes of benchmarks.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
NEEDS = {
    "bench.web_bench": [(CHROMIUM, "Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)")]
}


def preflight(selected: list[str]) -> list[str]:
    """What the selected modules need and this machine lacks, each with its install command."""
    return [
        f"{path} not found; install {how}"
        for module in selected
        for path, how in NEEDS.get(module, [])
        if not path.exists()
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def render_table(results: dict[str, dict]) -> str:
    rows = ["| measure | value | baseline (same run) | ratio | goal |", "|---|---|---|---|---|"]
    for name, m in results.items():
        if "error" in m:
            rows.append(f"| `{name}` | error: {m['error']} | | | {m.get('goal', '')} |")
            continue
        rows.append(
            f"| `{name}` | {m['value']:.4g} {m['unit']} | {m['baseline']:.4g} {m['unit']} "
            f"| {m['ratio']:.3g} | {m['goal']} |"
        )
    return "\n".join(rows)


def update_readme(results: dict[str, dict], when: str, where: str) -> None:
    if not README.exists():
        return
    text = README.read_text()
    if START not in text or END not in text:
        return
    table = f"{START}\nMeasured {when} on {where}.\n\n{render_table(results)}\n{END}"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(head + table + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="module names to run (default: all)")
    args = parser.parse_args()
    where = machine()
    results: dict[str, dict] = {}
    if RESULTS.exists() and args.only:
        results = json.loads(RESULTS.read_text())  # keep the other modules' latest numbers
    selected = [
        m for m in MODULES if not args.only or m in args.only or m.split(".")[-1] in args.only
    ]
    if missing := preflight(selected):
        sys.exit("error: " + "\n".join(missing))
    failed = False
    for module_name in selected:
        short = module_name.split(".")[-1]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                print(f"-- {short}: not present, skipped", flush=True)
                continue
            raise
        print(f"-- {short} ...", flush=True)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"bench-{short}-") as work:
            try:
                measured = module.run(Path(work))
            except Exception as exc:
                traceback.print_exc()
                failed = True
                measured = {f"{short}_error": {"error": f"{type(exc).__name__}: {exc}"}}
        for name, m in measured.items():
            m["machine"] = where
            results[name] = m
            if "error" not in m:
                print(
                    f"   {name}: {m['value']:.4g} {m['unit']} (baseline {m['baseline']:.4g}, "
                    f"ratio {m['ratio']:.3g}, goal {m['goal']})",
                    flush=True,
                )
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
    update_readme(results, time.strftime("%Y-%m-%d"), where)
    print(f"wrote {RESULTS}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

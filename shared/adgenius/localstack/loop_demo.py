"""`nox -s loop-demo`: the learning loop against a synthetic audience, on the real local stack.

Starts the local stack, runs the loop simulator (``loop_sim``) for each seed (each seed draws a
different audience), writes the chart of CTR per round, loop on against loop off, as PNG and
HTML, and prints the round-N lift. Options: --rounds, --seed (repeatable), --seeds N (N random
audiences), --out (a directory; default docs/).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from adgenius.cloud.clients import reset_clients
from adgenius.localstack.errors import StackError
from adgenius.localstack.loop_chart import lift, write_html, write_png
from adgenius.localstack.loop_sim import LoopConfig, LoopResult, run_loop
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.settings import REPO_ROOT, reset_settings_cache


def random_seed() -> int:
    """A fresh audience per run: never a seed picked because the loop did well on it."""
    return int.from_bytes(os.urandom(4), "big") % 1_000_000


def run_seeds(
    info: StackInfo, seeds: list[int], cfg: LoopConfig, log: object = print
) -> list[LoopResult]:
    os.environ.update(info.env())  # the simulator's own reads go to this stack
    reset_settings_cache()
    reset_clients()
    # Audiences are independent tenants: they run side by side (the stack serves them all).
    with ThreadPoolExecutor(max_workers=min(len(seeds), 3)) as pool:
        runs = [pool.submit(run_loop, info, s, cfg, log=log) for s in seeds]  # type: ignore[arg-type]
        return [r.result() for r in runs]


def summary(results: list[LoopResult]) -> str:
    last = len(results[0].on)
    on = np.mean([r.on[-1].ctr for r in results])
    off = np.mean([r.off[-1].ctr for r in results])
    return (
        f"round-{last} CTR: loop on {on:.3%}, loop off {off:.3%}; lift x{lift(results):.3f} "
        f"(per audience: {', '.join(f'{r.seed} x{r.lift:.3f}' for r in results)})"
    )


def save(results: list[LoopResult], path: Path) -> Path:
    """The numbers behind the chart (per audience and round), for anyone to check or replot."""
    rows = [
        {
            "seed": r.seed,
            "preferences": r.prefs.ctr_weights,
            "rounds": [
                {"round": on.round, "on": asdict(on), "off": asdict(off)}
                for on, off in zip(r.on, r.off, strict=True)
            ],
        }
        for r in results
    ]
    path.write_text(json.dumps({"lift": lift(results), "audiences": rows}, indent=1))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of delivery (default 5)")
    parser.add_argument(
        "--seed", type=int, action="append", help="an audience seed (repeatable; default random)"
    )
    parser.add_argument("--seeds", type=int, default=1, help="how many random audiences")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs", help="chart directory")
    args = parser.parse_args(argv)
    if args.rounds < 2:
        parser.error("--rounds must be at least 2 (the loop acts between rounds)")
    seeds = args.seed or [random_seed() for _ in range(max(args.seeds, 1))]
    stack = LocalStack()
    try:
        info = stack.start()
    except StackError as exc:
        sys.exit(f"error: {exc}")
    try:
        print(f"stack READY in {stack.started_in_s:.1f}s; seeds {seeds}", flush=True)
        results = run_seeds(info, seeds, LoopConfig(rounds=args.rounds))
    finally:
        stack.stop()
    png = write_png(results, args.out / "loop-demo.png")
    page = write_html(results, png, args.out / "loop-demo.html")
    data = save(results, args.out / "loop-demo.json")
    print(summary(results))
    print(f"chart: {png}\npage:  {page}\ndata:  {data}")


if __name__ == "__main__":
    main()

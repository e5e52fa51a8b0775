"""The loop simulator's chart: CTR per round, loop on against loop off (PNG and HTML).

matplotlib is a dev-only dependency (the `charts` extra): imported here, never by the product.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np

from adgenius.localstack.loop_sim import LoopResult


def _series(results: list[LoopResult], loop: bool) -> np.ndarray:
    return np.array([r.ctr(loop) for r in results]) * 100  # seeds x rounds, in %


def lift(results: list[LoopResult], round_index: int = -1) -> float:
    """Mean CTR with the loop over mean CTR without it, in one round (the bench's measure)."""
    on = float(np.mean([r.on[round_index].ctr for r in results]))
    off = float(np.mean([r.off[round_index].ctr for r in results]))
    return on / off if off else float("nan")


def write_png(results: list[LoopResult], path: Path) -> Path:
    """Left: mean CTR per round, loop on and off. Right: the lift per round (on / off) of each
    audience and of the means; round 1 is 1 by construction (same ads, same draws)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rounds = np.arange(1, len(results[0].on) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=110)
    for loop, colour, name in (
        (True, "#1a73e8", "loop on (steered)"),
        (False, "#9aa0a6", "loop off"),
    ):
        left.plot(rounds, _series(results, loop).mean(axis=0), marker="o", color=colour, label=name)
    left.set_title(f"Mean CTR per round ({len(results)} random audiences)", fontsize=10)
    left.set_ylabel("CTR (%)")
    left.legend()
    ratios = _series(results, True) / _series(results, False)
    for res, row in zip(results, ratios, strict=True):
        right.plot(rounds, row, color="#1a73e8", alpha=0.35, lw=1, label=f"audience {res.seed}")
    means = [lift(results, i) for i in range(len(rounds))]
    right.plot(rounds, means, color="#1a73e8", marker="o", lw=2.5, label="mean CTRs")
    right.axhline(1.0, color="#9aa0a6", lw=1)
    right.set_title(f"CTR lift, loop on / off (round {rounds[-1]}: x{means[-1]:.2f})", fontsize=10)
    right.legend(fontsize=7)
    for ax in (left, right):
        ax.set_xlabel("round (6 days of delivery, then 3 of 6 ads replaced)")
        ax.set_xticks(rounds)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_html(results: list[LoopResult], png: Path, path: Path) -> Path:
    """A self-contained page: the chart, the numbers per seed, what steered the new ads."""
    image = base64.b64encode(png.read_bytes()).decode()
    rows = []
    for res in results:
        prefs = ", ".join(f"{f} {w:+.2f}" for f, w in res.prefs.top(4))
        for on, off in zip(res.on, res.off, strict=True):
            steer = on.steering
            said = "; ".join(
                x
                for x in (
                    f"{len(steer.get('winners', []))} winners" if steer else "",
                    f"{len(steer.get('losers', []))} losers" if steer else "",
                    "prefer " + ", ".join(steer["prefer"]) if steer.get("prefer") else "",
                    "avoid " + ", ".join(steer["avoid"]) if steer.get("avoid") else "",
                )
                if x
            )
            rows.append(
                f"<tr><td>{res.seed}</td><td>{on.round}</td><td>{on.ctr:.3%}</td>"
                f"<td>{off.ctr:.3%}</td><td>{on.ctr / off.ctr if off.ctr else 0:.2f}</td>"
                f"<td>{on.appeal:+.3f} / {off.appeal:+.3f}</td>"
                f"<td>{html.escape(on.outcome)} / {html.escape(off.outcome)}</td>"
                f"<td>{html.escape(said)}</td><td>{html.escape(prefs) if on.round == 1 else ''}"
                "</td></tr>"
            )
    lifts = ", ".join(f"{r.lift:.2f}" for r in results)
    path.write_text(
        "<!doctype html><meta charset=utf-8><title>AdGenius loop simulator</title><style>"
        "body{font-family:system-ui,sans-serif;margin:24px;color:#1b1b1f}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;"
        "padding:4px 8px;text-align:left}</style>"
        "<h1>The learning loop against a synthetic audience</h1>"
        f"<p>Round-{len(results[0].on)} CTR lift (loop on / loop off) per seed: {lifts}.</p>"
        f'<img alt="CTR per round, loop on and off" src="data:image/png;base64,{image}">'
        "<table><tr><th>seed</th><th>round</th><th>CTR on</th><th>CTR off</th><th>ratio</th>"
        "<th>ads' hidden appeal on / off (log-odds)</th>"
        "<th>experiment outcome on / off</th><th>steering of the ads made after the round</th>"
        "<th>hidden preferences (strongest)</th></tr>" + "".join(rows) + "</table>",
        encoding="utf-8",
    )
    return path

"""The local trace viewer: one trace from the stack's span file, rendered as an HTML timeline.

The local stack's functions (and anything run with `ADGENIUS_TRACE_FILE`) append one JSON line per
finished span (adgenius.tracing). This reads them back, rebuilds the tree from the parent links
and writes a self-contained page (no scripts, no network): one row per span, indented under its
parent, with a bar on the trace's time axis; hover a bar for its attributes.

    python -m adgenius.localstack.traces latest   # the newest trace that reached the pipeline
    python -m adgenius.localstack.traces 4bf92f3577b34da6a3ce929d0e0e4736 --out /tmp/t.html
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adgenius.settings import get_settings

TRACE_FILE_NAME = "spans.jsonl"


def default_trace_file() -> Path:
    """Where the local stack's functions write their spans (see LocalStack.start)."""
    return get_settings().data_dir / "local" / "traces" / TRACE_FILE_NAME


def read_spans(path: Path) -> list[dict[str, Any]]:
    """Every span in the file; a torn or foreign line is skipped, not fatal."""
    spans: list[dict[str, Any]] = []
    if not path.exists():
        return spans
    for line in path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("trace_id") and record.get("span_id"):
            spans.append(record)
    return spans


def trace_spans(spans: list[dict[str, Any]], trace_id: str) -> list[dict[str, Any]]:
    return [s for s in spans if s["trace_id"] == trace_id.lower()]


def latest_trace_id(spans: list[dict[str, Any]]) -> str | None:
    """The newest trace that reached the pipeline (a `jobs.*` span), else the newest trace."""
    pipeline = [s for s in spans if str(s.get("name", "")).startswith("jobs.")]
    pool = pipeline or spans
    if not pool:
        return None
    newest = max(pool, key=lambda s: int(s.get("start_ns") or 0))
    return str(newest["trace_id"])


@dataclass
class Node:
    span: dict[str, Any]
    children: list[Node] = field(default_factory=list)


def build_tree(spans: list[dict[str, Any]]) -> list[Node]:
    """Roots first by start time; a span whose parent is not in the file (a caller outside the
    stack, e.g. a test that sent `traceparent`) is a root."""
    nodes = {s["span_id"]: Node(s) for s in spans}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.span.get("parent_span_id") or "")
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: int(n.span.get("start_ns") or 0))
    roots.sort(key=lambda n: int(n.span.get("start_ns") or 0))
    return roots


def _rows(roots: list[Node]) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []

    def walk(node: Node, depth: int) -> None:
        out.append((depth, node.span))
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return out


_COLOURS = ["#1a73e8", "#188038", "#e37400", "#a142f4", "#d93025", "#007b83", "#9334e6", "#5f6368"]


def render_html(trace_id: str, spans: list[dict[str, Any]]) -> str:
    if not spans:
        raise ValueError(f"no spans for trace {trace_id}")
    start = min(int(s["start_ns"]) for s in spans)
    end = max(int(s.get("end_ns") or s["start_ns"]) for s in spans)
    total = max(end - start, 1)
    functions = sorted({str(s.get("attributes", {}).get("faas.name", "")) for s in spans})
    colour = {name: _COLOURS[i % len(_COLOURS)] for i, name in enumerate(functions)}
    rows = []
    for depth, s in _rows(build_tree(spans)):
        s_start, s_end = int(s["start_ns"]), int(s.get("end_ns") or s["start_ns"])
        left = 100 * (s_start - start) / total
        width = max(100 * (s_end - s_start) / total, 0.3)
        attrs = s.get("attributes") or {}
        tip = "\n".join(
            [f"span {s['span_id']} parent {s.get('parent_span_id') or '-'}"]
            + [f"status {s['status']}"]
            + [f"{k} = {v}" for k, v in sorted(attrs.items())]
        )
        fn = str(attrs.get("faas.name", ""))
        error = " error" if s.get("status") == "ERROR" else ""
        rows.append(
            f'<tr class="{error.strip()}"><td class="name" style="padding-left:{8 + 16 * depth}px">'
            f"{html.escape(str(s['name']))}<span class=fn>{html.escape(fn)}</span></td>"
            f'<td class="ms">{(s_end - s_start) / 1e6:.1f} ms</td>'
            f'<td class="axis"><div class="bar{error}" title="{html.escape(tip)}" '
            f'style="left:{left:.3f}%;width:{width:.3f}%;background:{colour[fn]}"></div></td></tr>'
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trace {html.escape(trace_id)}</title>
<style>
body {{ font: 13px system-ui, sans-serif; margin: 24px; color: #202124; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ border-bottom: 1px solid #eee; padding: 4px 8px; white-space: nowrap; }}
td.name {{ width: 28%; }} td.ms {{ width: 8%; text-align: right; color: #5f6368; }}
td.axis {{ position: relative; }}
.bar {{ position: absolute; top: 6px; height: 12px; border-radius: 2px; min-width: 2px; }}
.bar.error {{ outline: 2px solid #d93025; }}
.fn {{ color: #80868b; margin-left: 8px; font-size: 11px; }}
tr.error td.name {{ color: #d93025; }}
</style></head><body>
<h1>Trace {html.escape(trace_id)}</h1>
<p>{len(spans)} spans, {total / 1e6:.1f} ms from the first start to the last end.
Hover a bar for its attributes.</p>
<table>{"".join(rows)}</table>
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace", help="a trace id (32 hex) or `latest`")
    parser.add_argument("--file", type=Path, default=None, help="span file (default: the stack's)")
    parser.add_argument("--out", type=Path, default=None, help="HTML path (default: next to it)")
    args = parser.parse_args(argv)
    path = args.file or default_trace_file()
    spans = read_spans(path)
    trace_id = latest_trace_id(spans) if args.trace == "latest" else args.trace.lower()
    chosen = trace_spans(spans, trace_id) if trace_id else []
    if not chosen:
        print(f"error: no spans for {args.trace!r} in {path}", file=sys.stderr)
        return 1
    assert trace_id is not None
    out = args.out or path.parent / f"trace-{trace_id}.html"
    out.write_text(render_html(trace_id, chosen))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`nox -s demo`: a demo tenant's copy, images and video through the real local pipeline.

Starts the local stack, signs up a marketer, creates a brand and a campaign through the API, then
runs three jobs - a copy batch, 8 images in 4 ratios, and a 15 s 9:16 video - following them with
Firestore real-time listeners (a progress bar each), and writes a contact sheet (HTML) of what was
made. Prints the sheet's path.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import blob_store
from adgenius.localstack.errors import StackError
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import TERMINAL, Workspace, create_workspace
from adgenius.settings import get_settings
from adgenius.testing import sample_media

JOBS: dict[str, dict[str, Any]] = {
    "copy": {"kind": "copy_batch", "platforms": ["google_rsa", "meta", "google_pmax"]},
    "images": {"kind": "image_set", "variants": 2, "ratios": ["1:1", "4:5", "9:16", "1.91:1"]},
    "video": {"kind": "video", "duration_s": 15, "ratio": "9:16", "scenes": 3},
}
BAR = 24


class ProgressBoard:
    """One line per job, redrawn from listener snapshots."""

    def __init__(self, names: list[str]) -> None:
        self.state: dict[str, dict[str, Any]] = {n: {} for n in names}
        self.lock = threading.Lock()
        self.tty = sys.stdout.isatty()
        self.last_line: dict[str, str] = {}

    def update(self, name: str, job: dict[str, Any]) -> None:
        with self.lock:
            self.state[name] = job
            line = self._line(name, job)
            if self.tty:
                sys.stdout.write("\r" + " | ".join(self._line(n, j) for n, j in self.state.items()))
                sys.stdout.flush()
            elif self.last_line.get(name) != line:
                print(line, flush=True)
            self.last_line[name] = line

    @staticmethod
    def _line(name: str, job: dict[str, Any]) -> str:
        counts = job.get("counts") or {}
        total = counts.get("total") or 0
        done = sum(counts.get(k, 0) for k in ("succeeded", "failed", "cancelled"))
        filled = int(BAR * done / total) if total else 0
        eta = job.get("eta_s")
        eta_text = f" eta {eta:.0f}s" if eta and job.get("status") not in TERMINAL else ""
        return (
            f"{name:<7}[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} "
            f"{job.get('status', 'queued')}/{job.get('phase', '-')}{eta_text}"
        )


def follow(ws: Workspace, jobs: dict[str, str], board: ProgressBoard, timeout_s: float) -> None:
    """Real-time listeners on each job document until all of them end."""
    done = {name: threading.Event() for name in jobs}
    watches = []
    for name, job_id in jobs.items():

        def on_snapshot(docs, _changes, _read_time, name=name) -> None:  # type: ignore[no-untyped-def]
            for doc in docs:
                if doc.exists:
                    data = doc.to_dict()
                    board.update(name, data)
                    if data.get("status") in TERMINAL:
                        done[name].set()

        ref = firestore_client().document(f"tenants/{ws.tenant_id}/jobs/{job_id}")
        watches.append(ref.on_snapshot(on_snapshot))
    deadline = time.monotonic() + timeout_s
    try:
        for event in done.values():
            event.wait(max(0.0, deadline - time.monotonic()))
    finally:
        for watch in watches:
            watch.unsubscribe()
    if board.tty:
        print()


# The demo brand's own pictures, drawn at demo time by adgenius.testing.sample_media (nothing is
# downloaded, so no licence question): (kind, what, query parameters).
BRAND_PICTURES: list[tuple[str, str, dict[str, str]]] = [
    (
        "product",
        "mug",
        {"tags": "mug,coffee,cup,morning", "caption": "Enamel mug for fresh coffee"},
    ),
    ("product", "bottle", {"tags": "cold brew,bottle,summer", "caption": "Cold brew bottle"}),
    ("logo", "dark", {}),
    ("logo", "light", {}),
]


def upload_brand_pictures(ws: Workspace) -> list[dict[str, Any]]:
    """Give the demo brand a small asset library, as a marketer would on day one."""
    uploaded = []
    for kind, what, params in BRAND_PICTURES:
        if kind == "logo":
            data, mime = sample_media.encode(sample_media.logo(what), "PNG"), "image/png"
        else:
            photo = sample_media.product_photo(what, colour=(150, 75, 40))
            data, mime = sample_media.encode(photo, "JPEG", quality=90), "image/jpeg"
        r = ws.call(
            "POST",
            f"/brands/{ws.brand_id}/assets",
            content=data,
            headers={"Content-Type": mime},
            params={"kind": kind, **params},
        )
        if r.status_code != 201:
            raise RuntimeError(f"brand picture {what}: {r.status_code} {r.text}")
        uploaded.append(r.json())
    return uploaded


def _library_section(ws: Workspace, media: Path) -> str:
    blobs = blob_store()
    items = ws.call("GET", f"/brands/{ws.brand_id}/assets").json()["items"]
    cards = []
    for asset in items:
        target = media / f"library-{Path(asset['thumbnail_path']).name}"
        target.write_bytes(blobs.get(asset["thumbnail_path"]))
        cards.append(
            f'<div class=card><img src="media/{target.name}" alt="">'
            f"<p class=meta>{html.escape(asset['kind'])} · {html.escape(asset['id'])} · "
            f"{html.escape(', '.join(asset['tags'] + asset['variants']))}</p></div>"
        )
    return f"<section><h2>Brand pictures</h2><div class=grid>{''.join(cards)}</div></section>"


def write_contact_sheet(ws: Workspace, jobs: dict[str, str], out_dir: Path) -> Path:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    media = out_dir / "media"
    media.mkdir(parents=True)
    blobs = blob_store()
    sections: list[str] = [_library_section(ws, media)]
    for name, job_id in jobs.items():
        job = ws.job(job_id)
        cards: list[str] = []
        creatives = ws.call("GET", "/creatives", params={"limit": 100}).json()["items"]
        for creative in [c for c in creatives if c.get("job_id") == job_id]:
            full = ws.call("GET", f"/creatives/{creative['id']}").json()
            body = ""
            for asset in full.get("assets", []):
                filename = Path(asset["storage_path"]).name
                target = media / f"{creative['id']}-{filename}"
                target.write_bytes(blobs.get(asset["storage_path"]))
                rel = f"media/{target.name}"
                label = f"{asset.get('ratio')} · {asset.get('width')}x{asset.get('height')}"
                if asset["content_type"].startswith("video/"):
                    label += f" · {asset.get('duration_s', 0):.1f}s"
                    poster_path = creative["content"].get("posters", {}).get(asset.get("ratio"))
                    poster = ""
                    if poster_path:
                        still = media / f"{creative['id']}-{Path(poster_path).name}"
                        still.write_bytes(blobs.get(poster_path))
                        poster = f' poster="media/{still.name}"'
                    body += f'<video src="{rel}"{poster} controls muted loop></video>'
                else:
                    alt = html.escape(creative["content"].get("headline", ""))
                    body += f'<img src="{rel}" alt="{alt}">'
                body += f"<p class=meta>{html.escape(label)}</p>"
            if creative["kind"] == "copy":
                content = creative["content"]
                for field in ("headlines", "descriptions", "long_headlines", "primary_texts"):
                    if content.get(field):
                        items = "".join(f"<li>{html.escape(t)}</li>" for t in content[field])
                        body += f"<h4>{field} ({len(content[field])})</h4><ol>{items}</ol>"
                body += f"<p class=meta>compliant: {content.get('compliant')}</p>"
            made_from = creative["content"].get("brand_asset_ids") or []
            if made_from:
                body += f"<p class=meta>made from: {html.escape(', '.join(made_from))}</p>"
            cards.append(
                f"<div class=card><h3>{html.escape(creative['kind'])} · "
                f"{html.escape(str(creative['platform']))}</h3>{body}"
                f"<p class=meta>{html.escape(creative.get('engine') or '')} / "
                f"{html.escape(creative.get('model') or '')} / "
                f"{html.escape(creative.get('prompt_version') or '')}</p></div>"
            )
        sections.append(
            f"<section><h2>{html.escape(name)}: {html.escape(job['status'])} "
            f"({job['counts']['succeeded']}/{job['counts']['total']})</h2>"
            f"<div class=grid>{''.join(cards)}</div></section>"
        )
    page = out_dir / "contact-sheet.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><title>AdGenius demo contact sheet</title><style>"
        "body{font-family:system-ui,sans-serif;margin:24px;background:#f6f6f8;color:#1b1b1f}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}"
        ".card{background:#fff;border-radius:16px;padding:12px;box-shadow:0 1px 3px #0002}"
        ".card img,.card video{width:100%;border-radius:8px;background:#eee}"
        ".meta{color:#666;font-size:12px}h4{margin:8px 0 4px}ol{margin:0;padding-left:20px}"
        "</style><h1>AdGenius demo</h1>" + "".join(sections)
    )
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=get_settings().data_dir / "demo")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    stack = LocalStack()
    try:
        info = stack.start()
    except StackError as exc:
        sys.exit(f"error: {exc}")
    try:
        print(f"stack READY in {stack.started_in_s:.1f}s; API {info.api_base_url}/v1", flush=True)
        ws = create_workspace(info)
        print(f"demo tenant {ws.tenant_id}, brand {ws.brand_id}, campaign {ws.campaign_id}")
        pictures = upload_brand_pictures(ws)
        print(f"brand pictures: {', '.join(p['kind'] + ' ' + p['id'] for p in pictures)}")
        started = time.monotonic()
        jobs = {name: ws.start_job(body) for name, body in JOBS.items()}
        follow(ws, jobs, ProgressBoard(list(jobs)), args.timeout)
        print(f"all jobs ended in {time.monotonic() - started:.1f}s")
        page = write_contact_sheet(ws, jobs, args.out)
        print(f"contact sheet: {page}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()

"""After a deploy: one diagnostics run through the deployed functions, reported hop by hop.

The run goes HTTP -> Firestore write -> Firestore trigger -> Pub/Sub push -> Cloud Task ->
Storage + Firestore (adgenius.diagnostics). The same client runs against the local stack in the
tests, so what the deploy prints is what a test has seen work.

In the cloud the diagnostics function is private twice: Cloud Run IAM checks a Google ID token,
sent in `X-Serverless-Authorization` so that `Authorization` stays free for the operator's
Firebase ID token, which the function itself checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from pydantic import BaseModel

from adgenius.diagnostics.pipeline import HOPS


class Hop(BaseModel):
    hop: str
    at_ms: float


class DiagnosticsReport(BaseModel):
    run_id: str
    status: str | None
    total_ms: float | None = None
    duplicates: int = 0
    hops: list[Hop] = []
    hops_ms: dict[str, float] = {}

    @property
    def ok(self) -> bool:
        # Every hop is recorded once by construction (create()-guarded documents); two hops in
        # the same millisecond may read back in either order, so order is not part of "ok".
        return self.status == "done" and not self.missing

    @property
    def missing(self) -> list[str]:
        seen = {h.hop for h in self.hops}
        return [h for h in HOPS if h not in seen]


class VerifyError(RuntimeError):
    pass


def run_diagnostics(
    url: str,
    headers: dict[str, str],
    *,
    timeout_s: float = 120.0,
    poll_s: float = 0.5,
    client: httpx.Client | None = None,
    on_progress: Callable[[DiagnosticsReport], None] | None = None,
) -> DiagnosticsReport:
    """Start a run and follow it until done or `timeout_s`; the last state is returned either way
    (a stuck run says which hop it stopped before)."""
    http = client or httpx.Client(timeout=30)
    try:
        started = http.post(url, headers=headers)
        if started.status_code != 202:
            raise VerifyError(
                f"POST {url} -> HTTP {started.status_code}: {started.text.strip()[:300]}"
                + _auth_hint(started.status_code)
            )
        run_id = started.json()["run_id"]
        deadline = time.monotonic() + timeout_s
        report = DiagnosticsReport(run_id=run_id, status="running")
        seen = 0
        while time.monotonic() < deadline:
            r = http.get(url, params={"run_id": run_id}, headers=headers)
            if r.status_code == 200:
                report = DiagnosticsReport.model_validate(r.json())
                if on_progress and len(report.hops) != seen:
                    seen = len(report.hops)
                    on_progress(report)
                if report.status == "done":
                    return report
            elif r.status_code != 404:  # 404: the run document is not readable yet
                raise VerifyError(f"GET {url} -> HTTP {r.status_code}: {r.text.strip()[:300]}")
            time.sleep(poll_s)
        return report
    finally:
        if client is None:
            http.close()


def _auth_hint(status: int) -> str:
    if status == 401:
        return " (the operator's Firebase ID token was refused)"
    if status == 403:
        return " (Cloud Run IAM refused the caller, or the user lacks the operator claim)"
    return ""


def format_report(report: DiagnosticsReport) -> str:
    """One line per hop with the time since the HTTP hop, then the verdict."""
    lines = [f"diagnostics run {report.run_id}"]
    for hop in HOPS:
        if hop in report.hops_ms:
            lines.append(f"  {hop:<8} ok    +{report.hops_ms[hop]:>8.1f} ms")
        elif any(h.hop == hop for h in report.hops):
            lines.append(f"  {hop:<8} ok")
        else:
            lines.append(f"  {hop:<8} MISSING")
    if report.ok:
        total = f"{report.total_ms:.1f} ms" if report.total_ms is not None else "?"
        lines.append(f"PASS: every hop, once each, in {total}")
        if report.duplicates:
            lines.append(f"  ({report.duplicates} redelivery absorbed)")
    else:
        first = report.missing[0] if report.missing else "?"
        lines.append(f"FAIL: status {report.status}; stopped before the {first!r} hop")
    return "\n".join(lines)

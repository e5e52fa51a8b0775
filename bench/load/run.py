"""`nox -s load` and `nox -s soak`: locust against the local stack, served as Cloud Functions does.

The stack's functions host runs functions-framework's production server (gunicorn, one worker,
threaded; `--threads` sets THREADS as a deployment would) with a hello-world function mounted
beside the product's functions. Tenants are seeded through the API (sign-up, tenant, brand,
5 campaigns, copy creatives, one image job, an API key), then locust runs in its own process
(it patches everything with gevent) in phases against the same server:

  hello   the hello-world function: the ceiling of this server on this machine, this run
  floor   a function that reads one Firestore document and answers it as JSON: the least any
          read endpoint does (the rest of the read's cost is ours)
  read    marketers and integrations reading (campaigns, creatives, jobs, signed URLs)
  mixed   the same plus metrics posts and a paced trickle of copy requests and image jobs

`load` prints a table of the phases (requests/s, p50/p95/p99, failures) and the read/hello and
read/floor ratios. `soak` runs `mixed` for --minutes, samples the functions host's memory (all
processes of its group) every few seconds, then checks that every job the load started reached
a terminal state (the queues drained) and writes the memory curve as a chart next to its CSV.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adgenius.localstack.reaper import group_members
from adgenius.localstack.stack import LocalStack, StackInfo
from adgenius.localstack.workspace import TERMINAL, Workspace, create_workspace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOCUSTFILE = HERE / "locustfile.py"
HELLO = f"{HERE / 'hello' / 'main.py'}:hello"
FLOOR = f"{HERE / 'hello' / 'main.py'}:floor"
CAMPAIGNS_PER_TENANT = 5
OUT = ROOT / ".data" / "load"


# ---------------------------------------------------------------------------------- seeding
def _workspace(info: StackInfo, n: int) -> Workspace:
    # On a machine this busy a fresh ID token is now and then refused as used too early (the
    # Auth emulator's clock and ours round the same second differently): sign up again.
    for attempt in range(3):
        try:
            return create_workspace(info, email=f"load-{n}-{uuid.uuid4().hex[:6]}@example.com")
        except RuntimeError as exc:
            if "401" not in str(exc) or attempt == 2:
                raise
            time.sleep(1.5)
    raise AssertionError("unreachable")


def _seed_tenant(info: StackInfo, n: int) -> dict[str, Any]:
    ws = _workspace(info, n)
    campaigns = [ws.campaign_id]
    for i in range(CAMPAIGNS_PER_TENANT - 1):
        r = ws.call(
            "POST",
            "/campaigns",
            json={**_campaign_body(i), "brand_id": ws.brand_id},
        )
        r.raise_for_status()
        campaigns.append(r.json()["id"])
    copy = ws.call(
        "POST",
        f"/campaigns/{ws.campaign_id}/copy",
        json={"platform": "meta", "variants": 3},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    copy.raise_for_status()
    job_id = ws.start_job({"kind": "image_set", "variants": 1, "ratios": ["1:1"]})
    ws.wait(job_id, timeout_s=300)
    creatives = ws.call("GET", "/creatives?limit=50").json()["items"]
    key = ws.call(
        "POST",
        "/api-keys",
        json={
            "name": "integration",
            "scopes": ["read", "metrics:write"],
            "rate_limit_per_minute": 100_000,
        },
    )
    key.raise_for_status()
    return {
        "tenant_id": ws.tenant_id,
        "token": ws.user.id_token,
        "key": key.json()["key"],
        "campaign_ids": campaigns,
        "creative_ids": [c["id"] for c in creatives],
        "job_ids": [job_id],
    }


def _campaign_body(i: int) -> dict[str, Any]:
    from adgenius.localstack.workspace import DEMO_CAMPAIGN

    return {**DEMO_CAMPAIGN, "name": f"Campaign {i + 2}"}


def seed(info: StackInfo, tenants: int) -> dict[str, Any]:
    with ThreadPoolExecutor(4) as pool:
        seeded = list(pool.map(lambda n: _seed_tenant(info, n), range(tenants)))
    return {"tenants": seeded}


# ---------------------------------------------------------------------------------- locust
@dataclass
class Phase:
    name: str
    seconds: float
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    failure_samples: list[str] = field(default_factory=list)
    host_cpu_s: float = 0.0  # CPU the functions host used during the phase (all its processes)

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.host_cpu_s / self.requests if self.requests else 0.0


def _num(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def run_locust(
    stack: LocalStack,
    phase: str,
    classes: list[str],
    *,
    seconds: float,
    users: int,
    fixture: Path,
    out_dir: Path,
    exclude_tags: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Phase:
    assert stack.info is not None
    info = stack.info
    prefix = out_dir / phase
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    cmd = [
        locust,
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--host",
        info.functions_base_url,
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{int(seconds)}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
        *classes,
    ]
    if exclude_tags:
        cmd += ["--exclude-tags", *exclude_tags]
    proc_env = {**os.environ, "ADGENIUS_LOAD_FIXTURE": str(fixture), **(env or {})}
    log = (out_dir / f"{phase}.log").open("w")
    cpu_before = host_cpu_s(stack)
    # locust exits 1 when any request failed; the table says which, so that is not an error here.
    subprocess.run(cmd, env=proc_env, stdout=log, stderr=subprocess.STDOUT, check=False)
    result = Phase(phase, seconds, host_cpu_s=host_cpu_s(stack) - cpu_before)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"locust wrote no statistics; see {out_dir / f'{phase}.log'}")
    with stats.open() as f:
        for row in csv.DictReader(f):
            entry = {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": _num(row["Requests/s"]),
                "p50_ms": _num(row["50%"]),
                "p95_ms": _num(row["95%"]),
                "p99_ms": _num(row["99%"]),
            }
            if row["Name"] == "Aggregated":
                result.requests, result.failures = entry["requests"], entry["failures"]
                result.rps = entry["rps"]
                result.p50_ms, result.p95_ms, result.p99_ms = (
                    entry["p50_ms"],
                    entry["p95_ms"],
                    entry["p99_ms"],
                )
            else:
                result.endpoints.append(entry)
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as f:
            result.failure_samples = [
                f"{r['Method']} {r['Name']}: {r['Error'][:160]} x{r['Occurrences']}"
                for r in csv.DictReader(f)
            ]
    return result


# ------------------------------------------------------------------------------ the stack
def start_stack(work: Path, threads: int | None) -> LocalStack:
    extra_env = {"THREADS": str(threads)} if threads else {}
    stack = LocalStack(
        data_dir=work / "data",
        server="production",
        extra_functions={"hello": HELLO, "floor": FLOOR},
        extra_env=extra_env,
    )
    stack.start()
    return stack


def _host_processes(stack: LocalStack) -> list[int]:
    pid = stack.processes["functions"].pid
    return group_members(pid) if pid is not None else []


def host_cpu_s(stack: LocalStack) -> float:
    """CPU seconds (user + system) the functions host's live processes have used so far."""
    ticks = 0
    for member in _host_processes(stack):
        try:
            stat = Path(f"/proc/{member}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def host_rss_mb(stack: LocalStack) -> float:
    """Resident memory of the functions host: every live process of its group (the gunicorn
    arbiter, its worker, render processes)."""
    total_kb = 0
    for member in _host_processes(stack):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


class RssSampler(threading.Thread):
    def __init__(self, stack: LocalStack, every_s: float) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.stack, self.every_s = stack, every_s
        self.samples: list[tuple[float, float]] = []
        self.stopping = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.samples.append((time.monotonic() - self.t0, host_rss_mb(self.stack)))
            self.stopping.wait(self.every_s)

    def stop(self) -> list[tuple[float, float]]:
        self.stopping.set()
        self.join()
        return self.samples


def jobs_state(fixture: dict[str, Any]) -> dict[str, int]:
    from adgenius.cloud.clients import firestore_client

    db = firestore_client()
    counts: dict[str, int] = {}
    for t in fixture["tenants"]:
        for snap in db.collection(f"tenants/{t['tenant_id']}/jobs").stream():
            status = str((snap.to_dict() or {}).get("status"))
            counts[status] = counts.get(status, 0) + 1
    return counts


def wait_drained(fixture: dict[str, Any], timeout_s: float) -> tuple[dict[str, int], float]:
    """Every job terminal: (status counts, seconds it took after the load stopped)."""
    t0 = time.monotonic()
    while True:
        counts = jobs_state(fixture)
        if all(s in TERMINAL for s in counts) or time.monotonic() - t0 > timeout_s:
            return counts, time.monotonic() - t0
        time.sleep(2)


# ---------------------------------------------------------------------------------- output
def table(phases: list[Phase]) -> str:
    head = (
        f"{'phase':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'failed':>7} {'host cpu ms/req':>16}"
    )
    lines = [head, "-" * len(head)]
    for p in phases:
        lines.append(
            f"{p.name:<8} {p.requests:>9} {p.rps:>8.1f} {p.p50_ms:>7.0f} {p.p95_ms:>7.0f} "
            f"{p.p99_ms:>7.0f} {p.failures:>7} {p.cpu_ms_per_request:>16.2f}"
        )
    return "\n".join(lines)


def endpoint_table(phase: Phase) -> str:
    lines = [
        f"{phase.name}: per endpoint",
        f"  {'endpoint':<34} {'req/s':>7} {'p50':>6} {'p99':>6} {'failed':>6}",
    ]
    for e in sorted(phase.endpoints, key=lambda e: -e["requests"]):
        lines.append(
            f"  {e['name']:<34} {e['rps']:>7.1f} {e['p50_ms']:>6.0f} {e['p99_ms']:>6.0f} "
            f"{e['failures']:>6}"
        )
    return "\n".join(lines)


def chart(samples: list[tuple[float, float]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot([t / 60 for t, _ in samples], [mb for _, mb in samples], lw=1.5)
    ax.set_xlabel("minutes of load")
    ax.set_ylabel("functions host RSS (MB)")
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ------------------------------------------------------------------------------ the runs
@contextlib.contextmanager
def seeded_stack(
    prefix: str, threads: int | None, tenants: int, out_dir: Path
) -> Iterator[tuple[LocalStack, dict[str, Any], Path]]:
    """A local stack seeded with `tenants` workspaces (written to `out_dir/fixture.json` for
    the locust processes), stopped afterwards whatever happened."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        stack = start_stack(Path(work), threads)
        try:
            assert stack.info is not None
            fixture = seed(stack.info, tenants)
            fixture_path = out_dir / "fixture.json"
            fixture_path.write_text(json.dumps(fixture))
            yield stack, fixture, fixture_path
        finally:
            stack.stop()


def measure_load(
    *, seconds: float, users: int, tenants: int, threads: int | None, out_dir: Path
) -> dict[str, Any]:
    """hello, floor, read and mixed phases on one stack; returns the phases and the read/hello
    and read/floor ratios."""
    with seeded_stack("load-", threads, tenants, out_dir) as (stack, fixture, fixture_path):
        common = {"seconds": seconds, "users": users, "fixture": fixture_path, "out_dir": out_dir}
        # Warm both (first requests import and connect) so no phase pays for that.
        run_locust(
            stack,
            "warmup",
            ["Hello", "Floor", "Marketer", "Integration"],
            **{**common, "seconds": 5},
        )
        hello = run_locust(stack, "hello", ["Hello"], **common)
        floor = run_locust(stack, "floor", ["Floor"], **common)
        read = run_locust(
            stack, "read", ["Marketer", "Integration"], exclude_tags=["write"], **common
        )
        mixed = run_locust(stack, "mixed", ["Marketer", "Integration", "Trickle"], **common)
        drained, drain_s = wait_drained(fixture, 300)
    return {
        "phases": [hello, floor, read, mixed],
        "ratio": read.rps / hello.rps if hello.rps else 0.0,
        "floor_ratio": read.rps / floor.rps if floor.rps else 0.0,
        "jobs": drained,
        "drain_s": drain_s,
    }


def measure_soak(
    *, minutes: float, users: int, tenants: int, threads: int | None, out_dir: Path, every_s: float
) -> dict[str, Any]:
    with seeded_stack("soak-", threads, tenants, out_dir) as (stack, fixture, fixture_path):
        common = {"users": users, "fixture": fixture_path, "out_dir": out_dir}
        run_locust(stack, "warmup", ["Marketer", "Integration"], seconds=10, **common)
        sampler = RssSampler(stack, every_s)
        sampler.start()
        soak = run_locust(
            stack, "soak", ["Marketer", "Integration", "Trickle"], seconds=minutes * 60, **common
        )
        drained, drain_s = wait_drained(fixture, 600)
        samples = sampler.stop()
        crashed = stack.crashed()
    with (out_dir / "soak_rss.csv").open("w") as f:
        f.write("seconds,rss_mb\n" + "".join(f"{t:.1f},{mb:.1f}\n" for t, mb in samples))

    # Growth: the last minute's median against the first minute's (after warm-up), so one GC
    # moment or one render burst at either end does not decide it.
    def window_median(lo: float, hi: float) -> float:
        values = sorted(mb for t, mb in samples if lo <= t < hi) or [samples[0][1]]
        return values[len(values) // 2]

    span = samples[-1][0] if samples else 0.0
    first = window_median(0, min(60, span / 4 or 1))
    last = window_median(span - min(60, span / 4), span + 1)
    chart(samples, out_dir / "soak_rss.png", f"functions host memory, {minutes:g} min mixed load")
    return {
        "phase": soak,
        "rss_first_mb": first,
        "rss_last_mb": last,
        "rss_growth_mb": last - first,
        "rss_max_mb": max(mb for _, mb in samples),
        "jobs": drained,
        "drain_s": drain_s,
        "stuck": sum(n for s, n in drained.items() if s not in TERMINAL),
        "crashed": crashed,
        "chart": str(out_dir / "soak_rss.png"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["load", "soak"])
    parser.add_argument("--seconds", type=float, default=45, help="per load phase")
    parser.add_argument("--minutes", type=float, default=30, help="soak duration")
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users")
    parser.add_argument(
        "--tenants", type=int, default=8, help="seeded tenants; users take them in turn"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="gunicorn THREADS (default: functions-framework's)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.mode == "load":
        result = measure_load(
            seconds=args.seconds,
            users=args.users,
            tenants=args.tenants,
            threads=args.threads,
            out_dir=args.out,
        )
        print(table(result["phases"]))
        for phase in result["phases"][2:]:
            print(endpoint_table(phase))
        for phase in result["phases"]:
            for sample in phase.failure_samples[:5]:
                print(f"  {phase.name} failure: {sample}")
        print(f"read/hello ratio: {result['ratio']:.2f}")
        print(f"read/floor ratio: {result['floor_ratio']:.2f} (floor: one Firestore read)")
        print(f"jobs after the load: {result['jobs']} (drained in {result['drain_s']:.0f} s)")
        failed = sum(p.failures for p in result["phases"])
        sys.exit(1 if failed else 0)
    soak = measure_soak(
        minutes=args.minutes,
        users=args.users,
        tenants=args.tenants,
        threads=args.threads,
        out_dir=args.out,
        every_s=5,
    )
    print(table([soak["phase"]]))
    print(endpoint_table(soak["phase"]))
    for sample in soak["phase"].failure_samples[:10]:
        print(f"  failure: {sample}")
    print(
        f"host RSS: first minute {soak['rss_first_mb']:.0f} MB, last minute "
        f"{soak['rss_last_mb']:.0f} MB, growth {soak['rss_growth_mb']:+.0f} MB, "
        f"max {soak['rss_max_mb']:.0f} MB; chart {soak['chart']}"
    )
    print(f"jobs: {soak['jobs']}; stuck {soak['stuck']}; drained in {soak['drain_s']:.0f} s")
    ok = not soak["phase"].failures and not soak["stuck"] and not soak["crashed"]
    if soak["crashed"]:
        print(f"crashed: {soak['crashed']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""API capacity under load and memory under a soak (the runs of bench.load.run, shortened).

- `api_read_rps`: requests/s of the mixed read load (marketers listing campaigns, creatives and
  jobs and opening creatives with signed URLs; integrations polling jobs with API keys), 8
  locust users, the API served by functions-framework's production server (gunicorn) on this
  2-core machine with the emulators; baseline: the hello-world function on the same server in
  the same run. p99 is in the entry (`p99_ms`).
- `api_read_vs_hello_ratio`: the same two numbers as a ratio (goal >= 0.5).
- `api_read_vs_firestore_floor_ratio`: the read load's requests/s against a function on the same
  server that only reads one Firestore document and answers it (no auth, validation or logging),
  same run: how much of a read's cost is ours rather than the database's.
- `soak_rss_growth_mb`: the functions host's memory (all its processes), last minute's median
  minus the first minute's, over a soak of ADGENIUS_BENCH_SOAK_MINUTES (default 5; `nox -s soak`
  runs 30) of the mixed load with generation jobs running; baseline: the first minute's RSS.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.load.run import measure_load, measure_soak

LOAD_S = float(os.environ.get("ADGENIUS_BENCH_LOAD_SECONDS", "45"))
SOAK_MINUTES = float(os.environ.get("ADGENIUS_BENCH_SOAK_MINUTES", "5"))
USERS = 8
TENANTS = USERS  # one tenant per user: the load, not a tenant's rate limit, is measured


def run(work_dir: Path) -> dict[str, dict]:
    load = measure_load(
        seconds=LOAD_S, users=USERS, tenants=TENANTS, threads=None, out_dir=work_dir / "load"
    )
    hello, floor, read, _mixed = load["phases"]
    if read.failures or hello.failures or floor.failures:
        raise RuntimeError(
            f"requests failed: read {read.failures}, hello {hello.failures}, floor {floor.failures}"
            f"; {(read.failure_samples + hello.failure_samples + floor.failure_samples)[:5]}"
        )
    soak = measure_soak(
        minutes=SOAK_MINUTES,
        users=USERS,
        tenants=TENANTS,
        threads=None,
        out_dir=work_dir / "soak",
        every_s=5,
    )
    if soak["phase"].failures or soak["stuck"] or soak["crashed"]:
        raise RuntimeError(
            f"soak: {soak['phase'].failures} failed requests, {soak['stuck']} stuck jobs, "
            f"crashed {soak['crashed']}; {soak['phase'].failure_samples[:5]}"
        )
    return {
        "api_read_rps": {
            "value": read.rps,
            "unit": "req/s",
            "baseline": hello.rps,
            "ratio": read.rps / hello.rps,
            "goal": f"mixed reads, {USERS} users, 2 cores; p99 {read.p99_ms:.0f} ms "
            f"(hello p99 {hello.p99_ms:.0f} ms); baseline: hello-world, same server, same run",
            "p99_ms": read.p99_ms,
            "p50_ms": read.p50_ms,
            # CPU of the functions host per request: what sizes instances (README, Capacity).
            "host_cpu_ms_per_request": read.cpu_ms_per_request,
            "hello_host_cpu_ms_per_request": hello.cpu_ms_per_request,
        },
        "api_read_vs_hello_ratio": {
            "value": read.rps / hello.rps,
            "unit": "x",
            "baseline": 1.0,
            "ratio": read.rps / hello.rps,
            "goal": ">= 0.5",
        },
        "api_read_vs_firestore_floor_ratio": {
            "value": read.rps / floor.rps,
            "unit": "x",
            "baseline": 1.0,
            "ratio": read.rps / floor.rps,
            "floor_rps": floor.rps,
            "goal": "as high as it goes (hello-world goal 0.5 is out of reach while a read needs "
            "the emulator on the same cores); floor: a function on the same server reading one "
            "Firestore document, same run",
            "floor_host_cpu_ms_per_request": floor.cpu_ms_per_request,
        },
        "soak_rss_growth_mb": {
            "value": soak["rss_growth_mb"],
            "unit": "MB",
            "baseline": soak["rss_first_mb"],
            "ratio": soak["rss_last_mb"] / soak["rss_first_mb"],
            "goal": f"<= 50 ({SOAK_MINUTES:g} min soak here; nox -s soak runs 30)",
        },
    }

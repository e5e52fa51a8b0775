"""The learning-loop simulator: a synthetic audience against the real local stack.

Two campaigns of one tenant get the same brief and, round by round, the same seeds. Each round:
1. export the campaign's active ads (`GET .../exports/google_rsa`, the file a marketer uploads
   to Google Ads Editor) and read the ads back from it;
2. start an experiment between them (`POST /v1/experiments`, CTR, top-two Thompson advice);
3. deliver the round's days in slices to the synthetic audience (``testing.audience``), the
   impressions split by the experiment's latest allocation; after each slice the delivery is
   written as a Google Ads ad report and imported (`POST /v1/metrics/imports`, the real parse,
   match and fact store), which triggers the real evaluation; the next slice uses its new
   allocation;
4. stop the experiment, retire the ``replace`` arms it ranks lowest (its decided losers first),
   and generate as many new ads (`POST /v1/campaigns/{id}/copy`): the loop-on campaign with
   steering (its decided experiments and insights), the loop-off one with ``steer: false``.
Everything else (seeds, allocation, replacement rule, the audience's random draws) is the same,
so the CTR difference of a round is what steering adds. The audience's preferences are drawn at
random per seed and never read by the loop.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import numpy as np

from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import DEMO_BRAND, Workspace, create_workspace
from adgenius.testing.audience import Ad, Audience, Delivery, Preferences, draw_preferences

PLATFORM = "google_rsa"
SIM_CAMPAIGN: dict[str, Any] = {
    "name": "Loop simulator",
    "objective": "sales",
    "offer": "Coffee subscription, first bag free",
    "product_facts": [
        "roasted to order every week",
        "single-origin beans from 12 farms",
        "pause or cancel any time",
        "free delivery on every bag",
        "brews in 4 minutes",
    ],
    "landing_url": "https://northwind.example/subscribe",
    "audiences": ["busy professionals who love good coffee"],
    "platforms": [PLATFORM],
    "languages": ["en"],
}
COPY_MAX_VARIANTS = 5  # the copy endpoint's limit per call


@dataclass(frozen=True)
class LoopConfig:
    rounds: int = 5
    days_per_round: int = 6
    slices: int = 2  # allocation updates per round (each: a report import + an evaluation)
    daily_impressions: int = 30_000
    arms: int = 6
    replace: int = 3  # ads retired and regenerated per round
    timeout_s: float = 120.0


@dataclass
class RoundStats:
    round: int
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    outcome: str = ""
    replaced: list[str] = field(default_factory=list)
    steering: dict[str, Any] = field(default_factory=dict)  # of the ads made after the round
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, summed
    # The hidden appeal (log-odds) of the round's ads, mean: what the audience thinks of them,
    # apart from luck, allocation and fatigue (read by the report only, never by the loop).
    appeal: float = 0.0

    @property
    def ctr(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0


@dataclass
class ArmRun:
    """One campaign of the comparison."""

    name: str
    steer: bool
    ws: Workspace
    audience: Audience
    active: list[str] = field(default_factory=list)
    rounds: list[RoundStats] = field(default_factory=list)
    made: dict[str, dict[str, Any]] = field(default_factory=dict)  # creative id -> content

    @property
    def campaign_id(self) -> str:
        return self.ws.campaign_id


class _Timer:
    def __init__(self, into: dict[str, float], name: str) -> None:
        self.into, self.name = into, name

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *_: object) -> None:
        spent = time.monotonic() - self.started
        self.into[self.name] = self.into.get(self.name, 0.0) + spent


@dataclass
class LoopResult:
    seed: int
    prefs: Preferences
    on: list[RoundStats]
    off: list[RoundStats]
    tenant_ids: tuple[str, str] = ("", "")  # loop on, loop off
    seconds: float = 0.0

    def ctr(self, loop: bool) -> list[float]:
        return [r.ctr for r in (self.on if loop else self.off)]

    @property
    def lift(self) -> float:
        off = self.off[-1].ctr
        return self.on[-1].ctr / off if off else float("nan")


# ------------------------------------------------------------------------------ API calls
def _ok(r: httpx.Response, *codes: int) -> Any:
    if r.status_code not in (codes or (200,)):
        raise RuntimeError(f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text}")
    return r.json() if r.headers.get("content-type", "").startswith("application/json") else r


def generate(arm: ArmRun, seed: int, count: int) -> list[str]:
    """New copy ads through the API (as a user's campaign makes them), approved for export."""
    ws = arm.ws
    ids: list[str] = []
    while len(ids) < count:
        n = min(COPY_MAX_VARIANTS, count - len(ids))
        body = {"platform": PLATFORM, "variants": n, "seed": seed + len(ids), "steer": arm.steer}
        made = _ok(ws.call("POST", f"/campaigns/{arm.campaign_id}/copy", json=body), 201)
        for creative in made["creatives"]:
            _ok(ws.call("POST", f"/creatives/{creative['id']}/approve"))
            arm.made[creative["id"]] = creative["content"]
            ids.append(creative["id"])
    return ids


def export_ads(arm: ArmRun) -> list[Ad]:
    """The campaign's active ads as the Google Ads Editor file has them (id from Labels)."""
    r = arm.ws.call(
        "GET",
        f"/campaigns/{arm.campaign_id}/exports/google_rsa",
        params={"encoding": "utf8_csv", "creative_ids": ",".join(arm.active)},
    )
    if r.status_code != 200:
        raise RuntimeError(f"export: {r.status_code} {r.text}")
    rows = csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))
    ads: dict[str, Ad] = {}
    for row in rows:
        label = next((t for t in (row.get("Labels") or "").split(";") if t.startswith("ag:")), "")
        cid = label.removeprefix("ag:").strip()
        lines = {
            "headlines": [row[k] for k in row if k and k.startswith("Headline ") and
                          not k.endswith("position") and row[k]],
            "descriptions": [row[k] for k in row if k and k.startswith("Description ") and
                             not k.endswith("position") and row[k]],
        }  # fmt: skip
        if cid in arm.active:
            ads[cid] = Ad(cid, lines)
    missing = set(arm.active) - set(ads)
    if missing:
        raise RuntimeError(f"the export left out active ads {sorted(missing)}")
    return [ads[c] for c in arm.active]


def google_ad_report(campaign: str, rows: list[tuple[date, Delivery]]) -> bytes:
    """A Google Ads 'CSV' download of an ad report segmented by day (UTF-8 with BOM, a title
    line, the date range, the header, a total row), ids where the export put them."""
    days = sorted({d for d, _ in rows})
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Ad report"])
    w.writerow([f"{days[0]:%B %-d, %Y} - {days[-1]:%B %-d, %Y}"])
    w.writerow(["Day", "Campaign", "Ad group", "Final URL suffix", "Labels", "Currency code",
                "Impr.", "Clicks", "Conversions", "Cost"])  # fmt: skip
    for day, d in rows:
        cost = d.clicks * 0.4
        w.writerow([day.isoformat(), campaign, "Loop", f"utm_content={d.creative_id}",
                    f"ag:{d.creative_id}", "EUR", f"{d.impressions:,}", f"{d.clicks:,}",
                    f"{d.conversions:.2f}", f"{cost:,.2f}"])  # fmt: skip
    total = sum(d.impressions for _, d in rows), sum(d.clicks for _, d in rows)
    w.writerow(["Total: Campaign", "", "", "", "", "EUR", f"{total[0]:,}", f"{total[1]:,}", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def google_asset_report(campaign: str, rows: list[tuple[date, Delivery]]) -> bytes:
    """A Google Ads asset report by day at the campaign level: each headline's and
    description's impressions and clicks (summed over the ads that use the line)."""
    summed: dict[tuple[date, str, str], list[int]] = {}
    for day, d in rows:
        for (fld, text), (imp, clk) in d.lines.items():
            got = summed.setdefault((day, fld, text), [0, 0])
            got[0] += imp
            got[1] += clk
    days = sorted({d for d, _ in rows})
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Asset report"])
    w.writerow([f"{days[0]:%B %-d, %Y} - {days[-1]:%B %-d, %Y}"])
    w.writerow(["Asset", "Field type", "Day", "Campaign", "Currency code", "Impr.", "Clicks"])
    kind = {"headlines": "Headline", "descriptions": "Description"}
    for (day, fld, text), (imp, clk) in sorted(summed.items()):
        w.writerow([text, kind[fld], day.isoformat(), campaign, "EUR", f"{imp:,}", f"{clk:,}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def import_reports(ws: Workspace, files: dict[str, bytes], timeout_s: float) -> None:
    """Upload the reports (filename -> file) together and wait until every import is done."""
    ids = []
    for filename, data in files.items():
        r = httpx.post(
            f"{ws.v1}/metrics/imports",
            content=data,
            params={"filename": filename},
            headers={**ws.user.bearer, "Content-Type": "text/csv"},
            timeout=60,
        )
        ids.append(_ok(r, 202)["id"])
    for import_id in ids:
        url = f"/metrics/imports/{import_id}"
        doc = _poll(
            partial(lambda u: _ok(ws.call("GET", u)), url),
            lambda d: d["status"] in ("succeeded", "failed"),
            timeout_s,
            "report import",
        )
        if doc["status"] != "succeeded" or doc.get("problems"):
            raise RuntimeError(f"report import: {doc}")


def _poll(get: Callable[[], Any], done: Callable[[Any], bool], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = get()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not finish in {timeout_s:.0f} s: {value}")
        time.sleep(0.1)


def _decided(exp: dict[str, Any], impressions: int) -> bool:
    """The decision covers every impression delivered so far (the evaluation saw the import)."""
    decision = exp.get("decision") or {}
    arms = (decision.get("snapshot") or {}).get("arms") or []
    return sum(a.get("impressions", 0) for a in arms) == impressions


# ------------------------------------------------------------------------------ the loop
def _round_days(cfg: LoopConfig, r: int, first_day: date) -> list[date]:
    return [
        first_day + timedelta(days=r * cfg.days_per_round + i) for i in range(cfg.days_per_round)
    ]


def run_round(arm: ArmRun, cfg: LoopConfig, r: int, first_day: date, seed: int) -> RoundStats:
    ws = arm.ws
    stats = RoundStats(round=r + 1)
    with _Timer(stats.timings, "export"):
        ads = export_ads(arm)
    stats.appeal = float(np.mean([arm.audience.appeal(a) for a in ads]))
    days = _round_days(cfg, r, first_day)
    exp = _ok(
        ws.call(
            "POST",
            "/experiments",
            json={
                "campaign_id": arm.campaign_id,
                "name": f"{arm.name} round {r + 1}",
                "arms": [{"creative_id": a.creative_id} for a in ads],
                "metric": "ctr",
                "start_date": days[0].isoformat(),
                "thresholds": {
                    "min_runtime_days": cfg.days_per_round,
                    "max_runtime_days": cfg.days_per_round,
                },
            },
        ),
        201,
    )
    exp_id = exp["id"]
    weights = [1.0] * len(ads)
    per_slice = np.array_split(np.arange(len(days)), cfg.slices)
    for part in per_slice:
        rows: list[tuple[date, Delivery]] = []
        for i in part.tolist():
            # Common random numbers: both campaigns' audiences draw from the same stream.
            rng = np.random.default_rng([seed, r, int(i)])
            for d in arm.audience.deliver(ads, weights, cfg.daily_impressions, rng):
                rows.append((days[i], d))
                stats.impressions += d.impressions
                stats.clicks += d.clicks
                stats.conversions += d.conversions
        with _Timer(stats.timings, "import"):
            reports = {
                "asset_report.csv": google_asset_report(arm.name, rows),
                "ad_report.csv": google_ad_report(arm.name, rows),
            }
            import_reports(ws, reports, cfg.timeout_s)
        with _Timer(stats.timings, "evaluation"):
            exp = _poll(
                lambda: _ok(ws.call("GET", f"/experiments/{exp_id}")),
                lambda e: _decided(e, stats.impressions),
                cfg.timeout_s,
                "experiment evaluation",
            )
        by_arm = {a["arm_id"]: a for a in exp["decision"]["arms"]}
        weights = [by_arm[a["arm_id"]]["allocation"] for a in exp["arms"]]
    decision = exp["decision"]
    stats.outcome = decision["outcome"]
    _ok(ws.call("POST", f"/experiments/{exp['id']}/stop"))
    creative_of = {a["arm_id"]: a["creative_id"] for a in exp["arms"]}
    # Retire decided losers first, then the lowest chance to be best; never the winner.
    ranked = sorted(
        decision["arms"],
        key=lambda a: (a["status"] != "loser", a["prob_best"]),
    )
    stats.replaced = [creative_of[a["arm_id"]] for a in ranked if a["status"] != "winner"][
        : cfg.replace
    ]
    arm.active = [c for c in arm.active if c not in stats.replaced]
    return stats


def _workspace(stack: StackInfo, seed: int, name: str) -> Workspace:
    return create_workspace(
        stack,
        email=f"loop-{seed}-{uuid.uuid4().hex[:6]}@example.com",
        brand=DEMO_BRAND,
        campaign={**SIM_CAMPAIGN, "name": name},
    )


def run_loop(
    stack: StackInfo,
    seed: int,
    cfg: LoopConfig = LoopConfig(),
    *,
    log: Callable[[str], None] = print,
) -> LoopResult:
    """Both campaigns through ``cfg.rounds`` rounds on a running stack; a fresh tenant."""
    started = time.monotonic()
    prefs = draw_preferences(seed)
    # One tenant per campaign: brand memory (winning ads ground new copy) and asset facts
    # (keyed by the line's text within a tenant) must not carry one campaign's learning, or
    # its data, into the other.
    arms = [
        ArmRun(name, steer, _workspace(stack, seed, name), Audience(prefs))
        for name, steer in (("Loop on", True), ("Loop off", False))
    ]
    today = datetime.now(UTC).date()
    # Every simulated day is a complete day before today, so every window is mature.
    first_day = today - timedelta(days=cfg.rounds * cfg.days_per_round + 1)
    copy_seed = (seed % 100_000) * 1000
    for arm in arms:
        arm.active = generate(arm, copy_seed, cfg.arms)

    def one_round(arm: ArmRun, r: int) -> None:
        stats = run_round(arm, cfg, r, first_day, seed)
        if r < cfg.rounds - 1:
            with _Timer(stats.timings, "generate"):
                new = generate(arm, copy_seed + 100 * (r + 1), len(stats.replaced))
            arm.active.extend(new)
            stats.steering = dict(arm.made[new[0]].get("steering") or {}) if new else {}
        arm.rounds.append(stats)

    # The two campaigns share nothing but the audience's seed: they run side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for r in range(cfg.rounds):
            for done in [pool.submit(one_round, arm, r) for arm in arms]:
                done.result()
            on, off = arms[0].rounds[-1], arms[1].rounds[-1]
            log(
                f"  seed {seed} round {r + 1}: CTR loop on {on.ctr:.3%} ({on.outcome}), "
                f"off {off.ctr:.3%} ({off.outcome}); ads' hidden appeal on {on.appeal:+.3f}, "
                f"off {off.appeal:+.3f}; seconds "
                + ", ".join(f"{k} {v:.1f}" for k, v in sorted(on.timings.items()))
            )
    return LoopResult(
        seed=seed,
        prefs=prefs,
        on=arms[0].rounds,
        off=arms[1].rounds,
        tenant_ids=(arms[0].ws.tenant_id, arms[1].ws.tenant_id),
        seconds=time.monotonic() - started,
    )

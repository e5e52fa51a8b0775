"""The fact store: one fact per (subject, platform, date, attribution setting), and its rollups.

Documents (all under `tenants/{t}/`):
- `metric_facts/{fact_id}`: one day of one subject. `fact_id` is a hash of the key, so writing
  the same key again *replaces* the fact: re-importing a report, or the overlapping days that
  platforms restate, never double counts.
- `metric_rollups/{rollup_id}-{shard}`: running sums per creative, per asset, per campaign and
  per campaign-day, grouped by (platform, attribution, currency). They change by the *delta*
  between a fact's old and new value, with `Increment`, in the same atomic commit as the fact.
  Sharded (campaigns get 8 shards) so no single document is hot; readers add the shards up.

Concurrency without contended transactions: a fact is created with `create()` or updated with a
precondition on the update time that was read, in one batch with its rollup increments. If any
other writer got there first the whole batch fails atomically and is recomputed from a fresh
read, so a delta is applied exactly once however deliveries race (the emulator, like production,
punishes contended read-write transactions, so there are none).

Read interface (for pages, the experiments module and integrations):
- `daily_facts(tenant_id, creative_ids=..., asset_keys=..., platform=, attribution=, start=, end=)`
  -> list[DailyFact], sorted by subject then date.
- `totals_for(tenant_id, subjects)` -> {subject: [Totals per platform/attribution/currency]}.
- `campaign_totals(tenant_id, campaign_id)` and `campaign_daily(tenant_id, campaign_id, ...)`.
Subjects are strings: `creative:<creative id>` or `asset:<asset key>` (see `asset_key_*`).
"""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, Field, field_validator

from adgenius.analytics.rollups import SUMMED, Totals, fold_unknown_currency, group_key
from adgenius.tenancy import store

FACTS = "metric_facts"
ROLLUPS = "metric_rollups"

Level = Literal["creative", "asset", "campaign", "campaign_day"]
SHARDS: dict[str, int] = {"creative": 2, "asset": 2, "campaign": 8, "campaign_day": 4}
# A Firestore commit takes at most 500 writes; leave room for the caller's own writes.
MAX_WRITES_PER_COMMIT = 450
MAX_ATTEMPTS = 8

PERFORMANCE_LABELS = ("PENDING", "LEARNING", "LOW", "GOOD", "BEST", "NOT_APPLICABLE", "UNRATED")


class DailyFact(BaseModel):
    """One day of one creative or asset on one platform under one attribution setting."""

    tenant_id: str
    subject: str = Field(description="`creative:<id>` or `asset:<asset key>`")
    creative_id: str | None = Field(
        default=None,
        description="the creative; on asset facts too when the asset belongs to exactly one",
    )
    asset_key: str | None = Field(default=None, description="set on asset facts")
    creative_ids: list[str] = Field(
        default_factory=list, description="the creatives the subject belongs to"
    )
    campaign_id: str | None = None
    platform: str
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    attribution: str = "default"
    currency: str | None = None
    impressions: int = Field(default=0, ge=0)
    clicks: int = Field(default=0, ge=0)
    conversions_micros: int = Field(default=0, ge=0)
    conversion_value_micros: int = Field(default=0, ge=0)
    cost_micros: int = Field(default=0, ge=0)
    reach: int | None = Field(default=None, ge=0, description="that day only; never summed")
    performance_label: str | None = None
    source: str = ""

    @field_validator("currency", mode="before")
    @classmethod
    def _unknown_currency(cls, value: object) -> object:
        return value or None  # stored as "" (readers that want a string), None in the model

    def document(self) -> dict[str, Any]:
        """The stored form: also `conversions` as a number and `currency` "" when unknown, for
        readers of the documents (the experiments engine)."""
        data = self.model_dump()
        data["currency"] = self.currency or ""
        data["conversions"] = self.conversions_micros / 1_000_000
        return data

    @property
    def is_creative_fact(self) -> bool:
        return self.subject.startswith("creative:")

    @property
    def frequency(self) -> float | None:
        return None if not self.reach else self.impressions / self.reach

    @property
    def fact_id(self) -> str:
        return fact_id(self.subject, self.platform, self.date, self.attribution)

    def values(self) -> dict[str, Any]:
        """What makes two facts 'the same' (a redelivered chunk changes nothing)."""
        return self.model_dump(exclude={"source"})


def fact_id(subject: str, platform: str, day: str, attribution: str) -> str:
    key = "\x1f".join((subject, platform, day, attribution))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def normalise_text(text: str) -> str:
    """The asset-text match key: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def asset_key_for_text(field_name: str, text: str) -> str:
    digest = hashlib.sha256(normalise_text(text).encode()).hexdigest()[:20]
    return f"text:{field_name}:{digest}"


def asset_key_for_media(asset_id: str) -> str:
    return f"media:{asset_id}"


def creative_subject(creative_id: str) -> str:
    return f"creative:{creative_id}"


def asset_subject(asset_key: str) -> str:
    return f"asset:{asset_key}"


# ------------------------------------------------------------------------------ rollups
def _shard(fid: str, level: str) -> int:
    return zlib.crc32(fid.encode()) % SHARDS[level]


def _rollup_targets(fact: DailyFact) -> list[tuple[str, str, dict[str, Any]]]:
    """(level, key, extra fields) of every rollup a fact counts in.

    Campaign totals count creative facts only: asset rows describe parts of the same ads, so
    adding them would count the ads' traffic twice.
    """
    out: list[tuple[str, str, dict[str, Any]]] = []
    if fact.is_creative_fact and fact.creative_id:
        out.append(("creative", fact.creative_id, {"campaign_id": fact.campaign_id}))
        if fact.campaign_id:
            out.append(("campaign", fact.campaign_id, {"campaign_id": fact.campaign_id}))
            out.append(
                (
                    "campaign_day",
                    f"{fact.campaign_id}:{fact.date}",
                    {"campaign_id": fact.campaign_id, "date": fact.date},
                )
            )
    elif not fact.is_creative_fact and fact.asset_key:
        out.append(("asset", fact.asset_key, {"campaign_id": fact.campaign_id}))
    return out


def _rollup_doc_id(level: str, key: str, platform: str, attribution: str, currency: str) -> str:
    raw = "\x1f".join((level, key, platform, attribution, currency))
    return hashlib.sha256(raw.encode()).hexdigest()[:28]


@dataclass
class _Delta:
    level: str
    key: str
    platform: str
    attribution: str
    currency: str
    extra: dict[str, Any]
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    days: int = 0

    def is_zero(self) -> bool:
        return self.days == 0 and not any(self.sums.values())


def _accumulate(deltas: dict[str, _Delta], fact: DailyFact, sign: int, *, shard_of: str) -> None:
    for level, key, extra in _rollup_targets(fact):
        currency = fact.currency or ""
        doc_id = (
            f"{_rollup_doc_id(level, key, fact.platform, fact.attribution, currency)}"
            f"-{_shard(shard_of, level)}"
        )
        d = deltas.get(doc_id)
        if d is None:
            d = deltas[doc_id] = _Delta(
                level, key, fact.platform, fact.attribution, currency, extra
            )
        for name in SUMMED:
            d.sums[name] += sign * getattr(fact, name)
        d.days += sign


# -------------------------------------------------------------------------------- writes
@dataclass
class UpsertResult:
    written: int = 0  # facts created or replaced
    unchanged: int = 0  # identical facts already stored (a redelivery)
    creative_ids: set[str] = field(default_factory=set)  # creatives whose totals changed


def merge_same_key(facts: Iterable[DailyFact]) -> list[DailyFact]:
    """Rows of one batch with the same key are parts of one day (e.g. one ad in two ad groups):
    add them. A *later* batch replaces the fact instead."""
    merged: dict[str, DailyFact] = {}
    for f in facts:
        prior = merged.get(f.fact_id)
        if prior is None:
            merged[f.fact_id] = f.model_copy()
            continue
        if (prior.currency or "") != (f.currency or "") and (prior.currency and f.currency):
            raise ValueError(f"{f.subject} on {f.date}: rows in {prior.currency} and {f.currency}")
        for name in SUMMED:
            setattr(prior, name, getattr(prior, name) + getattr(f, name))
        prior.currency = prior.currency or f.currency
        prior.reach = None  # two parts' reach overlap: their sum is not the day's reach
        prior.performance_label = f.performance_label or prior.performance_label
    return list(merged.values())


def plan_commits(facts: Sequence[DailyFact], reserve: int = 0) -> list[list[DailyFact]]:
    """Split facts (sorted by subject, so one creative's days share rollup documents) into
    groups whose commit stays within Firestore's write limit."""
    groups: list[list[DailyFact]] = []
    current: list[DailyFact] = []
    rollups: set[str] = set()
    for f in sorted(facts, key=lambda x: (x.subject, x.date, x.platform, x.attribution)):
        # Worst case a replaced fact touches its old and new rollups: count both.
        targets = {
            f"{level}:{key}:{f.platform}:{f.attribution}:{f.currency}:{_shard(f.fact_id, level)}"
            for level, key, _ in _rollup_targets(f)
        }
        needed = len(current) + 1 + len(rollups | targets) * 2 + reserve
        if current and needed > MAX_WRITES_PER_COMMIT:
            groups.append(current)
            current, rollups = [], set()
        current.append(f)
        rollups |= targets
    if current:
        groups.append(current)
    return groups


def upsert_facts(
    tenant_id: str,
    facts: Sequence[DailyFact],
    *,
    extra_writes: Callable[[Any, UpsertResult], None] | None = None,
) -> UpsertResult:
    """Write facts (replacing same-key facts) and move their rollups by the difference.

    All facts given here are committed atomically with `extra_writes(batch, result)` (the
    import uses it to mark its chunk applied and count progress in the same commit), so the
    caller keeps them within one commit (see `plan_commits`). Returns what changed.
    """
    facts = merge_same_key(facts)
    for f in facts:
        if f.tenant_id != tenant_id:
            raise ValueError("a fact of another tenant")  # defence in depth; never expected
    coll = store.tenant_collection(tenant_id, FACTS)
    refs = {f.fact_id: coll.document(f.fact_id) for f in facts}
    for attempt in range(MAX_ATTEMPTS):
        snaps = {s.id: s for s in store.db().get_all(list(refs.values()))}
        batch = store.db().batch()
        deltas: dict[str, _Delta] = {}
        result = UpsertResult()
        for f in facts:
            fid = f.fact_id
            snap = snaps.get(fid)
            old = DailyFact(**(snap.to_dict() or {})) if snap is not None and snap.exists else None
            if old is not None and old.values() == f.values():
                result.unchanged += 1
                continue
            data = f.document()
            if old is None:
                batch.create(refs[fid], data)
            else:
                assert snap is not None
                batch.update(
                    refs[fid],
                    data,
                    option=store.db().write_option(last_update_time=snap.update_time),
                )
                _accumulate(deltas, old, -1, shard_of=fid)
            _accumulate(deltas, f, +1, shard_of=fid)
            result.written += 1
            result.creative_ids.update(f.creative_ids or ([f.creative_id] if f.creative_id else []))
        rollups = store.tenant_collection(tenant_id, ROLLUPS)
        for doc_id, d in deltas.items():
            if d.is_zero():
                continue
            fields: dict[str, Any] = {
                "tenant_id": tenant_id,
                "level": d.level,
                "key": d.key,
                "platform": d.platform,
                "attribution": d.attribution,
                "currency": d.currency,
                "days": firestore.Increment(d.days),
                **d.extra,
            }
            for name, value in d.sums.items():
                fields[name] = firestore.Increment(value)
            batch.set(rollups.document(doc_id), fields, merge=True)
        if extra_writes is not None:
            extra_writes(batch, result)
        try:
            batch.commit()
            return result
        except (gexc.AlreadyExists, gexc.FailedPrecondition, gexc.Aborted, gexc.Conflict):
            # Another writer changed one of these facts since we read it: recompute the deltas
            # from a fresh read (the whole batch failed, nothing was applied).
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------- reads
def _chunks(items: Sequence[str], n: int = 30) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def daily_facts(
    tenant_id: str,
    *,
    creative_ids: Sequence[str] = (),
    asset_keys: Sequence[str] = (),
    platform: str | None = None,
    attribution: str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> list[DailyFact]:
    """Daily facts of these creatives and assets (inclusive date range), by subject then date.

    Bounded by its inputs: at most (subjects x days x platforms x attribution settings) reads.
    """
    subjects = [creative_subject(c) for c in creative_ids] + [asset_subject(a) for a in asset_keys]
    lo = str(start) if start else None
    hi = str(end) if end else None
    out: list[DailyFact] = []
    coll = store.tenant_collection(tenant_id, FACTS)
    for group in _chunks(list(dict.fromkeys(subjects))):
        query: Any = coll.where(filter=FieldFilter("subject", "in", list(group)))
        if lo:
            query = query.where(filter=FieldFilter("date", ">=", lo))
        if hi:
            query = query.where(filter=FieldFilter("date", "<=", hi))
        for snap in query.stream():
            fact = DailyFact(**(snap.to_dict() or {}))
            if platform and fact.platform != platform:
                continue
            if attribution and fact.attribution != attribution:
                continue
            out.append(fact)
    out.sort(key=lambda f: (f.subject, f.date, f.platform, f.attribution))
    return out


def _sum_rollups(snaps: Iterable[Any]) -> dict[str, dict[tuple[str, str, str], Totals]]:
    by_key: dict[str, dict[tuple[str, str, str], Totals]] = defaultdict(dict)
    for snap in snaps:
        d = snap.to_dict() or {}
        gk = group_key(d["platform"], d["attribution"], d.get("currency") or None)
        subject = f"{d['level']}:{d['key']}"
        groups = by_key[subject]
        if gk not in groups:
            groups[gk] = Totals(
                platform=d["platform"],
                attribution=d["attribution"],
                currency=d.get("currency") or None,
            )
        t = groups[gk]
        for name in SUMMED:
            setattr(t, name, getattr(t, name) + int(d.get(name, 0)))
        t.days += int(d.get("days", 0))
    return by_key


def _clean(groups: dict[tuple[str, str, str], Totals]) -> list[Totals]:
    kept = {k: v for k, v in groups.items() if v.days or any(getattr(v, n) for n in SUMMED)}
    return fold_unknown_currency(kept)


def totals_for(tenant_id: str, subjects: Sequence[str]) -> dict[str, list[Totals]]:
    """Totals of each subject (`creative:<id>` / `asset:<key>`), read from the rollups only."""
    coll = store.tenant_collection(tenant_id, ROLLUPS)
    wanted: dict[str, list[str]] = defaultdict(list)
    for s in dict.fromkeys(subjects):
        level, _, key = s.partition(":")
        wanted[level].append(key)
    found: dict[str, list[Totals]] = {s: [] for s in subjects}
    for level, keys in wanted.items():
        for group in _chunks(keys):
            query = coll.where(filter=FieldFilter("key", "in", list(group))).where(
                filter=FieldFilter("level", "==", level)
            )
            for subject, groups in _sum_rollups(query.stream()).items():
                found[subject] = _clean(groups)
    return found


def campaign_totals(tenant_id: str, campaign_id: str) -> list[Totals]:
    return totals_for(tenant_id, [f"campaign:{campaign_id}"])[f"campaign:{campaign_id}"]


def campaign_daily(
    tenant_id: str, campaign_id: str, *, start: str | None = None, end: str | None = None
) -> dict[str, list[Totals]]:
    """Per-day totals of a campaign (its creatives' facts), from the campaign-day rollups."""
    query: Any = (
        store.tenant_collection(tenant_id, ROLLUPS)
        .where(filter=FieldFilter("campaign_id", "==", campaign_id))
        .where(filter=FieldFilter("level", "==", "campaign_day"))
    )
    out: dict[str, list[Totals]] = {}
    for subject, groups in _sum_rollups(query.stream()).items():
        day = subject.rsplit(":", 1)[-1]
        if (start and day < start) or (end and day > end):
            continue
        out[day] = _clean(groups)
    return dict(sorted(out.items()))


def creative_totals_in_campaign(tenant_id: str, campaign_id: str) -> dict[str, list[Totals]]:
    """Totals of every creative of a campaign that has facts (one rollup query)."""
    query = (
        store.tenant_collection(tenant_id, ROLLUPS)
        .where(filter=FieldFilter("campaign_id", "==", campaign_id))
        .where(filter=FieldFilter("level", "==", "creative"))
    )
    return {
        subject.split(":", 1)[1]: _clean(groups)
        for subject, groups in _sum_rollups(query.stream()).items()
    }

"""Mapping report rows to a tenant's creatives and assets, never guessing and never crossing
tenants: every lookup reads documents under `tenants/{tenant_id}/` only.

Order: our identity first (what every export writes: `utm_content=<creative id>` in the Final
URL suffix / URL tags, `ag:<creative id>` in Labels and the ad name, `ag_<asset id>.<ext>` as
the media file name), then the exact asset text, normalised (NFKC, case, whitespace), within the
tenant. An id of another tenant's creative is "not found" here, exactly like an id that does not
exist.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adgenius.analytics.facts import (
    DailyFact,
    asset_key_for_media,
    asset_key_for_text,
    asset_subject,
    creative_subject,
    normalise_text,
)
from adgenius.analytics.report_import import ReportRow, RowProblem
from adgenius.tenancy import store

UTM = re.compile(r"(?:^|[?&#;\s])utm_content=([A-Za-z0-9_-]{1,64})")
LABEL = re.compile(r"(?<![A-Za-z0-9])ag:([A-Za-z0-9_-]{1,64})")
MEDIA = re.compile(r"(?<![A-Za-z0-9])ag_([A-Za-z0-9_-]{1,128}?)\.(?:png|jpe?g|webp|gif|mp4|mov)\b")
TEXT_FIELDS = ("headlines", "descriptions", "long_headlines", "primary_texts", "business_name")


def ids_in_row(row: ReportRow) -> list[str]:
    found: list[str] = []
    for url in row.urls:
        found += UTM.findall(url)
    found += LABEL.findall(row.labels)
    found += LABEL.findall(row.ad_name)
    return list(dict.fromkeys(found))


@dataclass
class CreativeInfo:
    id: str
    campaign_id: str | None
    brand_id: str | None = None
    texts: dict[str, set[str]] = field(default_factory=dict)  # field -> normalised texts


def creative_texts(content: dict[str, Any]) -> dict[str, set[str]]:
    texts: dict[str, set[str]] = defaultdict(set)
    for name in TEXT_FIELDS:
        value = content.get(name)
        if isinstance(value, list):
            texts[name].update(normalise_text(v) for v in value if isinstance(v, str) and v)
    # image and video creatives carry one headline / description / primary text
    for single, name in (("headline", "headlines"), ("description", "descriptions")):
        if isinstance(content.get(single), str) and content[single]:
            texts[name].add(normalise_text(content[single]))
    return dict(texts)


class TenantCatalog:
    """The tenant's creatives and assets, read lazily and only under the tenant's path."""

    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self._creatives: dict[str, CreativeInfo | None] = {}
        self._assets: dict[str, tuple[str, str | None] | None] = {}
        self._text_index: dict[tuple[str, str], set[str]] | None = None
        self._all: dict[str, CreativeInfo] = {}

    def _info(self, snap: Any) -> CreativeInfo | None:
        if not snap.exists:
            return None
        data = snap.to_dict() or {}
        if data.get("tenant_id") != self.tenant_id:
            return None
        return CreativeInfo(
            id=snap.id,
            campaign_id=data.get("campaign_id"),
            brand_id=data.get("brand_id"),
            texts=creative_texts(data.get("content") or {}),
        )

    def creatives(self, ids: Iterable[str]) -> dict[str, CreativeInfo]:
        ids = list(ids)
        wanted = [i for i in dict.fromkeys(ids) if i not in self._creatives]
        coll = store.tenant_collection(self.tenant_id, store.CREATIVES)
        for start in range(0, len(wanted), 300):
            refs = [coll.document(i) for i in wanted[start : start + 300]]
            for snap in store.db().get_all(refs):
                self._creatives[snap.id] = self._info(snap)
        for i in wanted:
            self._creatives.setdefault(i, None)
        return {i: c for i in ids if (c := self._creatives.get(i)) is not None}

    def asset(self, asset_id: str) -> tuple[str, str | None] | None:
        """(creative id, campaign id) of one of this tenant's assets."""
        if asset_id not in self._assets:
            snap = store.tenant_collection(self.tenant_id, store.ASSETS).document(asset_id).get()
            data = snap.to_dict() or {} if snap.exists else {}
            if not data or data.get("tenant_id") != self.tenant_id:
                self._assets[asset_id] = None
            else:
                creative = self.creatives([data["creative_id"]]).get(data["creative_id"])
                self._assets[asset_id] = (
                    data["creative_id"],
                    creative.campaign_id if creative else None,
                )
        return self._assets[asset_id]

    def text_index(self) -> dict[tuple[str, str], set[str]]:
        """(field, normalised text) -> creative ids: one scan of the tenant's creatives."""
        if self._text_index is None:
            index: dict[tuple[str, str], set[str]] = defaultdict(set)
            coll = store.tenant_collection(self.tenant_id, store.CREATIVES)
            for snap in coll.select(["content", "campaign_id", "tenant_id", "brand_id"]).stream():
                info = self._info(snap)
                if info is None:
                    continue
                self._all[info.id] = info
                self._creatives.setdefault(info.id, info)
                for name, texts in info.texts.items():
                    for t in texts:
                        index[(name, t)].add(info.id)
            self._text_index = dict(index)
        return self._text_index

    def campaign_of(self, creative_id: str) -> str | None:
        info = self._creatives.get(creative_id) or self._all.get(creative_id)
        return info.campaign_id if info else None


@dataclass
class Matched:
    facts: list[DailyFact]
    problems: list[RowProblem]
    matched_rows: int


def _fact(tenant_id: str, row: ReportRow, source: str, **identity: Any) -> DailyFact:
    return DailyFact(
        tenant_id=tenant_id,
        platform=row.platform,
        date=row.day,
        attribution=row.attribution,
        currency=row.currency,
        impressions=row.impressions,
        clicks=row.clicks,
        conversions_micros=row.conversions_micros,
        conversion_value_micros=row.conversion_value_micros,
        cost_micros=row.cost_micros,
        reach=row.reach,
        performance_label=row.performance_label,
        source=source,
        **identity,
    )


def _single_campaign(catalog: TenantCatalog, creative_ids: Sequence[str]) -> str | None:
    campaigns = {catalog.campaign_of(c) for c in creative_ids}
    return campaigns.pop() if len(campaigns) == 1 else None


def match_rows(
    tenant_id: str, rows: Sequence[ReportRow], *, source: str, catalog: TenantCatalog | None = None
) -> Matched:
    catalog = catalog or TenantCatalog(tenant_id)
    # One read for every id any row names (not one per row).
    catalog.creatives(i for row in rows for i in ids_in_row(row))
    facts: list[DailyFact] = []
    problems: list[RowProblem] = []
    matched = 0
    for row in rows:
        ids = [i for i in ids_in_row(row) if catalog.creatives([i])]
        if row.asset_field:
            fact, reason = _match_asset(tenant_id, row, ids, catalog, source)
        else:
            fact, reason = _match_ad(tenant_id, row, ids, catalog, source)
        if fact is None:
            problems.append(RowProblem(line=row.line, reason=reason))
        else:
            facts.append(fact)
            matched += 1
    return Matched(facts=facts, problems=problems, matched_rows=matched)


def _match_ad(
    tenant_id: str, row: ReportRow, ids: list[str], catalog: TenantCatalog, source: str
) -> tuple[DailyFact | None, str]:
    if ids:
        return _creative_fact(tenant_id, row, source, ids[0], catalog), ""
    named = ids_in_row(row)
    if named:
        return None, f"creative {named[0]} is not a creative of this workspace"
    wanted = {(name, normalise_text(t)) for name, texts in row.texts.items() for t in texts if t}
    if not wanted:
        return None, (
            "no creative id in the row (utm_content in the URL, ag:<id> in Labels or the ad "
            "name) and no ad text to match"
        )
    index = catalog.text_index()
    candidates: set[str] | None = None
    for key in wanted:
        ids_with = index.get(key, set())
        candidates = set(ids_with) if candidates is None else candidates & ids_with
    if not candidates:
        return None, "no creative of this workspace has these ad texts"
    if len(candidates) > 1:
        return None, f"ambiguous: {len(candidates)} creatives have these ad texts; export with ids"
    return _creative_fact(tenant_id, row, source, candidates.pop(), catalog), ""


def _creative_fact(
    tenant_id: str, row: ReportRow, source: str, cid: str, catalog: TenantCatalog
) -> DailyFact:
    """The row's numbers as one creative's fact, in that creative's campaign."""
    return _fact(
        tenant_id,
        row,
        source,
        subject=creative_subject(cid),
        creative_id=cid,
        creative_ids=[cid],
        campaign_id=catalog.campaign_of(cid),
    )


def _match_asset(
    tenant_id: str, row: ReportRow, ids: list[str], catalog: TenantCatalog, source: str
) -> tuple[DailyFact | None, str]:
    text = (row.asset_text or "").strip()
    if not text:
        return None, "asset row without the asset"
    if row.asset_field == "media":
        m = MEDIA.search(text)
        owner = catalog.asset(m.group(1)) if m else None
        if owner is None:
            return None, f"media {text[:80]!r} is not an asset of this workspace"
        creative_id, campaign_id = owner
        return (
            _fact(
                tenant_id,
                row,
                source,
                subject=asset_subject(asset_key_for_media(m.group(1))),  # type: ignore[union-attr]
                asset_key=asset_key_for_media(m.group(1)),  # type: ignore[union-attr]
                creative_id=creative_id,
                creative_ids=[creative_id],
                campaign_id=campaign_id,
            ),
            "",
        )
    field_name = row.asset_field or ""
    if field_name not in TEXT_FIELDS:
        return None, f"asset type {field_name!r} is not one AdGenius makes"
    owners = catalog.text_index().get((field_name, normalise_text(text)), set())
    if ids:
        owners = owners & set(ids)
    if not owners:
        return None, f"no creative of this workspace has the {field_name} text {text[:60]!r}"
    creative_ids = sorted(owners)
    key = asset_key_for_text(field_name, text)
    return (
        _fact(
            tenant_id,
            row,
            source,
            subject=asset_subject(key),
            asset_key=key,
            creative_id=creative_ids[0] if len(creative_ids) == 1 else None,
            creative_ids=creative_ids,
            campaign_id=_single_campaign(catalog, creative_ids),
        ),
        "",
    )

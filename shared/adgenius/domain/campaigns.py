"""Campaigns: what is advertised, to whom, where and in which languages; one brand each."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from google.cloud.firestore import CollectionReference, DocumentSnapshot, Query
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.types import WriteResult
from pydantic import AfterValidator, Field, StringConstraints

from adgenius.domain.brief import (
    MAX_ITEMS,
    SUPPORTED_LANGUAGES,
    CopyBrief,
    Objective,
    Platform,
    ShortText,
    Text,
)
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput, NotFound
from adgenius.tenancy.principal import Principal

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def check_languages(values: list[str]) -> list[str]:
    cleaned = []
    for value in values:
        primary = value.strip().lower().replace("_", "-").split("-")[0]
        if primary not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unsupported language {value!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
            )
        cleaned.append(primary)
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("languages must not repeat")
    return cleaned


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be an http(s) URL")
    return value


def _check_platforms(values: list[Platform]) -> list[Platform]:
    if len(set(values)) != len(values):
        raise ValueError("platforms must not repeat")
    return values


Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_check_url)
]
Languages = Annotated[list[str], AfterValidator(check_languages)]
Platforms = Annotated[list[Platform], AfterValidator(_check_platforms)]


LoopMode = Literal["off", "suggest", "auto"]


class LoopSettings(store.StrictModel):
    """The learning loop for this campaign: what happens to a losing or fatigued creative.

    `off`: nothing. `suggest`: the web app proposes a replacement, a person starts it.
    `auto`: a regenerate job starts by itself, at most `daily_cap` a day (UTC) and within the
    tenant's quota; each one is in the audit log and can be undone.
    """

    mode: LoopMode = "off"
    daily_cap: int = Field(
        default=3, ge=0, le=50, description="automatic regenerate jobs per day (UTC) at most"
    )


class CampaignCreate(store.StrictModel):
    brand_id: store.DocId
    name: ShortText
    objective: Objective
    offer: Text = Field(description="The product or offer advertised.")
    product_facts: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    landing_url: Url | None = None
    audiences: list[ShortText] = Field(default_factory=list, max_length=20)
    platforms: Platforms = Field(min_length=1, max_length=len(Platform))
    languages: Languages = Field(default_factory=lambda: ["en"], min_length=1, max_length=8)
    loop: LoopSettings = Field(default_factory=LoopSettings)


class CampaignPatch(store.StrictModel):
    """Any subset of the campaign's fields except its brand (creatives belong to the brand)."""

    name: ShortText | None = None
    objective: Objective | None = None
    offer: Text | None = None
    product_facts: list[Text] | None = Field(default=None, max_length=MAX_ITEMS)
    landing_url: Url | None = None
    audiences: list[ShortText] | None = Field(default=None, max_length=20)
    platforms: Platforms | None = Field(default=None, min_length=1, max_length=len(Platform))
    languages: Languages | None = Field(default=None, min_length=1, max_length=8)
    loop: LoopSettings | None = None


class Campaign(store.Document):
    id: str
    tenant_id: str
    brand_id: str
    name: str
    objective: Objective
    offer: str
    product_facts: list[str]
    landing_url: str | None = None
    audiences: list[str]
    platforms: list[Platform]
    languages: list[str]
    loop: LoopSettings = Field(default_factory=LoopSettings)  # absent on older campaigns: off
    created_at: datetime
    updated_at: datetime
    created_by: dict[str, str | None] | None = None

    def brief(self, *, language: str, audience: str | None = None) -> CopyBrief:
        """The copy brief for one language and audience of this campaign."""
        return CopyBrief(
            objective=self.objective,
            product=self.offer,
            product_facts=self.product_facts,
            landing_url=self.landing_url,
            audience=audience or (self.audiences[0] if self.audiences else "general audience"),
            language=language,
        )


def _campaign(snap: DocumentSnapshot) -> Campaign:
    return Campaign(**store.data_with_id(snap))


def create_campaign(
    tenant_id: str, body: CampaignCreate, principal: Principal
) -> tuple[Campaign, WriteResult | DocumentSnapshot]:
    """(Campaign, write result) - the write result carries the version (ETag) without a re-read."""
    if not principal.sees_brand(body.brand_id):
        raise InvalidInput("unknown brand", details=[FieldProblem("brand_id", "no such brand")])
    brand = store.tenant_collection(tenant_id, store.BRANDS).document(body.brand_id).get()
    if not brand.exists:
        raise InvalidInput("unknown brand", details=[FieldProblem("brand_id", "no such brand")])
    campaign_id = store.new_id()
    now = store.now()
    doc = {
        **body.model_dump(mode="json"),
        "id": campaign_id,
        "tenant_id": tenant_id,
        "created_at": now,
        "updated_at": now,
        "created_by": principal.actor,
    }
    ref = store.tenant_collection(tenant_id, store.CAMPAIGNS).document(campaign_id)
    stored, version, _ = store.create_once(ref, doc)  # a crashed first run's stands
    # Also on a rerun: the first run may have died before its entry (the same entry either way).
    audit.record(tenant_id, "campaign.created", principal, target=f"campaigns/{campaign_id}")
    return Campaign(**stored), version


def get_campaign(
    tenant_id: str, campaign_id: str, principal: Principal
) -> tuple[Campaign, DocumentSnapshot]:
    """(Campaign, snapshot); brand-limited callers get 404 for other brands' campaigns."""
    snap = store.get_in_tenant(tenant_id, store.CAMPAIGNS, campaign_id)
    campaign = _campaign(snap)
    if not principal.sees_brand(campaign.brand_id):
        raise NotFound("campaign not found")
    return campaign, snap


def list_campaigns(
    tenant_id: str,
    principal: Principal,
    *,
    brand_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Campaign], str | None]:
    query: CollectionReference | Query = store.tenant_collection(tenant_id, store.CAMPAIGNS)
    if brand_id is not None:
        if not principal.sees_brand(brand_id):
            return [], None
        query = query.where(filter=FieldFilter("brand_id", "==", brand_id))
    elif principal.brand_ids is not None:
        if not principal.brand_ids:
            return [], None
        query = query.where(filter=FieldFilter("brand_id", "in", list(principal.brand_ids)))
    # A CollectionReference reads like a Query, but firestore does not type it as one.
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)  # type: ignore[arg-type]
    return [_campaign(s) for s in snaps], next_cursor


def update_campaign(
    tenant_id: str, campaign_id: str, patch: CampaignPatch, if_match: str, principal: Principal
) -> tuple[Campaign, DocumentSnapshot]:
    _, snap = get_campaign(tenant_id, campaign_id, principal)
    changes = patch.model_dump(mode="json", exclude_unset=True)
    required = {"name", "objective", "offer", "platforms", "languages", "loop"}
    nulls = sorted(k for k, v in changes.items() if v is None and k in required)
    if nulls:
        raise InvalidInput(
            "required fields cannot be null",
            details=[FieldProblem(k, "cannot be null") for k in nulls],
        )
    changes["updated_at"] = store.now()
    store.update_if_match(snap.reference, changes, if_match)
    audit.record(
        tenant_id,
        "campaign.updated",
        principal,
        target=f"campaigns/{campaign_id}",
        details={"fields": sorted(k for k in changes if k != "updated_at")},
    )
    return get_campaign(tenant_id, campaign_id, principal)


def delete_campaign(tenant_id: str, campaign_id: str, principal: Principal) -> None:
    _, snap = get_campaign(tenant_id, campaign_id, principal)
    snap.reference.delete()
    audit.record(tenant_id, "campaign.deleted", principal, target=f"campaigns/{campaign_id}")

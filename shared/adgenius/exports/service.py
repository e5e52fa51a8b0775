"""Exports of a campaign (or a selection of its creatives) for the ad platforms.

Small exports stream from the API. Big ones (media over `STREAM_LIMIT_BYTES`, e.g. a ZIP of
many videos) run as a job: `POST /v1/campaigns/{id}/exports` writes `tenants/{t}/exports/{id}`
and publishes `exports-build`; the Pub/Sub step `exports_build` builds the file into Storage
(`tenants/{t}/exports/{id}/<file>`) and marks the document ready; `GET /v1/exports/{id}` gives
a fresh signed link. The build is deterministic and the upload overwrites, so a redelivered
message is harmless.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Any, Literal

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, Field

from adgenius.cloud import messaging
from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain import campaigns
from adgenius.domain.media_urls import url_for
from adgenius.exports.google_editor import pmax_sheet, rsa_sheet
from adgenius.exports.messages import ExportMessage as ExportMessage
from adgenius.exports.meta_bulk import meta_sheet
from adgenius.exports.sheets import (
    Encoding,
    Excluded,
    ExportAsset,
    ExportCampaign,
    ExportCreative,
    ExportFormat,
    Sheet,
    encode,
    excluded_csv,
)
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput, NotFound
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Permission

log = logging.getLogger(__name__)

EXPORTS = "exports"
BUILD_TOPIC = "exports-build"
STREAM_LIMIT_BYTES = 32 * 1024 * 1024
MAX_CREATIVES = 5000


class ExportRequest(store.StrictModel):
    format: ExportFormat
    encoding: Encoding = Encoding.UTF16_TSV
    creative_ids: list[store.DocId] | None = Field(
        default=None, max_length=1000, description="a selection; default: the whole campaign"
    )
    include_drafts: bool = Field(default=False, description="export drafts too")


class ExportQuery(store.StrictModel):
    encoding: Encoding = Encoding.UTF16_TSV
    creative_ids: str | None = Field(
        default=None, max_length=22000, description="comma-separated creative ids"
    )
    include_drafts: bool = False

    def request(self, fmt: ExportFormat) -> ExportRequest:
        ids = [i for i in (self.creative_ids or "").split(",") if i.strip()] or None
        try:
            return ExportRequest(
                format=fmt,
                encoding=self.encoding,
                creative_ids=ids,
                include_drafts=self.include_drafts,
            )
        except ValueError as exc:
            raise InvalidInput(
                "invalid creative_ids", details=[FieldProblem("creative_ids", str(exc)[:200])]
            ) from exc


class ExportPlan(BaseModel):
    format: ExportFormat
    filename: str
    media_type: str
    included: list[str]
    excluded: list[Excluded]
    warnings: list[Excluded]
    media_files: int
    media_bytes: int


class ExportFile(BaseModel):
    plan: ExportPlan
    data: bytes


class ExportJob(store.Document):
    id: str
    tenant_id: str
    campaign_id: str
    status: Literal["queued", "building", "ready", "failed"]
    request: dict[str, Any]
    plan: ExportPlan | None = None
    storage_path: str | None = None
    url: str | None = Field(default=None, description="short-lived download link (reads only)")
    error: str | None = None


# ------------------------------------------------------------------------------ gathering
def _creatives(tenant_id: str, campaign_id: str, ids: list[str] | None) -> list[ExportCreative]:
    coll = store.tenant_collection(tenant_id, store.CREATIVES)
    if ids is not None:
        snaps = [s for s in store.db().get_all([coll.document(i) for i in ids]) if s.exists]
        by_id = {s.id: s for s in snaps}
        missing = [i for i in ids if i not in by_id]
        docs = [by_id[i].to_dict() or {} for i in ids if i in by_id]
        wrong = [d["id"] for d in docs if d.get("campaign_id") != campaign_id]
        if missing or wrong:
            raise InvalidInput(
                "some creatives are not creatives of this campaign",
                details=[
                    FieldProblem("creative_ids", f"unknown: {', '.join((missing + wrong)[:20])}")
                ],
            )
    else:
        query = coll.where(filter=FieldFilter("campaign_id", "==", campaign_id)).order_by(
            "__name__"
        )
        docs = [(s.to_dict() or {}) | {"id": s.id} for s in query.limit(MAX_CREATIVES).stream()]
    docs = [d for d in docs if d.get("tenant_id") == tenant_id]
    assets_by_creative: dict[str, list[ExportAsset]] = {}
    visual = [d["id"] for d in docs if d.get("kind") in ("image", "video")]
    acoll = store.tenant_collection(tenant_id, store.ASSETS)
    for start in range(0, len(visual), 30):
        group = visual[start : start + 30]
        for snap in acoll.where(filter=FieldFilter("creative_id", "in", group)).stream():
            a = snap.to_dict() or {}
            assets_by_creative.setdefault(a["creative_id"], []).append(
                ExportAsset(
                    id=snap.id,
                    kind=a.get("kind", "image"),
                    ratio=a.get("ratio"),
                    storage_path=a["storage_path"],
                    content_type=a.get("content_type", "application/octet-stream"),
                    bytes=int(a.get("bytes") or 0),
                )
            )
    out = []
    for d in docs:
        assets = sorted(assets_by_creative.get(d["id"], []), key=lambda a: a.id)
        out.append(
            ExportCreative(
                id=d["id"],
                kind=str(d.get("kind")),
                platform=str(d.get("platform")),
                status=str(d.get("status")),
                content=d.get("content") or {},
                assets=assets,
            )
        )
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60] or "campaign"


def sheet_for(
    campaign: ExportCampaign, creatives: list[ExportCreative], request: ExportRequest
) -> Sheet:
    if request.format is ExportFormat.GOOGLE_RSA:
        return rsa_sheet(campaign, creatives, include_drafts=request.include_drafts)
    if request.format is ExportFormat.GOOGLE_PMAX:
        return pmax_sheet(campaign, creatives, include_drafts=request.include_drafts)
    return meta_sheet(campaign, creatives, include_drafts=request.include_drafts)


def _scope(creatives: list[ExportCreative], request: ExportRequest) -> list[ExportCreative]:
    """A whole-campaign export considers what belongs to the format (a selection lists every
    creative it left out, with the reason)."""
    if request.creative_ids is not None:
        return creatives
    if request.format is ExportFormat.GOOGLE_RSA:
        return [c for c in creatives if c.kind == "copy" and c.platform == "google_rsa"]
    if request.format is ExportFormat.GOOGLE_PMAX:
        return [c for c in creatives if c.platform == "google_pmax" or c.kind == "image"]
    return [c for c in creatives if c.platform == "meta" or c.kind in ("image", "video")]


def plan_export(
    tenant_id: str, campaign_id: str, principal: Principal, request: ExportRequest
) -> tuple[ExportCampaign, Sheet, ExportPlan]:
    campaign, _ = campaigns.get_campaign(tenant_id, campaign_id, principal)
    export_campaign = ExportCampaign(
        id=campaign.id,
        name=campaign.name,
        landing_url=campaign.landing_url,
        brand_id=campaign.brand_id,
    )
    creatives = _scope(_creatives(tenant_id, campaign_id, request.creative_ids), request)
    sheet = sheet_for(export_campaign, creatives, request)
    zipped = request.format is not ExportFormat.GOOGLE_RSA
    base = f"{_slug(campaign.name)}-{request.format.value}"
    ext = "tsv.csv" if request.encoding is Encoding.UTF16_TSV else "csv"
    plan = ExportPlan(
        format=request.format,
        filename=f"{base}.zip" if zipped else f"{base}.{ext}",
        media_type="application/zip" if zipped else "text/csv",
        included=sheet.included,
        excluded=sheet.excluded,
        warnings=sheet.warnings,
        media_files=len(sheet.media),
        media_bytes=sum(m.bytes for m in sheet.media),
    )
    return export_campaign, sheet, plan


def render(sheet: Sheet, plan: ExportPlan, request: ExportRequest) -> bytes:
    data = encode(sheet.header, sheet.rows, request.encoding)
    if plan.media_type != "application/zip":
        return data
    out = io.BytesIO()
    names = {
        ExportFormat.GOOGLE_PMAX: "asset_groups.csv",
        ExportFormat.META: "meta_bulk_import.csv",
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        # a fixed timestamp: the same export is the same bytes (golden tests, retried jobs)
        def put(name: str, content: bytes, deflate: bool = True) -> None:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            zf.writestr(info, content)

        put(names.get(plan.format, "sheet.csv"), data)
        put("excluded.csv", excluded_csv(sheet))
        store_ = blob_store()
        for media in sheet.media:
            put(f"media/{media.filename}", store_.get(media.storage_path), deflate=False)
    return out.getvalue()


def build(
    tenant_id: str, campaign_id: str, principal: Principal, request: ExportRequest
) -> ExportFile:
    _, sheet, plan = plan_export(tenant_id, campaign_id, principal, request)
    if plan.media_bytes > STREAM_LIMIT_BYTES:
        raise InvalidInput(
            "this export is too big to stream: start it as a job (POST .../exports)",
            details=[FieldProblem("format", f"{plan.media_bytes} bytes of media")],
        )
    data = render(sheet, plan, request)
    audit.record(
        tenant_id,
        "campaign.exported",
        principal,
        target=f"campaigns/{campaign_id}",
        details={"format": request.format.value, "creatives": len(plan.included)},
    )
    return ExportFile(plan=plan, data=data)


# -------------------------------------------------------------------------------- the job
def start_job(
    tenant_id: str, campaign_id: str, principal: Principal, request: ExportRequest
) -> ExportJob:
    campaign, _, plan = plan_export(tenant_id, campaign_id, principal, request)  # validates
    export_id = store.new_id()
    doc = {
        "id": export_id,
        "tenant_id": tenant_id,
        "campaign_id": campaign_id,
        "brand_id": campaign.brand_id,
        "status": "queued",
        "request": request.model_dump(mode="json"),
        "plan": plan.model_dump(mode="json"),
        # the job sees what its requester saw (brand-limited members stay limited)
        "requested_by": principal.actor,
        "brand_ids": list(principal.brand_ids) if principal.brand_ids is not None else None,
        "created_at": store.now(),
        "updated_at": store.now(),
    }
    ref = store.tenant_collection(tenant_id, EXPORTS).document(export_id)
    doc, _, _ = store.create_once(ref, doc)  # a crashed first run's job stands
    # Published again on a rerun: the dead attempt may not have; a second build is harmless.
    messaging.publish(BUILD_TOPIC, ExportMessage(tenant_id=tenant_id, export_id=export_id))
    return ExportJob(**doc)


def get_job(tenant_id: str, export_id: str) -> ExportJob:
    snap = store.get_in_tenant(tenant_id, EXPORTS, export_id)
    job = ExportJob(**store.data_with_id(snap))
    if job.status == "ready" and job.storage_path:
        job.url = url_for(job.storage_path)
    return job


def on_build(message: ExportMessage) -> None:
    ref = store.tenant_collection(message.tenant_id, EXPORTS).document(message.export_id)
    snap = ref.get()
    if not snap.exists:
        return
    doc = snap.to_dict() or {}
    if doc.get("tenant_id") != message.tenant_id or doc.get("status") == "ready":
        return
    ref.update({"status": "building", "updated_at": store.now()})
    request = ExportRequest(**doc["request"])
    brand_ids = doc.get("brand_ids")
    principal = Principal(
        kind="user",
        uid=(doc.get("requested_by") or {}).get("id"),
        tenant_id=message.tenant_id,
        brand_ids=tuple(brand_ids) if brand_ids is not None else None,
        permissions=frozenset({Permission.CAMPAIGNS_READ, Permission.CREATIVES_READ}),
    )
    try:
        _, sheet, plan = plan_export(message.tenant_id, doc["campaign_id"], principal, request)
        data = render(sheet, plan, request)
    except (NotFound, InvalidInput) as exc:
        ref.update({"status": "failed", "error": str(exc), "updated_at": store.now()})
        return
    path = tenant_path(message.tenant_id, EXPORTS, message.export_id, plan.filename)
    blob_store().put(path, data, plan.media_type)
    ref.update(
        {
            "status": "ready",
            "storage_path": path,
            "plan": plan.model_dump(mode="json"),
            "bytes": len(data),
            "updated_at": store.now(),
        }
    )

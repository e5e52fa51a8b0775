"""Exports for the ad platforms: Google Ads Editor sheets and the Meta bulk-import sheet."""

from __future__ import annotations

from adgenius.api.routing import Call, Reply, Router
from adgenius.exports import service
from adgenius.exports.sheets import ExportFormat
from adgenius.tenancy.errors import FieldProblem, InvalidInput
from adgenius.tenancy.roles import Permission

router = Router(tag="exports")


def _format(call: Call) -> ExportFormat:
    value = call.params["export_format"]
    try:
        return ExportFormat(value)
    except ValueError as exc:
        choices = ", ".join(f.value for f in ExportFormat)
        raise InvalidInput(
            "unknown export format", details=[FieldProblem("format", f"use one of {choices}")]
        ) from exc


@router.get(
    "/v1/campaigns/<campaign_id>/exports/<export_format>",
    permission=Permission.CREATIVES_READ,
    query=service.ExportQuery,
)
def download_export(call: Call) -> Reply:
    """Stream an export file: `google_rsa` (CSV; `encoding=utf16_tsv` as Editor writes, or
    `utf8_csv`), `google_pmax` and `meta` (ZIP: sheet, media, excluded.csv). Headers
    `X-Export-Included` / `X-Export-Excluded` count the creatives; `.../plan` says why."""
    exported = service.build(
        call.tenant_id,
        call.params["campaign_id"],
        call.user,
        call.query.request(_format(call)),
    )
    plan = exported.plan
    return Reply(
        raw_bytes=exported.data,
        media_type=plan.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{plan.filename}"',
            "X-Export-Included": str(len(plan.included)),
            "X-Export-Excluded": str(len(plan.excluded)),
        },
    )


@router.get(
    "/v1/campaigns/<campaign_id>/exports/<export_format>/plan",
    permission=Permission.CREATIVES_READ,
    query=service.ExportQuery,
    response=service.ExportPlan,
)
def plan_export(call: Call) -> service.ExportPlan:
    """What an export would contain, and what it leaves out and why (no file is made)."""
    _, _, plan = service.plan_export(
        call.tenant_id, call.params["campaign_id"], call.user, call.query.request(_format(call))
    )
    return plan


@router.post(
    "/v1/campaigns/<campaign_id>/exports",
    permission=Permission.CREATIVES_READ,
    body=service.ExportRequest,
    response=service.ExportJob,
    status=202,
    creates=True,
)
def start_export(call: Call) -> Reply:
    """Build an export as a job (for big ZIPs of videos): the file lands in Storage and
    `GET /v1/exports/{id}` gives a signed link once `status` is `ready`."""
    job = service.start_job(call.tenant_id, call.params["campaign_id"], call.user, call.body)
    return Reply(body=job, status=202)


@router.get(
    "/v1/exports/<export_id>", permission=Permission.CREATIVES_READ, response=service.ExportJob
)
def get_export(call: Call) -> service.ExportJob:
    """An export job: status, what it includes and leaves out, and a fresh download link."""
    return service.get_job(call.tenant_id, call.params["export_id"])

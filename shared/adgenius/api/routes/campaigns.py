"""Campaigns."""

from __future__ import annotations

from adgenius.api.routing import Call, ListQuery, Page, Reply, Router, with_etag
from adgenius.domain import campaigns
from adgenius.generation import copy_requests
from adgenius.tenancy import store
from adgenius.tenancy.roles import Permission

router = Router(tag="campaigns")


class CampaignListQuery(ListQuery):
    brand_id: store.DocId | None = None


@router.get(
    "/v1/campaigns",
    permission=Permission.CAMPAIGNS_READ,
    query=CampaignListQuery,
    response=Page[campaigns.Campaign],
)
def list_campaigns(call: Call) -> Page[campaigns.Campaign]:
    """Campaigns the caller may see, optionally of one brand."""
    q = call.query
    items, cursor = campaigns.list_campaigns(
        call.tenant_id, call.user, brand_id=q.brand_id, limit=q.limit, cursor=q.cursor
    )
    return Page[campaigns.Campaign](items=items, next_cursor=cursor)


@router.post(
    "/v1/campaigns",
    permission=Permission.CAMPAIGNS_WRITE,
    body=campaigns.CampaignCreate,
    response=campaigns.Campaign,
    status=201,
    creates=True,
    etag=True,
)
def create_campaign(call: Call) -> Reply:
    """Create a campaign for one of the tenant's brands."""
    campaign, written = campaigns.create_campaign(call.tenant_id, call.body, call.user)
    return with_etag(campaign, written, status=201, location=f"/v1/campaigns/{campaign.id}")


@router.get(
    "/v1/campaigns/<campaign_id>",
    permission=Permission.CAMPAIGNS_READ,
    response=campaigns.Campaign,
    etag=True,
)
def get_campaign(call: Call) -> Reply:
    """One campaign; the ETag header is what PATCH needs in If-Match."""
    return with_etag(*campaigns.get_campaign(call.tenant_id, call.params["campaign_id"], call.user))


@router.patch(
    "/v1/campaigns/<campaign_id>",
    permission=Permission.CAMPAIGNS_WRITE,
    body=campaigns.CampaignPatch,
    response=campaigns.Campaign,
    etag=True,
    errors=(412, 428),
)
def update_campaign(call: Call) -> Reply:
    """Change some fields of a campaign (If-Match required; 412 if it changed meanwhile).
    Setting `loop` to `suggest` or `auto` also looks at the decisions made while it was off."""
    campaign, etag = campaigns.update_campaign(
        call.tenant_id, call.params["campaign_id"], call.body, call.if_match(), call.user
    )
    if call.body.loop is not None and campaign.loop.mode != "off":
        from adgenius.loop import detection  # only for this change (cold starts)

        detection.request_rescan(call.tenant_id, campaign.id)
    return with_etag(campaign, etag)


@router.delete("/v1/campaigns/<campaign_id>", permission=Permission.CAMPAIGNS_WRITE)
def delete_campaign(call: Call) -> None:
    """Delete a campaign."""
    campaigns.delete_campaign(call.tenant_id, call.params["campaign_id"], call.user)


@router.post(
    "/v1/campaigns/<campaign_id>/copy",
    permission=Permission.GENERATE,
    body=copy_requests.CopyRequest,
    response=copy_requests.CopyGenerated,
    status=201,
    creates=True,
    errors=(402,),
)
def generate_copy(call: Call) -> Reply:
    """Generate ad copy for one platform now; each variant is saved as a draft creative."""
    generated = copy_requests.generate_copy(
        call.tenant_id, call.params["campaign_id"], call.body, call.user
    )
    return Reply(generated, status=201)

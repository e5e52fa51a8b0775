"""Reading and reviewing creatives (the generation pipeline writes them)."""

from __future__ import annotations

from adgenius.api.routing import Call, ListQuery, Page, Router
from adgenius.domain import creatives
from adgenius.domain.creatives import CreativeStatus
from adgenius.tenancy.roles import Permission

router = Router(tag="creatives")


class CreativeListQuery(ListQuery, creatives.CreativeFilters):
    pass


@router.get(
    "/v1/creatives",
    permission=Permission.CREATIVES_READ,
    query=CreativeListQuery,
    response=Page[creatives.Creative],
)
def list_creatives(call: Call) -> Page[creatives.Creative]:
    """Creatives the caller may see, filtered, in a stable order."""
    q: CreativeListQuery = call.query
    filters = creatives.CreativeFilters(
        **q.model_dump(exclude={"limit", "cursor"}, exclude_none=True)
    )
    items, cursor = creatives.list_creatives(
        call.tenant_id, call.user, filters, limit=q.limit, cursor=q.cursor
    )
    return Page[creatives.Creative](items=items, next_cursor=cursor)


@router.get(
    "/v1/creatives/<creative_id>",
    permission=Permission.CREATIVES_READ,
    response=creatives.CreativeWithAssets,
)
def get_creative(call: Call) -> creatives.CreativeWithAssets:
    """One creative with its assets."""
    return creatives.get_creative(call.tenant_id, call.params["creative_id"], call.user)


@router.post(
    "/v1/creatives/<creative_id>/approve",
    permission=Permission.CREATIVES_REVIEW,
    response=creatives.CreativeWithAssets,
    errors=(409,),
)
def approve_creative(call: Call) -> creatives.CreativeWithAssets:
    """Approve a draft or rejected creative."""
    return creatives.review(
        call.tenant_id, call.params["creative_id"], CreativeStatus.APPROVED, call.user
    )


@router.post(
    "/v1/creatives/<creative_id>/reject",
    permission=Permission.CREATIVES_REVIEW,
    body=creatives.RejectBody,
    response=creatives.CreativeWithAssets,
    errors=(409,),
)
def reject_creative(call: Call) -> creatives.CreativeWithAssets:
    """Reject a creative with a comment saying why."""
    return creatives.review(
        call.tenant_id,
        call.params["creative_id"],
        CreativeStatus.REJECTED,
        call.user,
        comment=call.body.comment,
    )


@router.post(
    "/v1/creatives/<creative_id>/archive",
    permission=Permission.CREATIVES_REVIEW,
    response=creatives.CreativeWithAssets,
    errors=(409,),
)
def archive_creative(call: Call) -> creatives.CreativeWithAssets:
    """Archive a creative (final)."""
    return creatives.review(
        call.tenant_id, call.params["creative_id"], CreativeStatus.ARCHIVED, call.user
    )

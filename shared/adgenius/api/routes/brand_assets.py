"""The brand's asset library: product shots, lifestyle photos, logos and short clips."""

from __future__ import annotations

from adgenius.api.routing import Call, Page, Reply, Router
from adgenius.domain import brand_assets
from adgenius.tenancy.roles import Permission

router = Router(tag="brand_assets")

_ASSET = "/v1/brands/<brand_id>/assets/<asset_id>"


@router.post(
    "/v1/brands/<brand_id>/assets",
    permission=Permission.BRANDS_WRITE,
    raw_body="*/*",
    query=brand_assets.AssetUploadQuery,
    response=brand_assets.BrandAsset,
    status=201,
    creates=True,
    errors=(413, 415),
)
def add_asset(call: Call) -> Reply:
    """Upload one picture (PNG, JPEG, WebP, GIF; max 40 MP) or clip (MP4, MOV, WebM; max 60 s)
    as the raw body; max 8 MB. It is re-encoded without metadata; near-duplicates are flagged."""
    asset = brand_assets.add_asset(
        call.tenant_id,
        call.params["brand_id"],
        call.body,
        call.headers.get("Content-Type"),
        call.query,
        call.user,
    )
    reply = Reply(body=asset, status=201)
    reply.headers["Location"] = f"/v1/brands/{asset.brand_id}/assets/{asset.id}"
    return reply


@router.get(
    "/v1/brands/<brand_id>/assets",
    permission=Permission.BRANDS_READ,
    query=brand_assets.AssetListQuery,
    response=Page[brand_assets.BrandAsset],
)
def list_assets(call: Call) -> Page[brand_assets.BrandAsset]:
    """The brand's assets, oldest first, filtered by kind, tag or usability."""
    return Page[brand_assets.BrandAsset](
        items=brand_assets.list_assets(
            call.tenant_id, call.params["brand_id"], call.query, call.user
        )
    )


@router.get(_ASSET, permission=Permission.BRANDS_READ, response=brand_assets.BrandAsset)
def get_asset(call: Call) -> brand_assets.BrandAsset:
    """One asset with short-lived URLs of the file and its thumbnail."""
    return brand_assets.get_asset(
        call.tenant_id, call.params["brand_id"], call.params["asset_id"], call.user
    )


@router.patch(
    _ASSET,
    permission=Permission.BRANDS_WRITE,
    body=brand_assets.AssetPatch,
    response=brand_assets.BrandAsset,
)
def update_asset(call: Call) -> brand_assets.BrandAsset:
    """Change tags, caption, logo variants or usage rights (owned, or licensed until a date)."""
    return brand_assets.update_asset(
        call.tenant_id, call.params["brand_id"], call.params["asset_id"], call.body, call.user
    )


@router.delete(_ASSET, permission=Permission.BRANDS_WRITE)
def delete_asset(call: Call) -> None:
    """Delete an asset and its files; creatives already made from it are kept."""
    brand_assets.delete_asset(
        call.tenant_id, call.params["brand_id"], call.params["asset_id"], call.user
    )

"""Brands and brand kits (an agency's clients are brands inside one tenant)."""

from __future__ import annotations

from adgenius.api.routing import Call, ListQuery, Page, Reply, Router, with_etag
from adgenius.domain import brands
from adgenius.tenancy.roles import Permission

router = Router(tag="brands")


@router.get(
    "/v1/brands", permission=Permission.BRANDS_READ, query=ListQuery, response=Page[brands.Brand]
)
def list_brands(call: Call) -> Page[brands.Brand]:
    """Brands the caller may see, in a stable order."""
    items, cursor = brands.list_brands(
        call.tenant_id, call.user, limit=call.query.limit, cursor=call.query.cursor
    )
    return Page[brands.Brand](items=items, next_cursor=cursor)


@router.post(
    "/v1/brands",
    permission=Permission.BRANDS_WRITE,
    body=brands.BrandCreate,
    response=brands.Brand,
    status=201,
    creates=True,
    etag=True,
)
def create_brand(call: Call) -> Reply:
    """Create a brand with its kit."""
    brand, written = brands.create_brand(call.tenant_id, call.body, call.user)
    return with_etag(brand, written, status=201, location=f"/v1/brands/{brand.id}")


@router.get(
    "/v1/brands/<brand_id>", permission=Permission.BRANDS_READ, response=brands.Brand, etag=True
)
def get_brand(call: Call) -> Reply:
    """One brand; the ETag header is what PATCH needs in If-Match."""
    return with_etag(*brands.get_brand(call.tenant_id, call.params["brand_id"], call.user))


@router.patch(
    "/v1/brands/<brand_id>",
    permission=Permission.BRANDS_WRITE,
    body=brands.BrandPatch,
    response=brands.Brand,
    etag=True,
    errors=(412,),
)
def update_brand(call: Call) -> Reply:
    """Rename a brand or replace its kit (with If-Match: only if unchanged since read)."""
    return with_etag(
        *brands.update_brand(
            call.tenant_id,
            call.params["brand_id"],
            call.body,
            call.headers.get("If-Match"),
            call.user,
        )
    )


@router.delete("/v1/brands/<brand_id>", permission=Permission.BRANDS_WRITE, errors=(409,))
def delete_brand(call: Call) -> None:
    """Delete a brand that has no campaigns."""
    brands.delete_brand(call.tenant_id, call.params["brand_id"], call.user)


@router.put(
    "/v1/brands/<brand_id>/logo",
    permission=Permission.BRANDS_WRITE,
    raw_body="image/*",
    response=brands.Brand,
)
def put_logo(call: Call) -> brands.Brand:
    """Upload the logo as the raw request body (PNG, JPEG, WebP or GIF; max 2 MB)."""
    return brands.put_logo(call.tenant_id, call.params["brand_id"], call.body, call.user)

"""The brand's own pictures and clips: product shots, lifestyle photos, logos and short clips.

Records live in `tenants/{t}/brand_assets/{id}` (not `assets`, which holds generated creative
media); files under `tenants/{t}/brands/{b}/assets/`. Uploads are validated and re-encoded by
`media.uploads` (bounded decoding, EXIF orientation, no metadata); a perceptual hash flags
near-duplicates within the brand; usage rights are kept per asset and an asset whose licence has
ended is never handed to generation (`usable_assets`).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field, StringConstraints, model_validator

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain.brands import get_brand
from adgenius.domain.media_urls import url_for
from adgenius.media.decode_budget import DecodeBusy
from adgenius.media.errors import MediaInputError
from adgenius.media.saliency import FULL, subject_box
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput, NotFound, RateLimited
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)

BRAND_ASSETS = "brand_assets"  # tenants/{t}/brand_assets/{id}
MAX_ASSET_BYTES = 8 * 1024 * 1024
MAX_ASSETS_PER_BRAND = 500
MAX_TAGS = 20

Tag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=1, max_length=40, pattern=r"^[\w \-]+$"
    ),
]
Caption = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class AssetKind(StrEnum):
    PRODUCT = "product"
    LIFESTYLE = "lifestyle"
    LOGO = "logo"
    CLIP = "clip"


class LogoVariant(StrEnum):
    LIGHT = "light"  # light marks, for dark backgrounds
    DARK = "dark"  # dark marks, for light backgrounds
    SQUARE = "square"
    WIDE = "wide"


Rights = Literal["owned", "licensed"]


class UsageRights(store.StrictModel):
    rights: Rights = "owned"
    licensed_until: date | None = Field(
        default=None, description="Last day the licence allows use; required when licensed."
    )

    @model_validator(mode="after")
    def _licence_has_end(self) -> UsageRights:
        if self.rights == "licensed" and self.licensed_until is None:
            raise ValueError("licensed_until is required when rights is 'licensed'")
        if self.rights == "owned" and self.licensed_until is not None:
            raise ValueError("licensed_until only applies when rights is 'licensed'")
        return self


class AssetUploadQuery(store.StrictModel):
    kind: AssetKind
    tags: str | None = Field(default=None, max_length=800, description="Comma-separated tags.")
    caption: Caption | None = None
    variant: list[LogoVariant] | LogoVariant | None = Field(
        default=None, description="Logo variants; inferred from the pixels when absent."
    )
    filename: str | None = Field(default=None, max_length=200)
    licensed_until: date | None = Field(
        default=None, description="Set for licensed pictures; absent means owned."
    )


class AssetListQuery(store.StrictModel):
    kind: AssetKind | None = None
    tag: Tag | None = None
    usable: bool | None = Field(default=None, description="Only assets generation may use now.")


class AssetPatch(store.StrictModel):
    tags: list[Tag] | None = Field(default=None, max_length=MAX_TAGS)
    caption: Caption | None = None
    variants: list[LogoVariant] | None = None
    rights: Rights | None = None
    licensed_until: date | None = None


class BrandAsset(store.Document):
    id: str
    tenant_id: str
    brand_id: str
    kind: AssetKind
    variants: list[LogoVariant] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    caption: str = ""
    rights: Rights = "owned"
    licensed_until: date | None = None
    mime_type: str
    width: int
    height: int
    bytes: int
    duration_s: float | None = None
    storage_path: str
    thumbnail_path: str
    phash: str | None = Field(default=None, description="64-bit difference hash (hex).")
    subject: list[float] = Field(
        default_factory=lambda: FULL.to_list(),
        description="Box of the subject in fractions of the picture [left, top, right, bottom].",
    )
    near_duplicates: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    source_format: str = ""
    created_at: datetime
    updated_at: datetime
    created_by: dict[str, str | None] = Field(default_factory=dict)
    url: str | None = Field(default=None, description="Short-lived URL (reads only).")
    thumbnail_url: str | None = None

    def usable_on(self, day: date) -> bool:
        """Owned, or licensed through `day` inclusive."""
        return self.rights == "owned" or (
            self.licensed_until is not None and self.licensed_until >= day
        )


class AssetTooLarge(InvalidInput):
    status, code = 413, "payload_too_large"


class UnsupportedAssetType(InvalidInput):
    status, code = 415, "unsupported_media_type"


def _problem(exc: MediaInputError) -> InvalidInput:
    if exc.field == "Content-Type":
        return UnsupportedAssetType(
            "the Content-Type does not match the file",
            details=[FieldProblem(exc.field, exc.reason)],
        )
    return InvalidInput("the file cannot be used", details=[FieldProblem(exc.field, exc.reason)])


_EXTENSIONS = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "webp": "WEBP",
    "gif": "GIF",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}


@cache
def _image_types() -> dict[str, str]:
    from adgenius.media import uploads

    return {v: k for k, v in uploads.IMAGE_FORMATS.items()} | {"image/jpg": "JPEG"}


def _declared(content_type: str | None) -> str | None:
    mime = (content_type or "").split(";")[0].strip().lower()
    return None if mime in ("", "application/octet-stream") else mime


def _check_claims(real: str, declared: str | None, filename: str | None) -> None:
    """The Content-Type and file name must not contradict what the bytes are."""
    if declared is not None:
        claimed = _image_types().get(declared, declared)
        if claimed != real and {claimed, real} != {"video/mp4", "video/quicktime"}:
            raise UnsupportedAssetType(
                "the Content-Type does not match the file",
                details=[FieldProblem("Content-Type", f"says {declared} but the bytes are {real}")],
            )
    if filename and "." in filename:
        ext = filename.rsplit(".", 1)[1].lower()
        by_name = _EXTENSIONS.get(ext)
        if by_name is None:
            raise InvalidInput(
                "the file name's extension is not accepted",
                details=[FieldProblem("filename", f".{ext} is not an accepted extension")],
            )
        if by_name != real and {by_name, real} != {"video/mp4", "video/quicktime"}:
            raise InvalidInput(
                "the file name does not match the file",
                details=[FieldProblem("filename", f".{ext} but the bytes are {real}")],
            )


def _tags(raw: str | None) -> list[str]:
    if not raw:
        return []
    tags = list(dict.fromkeys(t.strip().lower() for t in raw.split(",") if t.strip()))
    if len(tags) > MAX_TAGS:
        raise InvalidInput("too many tags", details=[FieldProblem("query.tags", "at most 20")])
    for tag in tags:
        if len(tag) > 40 or not all(ch.isalnum() or ch in " _-" for ch in tag):
            raise InvalidInput(
                "a tag is not valid",
                details=[FieldProblem("query.tags", f"{tag[:40]!r}: letters, digits, - and _")],
            )
    return tags


def _with_urls(asset: BrandAsset) -> BrandAsset:
    asset.url = url_for(asset.storage_path)
    asset.thumbnail_url = url_for(asset.thumbnail_path)
    return asset


def _from_snap(snap: Any) -> BrandAsset:
    return BrandAsset(**store.data_with_id(snap))


def _brand_assets(tenant_id: str, brand_id: str) -> list[BrandAsset]:
    snaps = (
        store.tenant_collection(tenant_id, BRAND_ASSETS)
        .where(filter=FieldFilter("brand_id", "==", brand_id))
        .limit(MAX_ASSETS_PER_BRAND + 1)
        .stream()
    )
    return [_from_snap(s) for s in snaps]


def add_asset(
    tenant_id: str,
    brand_id: str,
    data: bytes,
    content_type: str | None,
    query: AssetUploadQuery,
    principal: Principal,
) -> BrandAsset:
    """Validate, re-encode and store one upload; flags near-duplicates of the brand's pictures."""
    # Decoding (Pillow, ffmpeg) loads with the first upload: the job functions read assets
    # through this module and never decode one.
    from adgenius.media import uploads

    get_brand(tenant_id, brand_id, principal)  # 404 for unknown or invisible brands
    if not data:
        raise InvalidInput("the body is empty", details=[FieldProblem("body", "send the file")])
    if len(data) > MAX_ASSET_BYTES:
        raise AssetTooLarge(
            f"an asset may have at most {MAX_ASSET_BYTES} bytes",
            details=[FieldProblem("body", f"larger than {MAX_ASSET_BYTES} bytes")],
        )
    tags = _tags(query.tags)
    asset_id = store.new_id()
    # Without this request's own asset, which a rerun after a crash may meet.
    existing = [a for a in _brand_assets(tenant_id, brand_id) if a.id != asset_id]
    if len(existing) >= MAX_ASSETS_PER_BRAND:
        raise InvalidInput(
            "the brand's asset library is full",
            details=[FieldProblem("brand_id", f"at most {MAX_ASSETS_PER_BRAND} assets")],
        )
    declared = _declared(content_type)
    folder = ("brands", brand_id, "assets")
    notes: list[str] = []
    variants: list[LogoVariant] = []
    phash: str | None = None
    subject = FULL.to_list()
    duration: float | None = None
    try:
        if query.kind is AssetKind.CLIP:
            real = uploads.sniff_clip_type(data)
            if real is None:
                kind_problem = "a clip must be an MP4, QuickTime or WebM video"
                raise InvalidInput(
                    "the file is not a clip", details=[FieldProblem("body", kind_problem)]
                )
            _check_claims(real, declared, query.filename)
            clip = uploads.clean_clip(data, declared)
            stored, mime = clip.data, clip.mime_type
            width, height, duration = clip.width, clip.height, clip.duration_s
            path = tenant_path(tenant_id, *folder, f"{asset_id}.{uploads.CLIP_TYPES[mime]}")
            thumb_image = clip.poster
            source_format = mime
        else:
            real_format = uploads.sniff_image_format(data)
            if real_format is None:
                if uploads.sniff_clip_type(data) is not None:
                    raise InvalidInput(
                        "the file is a video",
                        details=[FieldProblem("query.kind", "upload videos with kind=clip")],
                    )
                raise InvalidInput(
                    "the file is not a picture",
                    details=[FieldProblem("body", "not a PNG, JPEG, WebP or GIF image")],
                )
            _check_claims(real_format, declared, query.filename)
            clean = uploads.clean_image(data, "body")
            notes = clean.notes
            stored, mime = uploads.encode_clean(clean.image)
            width, height = clean.image.size
            ext = "png" if mime == "image/png" else "jpg"
            path = tenant_path(tenant_id, *folder, f"{asset_id}.{ext}")
            thumb_image = clean.image
            source_format = clean.source_format
            phash = uploads.dhash(clean.image)
            subject = subject_box(clean.image).to_list()
            if query.kind is AssetKind.LOGO:
                given = query.variant if isinstance(query.variant, list) else [query.variant]
                variants = [v for v in given if v is not None]
                if not variants:
                    variants = [LogoVariant(v) for v in uploads.logo_variant(clean.image)]
    except MediaInputError as exc:
        raise _problem(exc) from None
    except DecodeBusy as exc:  # other uploads hold the process's decode budget: retry shortly
        raise RateLimited(str(exc), retry_after_s=5) from exc
    near = [
        a.id
        for a in existing
        if phash and a.phash and uploads.hamming(phash, a.phash) <= uploads.NEAR_DUPLICATE_BITS
    ]
    thumb = uploads.thumbnail(thumb_image)
    thumb_mime = "image/png" if thumb.startswith(b"\x89PNG") else "image/jpeg"
    thumb_path = tenant_path(
        tenant_id, *folder, f"{asset_id}-thumb.{'png' if thumb_mime == 'image/png' else 'jpg'}"
    )
    store_files = blob_store()
    store_files.put(path, stored, mime)
    store_files.put(thumb_path, thumb, thumb_mime)
    now = store.now()
    asset = BrandAsset(
        id=asset_id,
        tenant_id=tenant_id,
        brand_id=brand_id,
        kind=query.kind,
        variants=variants,
        tags=tags,
        caption=query.caption or "",
        rights="licensed" if query.licensed_until else "owned",
        licensed_until=query.licensed_until,
        mime_type=mime,
        width=width,
        height=height,
        bytes=len(stored),
        duration_s=duration,
        storage_path=path,
        thumbnail_path=thumb_path,
        phash=phash,
        subject=subject,
        near_duplicates=near,
        notes=notes,
        source_format=source_format,
        created_at=now,
        updated_at=now,
        created_by=principal.actor,
    )
    ref = store.tenant_collection(tenant_id, BRAND_ASSETS).document(asset_id)
    stored_doc, _, created = store.create_once(ref, _doc(asset))
    if not created:  # a crashed first run's asset stands (same id, same files)
        asset = BrandAsset(**stored_doc)
    audit.record(
        tenant_id,
        "brand_asset.added",
        principal,
        target=f"{BRAND_ASSETS}/{asset_id}",
        details={"brand_id": brand_id, "kind": query.kind.value, "bytes": len(stored)},
    )
    return _with_urls(asset)


def _doc(asset: BrandAsset) -> dict[str, Any]:
    doc = asset.model_dump(mode="json", exclude={"url", "thumbnail_url"})
    doc["created_at"], doc["updated_at"] = asset.created_at, asset.updated_at
    return doc


def list_assets(
    tenant_id: str, brand_id: str, query: AssetListQuery, principal: Principal
) -> list[BrandAsset]:
    get_brand(tenant_id, brand_id, principal)
    firestore_query = store.tenant_collection(tenant_id, BRAND_ASSETS).where(
        filter=FieldFilter("brand_id", "==", brand_id)
    )
    if query.kind is not None:
        firestore_query = firestore_query.where(filter=FieldFilter("kind", "==", query.kind.value))
    if query.tag is not None:
        firestore_query = firestore_query.where(
            filter=FieldFilter("tags", "array_contains", query.tag)
        )
    assets = [_from_snap(s) for s in firestore_query.limit(MAX_ASSETS_PER_BRAND).stream()]
    if query.usable is not None:
        today = date.today()
        assets = [a for a in assets if a.usable_on(today) is query.usable]
    return [_with_urls(a) for a in sorted(assets, key=lambda a: (a.created_at, a.id))]


def _get(tenant_id: str, brand_id: str, asset_id: str, principal: Principal) -> Any:
    get_brand(tenant_id, brand_id, principal)
    snap = store.get_in_tenant(tenant_id, BRAND_ASSETS, asset_id)
    if (snap.to_dict() or {}).get("brand_id") != brand_id:
        raise NotFound("asset not found")
    return snap


def get_asset(tenant_id: str, brand_id: str, asset_id: str, principal: Principal) -> BrandAsset:
    return _with_urls(_from_snap(_get(tenant_id, brand_id, asset_id, principal)))


def update_asset(
    tenant_id: str, brand_id: str, asset_id: str, patch: AssetPatch, principal: Principal
) -> BrandAsset:
    snap = _get(tenant_id, brand_id, asset_id, principal)
    current = _from_snap(snap)
    changes = patch.model_dump(mode="json", exclude_unset=True)
    if "tags" in changes and changes["tags"] is not None:
        changes["tags"] = list(dict.fromkeys(changes["tags"]))
    rights = changes.get("rights", current.rights)
    until = changes.get("licensed_until", current.licensed_until)
    if rights == "owned" and "rights" in changes:
        until = changes["licensed_until"] = None
    try:
        UsageRights(rights=rights, licensed_until=until)
    except ValueError as exc:
        raise InvalidInput(
            "the usage rights are not valid",
            details=[FieldProblem("licensed_until", str(exc).splitlines()[-1][:200])],
        ) from None
    if "variants" in changes and current.kind is not AssetKind.LOGO:
        raise InvalidInput(
            "only logos have variants", details=[FieldProblem("variants", "not a logo")]
        )
    changes = {k: v for k, v in changes.items() if v is not None or k == "licensed_until"}
    changes["updated_at"] = store.now()
    snap.reference.update(changes)
    audit.record(
        tenant_id,
        "brand_asset.updated",
        principal,
        target=f"{BRAND_ASSETS}/{asset_id}",
        details={"fields": sorted(k for k in changes if k != "updated_at")},
    )
    return get_asset(tenant_id, brand_id, asset_id, principal)


def delete_asset(tenant_id: str, brand_id: str, asset_id: str, principal: Principal) -> None:
    """Delete the record and its files; creatives already made from it keep their pictures."""
    snap = _get(tenant_id, brand_id, asset_id, principal)
    asset = _from_snap(snap)
    snap.reference.delete()
    for path in (asset.storage_path, asset.thumbnail_path):
        try:
            blob_store().delete(path)
        except Exception:  # the record is gone, so nothing will read the file again
            logger.warning("could not delete %s; it is orphaned", path)
    audit.record(tenant_id, "brand_asset.deleted", principal, target=f"{BRAND_ASSETS}/{asset_id}")


def usable_assets(tenant_id: str, brand_id: str, day: date | None = None) -> list[BrandAsset]:
    """What generation may use for a brand (server side, no principal): never an expired one."""
    today = day or date.today()
    assets = [a for a in _brand_assets(tenant_id, brand_id) if a.usable_on(today)]
    return sorted(assets, key=lambda a: (a.created_at, a.id))

"""Brands (an agency's clients) and their brand kits, including the logo in Cloud Storage."""

from __future__ import annotations

import io
from datetime import datetime

from google.cloud.firestore import CollectionReference, DocumentSnapshot, Query
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.types import WriteResult
from pydantic import Field, field_validator

from adgenius.cloud.storage import blob_store
from adgenius.domain.brief import (
    MAX_ITEMS,
    BrandKit,
    HexColor,
    Phrase,
    ShortText,
    Text,
    Tone,
)
from adgenius.domain.media_urls import url_for
from adgenius.media.decode_budget import DECODES, DecodeBusy, DecodeTooLarge, decoded_bytes
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import Conflict, FieldProblem, InvalidInput, RateLimited
from adgenius.tenancy.principal import Principal

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4096  # per side, before re-encoding
LOGO_SIZE = 1024  # stored logos fit in this square
_SCALABLE_MODES = {"RGB", "RGBA", "L", "LA"}
_CONVERT_FIRST = dict.fromkeys(("I;16", "I;16L", "I;16B", "I;16N"), "L")


class BrandKitBody(store.StrictModel):
    """The brand kit as the API takes it. Field types are the generation engine's (`BrandKit`),
    so anything accepted here is accepted by copy generation (see `to_generation_kit`)."""

    voice: Text | None = Field(default=None, description="Voice, e.g. 'warm, expert, no hype'.")
    tone: Tone = Tone.FRIENDLY
    example_ads: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    banned_words: list[ShortText] = Field(default_factory=list, max_length=MAX_ITEMS)
    required_phrases: list[Phrase] = Field(default_factory=list, max_length=4)
    colors: list[HexColor] = Field(default_factory=list, max_length=16)
    fonts: list[ShortText] = Field(default_factory=list, max_length=8)

    @field_validator("colors")
    @classmethod
    def _hex(cls, colors: list[str]) -> list[str]:
        return BrandKit._hex_colors(colors)  # the engine's own rule, not a copy of it


class BrandCreate(store.StrictModel):
    name: ShortText
    kit: BrandKitBody = Field(default_factory=BrandKitBody)


class BrandPatch(store.StrictModel):
    name: ShortText | None = None
    kit: BrandKitBody | None = Field(default=None, description="Replaces the whole kit.")


class Brand(store.Document):
    id: str
    tenant_id: str
    name: str
    kit: BrandKitBody
    logo_path: str | None = None
    logo_url: str | None = Field(default=None, description="Short-lived URL of the logo.")
    created_at: datetime
    updated_at: datetime

    def to_generation_kit(self) -> BrandKit:
        kit = self.kit
        return BrandKit(
            name=self.name,
            voice=kit.voice or f"{kit.tone.value} and clear",
            example_ads=kit.example_ads,
            banned_words=kit.banned_words,
            required_phrases=kit.required_phrases,
            colors=kit.colors,
            fonts=kit.fonts,
            logo_path=self.logo_path,
        )


def _brand(snap: DocumentSnapshot) -> Brand:
    brand = Brand(**store.data_with_id(snap))
    brand.logo_url = url_for(brand.logo_path)
    return brand


def create_brand(
    tenant_id: str, body: BrandCreate, principal: Principal
) -> tuple[Brand, WriteResult | DocumentSnapshot]:
    """(Brand, write result) - the write result carries the version (ETag) without a re-read."""
    brand_id = store.new_id()
    now = store.now()
    doc = {
        "id": brand_id,
        "tenant_id": tenant_id,
        "name": body.name,
        "kit": body.kit.model_dump(mode="json"),
        "logo_path": None,
        "created_at": now,
        "updated_at": now,
    }
    ref = store.tenant_collection(tenant_id, store.BRANDS).document(brand_id)
    stored, version, _ = store.create_once(ref, doc)  # a crashed first run's stands
    # Also on a rerun: the first run may have died before its entry (the same entry either way).
    audit.record(tenant_id, "brand.created", principal, target=f"brands/{brand_id}")
    return Brand(**stored), version


def get_brand(
    tenant_id: str, brand_id: str, principal: Principal
) -> tuple[Brand, DocumentSnapshot]:
    """(Brand, snapshot) - the snapshot carries the ETag."""
    principal.require_brand(brand_id, "brand")
    snap = store.get_in_tenant(tenant_id, store.BRANDS, brand_id)
    return _brand(snap), snap


def list_brands(
    tenant_id: str, principal: Principal, *, limit: int, cursor: str | None
) -> tuple[list[Brand], str | None]:
    query: CollectionReference | Query = store.tenant_collection(tenant_id, store.BRANDS)
    if principal.brand_ids is not None:
        if not principal.brand_ids:
            return [], None
        query = query.where(filter=FieldFilter("id", "in", list(principal.brand_ids)))
    # A CollectionReference reads like a Query, but firestore does not type it as one.
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)  # type: ignore[arg-type]
    return [_brand(s) for s in snaps], next_cursor


def update_brand(
    tenant_id: str, brand_id: str, patch: BrandPatch, if_match: str | None, principal: Principal
) -> tuple[Brand, DocumentSnapshot]:
    """Rename or replace the kit. With If-Match the write is conditional (412 if stale)."""
    _, snap = get_brand(tenant_id, brand_id, principal)
    changes = patch.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    changes["updated_at"] = store.now()
    if if_match is None:
        snap.reference.update(changes)
    else:
        store.update_if_match(snap.reference, changes, if_match)
    audit.record(
        tenant_id,
        "brand.updated",
        principal,
        target=f"brands/{brand_id}",
        details={"fields": sorted(k for k in changes if k != "updated_at")},
    )
    return get_brand(tenant_id, brand_id, principal)


def delete_brand(tenant_id: str, brand_id: str, principal: Principal) -> None:
    _, snap = get_brand(tenant_id, brand_id, principal)
    campaigns = store.tenant_collection(tenant_id, store.CAMPAIGNS).where(
        filter=FieldFilter("brand_id", "==", brand_id)
    )
    if any(True for _ in campaigns.limit(1).stream()):
        raise Conflict("this brand still has campaigns; delete them first")
    snap.reference.delete()
    audit.record(tenant_id, "brand.deleted", principal, target=f"brands/{brand_id}")


def normalise_logo(data: bytes) -> bytes:
    """Validate an uploaded logo with Pillow and re-encode it as a bounded PNG.

    Re-encoding drops whatever else the file carried (metadata, trailing bytes, polyglots).
    """

    def bad(problem: str) -> InvalidInput:
        return InvalidInput("invalid logo image", details=[FieldProblem("logo", problem)])

    # Pillow loads on a logo upload only, not when an instance that reads brands starts.
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_LOGO_PIXELS * MAX_LOGO_PIXELS  # decompression-bomb guard
    if not data:
        raise bad("the request body is empty; send the image bytes")
    if len(data) > MAX_LOGO_BYTES:
        raise bad(f"larger than {MAX_LOGO_BYTES} bytes")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in {"PNG", "JPEG", "WEBP", "GIF"}:
                raise bad(f"unsupported format {probe.format}; use PNG, JPEG, WebP or GIF")
            if max(probe.size) > MAX_LOGO_PIXELS:
                raise bad(f"larger than {MAX_LOGO_PIXELS} pixels per side")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format == "JPEG":
                opened.draft("RGB", (LOGO_SIZE, LOGO_SIZE))  # decode at 1/2 to 1/8 scale
            # Scale down before converting where Pillow can, so RGBA is made of the small copy;
            # 16-bit grey cannot be scaled, so it becomes 8-bit grey first (what RGBA keeps).
            first = (
                None if opened.mode in _SCALABLE_MODES else _CONVERT_FIRST.get(opened.mode, "RGBA")
            )
            with DECODES.reserve(decoded_bytes(opened, converts_to=first)):  # header sizes
                opened.load()
                image = opened.convert(first) if first else opened
                image.thumbnail((LOGO_SIZE, LOGO_SIZE))
                image = image.convert("RGBA")
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except InvalidInput:
        raise
    except DecodeTooLarge as exc:
        raise bad(f"too large to decode: {exc}") from exc
    except DecodeBusy as exc:
        raise RateLimited(str(exc), retry_after_s=5) from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise bad("not a readable image") from exc


def logo_path(tenant_id: str, brand_id: str) -> str:
    return f"tenants/{tenant_id}/brands/{brand_id}/logo.png"


def put_logo(tenant_id: str, brand_id: str, data: bytes, principal: Principal) -> Brand:
    _, snap = get_brand(tenant_id, brand_id, principal)
    png = normalise_logo(data)
    path = logo_path(tenant_id, brand_id)
    blob_store().put(path, png, "image/png")  # with the bounded retry every Storage call has
    snap.reference.update({"logo_path": path, "updated_at": store.now()})
    audit.record(
        tenant_id,
        "brand.logo_uploaded",
        principal,
        target=f"brands/{brand_id}",
        details={"bytes": len(png)},
    )
    return get_brand(tenant_id, brand_id, principal)[0]

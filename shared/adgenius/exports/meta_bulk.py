"""Meta Ads Manager bulk-import sheet (Export & Import > Import ads in bulk) and its media.

One row per ad. Visual creatives (image, video) become ads with their own headline and text;
Meta copy creatives become ads paired with the campaign's first approved image or video (an ad
needs media). Every row carries the creative's identity: `ag:<creative id>` in the Ad Name and
`utm_content=<creative id>` in URL Tags; media files are named `ag_<asset id>.<ext>` in the
sheet and the ZIP, so per-asset breakdowns map back too. Meta's text lengths are truncation
guidance (flagged as warnings); its hard limits (title and description 255, body 1024
characters, media 30 MB) exclude the ad.
"""

from __future__ import annotations

from urllib.parse import urlparse

from adgenius.domain.brief import Platform
from adgenius.exports.sheets import (
    Excluded,
    ExportAsset,
    ExportCampaign,
    ExportCreative,
    MediaFile,
    Sheet,
    cell,
    media_name,
    utm_suffix,
)
from adgenius.generation.copy_set import CopySet
from adgenius.generation.rules import Severity, validate_copy_set

META_HEADER = [
    "Campaign Name",
    "Ad Set Name",
    "Ad Name",
    "Title",
    "Body",
    "Link Description",
    "Display Link",
    "Call to Action",
    "Link",
    "URL Tags",
    "Image File Name",
    "Video File Name",
]
MAX_TITLE = 255
MAX_BODY = 1024
MAX_MEDIA_BYTES = 30 * 1024 * 1024
IMAGE_RATIOS = ("1:1", "4:5", "1.91:1", "9:16", "16:9")
VIDEO_RATIOS = ("4:5", "1:1", "9:16", "16:9", "1.91:1")
CTA = {
    "shop now": "SHOP_NOW",
    "buy now": "BUY_NOW",
    "learn more": "LEARN_MORE",
    "sign up": "SIGN_UP",
    "subscribe": "SUBSCRIBE",
    "order now": "ORDER_NOW",
    "book now": "BOOK_TRAVEL",
    "get offer": "GET_OFFER",
    "contact us": "CONTACT_US",
    "download": "DOWNLOAD",
    "get quote": "GET_QUOTE",
    "apply now": "APPLY_NOW",
}


def call_to_action(text: str | None) -> str:
    key = " ".join((text or "").casefold().split()).rstrip("!.")
    return CTA.get(key, "LEARN_MORE")


def _pick(assets: list[ExportAsset], kind: str) -> ExportAsset | None:
    order = IMAGE_RATIOS if kind == "image" else VIDEO_RATIOS
    candidates = [a for a in assets if a.kind == kind]
    candidates.sort(key=lambda a: order.index(a.ratio) if a.ratio in order else len(order))
    return candidates[0] if candidates else None


def _usable(creative: ExportCreative, include_drafts: bool) -> str | None:
    if creative.status in ("archived", "rejected"):
        return creative.status
    if creative.status != "approved" and not include_drafts:
        return f"not approved ({creative.status})"
    return None


def meta_sheet(
    campaign: ExportCampaign,
    creatives: list[ExportCreative],
    *,
    ad_set: str | None = None,
    include_drafts: bool = False,
) -> Sheet:
    sheet = Sheet(header=META_HEADER, rows=[])
    display = urlparse(campaign.landing_url or "").netloc
    visuals = [c for c in creatives if c.kind in ("image", "video")]
    default_media: tuple[str, ExportAsset] | None = None
    for v in visuals:
        if _usable(v, include_drafts) is None:
            chosen = _pick(v.assets, v.kind)
            if chosen and chosen.bytes <= MAX_MEDIA_BYTES:
                default_media = (v.kind, chosen)
                break
    copy_texts = next(
        (
            c.content.get("primary_texts", [None])[0]
            for c in creatives
            if c.kind == "copy"
            and c.platform == "meta"
            and _usable(c, include_drafts) is None
            and c.content.get("primary_texts")
        ),
        None,
    )
    media_seen: dict[str, MediaFile] = {}

    def add_row(
        creative: ExportCreative,
        title: str,
        body: str,
        description: str,
        cta: str,
        media: tuple[str, ExportAsset],
    ) -> None:
        kind, asset = media
        name = media_name(asset)
        media_seen.setdefault(
            name, MediaFile(filename=name, storage_path=asset.storage_path, bytes=asset.bytes)
        )
        sheet.rows.append(
            [
                cell(campaign.name),
                cell(ad_set or campaign.name),
                cell(f"{campaign.name} {creative.kind} [ag:{creative.id}]"),
                cell(title),
                cell(body),
                cell(description),
                cell(display),
                cta,
                cell(campaign.landing_url),
                utm_suffix("meta", "paid_social", creative.id),
                name if kind == "image" else "",
                name if kind == "video" else "",
            ]
        )
        sheet.included.append(creative.id)

    for creative in creatives:
        reasons: list[str] = []
        if not campaign.landing_url:
            reasons.append("the campaign has no landing URL (Link is required)")
        if (why := _usable(creative, include_drafts)) is not None:
            reasons.append(why)
        if creative.kind == "copy":
            if creative.platform != Platform.META.value:
                reasons.append(f"not a Meta creative ({creative.platform})")
                sheet.excluded.append(Excluded(creative_id=creative.id, reasons=reasons))
                continue
            copy = CopySet(
                platform=Platform.META,
                headlines=list(creative.content.get("headlines") or []),
                descriptions=list(creative.content.get("descriptions") or []),
                primary_texts=list(creative.content.get("primary_texts") or []),
            )
            found = validate_copy_set(copy)
            reasons += [f"{v.field}: {v.message}" for v in found if v.severity is Severity.ERROR]
            title = copy.headlines[0] if copy.headlines else ""
            body = copy.primary_texts[0] if copy.primary_texts else ""
            description = copy.descriptions[0] if copy.descriptions else ""
            if default_media is None:
                reasons.append("a Meta ad needs an image or video: this campaign has none approved")
            media = default_media
            warnings = [f"{v.field}: {v.message}" for v in found if v.severity is Severity.WARNING]
            cta = "LEARN_MORE"
        else:
            title = str(creative.content.get("headline") or "")
            description = str(creative.content.get("description") or "")
            body = str(copy_texts or description)
            chosen = _pick(creative.assets, creative.kind)
            if chosen is None:
                reasons.append(f"no {creative.kind} file")
            elif chosen.bytes > MAX_MEDIA_BYTES:
                reasons.append(f"{creative.kind} {chosen.id} is over 30 MB")
            media = (creative.kind, chosen) if chosen else None
            warnings = []
            cta = call_to_action(str(creative.content.get("cta") or ""))
        if len(title) > MAX_TITLE or len(description) > MAX_TITLE:
            reasons.append("title or link description over 255 characters")
        if len(body) > MAX_BODY:
            reasons.append("body over 1024 characters")
        if not title:
            reasons.append("no title")
        if reasons or media is None:
            sheet.excluded.append(
                Excluded(creative_id=creative.id, reasons=reasons or ["no media"])
            )
            continue
        if warnings:
            sheet.warnings.append(Excluded(creative_id=creative.id, reasons=warnings))
        add_row(creative, title, body, description, cta, media)
    sheet.media = list(media_seen.values())
    return sheet

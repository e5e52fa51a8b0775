"""Google Ads Editor sheets: responsive search ads and Performance Max asset groups.

Editor's conventions (support.google.com/google-ads/editor/answer/57747): English headers (case
and spaces do not matter), one entity per row, a blank cell changes nothing and `[]` erases a
value. Every row carries the creative's identity: `utm_content=<creative id>` in the Final URL
suffix and `ag:<creative id>` in Labels (RSA) or the asset group name (PMax), so report rows map
back without guessing. Rows are checked with the same validators generation uses
(`generation.rules`), and anything invalid is left out with its reasons.
"""

from __future__ import annotations

import re

from adgenius.domain.brief import Platform
from adgenius.exports.sheets import (
    Excluded,
    ExportCampaign,
    ExportCreative,
    MediaFile,
    Sheet,
    cell,
    media_name,
    utm_suffix,
)
from adgenius.generation.copy_set import CopySet
from adgenius.generation.rules import errors, validate_copy_set

RSA_HEADLINES = 15
RSA_DESCRIPTIONS = 4
RSA_HEADER = [
    "Campaign",
    "Ad group",
    "Ad type",
    *[h for i in range(1, RSA_HEADLINES + 1) for h in (f"Headline {i}", f"Headline {i} position")],
    *[
        h
        for i in range(1, RSA_DESCRIPTIONS + 1)
        for h in (f"Description {i}", f"Description {i} position")
    ],
    "Path 1",
    "Path 2",
    "Final URL",
    "Final URL suffix",
    "Labels",
    "Status",
]

PMAX_HEADER = [
    "Campaign",
    "Asset group",
    *[f"Headline {i}" for i in range(1, 16)],
    *[f"Long headline {i}" for i in range(1, 6)],
    *[f"Description {i}" for i in range(1, 6)],
    "Business name",
    "Call to action",
    "Final URL",
    "Final URL suffix",
    "Asset group status",
    "Images",
]
PMAX_IMAGE_RATIOS = ("1.91:1", "1:1", "4:5")
PMAX_IMAGE_MAX_BYTES = 5120 * 1024
PMAX_MAX_IMAGES = 20
NEW_STATUS = "Paused"  # nothing goes live before a person enables it in Editor

_PIN = re.compile(r"^(headlines|descriptions)\[(\d+)\]$")


def label_for(creative_id: str) -> str:
    return f"ag:{creative_id}"


def _copy_set(platform: Platform, content: dict[str, object]) -> CopySet:
    def texts(name: str) -> list[str]:
        value = content.get(name) or []
        return [str(v) for v in value] if isinstance(value, list) else []

    pins = content.get("pins") or {}
    return CopySet(
        platform=platform,
        headlines=texts("headlines"),
        descriptions=texts("descriptions"),
        paths=texts("paths"),
        long_headlines=texts("long_headlines"),
        business_name=texts("business_name"),
        pins={str(k): str(v) for k, v in pins.items()} if isinstance(pins, dict) else {},
    )


def _violations(copy: CopySet) -> list[str]:
    found = errors(validate_copy_set(copy))
    return [f"{v.field}: {v.message}" for v in found]


def _common_exclusions(
    campaign: ExportCampaign, creative: ExportCreative, platform: Platform, include_drafts: bool
) -> list[str]:
    reasons = []
    if creative.kind != "copy" or creative.platform != platform.value:
        reasons.append(
            f"not a {platform.value} copy creative ({creative.kind}, {creative.platform})"
        )
    if creative.status == "archived" or creative.status == "rejected":
        reasons.append(f"{creative.status}")
    elif creative.status != "approved" and not include_drafts:
        reasons.append(f"not approved ({creative.status})")
    if not campaign.landing_url:
        reasons.append("the campaign has no landing URL (Final URL is required)")
    return reasons


def rsa_sheet(
    campaign: ExportCampaign,
    creatives: list[ExportCreative],
    *,
    ad_group: str | None = None,
    include_drafts: bool = False,
) -> Sheet:
    sheet = Sheet(header=RSA_HEADER, rows=[])
    for creative in creatives:
        reasons = _common_exclusions(campaign, creative, Platform.GOOGLE_RSA, include_drafts)
        copy = _copy_set(Platform.GOOGLE_RSA, creative.content)
        if not reasons:
            reasons = _violations(copy)
        if reasons:
            sheet.excluded.append(Excluded(creative_id=creative.id, reasons=reasons))
            continue
        if any(cell(t) != t.strip() for t in (*copy.headlines, *copy.descriptions, *copy.paths)):
            # cleaned into spaces below; say so rather than change text silently
            sheet.warnings.append(
                Excluded(creative_id=creative.id, reasons=["line breaks or tabs became spaces"])
            )
        positions: dict[tuple[str, int], str] = {}
        for path, pin in copy.pins.items():
            m = _PIN.match(path)
            if m:
                positions[(m.group(1), int(m.group(2)))] = pin[1:]  # "H2" -> "2", "D1" -> "1"
        row = [cell(campaign.name), cell(ad_group or campaign.name), "Responsive search ad"]
        for i in range(RSA_HEADLINES):
            text = copy.headlines[i] if i < len(copy.headlines) else ""
            row += [cell(text), positions.get(("headlines", i), "") if text else ""]
        for i in range(RSA_DESCRIPTIONS):
            text = copy.descriptions[i] if i < len(copy.descriptions) else ""
            row += [cell(text), positions.get(("descriptions", i), "") if text else ""]
        paths = [*copy.paths, "", ""][:2]
        row += [
            cell(paths[0]),
            cell(paths[1]),
            cell(campaign.landing_url),
            utm_suffix("google", "cpc", creative.id),
            label_for(creative.id),
            NEW_STATUS,
        ]
        sheet.rows.append(row)
        sheet.included.append(creative.id)
    return sheet


def _pmax_images(
    images: list[ExportCreative], include_drafts: bool, sheet: Sheet
) -> list[MediaFile]:
    files: list[MediaFile] = []
    for creative in images:
        if creative.kind != "image":
            continue
        if creative.status != "approved" and not (include_drafts and creative.status == "draft"):
            sheet.excluded.append(
                Excluded(
                    creative_id=creative.id, reasons=[f"image not approved ({creative.status})"]
                )
            )
            continue
        usable = [a for a in creative.assets if a.kind == "image" and a.ratio in PMAX_IMAGE_RATIOS]
        too_big = [a for a in usable if a.bytes > PMAX_IMAGE_MAX_BYTES]
        if too_big:
            sheet.excluded.append(
                Excluded(
                    creative_id=creative.id,
                    reasons=[
                        f"image {a.id} is over 5120 KB (Performance Max limit)" for a in too_big
                    ],
                )
            )
        usable = [a for a in usable if a.bytes <= PMAX_IMAGE_MAX_BYTES]
        if not usable and not too_big:
            sheet.excluded.append(
                Excluded(
                    creative_id=creative.id,
                    reasons=["no image in a Performance Max ratio (1.91:1, 1:1, 4:5)"],
                )
            )
        for asset in usable:
            files.append(
                MediaFile(
                    filename=media_name(asset), storage_path=asset.storage_path, bytes=asset.bytes
                )
            )
    if len(files) > PMAX_MAX_IMAGES:
        files = files[:PMAX_MAX_IMAGES]
    return files


def pmax_sheet(
    campaign: ExportCampaign,
    creatives: list[ExportCreative],
    *,
    include_drafts: bool = False,
) -> Sheet:
    """One asset group per PMax copy creative; the campaign's images go with every group, as
    files in the ZIP whose names the `Images` column lists (Editor does not import images from
    a sheet: add them in Editor's asset group view from the ZIP)."""
    sheet = Sheet(header=PMAX_HEADER, rows=[])
    copies = [c for c in creatives if c.kind == "copy"]
    images = _pmax_images([c for c in creatives if c.kind != "copy"], include_drafts, sheet)
    sheet.media = images
    for creative in copies:
        reasons = _common_exclusions(campaign, creative, Platform.GOOGLE_PMAX, include_drafts)
        copy = _copy_set(Platform.GOOGLE_PMAX, creative.content)
        if not reasons:
            reasons = _violations(copy)
        if reasons:
            sheet.excluded.append(Excluded(creative_id=creative.id, reasons=reasons))
            continue
        if not images:
            sheet.warnings.append(
                Excluded(creative_id=creative.id, reasons=["no images: add some in Editor"])
            )
        row = [cell(campaign.name), cell(f"{campaign.name} [{label_for(creative.id)}]")]
        row += [cell(t) for t in [*copy.headlines, *[""] * 15][:15]]
        row += [cell(t) for t in [*copy.long_headlines, *[""] * 5][:5]]
        row += [cell(t) for t in [*copy.descriptions, *[""] * 5][:5]]
        row += [
            cell(copy.business_name[0] if copy.business_name else ""),
            "Automated",
            cell(campaign.landing_url),
            utm_suffix("google", "pmax", creative.id),
            NEW_STATUS,
            ";".join(f.filename for f in images),
        ]
        sheet.rows.append(row)
        sheet.included.append(creative.id)
    return sheet

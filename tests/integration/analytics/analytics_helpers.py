"""Workspaces with creatives whose texts we know, API keys, and waiting for imports."""

from __future__ import annotations

import io
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain.creatives import (
    Asset,
    Creative,
    CreativeKind,
    CreativeStatus,
    save_creative_with_assets,
)
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.tenancy.store import new_id, now


@dataclass
class Shop:
    ws: Workspace
    key: str  # an API key with metrics:write
    rsa: list[str] = field(default_factory=list)  # copy creatives (google_rsa)
    meta_copy: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # image creatives
    image_assets: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # creative -> headlines

    def post_metrics(self, rows: list[dict[str, Any]]) -> httpx.Response:
        return httpx.post(
            f"{self.ws.v1}/metrics",
            json={"rows": rows},
            headers={"X-API-Key": self.key},
            timeout=60,
        )

    def performance(self, creative_id: str, **params: str) -> dict[str, Any]:
        r = self.ws.call("GET", f"/creatives/{creative_id}/performance", params=params)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def campaign_performance(self) -> dict[str, Any]:
        r = self.ws.call("GET", f"/campaigns/{self.ws.campaign_id}/performance")
        assert r.status_code == 200, r.text
        return dict(r.json())

    def upload(self, data: bytes, **params: str) -> dict[str, Any]:
        r = httpx.post(
            f"{self.ws.v1}/metrics/imports",
            content=data,
            params=params,
            headers={**self.ws.user.bearer, "Content-Type": "text/csv"},
            timeout=60,
        )
        assert r.status_code == 202, r.text
        return dict(r.json())

    def wait_import(self, import_id: str, timeout_s: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            r = self.ws.call("GET", f"/metrics/imports/{import_id}")
            assert r.status_code == 200, r.text
            doc = dict(r.json())
            if doc["status"] in ("succeeded", "failed"):
                return doc
            time.sleep(0.1)
        raise TimeoutError(f"import {import_id} did not finish: {doc}")


def png(color: str = "orange", size: tuple[int, int] = (120, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


RSA_HEADLINES = [
    ["Trail shoes that grip", "Light on rocky paths", "Free returns for 30 days"],
    ["Run the ridge in comfort", "Made for wet descents", "Recycled upper, 220 g"],
]
RSA_DESCRIPTIONS = [
    ["Grippy soles for muddy trails. Order today and run this weekend.", "Terms apply."],
    ["Cushioned for long days out. Free returns within 30 days.", "Terms apply."],
]


def make_shop(stack: StackInfo, label: str = "shop") -> Shop:
    ws = create_workspace(
        stack,
        campaign={
            "name": f"{label} spring",
            "objective": "sales",
            "offer": "Trail shoes",
            "landing_url": "https://example.com/trail",
            "platforms": ["google_rsa", "meta", "google_pmax"],
            "languages": ["en"],
        },
    )
    r = ws.call("POST", "/api-keys", json={"name": "metrics", "scopes": ["metrics:write"]})
    assert r.status_code == 201, r.text
    shop = Shop(ws=ws, key=r.json()["key"])
    stamp = now()

    def creative(kind: CreativeKind, platform: str, content: dict[str, Any]) -> Creative:
        return Creative(
            id=new_id(),
            tenant_id=ws.tenant_id,
            brand_id=ws.brand_id,
            campaign_id=ws.campaign_id,
            kind=kind,
            platform=platform,
            status=CreativeStatus.APPROVED,
            content=content,
            engine="local",
            model="test",
            prompt_version="test@v1",
            created_at=stamp,
            updated_at=stamp,
        )

    # Texts unique per workspace (text matching must not cross them); digits, because a hex tag
    # can read as a number used as a word ("0aaa"), a policy error that keeps a line from export.
    tag = f"{uuid.uuid4().int % 10_000:04d}"
    for i, (base, descs) in enumerate(zip(RSA_HEADLINES, RSA_DESCRIPTIONS, strict=True)):
        heads = [f"{h} {tag}" for h in base]
        c = creative(
            CreativeKind.COPY,
            "google_rsa",
            {
                "headlines": [f"{h}" for h in heads],
                "descriptions": descs,
                "paths": ["trail", f"shoes{i}"],
                "pins": {"headlines[0]": "H1", "descriptions[1]": "D2"},
            },
        )
        save_creative_with_assets(c, [])
        shop.rsa.append(c.id)
        shop.texts[c.id] = heads
    c = creative(
        CreativeKind.COPY,
        "meta",
        {
            "primary_texts": ["Grip where it matters. Trail shoes built for mud. Terms apply."],
            "headlines": ["Trail shoes, built for mud"],
            "descriptions": ["Free returns"],
        },
    )
    save_creative_with_assets(c, [])
    shop.meta_copy.append(c.id)
    img = creative(
        CreativeKind.IMAGE,
        "meta",
        {"headline": "Grip on every trail", "description": "Free returns", "cta": "Shop now"},
    )
    asset_id = f"{img.id}-a{uuid.uuid4().hex[:6]}"
    path = tenant_path(ws.tenant_id, "creatives", img.id, "1x1.png")
    data = png()
    blob_store().put(path, data, "image/png")
    save_creative_with_assets(
        img,
        [
            Asset(
                id=asset_id,
                tenant_id=ws.tenant_id,
                creative_id=img.id,
                brand_id=ws.brand_id,
                kind=CreativeKind.IMAGE,
                ratio="1:1",
                width=120,
                height=120,
                storage_path=path,
                content_type="image/png",
                bytes=len(data),
            )
        ],
    )
    shop.images.append(img.id)
    shop.image_assets.append(asset_id)
    return shop


def group(perf: dict[str, Any], platform: str) -> dict[str, Any]:
    (g,) = [t for t in perf["totals"] if t["platform"] == platform]
    return g

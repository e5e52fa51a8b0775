"""What a job works from: its campaign, brand kit and logo, read server-side (no principal)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from adgenius.cloud.storage import blob_store
from adgenius.domain.brand_assets import BrandAsset, usable_assets
from adgenius.domain.brands import Brand
from adgenius.domain.brief import BrandKit, CopyBrief
from adgenius.domain.campaigns import Campaign
from adgenius.tenancy import store as tenancy_store


@dataclass
class JobContext:
    campaign: Campaign
    brand: Brand
    _logo: list[bytes | None] = field(default_factory=list, repr=False)
    _assets: list[list[BrandAsset]] = field(default_factory=list, repr=False)
    _files: dict[str, bytes | None] = field(default_factory=dict, repr=False)

    @property
    def kit(self) -> BrandKit:
        return self.brand.to_generation_kit()

    def brief(self, language: str | None = None) -> CopyBrief:
        lang = language or (self.campaign.languages[0] if self.campaign.languages else "en")
        return self.campaign.brief(language=lang)

    @property
    def palette(self) -> list[str]:
        colors = [
            c if len(c) == 7 else "#" + "".join(ch * 2 for ch in c[1:]) for c in self.kit.colors
        ]
        return colors or ["#1A73E8", "#FFFFFF", "#202124"]

    def logo(self) -> bytes | None:
        if not self._logo:
            self._logo.append(self._fetch_logo())
        return self._logo[0]

    def brand_assets(self) -> list[BrandAsset]:
        """The brand's pictures generation may use (expired licences already left out)."""
        if not self._assets:
            self._assets.append(usable_assets(self.brand.tenant_id, self.brand.id))
        return self._assets[0]

    def asset_file(self, asset: BrandAsset) -> bytes | None:
        if asset.id not in self._files:
            try:
                self._files[asset.id] = blob_store().get(asset.storage_path)
            except Exception:  # deleted meanwhile: the creative is made without it
                self._files[asset.id] = None
        return self._files[asset.id]

    def asset_thumbnail(self, asset: BrandAsset) -> bytes | None:
        """The picture's small copy (what image embeddings read), else the picture itself."""
        key = f"{asset.id}#thumbnail"
        if key not in self._files:
            try:
                self._files[key] = blob_store().get(asset.thumbnail_path)
            except Exception:
                self._files[key] = None
        return self._files[key] or self.asset_file(asset)

    def _fetch_logo(self) -> bytes | None:
        if not self.brand.logo_path:
            return None
        try:
            return blob_store().get(self.brand.logo_path)
        except Exception:
            return None  # a missing logo must not fail a creative


def read_context(tenant_id: str, campaign_id: str) -> JobContext:
    campaign = Campaign(
        **tenancy_store.data_with_id(
            tenancy_store.get_in_tenant(tenant_id, tenancy_store.CAMPAIGNS, campaign_id)
        )
    )
    brand = Brand(
        **tenancy_store.data_with_id(
            tenancy_store.get_in_tenant(tenant_id, tenancy_store.BRANDS, campaign.brand_id)
        )
    )
    return JobContext(campaign=campaign, brand=brand)


# Items of one job run back to back on an instance: reading the campaign, brand and logo once per
# half minute instead of once per item removes a good part of the per-item overhead.
CONTEXT_TTL_S = 30.0
_cache: dict[tuple[str, str], tuple[float, JobContext]] = {}
_cache_lock = threading.Lock()


def load_context(tenant_id: str, campaign_id: str) -> JobContext:
    key = (tenant_id, campaign_id)
    with _cache_lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < CONTEXT_TTL_S:
            return hit[1]
    ctx = read_context(tenant_id, campaign_id)
    with _cache_lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = (time.monotonic(), ctx)
    return ctx

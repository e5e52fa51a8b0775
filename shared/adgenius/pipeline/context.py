"""What a job works from: its campaign, brand kit and logo, read server-side (no principal)."""

from __future__ import annotations

from dataclasses import dataclass

from adgenius.cloud.storage import blob_store
from adgenius.generation.brief import BrandKit, CopyBrief
from adgenius.tenancy import store as tenancy_store
from adgenius.tenancy.brands import Brand
from adgenius.tenancy.campaigns import Campaign


@dataclass
class JobContext:
    campaign: Campaign
    brand: Brand

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
        if not self.brand.logo_path:
            return None
        try:
            return blob_store().get(self.brand.logo_path)
        except Exception:
            return None


def load_context(tenant_id: str, campaign_id: str) -> JobContext:
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

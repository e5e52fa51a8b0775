"""Ad policy compliance: the rules, checking any copy, and a campaign's compliance summary."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from adgenius.api.routing import Call, Router
from adgenius.domain.brief import SUPPORTED_LANGUAGES, Platform, ShortText
from adgenius.generation.compliance import CampaignCompliance, campaign_compliance
from adgenius.generation.copy_set import CopySet
from adgenius.generation.policy import RULES, PolicyContext, check_text, served_text
from adgenius.generation.policy.summary import ComplianceSummary, summarize
from adgenius.generation.rules import Violation, validate_lengths
from adgenius.tenancy import store
from adgenius.tenancy.roles import Permission

router = Router(tag="copy")

AdText = Annotated[str, StringConstraints(max_length=500)]
Items = Annotated[list[AdText], Field(default_factory=list, max_length=20)]


class PolicyRuleOut(BaseModel):
    id: str
    platform_family: str
    severity: str
    title: str
    summary: str
    source: str


class PolicyRules(BaseModel):
    rules: list[PolicyRuleOut]


class CopyValidateRequest(store.StrictModel):
    platform: Platform
    language: str = Field(default="en", description="Language of the text (rules per language).")
    headlines: Items
    descriptions: Items
    paths: Items
    long_headlines: Items
    business_name: Items
    primary_texts: Items
    pins: dict[str, str] = Field(default_factory=dict, max_length=20)
    brand_terms: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="Brand names and acronyms allowed in their own capitalisation ('IKEA').",
    )
    substantiated_claims: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="Claims with third-party verification ('#1 rated by J.D. Power 2025').",
    )

    @field_validator("language")
    @classmethod
    def _supported(cls, value: str) -> str:
        primary = value.strip().lower()[:2]
        if primary not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language {value!r}; supported: {SUPPORTED_LANGUAGES}")
        return primary


class CopyValidation(BaseModel):
    violations: list[Violation] = Field(
        description="Each violation at its span of the text as sent (Unicode code points)."
    )
    compliance: ComplianceSummary
    served: dict[str, list[str]] = Field(
        description="Per field, the text as it serves by default (dynamic text replaced by its "
        "default): what the length rules measured."
    )


@router.get("/v1/copy/policies", permission=Permission.CAMPAIGNS_READ, response=PolicyRules)
def list_policies(call: Call) -> PolicyRules:
    """Every policy rule the copy validator applies, with its severity and source page."""
    return PolicyRules(
        rules=[
            PolicyRuleOut(
                id=r.id,
                platform_family=r.family.value,
                severity=r.severity,
                title=r.title,
                summary=r.summary,
                source=r.source,
            )
            for r in RULES.values()
        ]
    )


@router.post(
    "/v1/copy/validate",
    permission=Permission.CAMPAIGNS_READ,
    body=CopyValidateRequest,
    response=CopyValidation,
)
def validate_copy(call: Call) -> CopyValidation:
    """Check ad text against the platform's length and editorial policy rules."""
    body: CopyValidateRequest = call.body
    copy = CopySet.model_validate(
        body.model_dump(exclude={"language", "brand_terms", "substantiated_claims"})
    )
    ctx = PolicyContext(
        language=body.language,
        brand_terms=frozenset(w for t in body.brand_terms for w in t.split()),
        substantiation=tuple(c.casefold() for c in body.substantiated_claims),
    )
    violations = validate_lengths(copy)
    served: dict[str, list[str]] = {}
    for name in (
        "headlines",
        "descriptions",
        "paths",
        "long_headlines",
        "business_name",
        "primary_texts",
    ):
        items = copy.items(name)
        if items:
            served[name] = [served_text(t, body.language) for t in items]
        for i, text in enumerate(items):
            if text.strip():
                violations.extend(check_text(text, f"{name}[{i}]", copy.platform, ctx))
    return CopyValidation(violations=violations, compliance=summarize(violations), served=served)


@router.get(
    "/v1/campaigns/<campaign_id>/compliance",
    permission=Permission.CAMPAIGNS_READ,
    response=CampaignCompliance,
)
def get_campaign_compliance(call: Call) -> CampaignCompliance:
    """Policy compliance of the campaign's copy creatives: per creative and in total."""
    return campaign_compliance(call.tenant_id, call.params["campaign_id"], call.user)

"""The policy rules: one entry per documented platform policy, with the page it comes from.

A rule id names the platform family and the policy (``google.punctuation.repeated``). The
registry is what the README table, the API (``GET /v1/copy/policies``) and the web app show; the
checks themselves live in one small module per rule family (``google_editorial``, ``claims``,
``dynamic_text``, ``meta``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from adgenius.domain.brief import Platform


class Family(StrEnum):
    GOOGLE = "google"
    META = "meta"


GOOGLE_PLATFORMS = frozenset({Platform.GOOGLE_RSA, Platform.GOOGLE_PMAX})


def family_of(platform: Platform | str) -> Family:
    return Family.META if Platform(platform) is Platform.META else Family.GOOGLE


# Policy pages (read Nov 2026 through the search tool's copies of support.google.com and
# facebook.com / transparency.meta.com).
G_PUNCTUATION = "https://support.google.com/adspolicy/answer/14847994"
G_CAPITALIZATION = "https://support.google.com/adspolicy/answer/14848295"
G_SPACING = "https://support.google.com/adspolicy/answer/14848500"
G_STYLE = "https://support.google.com/adspolicy/answer/14848297"
G_EDITORIAL_OLD = "https://support.google.com/adwordspolicy/answer/176095"
G_EDITORIAL = "https://support.google.com/adspolicy/answer/1310892"
G_CLAIMS = "https://support.google.com/adwordspolicy/answer/1331529"
G_KEYWORD_INSERTION = "https://support.google.com/google-ads/answer/6371157"
G_COUNTDOWN = "https://support.google.com/google-ads/answer/6193743"
G_CUSTOMIZERS = (
    "https://developers.google.com/google-ads/api/docs/ads/customize-responsive-search-ads"
)
G_BUSINESS_NAME = "https://support.google.com/adspolicy/answer/6130299"
G_RSA_PATHS = "https://support.google.com/google-ads/answer/7684791"
META_PERSONAL = (
    "https://transparency.meta.com/policies/ad-standards/objectionable-content/personal-attributes"
)
META_PERSONAL_HELP = "https://www.facebook.com/business/help/2557868957763449"
META_SPECIAL = "https://www.facebook.com/business/help/298000447747885"
META_ADS_GUIDE = "https://www.facebook.com/business/ads-guide"


@dataclass(frozen=True)
class Rule:
    id: str
    family: Family
    severity: str  # "error" (the platform disapproves) or "warning" (review risk)
    title: str
    source: str
    summary: str  # what the page says, in one line (the README table and the API show it)


_RULES = [
    # -- Google: punctuation and symbols -------------------------------------------------------
    Rule(
        "google.punctuation.repeated",
        Family.GOOGLE,
        "error",
        "Repeated punctuation or symbols",
        G_PUNCTUATION,
        'Punctuation or symbols repeated consecutively, e.g. "flowers!!", "$$$".',
    ),
    Rule(
        "google.punctuation.exclamation_headline",
        Family.GOOGLE,
        "error",
        "Exclamation mark in a headline",
        G_EDITORIAL_OLD,
        'Editorial standards: no "!" in the headline ("Big Sale On Now!" is not allowed).',
    ),
    Rule(
        "google.punctuation.exclamation_count",
        Family.GOOGLE,
        "error",
        "More than one exclamation mark",
        G_EDITORIAL_OLD,
        'Only one "!" per ad: a text with two is disapproved.',
    ),
    Rule(
        "google.punctuation.ellipsis",
        Family.GOOGLE,
        "warning",
        "Ellipsis",
        G_EDITORIAL_OLD,
        "Editorial standards list ellipses as non-standard punctuation.",
    ),
    Rule(
        "google.punctuation.gimmicky",
        Family.GOOGLE,
        "error",
        "Gimmicky punctuation",
        G_PUNCTUATION,
        'Excessive or gimmicky use of punctuation, e.g. "F.L.O.W.E.R.S.", "()()()".',
    ),
    Rule(
        "google.symbols.substitution",
        Family.GOOGLE,
        "error",
        "Symbols, numbers or letters not used for their meaning",
        G_PUNCTUATION,
        'e.g. "f1owers", "fl@wers", "fr33", "4 sale", a "$" standing for "price".',
    ),
    Rule(
        "google.symbols.decorative",
        Family.GOOGLE,
        "error",
        "Non-standard symbols or bullets",
        G_PUNCTUATION,
        'Bullets or asterisks as decoration, e.g. "*flowers*", "• Free"; '
        '"5* hotel" and an asterisk pointing to conditions are allowed.',
    ),
    Rule(
        "google.symbols.superscript",
        Family.GOOGLE,
        "error",
        "Non-standard superscripts",
        G_PUNCTUATION,
        "Non-standard use of superscripts (™ ® © are standard).",
    ),
    Rule(
        "google.symbols.unsupported",
        Family.GOOGLE,
        "error",
        "Unsupported characters",
        G_PUNCTUATION,
        "Invalid or unsupported characters: emoji, single-byte katakana, control characters.",
    ),
    # -- Google: capitalisation, spacing, style -------------------------------------------------
    Rule(
        "google.capitalization.excessive",
        Family.GOOGLE,
        "error",
        "Excessive capitalisation",
        G_CAPITALIZATION,
        '"FLOWERS", "FREE SHIPPING" are not allowed; common abbreviations '
        '("ASAP"), coupon codes and the brand kit\'s names and acronyms are.',
    ),
    Rule(
        "google.capitalization.gimmicky",
        Family.GOOGLE,
        "error",
        "Gimmicky capitalisation",
        G_CAPITALIZATION,
        '"FlOwErS": capitals inside words; brand names are allowed.',
    ),
    Rule(
        "google.spacing.missing",
        Family.GOOGLE,
        "error",
        "Missing space",
        G_SPACING,
        'Omitting a space, e.g. "Sale,buy flowers".',
    ),
    Rule(
        "google.spacing.excessive",
        Family.GOOGLE,
        "error",
        "Extra or gimmicky spacing",
        G_SPACING,
        'Extra spaces or gimmicky spacing, e.g. "f l o w e r s", "Buy  now", "sale ,".',
    ),
    Rule(
        "google.phone_number",
        Family.GOOGLE,
        "error",
        "Phone number in ad text",
        G_EDITORIAL,
        "Phone numbers are not allowed in ad text; use a call asset instead.",
    ),
    Rule(
        "google.url_in_text",
        Family.GOOGLE,
        "warning",
        "URL or e-mail in ad text",
        G_EDITORIAL,
        "The destination belongs in the final URL and display paths; a domain in the text that "
        "does not match the destination is disapproved.",
    ),
    Rule(
        "google.repetition",
        Family.GOOGLE,
        "error",
        "Gimmicky repetition",
        G_EDITORIAL_OLD,
        'Unnecessary repetition of words or phrases, e.g. "Deals, Deals, Deals".',
    ),
    Rule(
        "google.style.generic_cta",
        Family.GOOGLE,
        "error",
        "Generic call to action",
        G_STYLE,
        'A call to action like "click here" that could apply to any ad.',
    ),
    Rule(
        "google.style.list",
        Family.GOOGLE,
        "error",
        "Bullet points or numbered list",
        G_STYLE,
        "Ads that use bullet points or numbered lists.",
    ),
    Rule(
        "google.style.incomplete",
        Family.GOOGLE,
        "error",
        "Cut off or incomplete text",
        G_STYLE,
        "Ad text that is cut off or incomplete (a dangling article, conjunction or "
        "comma, a trailing ellipsis, an unclosed bracket).",
    ),
    Rule(
        "google.claims.superlative",
        Family.GOOGLE,
        "warning",
        "Unverified superlative or comparative",
        G_CLAIMS,
        'Superlatives such as "best" or "#1" need third-party '
        "verification on the site; the brief can supply the substantiation.",
    ),
    Rule(
        "google.claims.superlative_zh",
        Family.GOOGLE,
        "error",
        "Superlative in Chinese ad text",
        G_CLAIMS,
        "China: superlatives such as 最好, 最佳, 第一, 顶级 are not allowed.",
    ),
    Rule(
        "google.business_name.promotional",
        Family.GOOGLE,
        "error",
        "Promotional business name",
        G_BUSINESS_NAME,
        'Promotional language in the business name field, e.g. "Buy Acme Shoes".',
    ),
    Rule(
        "google.path.characters",
        Family.GOOGLE,
        "error",
        "Invalid display path",
        G_RSA_PATHS,
        'A display path cannot contain "/", spaces or line breaks.',
    ),
    # -- Google: dynamic text -------------------------------------------------------------------
    Rule(
        "google.dynamic.syntax",
        Family.GOOGLE,
        "error",
        "Malformed dynamic text",
        G_KEYWORD_INSERTION,
        "{KeyWord:default}, {CUSTOMIZER.attr:default}, "
        "{LOCATION(City):default} need a default text; COUNTDOWN needs a valid end date.",
    ),
    Rule(
        "google.dynamic.unsupported",
        Family.GOOGLE,
        "error",
        "Dynamic text not supported here",
        G_CUSTOMIZERS,
        "Keyword insertion and customizers serve in search ads (RSA) only.",
    ),
    Rule(
        "google.dynamic.keyword_caps",
        Family.GOOGLE,
        "warning",
        "Keyword inserted in capitals",
        G_KEYWORD_INSERTION,
        "{KEYWORD:...} inserts the keyword in capitals: excessive capitalisation when it serves.",
    ),
    # -- Meta -----------------------------------------------------------------------------------
    Rule(
        "meta.personal_attributes",
        Family.META,
        "error",
        "Personal attributes",
        META_PERSONAL,
        "Ads must not assert or imply the viewer's race, religion, age, health, sexual "
        'orientation, financial status... ("Are you overweight?", "Meet other Jewish singles").',
    ),
    Rule(
        "meta.special_ad_category.credit",
        Family.META,
        "warning",
        "Special ad category: credit",
        META_SPECIAL,
        "Credit offers (cards, loans, mortgages, financing) must be declared as a special ad "
        "category.",
    ),
    Rule(
        "meta.special_ad_category.employment",
        Family.META,
        "warning",
        "Special ad category: employment",
        META_SPECIAL,
        "Job offers, internships, job boards must be declared as a special ad category.",
    ),
    Rule(
        "meta.special_ad_category.housing",
        Family.META,
        "warning",
        "Special ad category: housing",
        META_SPECIAL,
        "Home sales and rentals, home insurance, mortgages must be declared as a special ad "
        "category.",
    ),
    Rule(
        "meta.special_ad_category.social_issues",
        Family.META,
        "warning",
        "Special ad category: social issues, elections or politics",
        META_SPECIAL,
        'Ads about elections, politics or social issues need authorisation and "Paid for by".',
    ),
    Rule(
        "meta.truncation.reels",
        Family.META,
        "warning",
        "Truncated on Reels",
        META_ADS_GUIDE,
        'Primary text over 72 characters is cut behind "See more" on Reels.',
    ),
    Rule(
        "meta.dynamic.unsupported",
        Family.META,
        "error",
        "Google dynamic text on Meta",
        META_ADS_GUIDE,
        "Meta does not expand {KeyWord:...} or customizers: the braces would show as typed.",
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rules_for(platform: Platform | str) -> list[Rule]:
    family = family_of(platform)
    return [r for r in _RULES if r.family is family]

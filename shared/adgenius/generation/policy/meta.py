"""Meta advertising standards: personal attributes, special ad categories, Reels truncation.

Personal attributes (transparency.meta.com ... /personal-attributes): ads must not assert or
imply the viewer's race, ethnicity, religion, beliefs, age, sexual orientation, gender identity,
disability, physical or mental health, vulnerable financial status, voting status, trade union
membership, criminal record or name, nor ask about them. "You" without an attribute is fine, and
so is a passing reference to an age group ("for runners over 50").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adgenius.text_length import graphemes

from .base import Finding

_ATTR = (
    r"(?:over|under|too)weight|fat|obese|diabetic|depressed|anxious|bipolar|autistic|disabled|"
    r"handicapped|pregnant|infertile|gay|lesbian|bisexual|trans(?:gender)?|queer|christian|"
    r"muslim|jewish|hindu|buddhist|catholic|mormon|atheist|black|asian|latin[oa]|hispanic|"
    r"african[- ]american|single|divorced|widowed|in debt|broke|bankrupt|poor|unemployed|"
    r"homeless|over \d{2}|in your \d0s|a senior|elderly|balding|bald|addicted|an addict|"
    r"alcoholic|sick|ill|hiv[- ]positive|struggling with \w+|suffering from \w+|a (?:democrat|"
    r"republican|union member|felon|convict|registered voter)|registered to vote"
)
_CONDITION = (
    r"diabetes|depression|anxiety|disability|illness|cancer|debts?|bankruptcy|bad credit|"
    r"credit score|criminal record|religion|faith|sexual orientation|sexuality|race|ethnicity|"
    r"weight(?: problem)?|obesity|addiction|hair loss|eczema|psoriasis|acne|"
    r"erectile dysfunction|hiv|arthritis|adhd|migraines?|infertility|divorce|pregnancy|"
    r"voting status|immigration status"
)
_GROUP = (
    r"christian|muslim|jewish|hindu|buddhist|catholic|gay|lesbian|black|asian|latino|senior|"
    r"divorced|single|overweight|disabled|plus-size"
)
_PATTERNS = [
    rf"\b(?:are|r) (?:you|u) (?:still |also |currently |really )?(?:{_ATTR})\b",
    rf"\b(?:you'?re|you are|as an?) (?:still |also )?(?:{_ATTR})\b",
    rf"\b(?:do|did) you (?:have|suffer from|struggle with) (?:{_CONDITION})\b",
    rf"\b(?:struggling|suffering|living|dealing) with (?:your )?(?:{_CONDITION})\s*\?",
    rf"\byour (?:{_CONDITION})\b",
    rf"\bmeet (?:other )?(?:{_GROUP})s? (?:singles|men|women|people|moms|dads)\b",
    r"\b(?:other|fellow) (?:\w+ )?(?:singles|men|women|people|moms|dads|seniors|believers)"
    r" like you\b",
    r"\bsingles like you\b",
    rf"\b(?:tired|sick) of being (?:{_ATTR})\b",
    rf"(?:^|[.!?]\s+)(?:still )?(?:{_ATTR})\s*\?",
    rf"\b(?:got|have|with) (?:{_CONDITION})\s*\?",
    r"\bpeople like you who\b",
    r"\b(?:just turned|turning) \d{2}\b",
    r"\bhave you been diagnosed\b",
    r"¿(?:tienes|sufres de|eres|estás) (?:sobrepeso|diabetes|depresión|deudas|gay|solter[oa]|"
    r"cristian[oa]|musulm[aá]n[a]?|judí[oa]|divorciad[oa]|obes[oa]|embarazada)",
    r"\b(?:êtes-vous|es-tu|vous êtes|tu es) (?:en surpoids|obèse|diabétique|déprimée?|gay|"
    r"célibataire|endettée?|musulmane?|juive?|chrétienne?|divorcée?|enceinte)",
    r"\b(?:sind sie|bist du) (?:übergewichtig|diabetiker(?:in)?|depressiv|schwul|lesbisch|"
    r"single|verschuldet|muslim(?:in)?|jüdisch|christ(?:in)?|geschieden|schwanger)",
    r"\bvocê (?:está|é|tem) (?:acima do peso|obes[oa]|diabétic[oa]|deprimid[oa]|gay|"
    r"solteir[oa]|endividad[oa]|grávida|divorciad[oa])",
    r"\b(?:sei|è) (?:in sovrappeso|sovrappeso|diabetic[oa]|depress[oa]|gay|single|"
    r"indebitat[oa]|incinta|divorziat[oa])",
    r"(?:あなたは|あなたも)(?:太って|肥満|糖尿病|うつ|借金|独身|ゲイ)",
    r"你(?:是不是|是否)?(?:太胖|肥胖|有糖尿病|抑郁|负债|单身|同性恋)",
]
_PERSONAL = re.compile("|".join(_PATTERNS), re.I)

_CATEGORIES: dict[str, list[str]] = {
    "credit": [
        r"loans?",
        r"credit cards?",
        r"pre-?approved",
        r"pre-?approval",
        r"debt consolidation",
        r"consolidat\w*",
        r"mortgages?",
        r"financing",
        r"refinanc\w*",
        r"apr",
        r"0\s?% interest",
        r"interest[- ]free",
        r"pay later",
        r"buy now,? pay later",
        r"line of credit",
        r"credit line",
        r"payday",
        r"cash advance",
        r"pr[ée]stamos?",
        r"tarjetas? de cr[ée]dito",
        r"hipotecas?",
        r"financiaci[oó]n",
        r"pr[eê]ts?",
        r"cr[ée]dit immobilier",
        r"carte de cr[ée]dit",
        r"kredit\w*",
        r"darlehen",
        r"finanzierung",
        r"empr[eé]stimos?",
        r"cart[aã]o de cr[eé]dito",
        r"financiamento",
        r"prestiti?",
        r"mutu[oi]",
        r"finanziament\w+",
        r"ローン",
        r"融資",
        r"クレジットカード",
        r"贷款",
        r"信用卡",
        r"分期",
    ],
    "employment": [
        r"we'?re hiring",
        r"now hiring",
        r"hiring",
        r"job openings?",
        r"jobs?",
        r"careers?",
        r"vacanc(?:y|ies)",
        r"apply (?:now|today) (?:for|to join)",
        r"join our team",
        r"internships?",
        r"recruit\w*",
        r"salary",
        r"empleos?",
        r"trabajos?",
        r"vacantes?",
        r"emplois?",
        r"recrut\w+",
        r"offres? d'emploi",
        r"stellenangebot\w*",
        r"jobs",
        r"wir stellen ein",
        r"karriere",
        r"vagas?",
        r"empregos?",
        r"lavoro",
        r"offerte di lavoro",
        r"assunzion\w+",
        r"求人",
        r"採用",
        r"招聘",
        r"诚聘",
    ],
    "housing": [
        r"for rent",
        r"for sale by owner",
        r"homes? for sale",
        r"apartments?",
        r"condos?",
        r"real estate",
        r"realtor",
        r"now leasing",
        r"for lease",
        r"mortgages?",
        r"homeowners? insurance",
        r"houses? for sale",
        r"property listings?",
        r"studio flat",
        r"pisos?",
        r"alquiler",
        r"inmobiliari\w+",
        r"appartements?",
        r"[àa] louer",
        r"immobilier",
        r"wohnung\w*",
        r"zu vermieten",
        r"immobilien",
        r"apartamentos?",
        r"aluguel",
        r"imobili[aá]ri\w+",
        r"affitto",
        r"immobiliare",
        r"賃貸",
        r"不動産",
        r"分譲",
        r"租房",
        r"房产",
        r"楼盘",
    ],
    "social_issues": [
        r"vote",
        r"voting",
        r"elections?",
        r"candidates?",
        r"ballot",
        r"senator",
        r"congress(?:man|woman)?",
        r"petition",
        r"immigration",
        r"climate change",
        r"gun (?:control|rights)",
        r"abortion",
        r"civil rights",
        r"paid for by",
        r"campaign for",
        r"political",
        r"votar?",
        r"elecciones",
        r"[ée]lections?",
        r"wahl(?:en)?",
        r"w[äa]hlen",
        r"elei[cç][õo]es",
        r"elezioni",
        r"選挙",
        r"投票",
        r"选举",
    ],
}
_CATEGORY = {
    name: re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", re.I)
    for name, words in _CATEGORIES.items()
}
REELS_PRIMARY = 72


def check(text: str, field: str) -> Iterator[Finding]:
    for m in _PERSONAL.finditer(text):
        yield Finding(
            m.start(),
            m.end(),
            "meta.personal_attributes",
            f"{m.group(0)!r} asserts or implies a personal attribute of the viewer",
        )
    for name, pattern in _CATEGORY.items():
        if found := pattern.search(text):
            yield Finding(
                found.start(),
                found.end(),
                f"meta.special_ad_category.{name}",
                f"{found.group(0)!r}: declare the {name.replace('_', ' ')} special ad category",
            )
    if field == "primary_texts":
        clusters = graphemes(text)
        if len(clusters) > REELS_PRIMARY:
            start = len("".join(clusters[:REELS_PRIMARY]))
            yield Finding(
                start,
                len(text),
                "meta.truncation.reels",
                f"{len(clusters)} characters: cut after {REELS_PRIMARY} on Reels",
            )

"""Word lists the rules use, per language (lower case; matched on whole words)."""

from __future__ import annotations

# Words that cannot end a complete thought: articles, conjunctions, possessives and the
# prepositions that always need an object. "in", "on", "to", "for", "by" are left out on purpose:
# "Sign in", "Carry on", "Worth waiting for", "Stop by" are complete.
DANGLING: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the and or but nor of with your our my their its than under from into via per "
        "this these those every each some".split()
    ),
    "es": frozenset("el la los las un una unos unas y o ni de del con para al tu su sus nuestro "
                    "nuestra que".split()),
    "fr": frozenset("le la les un une des et ou ni de du avec pour votre vos notre nos au aux "
                    "que".split()),
    "de": frozenset("der die das den dem des ein eine einen einem einer und oder mit für von "
                    "ihr ihre unser unsere dein deine als".split()),
    "pt": frozenset("o os as um uma umas uns e ou de do da dos das com para seu sua nosso "
                    "nossa que".split()),
    "it": frozenset("il lo la i gli le un una uno e o di del della dei delle con per tuo tua "
                    "nostro nostra che".split()),
}
# Japanese particles that leave a phrase hanging, and the commas of every script.
DANGLING_JA = ("の", "を", "が", "や", "へ")  # not に/で/と/は: "快適に", "もっと" end well
TRAILING_PUNCT = (",", ";", ":", "-", "–", "&", "+", "/", "、", "，", "：", "；", "・")

# Calls to action that "could apply to any ad" (Google style and spelling).
GENERIC_CTA = [
    r"click (?:here|now|this|below|the link|\+1)",
    r"tap here",
    r"see this site",
    r"check us out",
    r"haz clic aqu[ií]",
    r"pulse aqu[ií]",
    r"cliquez ici",
    r"hier klicken",
    r"klicken sie hier",
    r"clique aqui",
    r"clicca qui",
    r"こちらをクリック",
    r"ここをクリック",
    r"点击这里",
    r"点击此处",
]

# Common abbreviations that are written in capitals (Google allows "ASAP", acronyms).
ACRONYMS = frozenset(
    """ASAP FAQ USA US UK EU UAE NYC LA TV HD UHD LED OLED LCD USB GPS PC PDF CEO CFO CTO HR IT
    AI API SEO SEM SMS VAT VIP DIY DVD CD RSVP ATM APR ID IOS OS NASA UEFA FIFA NBA NFL NHL MLB
    UN WHO NHS SUV RV BBQ PR B2B B2C SAAS SDK CRM ERP IRA IRS USD EUR GBP JPY CNY CAD AUD UV
    SPF XL XXL XS S M L XXS OK AM PM FM AC DC EV CBD ESG GDPR HIPAA ISO CE AAA RAM SSD CPU GPU
    HTML CSS NGO STEM MBA PHD MD DDS RN LLC INC LTD GMBH AG SA SL SRL SPA BV NV KG OHG PLC
    TÜV ADAC DSGVO MWST UVP SNCF TTC HT TVA RGPD IVA NIF CPF CNPJ""".split()
)

# Words before a coupon code ("Use code SPRING20"): the code may be in capitals.
CODE_WORDS = frozenset(
    "code coupon promo voucher código cupón cupom codice gutschein gutscheincode rabattcode "
    "buono".split()
)

# Superlative and comparative claims (Google advertiser claims: need third-party verification).
SUPERLATIVES = [
    r"#\s?1",
    r"no\.?\s?1\b",
    r"n[º°o]\.?\s?1\b",
    r"nr\.?\s?1\b",
    r"number one",
    r"best(?:-selling| selling| rated| price| deals?)?",
    r"cheapest",
    r"top[- ]rated",
    r"world'?s (?:leading|first|largest|biggest|best)",
    r"(?:fastest|biggest|greatest|strongest|safest|largest|most popular|most trusted)",
    r"unbeatable",
    r"better than",
    r"cheaper than",
    r"faster than",
    r"el (?:mejor|más barato)",
    r"la (?:mejor|más barata)",
    r"mejor(?:es)?",
    r"meilleure?s?",
    r"le moins cher",
    r"la moins chère",
    r"beste[nrs]?",
    r"günstigste[nrs]?",
    r"melhor(?:es)?",
    r"mais barat[oa]",
    r"miglior[ei]?",
    r"il più economico",
    r"最高",
    r"最安",
    r"日本一",
    r"業界No\.?1",
    r"ナンバーワン",
    r"最强",
    r"最便宜",
]
# China: not allowed at all (Google advertiser claims, country-specific requirements).
SUPERLATIVES_ZH = ["最好", "最佳", "顶级", "极品", "国家级", "最高级", "最高", "最低价"]
# A fact in the brief carrying one of these markers substantiates the claims it contains.
SUBSTANTIATION = [
    r"according to",
    # Customer testimonials are not third-party verification (Google advertiser claims).
    r"rated by (?!our |customers|users|clients|shoppers)",
    r"voted by (?!our |customers|users|clients|shoppers)",
    r"awarded by",
    r"source:",
    r"survey",
    r"consumer reports",
    r"j\.?\s?d\.?\s?power",
    r"which\?",
    r"stiftung warentest",
    r"\(\d{4}\)",
    r"\b(?:19|20)\d{2}\b.*award",
    r"award",
    r"según",
    r"selon",
    r"laut",
    r"segundo",
    r"secondo",
    r"調べ",
    r"据",
]

# Promotional language that does not belong in a business name.
PROMOTIONAL = [
    r"buy",
    r"sale",
    r"free",
    r"discount",
    r"cheap",
    r"deals?",
    r"shop now",
    r"order",
    r"\d+\s?%",
    r"off",
    r"best",
    r"offer",
]

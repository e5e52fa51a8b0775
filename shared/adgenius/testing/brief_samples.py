"""Sample briefs for the policy tests and benchmarks: what marketers really paste into briefs.

One product (a blender) in the eight languages the policy layer covers; hostile facts break
the platforms' editorial rules (shouting, phone numbers, URLs, superlatives, emoji, "click
here"), ordinary facts do not.
"""

from __future__ import annotations

HOSTILE_FACTS = {
    "en": [
        "FREE shipping!!!",
        "Call 1-800-555-0199 today",
        "Best blender of 2025 🔥",
        "#1 rated!!",
        "Visit www.blendco.example",
        "BUY NOW",
        "f r e e gifts",
        "Click here",
    ],
    "es": [
        "¡¡ENVÍO GRATIS!!",
        "Llámanos al +34 912 345 678",
        "La mejor batidora 🔥",
        "Visita www.blendco.example",
        "COMPRA YA",
    ],
    "fr": [
        "LIVRAISON GRATUITE !!",
        "Appelez le 01 23 45 67 89",
        "Le meilleur mixeur 😍",
        "Cliquez ici",
        "www.blendco.example",
    ],
    "de": [
        "GRATIS Versand!!",
        "Rufen Sie an: +49 30 1234567",
        "Der beste Mixer 💥",
        "JETZT KAUFEN",
        "info@blendco.example",
    ],
    "pt": [
        "FRETE GRÁTIS!!!",
        "Ligue 0800 123 4567",
        "O melhor liquidificador 🔥",
        "COMPRE JÁ",
        "Clique aqui",
    ],
    "it": [
        "SPEDIZIONE GRATUITA!!",
        "Chiama 02 1234 5678",
        "Il miglior frullatore ✨",
        "ACQUISTA ORA",
        "Clicca qui",
    ],
    "ja": ["送料無料！！", "お電話は0120-123-456まで", "業界最安値🔥", "ｾｰﾙ中", "今すぐ購入！！"],
    "zh": ["免费送货！！", "咨询热线400-123-4567", "最好的搅拌机🔥", "点击这里", "第一品牌"],
}
PRODUCT_NAMES = {
    "en": "PowerBlend 900 blender",
    "es": "Batidora PowerBlend 900",
    "fr": "Mixeur PowerBlend 900",
    "de": "PowerBlend 900 Mixer",
    "pt": "Liquidificador PowerBlend 900",
    "it": "Frullatore PowerBlend 900",
    "ja": "パワーブレンド900 ミキサー",
    "zh": "PowerBlend 900 搅拌机",
}
ORDINARY_FACTS = {
    "en": ["Five speeds and a pulse mode", "Glass jar of 1.5 litres", "Two-year warranty"],
    "es": ["Cinco velocidades", "Jarra de vidrio de 1,5 litros", "Garantía de dos años"],
    "fr": ["Cinq vitesses", "Bol en verre de 1,5 litre", "Garantie de deux ans"],
    "de": ["Fünf Stufen", "Glaskrug mit 1,5 Litern", "Zwei Jahre Garantie"],
    "pt": ["Cinco velocidades", "Jarra de vidro de 1,5 litro", "Garantia de dois anos"],
    "it": ["Cinque velocità", "Caraffa in vetro da 1,5 litri", "Garanzia di due anni"],
    "ja": ["5段階の速度調整", "1.5リットルのガラス容器", "2年間の保証"],
    "zh": ["五档调速", "1.5升玻璃杯", "两年保修"],
}

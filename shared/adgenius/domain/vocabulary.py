"""The words a job request names: the ad platforms and the supported languages.

Apart from the brief's models (`adgenius.domain.brief`, which re-exports both) so that what only
checks a platform or a language, such as the pipeline's job documents that every pipeline
function and the sweeper load at their start, needs neither pydantic's brief models nor the
text-width tables behind them (cold starts, bench/coldstart_bench.py).
"""

from __future__ import annotations

from enum import StrEnum

# Languages the local engine has phrase banks for (see phrasebanks/*.json). Cloud models could do
# more, but a brief must be generatable by the embedded default engine too, so this is the set.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "it", "ja", "zh")


class Platform(StrEnum):
    GOOGLE_RSA = "google_rsa"
    GOOGLE_PMAX = "google_pmax"
    META = "meta"

"""Copy generation: briefs, platform rules, prompts, the local engine and the copy service."""

from adgenius.domain.brief import (
    SUPPORTED_LANGUAGES,
    BrandKit,
    CopyBrief,
    Objective,
    Platform,
    Tone,
)

from .copy_service import (
    CopyFailure,
    CopyResult,
    CopyVariant,
    generate_copy_set,
    regenerate_slots,
)
from .copy_set import CopySet
from .local_copy import LocalCopyEngine
from .platforms import PlatformSpec, spec_for
from .rules import Severity, Violation, is_compliant, validate_copy_set
from .scoring import VariantScore, score_copy_set

__all__ = [
    "SUPPORTED_LANGUAGES",
    "BrandKit",
    "CopyBrief",
    "CopyFailure",
    "CopyResult",
    "CopySet",
    "CopyVariant",
    "LocalCopyEngine",
    "Objective",
    "Platform",
    "PlatformSpec",
    "Severity",
    "Tone",
    "VariantScore",
    "Violation",
    "generate_copy_set",
    "is_compliant",
    "regenerate_slots",
    "score_copy_set",
    "spec_for",
    "validate_copy_set",
]

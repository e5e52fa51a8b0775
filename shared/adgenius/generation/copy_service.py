"""Generate a copy set for a platform with the local engine or any TextModel.

With a TextModel the flow per variant is: render the platform's prompt strategy -> call the model
with the platform response schema -> validate -> repair loop. The repair loop re-asks ONLY the
failing items (e.g. "headlines[3]" too long, "descriptions[3]" missing a disclaimer, a missing
"headlines[14]") and patches only those paths, up to ``max_repairs`` rounds. Whatever still fails
is returned with ``compliant=False`` and the exact violations: it is never presented as
compliant. A safety block or an unparseable answer (incl. the provider's MalformedOutputError) is
a typed failure, not an exception; quota/transient ModelErrors propagate so the job layer can
retry the step.

Normalisation before validation: items are stripped, blank items dropped, and items beyond a
field's maximum count are cut (the model over-produced; the first ones are kept).
"""

from __future__ import annotations

import json
import re
import time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from adgenius.domain.brief import BrandKit, CopyBrief, Platform

from ..models.base import EmbeddingModel, Outcome, TextModel, Usage
from ..models.errors import MalformedOutputError
from .copy_set import CopySet
from .local_copy import Grounding, LocalCopyEngine
from .platforms import PlatformSpec, spec_for
from .policy.rewrite import clean_brief
from .prompts.rendering import quote
from .prompts.strategies import PromptInput, RepairPromptStrategy, copy_strategy_for
from .responses import RESPONSE_SCHEMAS, RepairResponse
from .rules import Severity, Violation, errors, validate_copy_set
from .scoring import VariantScore, score_copy_set, voice_centroid

LOCAL_PROMPT_VERSION = "local-phrasebank@v1"


class CopyFailure(StrEnum):
    SAFETY_BLOCKED = "safety_blocked"
    INVALID_RESPONSE = "invalid_response"


class CopyVariant(BaseModel):
    seed: int
    copy_set: CopySet | None = None  # None only when the variant failed before any copy existed
    compliant: bool = False
    violations: list[Violation] = Field(default_factory=list)
    score: VariantScore | None = None
    repair_rounds: int = 0
    repaired_fields: list[str] = Field(default_factory=list)
    failure: CopyFailure | None = None
    failure_reason: str | None = None
    notes: list[str] = Field(
        default_factory=list,
        description="What the engine left out of the brief and why (e.g. a phone number: use a "
        "call asset).",
    )


class CopyResult(BaseModel):
    platform: Platform
    engine: str  # "local" or the TextModel's engine ("vertex", ...)
    model: str
    prompt_version: str  # e.g. "google_rsa@v1"; "local-phrasebank@v1" for the local engine
    repair_prompt_version: str | None = None
    seed: int
    variants: list[CopyVariant]  # best first: compliant ones by total score, then the rest
    usage: list[Usage] = Field(default_factory=list)
    context_ids: list[str] = Field(default_factory=list)
    # Which winners, losers and insights steered this set (Steering.record()); {} for none.
    steering: dict[str, Any] = Field(default_factory=dict)

    @property
    def best(self) -> CopyVariant | None:
        return self.variants[0] if self.variants else None

    @property
    def all_compliant(self) -> bool:
        return all(v.compliant for v in self.variants)


def generate_copy_set(
    brief: CopyBrief,
    brand_kit: BrandKit,
    platform: Platform | str,
    *,
    engine: TextModel | LocalCopyEngine | None = None,
    seed: int = 0,
    n_variants: int = 1,
    max_repairs: int = 2,
    prompt_input: PromptInput | None = None,
    prompt_version: int | None = None,
    temperature: float = 0.7,
    embedder: EmbeddingModel | None = None,
) -> CopyResult:
    """Make ``n_variants`` copy sets (seeds ``seed``, ``seed+1``, ...), validated and scored.

    ``engine`` defaults to the local engine. ``prompt_input`` carries retrieved context and
    winners (see ``prompts.gather_input``); without it the prompt uses the brief and brand only.
    """
    platform = Platform(platform)
    spec = spec_for(platform)
    engine = engine if engine is not None else LocalCopyEngine(embedder)
    if embedder is None:
        embedder = engine.embedder if isinstance(engine, LocalCopyEngine) else None
    if embedder is None:
        from ..models.local_embedding import WordLlamaEmbedder

        embedder = WordLlamaEmbedder()
    centroid = voice_centroid(brand_kit, embedder)
    inp = prompt_input or PromptInput(brief=brief, brand_kit=brand_kit)

    usage: list[Usage] = []
    variants: list[CopyVariant] = []
    if isinstance(engine, LocalCopyEngine):
        engine_name, model_name, version, repair_version = (
            engine.name,
            engine.model,
            LOCAL_PROMPT_VERSION,
            None,
        )
        grounding = local_grounding(inp)
        _, notes = clean_brief(brief, brand_kit)
        for i in range(n_variants):
            started = time.perf_counter()
            copy = engine.generate(
                brief, brand_kit, platform, seed=seed + i, grounding=grounding,
                steering=inp.steering,
            )  # fmt: skip
            usage.append(
                Usage(
                    model=engine.model,
                    engine=engine.name,
                    latency_ms=(time.perf_counter() - started) * 1000,
                )
            )
            violations = validate_copy_set(copy, brand_kit, spec, brief=brief)
            variant = _finish(seed + i, copy, violations, 0, [], brand_kit, embedder, centroid)
            variants.append(variant.model_copy(update={"notes": notes}))
    else:
        strategy = copy_strategy_for(platform, prompt_version)
        repairer = RepairPromptStrategy()
        engine_name, model_name = "unknown", "unknown"
        version, repair_version = strategy.ref, repairer.template.ref
        for i in range(n_variants):
            run = _ModelRun(engine, spec, brand_kit, inp, temperature, seed + i, max_repairs)
            variant = run.execute(strategy, repairer)
            usage.extend(run.usage)
            if run.usage:
                engine_name, model_name = run.usage[0].engine, run.usage[0].model
            if variant.copy_set is not None:
                variant = _finish(
                    variant.seed,
                    variant.copy_set,
                    variant.violations,
                    variant.repair_rounds,
                    variant.repaired_fields,
                    brand_kit,
                    embedder,
                    centroid,
                )
                variant = _flag_near_copies(variant, inp)
            variants.append(variant)

    variants.sort(key=lambda v: (not v.compliant, -(v.score.total if v.score else 0.0)))
    return CopyResult(
        platform=platform,
        engine=engine_name,
        model=model_name,
        prompt_version=version,
        repair_prompt_version=repair_version,
        seed=seed,
        variants=variants,
        usage=usage,
        context_ids=[s.id for s in inp.context],
        steering=inp.steering.record() if inp.steering and not inp.steering.is_empty() else {},
    )


def _flag_near_copies(variant: CopyVariant, inp: PromptInput) -> CopyVariant:
    """A model was told not to copy the winners; whether it did is checked, not trusted: its
    near-copies of a winner's line (the memorisation check) are named in the notes."""
    steering = inp.steering
    if steering is None or variant.copy_set is None or not steering.winners:
        return variant
    found = [
        f"near-copy of a winning line: {name}[{i}]"
        for name in ("headlines", "long_headlines", "descriptions", "primary_texts")
        for i, text in enumerate(variant.copy_set.items(name))
        if steering.is_near_copy(text)
    ]
    return variant.model_copy(update={"notes": [*variant.notes, *found]}) if found else variant


def local_grounding(inp: PromptInput) -> Grounding:
    """The retrieved context and winners as the local engine composes with them.

    Winners from brand memory carry their whole text (one line per headline, description...)
    under a key that is not a field name: those lines are placed by the engine.
    """
    winning: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for winner in inp.winners:
        for name, texts in winner.fields.items():
            if name in CopySet.model_fields:
                winning.setdefault(name, []).extend(texts)
            else:
                unplaced.extend(line.strip() for t in texts for line in t.splitlines())
    return Grounding(
        winning=winning,
        winning_unplaced=[line for line in unplaced if line],
        passages=[s.text for s in inp.context],
    )


def _finish(
    seed: int,
    copy: CopySet,
    violations: list[Violation],
    rounds: int,
    repaired: list[str],
    brand_kit: BrandKit,
    embedder: EmbeddingModel,
    centroid: Any,
) -> CopyVariant:
    return CopyVariant(
        seed=seed,
        copy_set=copy,
        compliant=not errors(violations),
        violations=violations,
        score=score_copy_set(copy, violations, brand_kit, embedder, centroid=centroid),
        repair_rounds=rounds,
        repaired_fields=repaired,
    )


class _ModelRun:
    """One variant produced by a TextModel, with its repair loop."""

    def __init__(
        self,
        model: TextModel,
        spec: PlatformSpec,
        brand_kit: BrandKit,
        inp: PromptInput,
        temperature: float,
        seed: int,
        max_repairs: int,
    ) -> None:
        self.model, self.spec, self.brand_kit, self.inp = model, spec, brand_kit, inp
        self.temperature, self.seed, self.max_repairs = temperature, seed, max_repairs
        self.usage: list[Usage] = []

    def _call(self, prompt: Any) -> tuple[Any, CopyVariant | None]:
        try:
            result = self.model.generate(
                prompt.user,
                system=prompt.system,
                response_schema=prompt.response_schema,
                temperature=self.temperature,
                seed=self.seed,
            )
        except MalformedOutputError as exc:
            # The provider already re-asked; report it as a typed failure. Quota and transient
            # errors are NOT caught: the job layer retries those later.
            return None, CopyVariant(
                seed=self.seed,
                failure=CopyFailure.INVALID_RESPONSE,
                failure_reason=str(exc)[:500],
            )
        self.usage.append(result.usage)
        if result.outcome is Outcome.SAFETY_BLOCKED:
            return None, CopyVariant(
                seed=self.seed,
                failure=CopyFailure.SAFETY_BLOCKED,
                failure_reason=result.block_reason or "blocked by the model's safety filters",
            )
        # Repairs are parsed with the lenient base schema: an answer for a path that was not
        # asked for is ignored below instead of invalidating the whole reply.
        schema = prompt.response_schema
        if issubclass(schema, RepairResponse):
            schema = RepairResponse
        try:
            return _parse(result.parsed, result.text, schema), None
        except (ValidationError, ValueError) as exc:
            return None, CopyVariant(
                seed=self.seed,
                failure=CopyFailure.INVALID_RESPONSE,
                failure_reason=f"response did not match the schema: {exc}"[:500],
            )

    def execute(self, strategy: Any, repairer: RepairPromptStrategy) -> CopyVariant:
        parsed, failure = None, None
        # An unparseable first answer is retried whole; it counts against the repair budget.
        for _ in range(self.max_repairs + 1):
            parsed, failure = self._call(strategy.render(self.inp))
            if parsed is not None or (failure and failure.failure is CopyFailure.SAFETY_BLOCKED):
                break
        if parsed is None:
            assert failure is not None
            return failure
        copy = _normalise(CopySet(platform=self.spec.platform, **parsed.model_dump()), self.spec)
        return self.repair(copy, repairer)

    def repair(
        self,
        copy: CopySet,
        repairer: RepairPromptStrategy,
        forced: dict[str, list[Violation]] | None = None,
    ) -> CopyVariant:
        """Re-ask failing items (plus ``forced`` ones in the first round) until clean or out of
        rounds; passing items are never touched."""
        violations = validate_copy_set(copy, self.brand_kit, self.spec, brief=self.inp.brief)
        rounds, repaired = 0, []
        budget = self.max_repairs + (1 if forced else 0)
        while (errors(violations) or forced) and rounds < budget:
            targets = _repair_targets(copy, violations, self.spec)
            for path, why in (forced or {}).items():
                targets.setdefault(path, []).extend(why)
            forced = None
            if not targets:
                break  # nothing a rewrite of single items could fix
            rounds += 1
            # An item that does not exist yet is left out: the prompt asks for a new one.
            current = {path: text for path in targets if (text := _item(copy, path)) is not None}
            keep = [
                t
                for fs in self.spec.fields
                for i, t in enumerate(copy.items(fs.name))
                if f"{fs.name}[{i}]" not in targets
            ]
            prompt = repairer.render(self.inp, self.spec.platform, current, targets, keep)
            answer, _ = self._call(prompt)
            if answer is None:
                break  # keep what we have; the remaining violations are reported below
            assert isinstance(answer, RepairResponse)
            for item in answer.items:
                if item.field in targets:  # never let a repair touch a passing item
                    copy = _set_item(copy, item.field, item.text.strip())
                    repaired.append(item.field)
            copy = _normalise(copy, self.spec)
            violations = validate_copy_set(copy, self.brand_kit, self.spec, brief=self.inp.brief)
        return CopyVariant(
            seed=self.seed,
            copy_set=copy,
            violations=violations,
            compliant=not errors(violations),
            repair_rounds=rounds,
            repaired_fields=repaired,
        )


def regenerate_slots(
    copy_set: CopySet,
    paths: list[str],
    brief: CopyBrief,
    brand_kit: BrandKit,
    *,
    engine: TextModel | LocalCopyEngine | None = None,
    seed: int = 0,
    feedback: str | None = None,
    max_repairs: int = 2,
    prompt_input: PromptInput | None = None,
    temperature: float = 0.7,
    embedder: EmbeddingModel | None = None,
) -> CopyResult:
    """Rewrite only ``paths`` (e.g. ["headlines[4]"]) of an existing set, or fill gaps by naming
    the next free index ("headlines[12]" of a 12-headline set). ``feedback`` is the marketer's
    comment on the rejected items; it steers a TextModel (the local engine ignores it). Every
    other item stays exactly as it was. Raises ValueError for paths the platform cannot hold.
    """
    spec = spec_for(copy_set.platform)
    for path in paths:
        match = re.fullmatch(r"([a-z_]+)\[(\d+)\]", path)
        if not match or match[1] not in spec.field_names:
            raise ValueError(f"{path!r} is not a text slot of {spec.platform.value}")
        fs, index = spec.field(match[1]), int(match[2])
        if index > len(copy_set.items(fs.name)) or index >= fs.max_count:
            raise ValueError(f"{path!r} is out of range for {fs.name}")
    engine = engine if engine is not None else LocalCopyEngine(embedder)
    embedder = embedder or getattr(engine, "embedder", None)
    if embedder is None:
        from ..models.local_embedding import WordLlamaEmbedder

        embedder = WordLlamaEmbedder()
    centroid = voice_centroid(brand_kit, embedder)
    usage: list[Usage] = []
    names: tuple[str, str, str, str | None]  # engine, model, prompt and repair prompt versions
    if isinstance(engine, LocalCopyEngine):
        started = time.perf_counter()
        copy, replaced = copy_set, []
        for name in dict.fromkeys(_split(p)[0] for p in paths):
            wanted = sorted(_split(p)[1] for p in paths if _split(p)[0] == name)
            fresh = engine.regenerate_field(
                brief,
                brand_kit,
                spec.platform,
                name,
                seed=seed,
                exclude=copy.items(name),
                count=len(wanted),
            )
            for index, text in zip(wanted, fresh, strict=False):
                copy = _set_item(copy, f"{name}[{index}]", text)
                replaced.append(f"{name}[{index}]")
        usage.append(
            Usage(
                model=engine.model,
                engine=engine.name,
                latency_ms=(time.perf_counter() - started) * 1000,
            )
        )
        violations = validate_copy_set(copy, brand_kit, spec, brief=brief)
        variant = _finish(seed, copy, violations, 0, replaced, brand_kit, embedder, centroid)
        names = (engine.name, engine.model, LOCAL_PROMPT_VERSION, None)
    else:
        inp = prompt_input or PromptInput(brief=brief, brand_kit=brand_kit)
        why = "the marketer asked for a new version"
        if feedback:
            why += f"; their comment (quoted data): {quote(feedback)}"
        forced = {p: [Violation(field=p, rule="regenerate", message=why)] for p in paths}
        run = _ModelRun(engine, spec, brand_kit, inp, temperature, seed, max_repairs)
        repairer = RepairPromptStrategy()
        raw = run.repair(copy_set, repairer, forced)
        usage = run.usage
        variant = _finish(
            seed,
            raw.copy_set or copy_set,
            raw.violations,
            raw.repair_rounds,
            raw.repaired_fields,
            brand_kit,
            embedder,
            centroid,
        )
        first = usage[0] if usage else Usage(model="unknown", engine="unknown")
        names = (first.engine, first.model, repairer.template.ref, repairer.template.ref)
    return CopyResult(
        platform=spec.platform,
        engine=names[0],
        model=names[1],
        prompt_version=names[2],
        repair_prompt_version=names[3],
        seed=seed,
        variants=[variant],
        usage=usage,
    )


def _parse(parsed: Any, text: str, schema: type[BaseModel]) -> BaseModel:
    if isinstance(parsed, schema):
        return parsed
    if isinstance(parsed, BaseModel):
        return schema.model_validate(parsed.model_dump())
    if isinstance(parsed, dict):
        return schema.model_validate(parsed)
    raw = text.strip()
    if raw.startswith("```"):  # tolerate a fenced JSON answer
        raw = raw.strip("`").removeprefix("json").strip()
    return schema.model_validate(json.loads(raw))


def _normalise(copy: CopySet, spec: PlatformSpec) -> CopySet:
    update = {}
    for fs in spec.fields:
        items = [t.strip() for t in copy.items(fs.name) if t and t.strip()]
        update[fs.name] = items[: fs.max_count]
    return copy.model_copy(update=update)


def _split(path: str) -> tuple[str, int]:
    name, _, rest = path.partition("[")
    return name, int(rest.rstrip("]"))


def _item(copy: CopySet, path: str) -> str | None:
    name, index = _split(path)
    items = copy.items(name)
    return items[index] if index < len(items) else None


def _set_item(copy: CopySet, path: str, text: str) -> CopySet:
    name, index = _split(path)
    return copy.with_item(name, min(index, len(copy.items(name))), text)


def _repair_targets(
    copy: CopySet, violations: list[Violation], spec: PlatformSpec
) -> dict[str, list[Violation]]:
    """Map each failing item path to its violations; list-level rules pick the item to redo."""
    targets: dict[str, list[Violation]] = {}
    for v in violations:
        if v.severity is not Severity.ERROR or v.rule == "pin":
            continue
        if v.index is not None:
            targets.setdefault(v.field, []).append(v)
            continue
        if v.base_field not in spec.field_names:
            continue
        fs = spec.field(v.base_field)
        items = copy.items(fs.name)
        if v.rule == "count" and len(items) < fs.min_count:
            # Ask for the missing items up to the target count.
            for i in range(len(items), fs.target_count):
                targets.setdefault(f"{fs.name}[{i}]", []).append(v)
        elif v.rule in {"required_phrase", "short_variant"} and items:
            # Rewrite one item, preferring one that is not already being repaired.
            free = [i for i in reversed(range(len(items))) if f"{fs.name}[{i}]" not in targets]
            pick = free[0] if free else len(items) - 1
            targets.setdefault(f"{fs.name}[{pick}]", []).append(v)
    return targets


__all__ = [
    "LOCAL_PROMPT_VERSION",
    "RESPONSE_SCHEMAS",
    "CopyFailure",
    "CopyResult",
    "CopyVariant",
    "generate_copy_set",
    "regenerate_slots",
]

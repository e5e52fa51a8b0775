"""Versioned prompt templates stored as package files: ``templates/{name}.v{N}.txt``.

A file has a ``=== system ===`` part and a ``=== user ===`` part, both ``string.Template`` text
(``$name`` placeholders, so JSON braces need no escaping). Creatives record ``name@vN`` so a
result can always be traced to the exact wording that produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template

_FILE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.txt$")
_PARTS = re.compile(r"^=== (system|user) ===\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: int
    system: Template
    user: Template

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"


def _folder():
    return resources.files("adgenius.generation.prompts") / "templates"


@lru_cache(maxsize=1)
def available() -> dict[str, tuple[int, ...]]:
    """Template name -> sorted versions present in the package."""
    found: dict[str, list[int]] = {}
    for entry in _folder().iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.setdefault(match["name"], []).append(int(match["version"]))
    return {name: tuple(sorted(vs)) for name, vs in found.items()}


@lru_cache(maxsize=64)
def load_template(name: str, version: int | None = None) -> PromptTemplate:
    """Load ``name`` at ``version`` (latest when None). KeyError names what exists."""
    versions = available().get(name)
    if not versions:
        raise KeyError(f"no prompt template {name!r}; have {sorted(available())}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise KeyError(f"template {name!r} has versions {versions}, not {chosen}")
    text = (_folder() / f"{name}.v{chosen}.txt").read_text(encoding="utf-8")
    pieces = _PARTS.split(text)
    parts = {pieces[i]: pieces[i + 1].strip() for i in range(1, len(pieces) - 1, 2)}
    if set(parts) != {"system", "user"}:
        raise ValueError(f"template {name}.v{chosen} needs '=== system ===' and '=== user ==='")
    return PromptTemplate(name, chosen, Template(parts["system"]), Template(parts["user"]))

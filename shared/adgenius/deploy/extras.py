"""What each function's deploy bundle installs, derived from what its code imports.

Every function declares `extras` in the manifest: optional-dependency groups of
shared/pyproject.toml on top of the base dependencies every function needs (Firestore, Flask,
pydantic ...). `needed_extras` walks a function's import graph (grimp, a dev tool) from its
`main.py`, including imports made inside functions, since those run on some request; a test holds
the manifest to it. The walk does not enter the local-only modules (the embedded Qdrant): the
store factory imports them only when no Qdrant server is configured, and their libraries are never
installed in a cloud bundle.

    python -m adgenius.deploy extras   # prints each function's declared and derived extras
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from adgenius.manifest import MANIFEST, FunctionSpec

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# The import name of each optional library -> the pyproject extra that installs it.
EXTRA_OF_IMPORT = {
    "PIL": "media",
    "imageio_ffmpeg": "media",
    "font_roboto": "media",
    "google.genai": "vertex",
    "qdrant_client": "vectors",
    "pypdf": "documents",
    "scipy": "stats",
    "wordllama": "wordllama",
    "qdrant_edge": "local-vectors",
    "matplotlib": "charts",
}
# Extras only the local stack uses: a cloud bundle talks to a Qdrant server. (WordLlama is not
# here: brand memory embeds with it in every environment, see rag.factory.default_embedder.)
# Charts are drawn by developer tools (soak, loop simulator), never by a function.
LOCAL_ONLY_EXTRAS = frozenset({"local-vectors", "charts"})


def extra_of(module: str) -> str | None:
    for name, extra in EXTRA_OF_IMPORT.items():
        if module == name or module.startswith(name + "."):
            return extra
    return None


def imported_names(path: Path) -> set[str]:
    """Every module an `import` in the file names, at any depth (function bodies included)."""
    found: set[str] = set()
    if not path.is_file():  # a directory of data files grimp counts as a namespace package
        return found
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@cache
def _graph() -> object:
    import grimp  # dev dependency (import-linter): the check runs in tests, not in functions

    return grimp.build_graph("adgenius", cache_dir=None)


def _module_file(module: str) -> Path:
    spec_path = Path(__file__).resolve().parents[2] / Path(*module.split("."))
    return spec_path / "__init__.py" if spec_path.is_dir() else spec_path.with_suffix(".py")


@cache
def is_local_engine(module: str) -> bool:
    """A module that imports a local-only library (the walk stops there)."""
    return any(extra_of(n) in LOCAL_ONLY_EXTRAS for n in imported_names(_module_file(module)))


def reachable_modules(entry: Path) -> set[str]:
    graph = _graph()
    known: set[str] = graph.modules  # type: ignore[attr-defined]
    todo = [m for m in _internal(imported_names(entry), known)]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen or is_local_engine(module):
            continue
        seen.add(module)
        # a package's __init__ runs whenever one of its modules is imported
        parts = module.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(graph.find_modules_directly_imported_by(module))  # type: ignore[attr-defined]
    return seen


def _internal(names: Iterable[str], known: set[str]) -> list[str]:
    return [n for n in names if n in known]


def needed_extras(fn: FunctionSpec) -> dict[str, set[str]]:
    """extra -> the modules of this function's code path that need it."""
    entry = fn.source_dir / "main.py"
    needs: dict[str, set[str]] = {}
    for module in [*sorted(reachable_modules(entry)), "main"]:
        path = entry if module == "main" else _module_file(module)
        for name in imported_names(path):
            if extra := extra_of(name):
                needs.setdefault(extra, set()).add(module)
    return needs


@cache
def pyproject() -> dict:
    return tomllib.loads(PYPROJECT.read_text())["project"]


def requirements_of(extras: Iterable[str]) -> list[str]:
    """The base dependencies plus those of the given extras, in pyproject order."""
    project = pyproject()
    reqs = list(project["dependencies"])
    for extra in sorted(set(extras)):
        reqs.extend(r for r in project["optional-dependencies"][extra] if r not in reqs)
    return reqs


def main() -> None:
    ok = True
    for fn in MANIFEST.functions:
        derived = needed_extras(fn)
        declared = set(fn.extras)
        mark = "" if declared == set(derived) else "  <- differs"
        ok = ok and not mark
        print(f"{fn.name:22s} declared {sorted(declared)} derived {sorted(derived)}{mark}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Each function's bundle declares the extras its code path imports, and no local-only one."""

from __future__ import annotations

import ast

import pytest

from adgenius.deploy import extras as bundles
from adgenius.manifest import MANIFEST, Extra


@pytest.mark.parametrize("fn", MANIFEST.functions, ids=lambda f: f.name)
def test_declared_extras_match_the_import_graph(fn) -> None:  # type: ignore[no-untyped-def]
    needed = bundles.needed_extras(fn)
    declared = {str(e) for e in fn.extras}
    missing = {e: sorted(needed[e])[:3] for e in set(needed) - declared}
    assert not missing, (
        f"{fn.name} imports libraries of undeclared extras (extra: modules): {missing}"
    )
    assert declared <= set(needed), f"{fn.name} declares unused extras {declared - set(needed)}"


def test_no_bundle_installs_a_local_only_library() -> None:
    local_only = {
        req
        for extra in bundles.LOCAL_ONLY_EXTRAS
        for req in bundles.pyproject()["optional-dependencies"][extra]
    }
    assert local_only, "the local-only extras name no packages"
    for fn in MANIFEST.functions:
        assert not local_only & set(bundles.requirements_of(fn.extras)), fn.name
    assert not bundles.LOCAL_ONLY_EXTRAS & {str(e) for e in Extra}


def test_local_only_modules_are_imported_only_on_demand() -> None:
    """Modules of the local-only libraries load inside the factory that selects them, never at
    module level, so a cloud instance never imports a library its bundle lacks."""
    root = bundles.PYPROJECT.parent / "adgenius"
    local_modules = {
        "adgenius." + ".".join(p.relative_to(root).with_suffix("").parts)
        for p in root.rglob("*.py")
        if "localstack" not in p.parts and "testing" not in p.parts
    }
    local_modules = {m for m in local_modules if bundles.is_local_engine(m)}
    assert "adgenius.rag.edge_store" in local_modules
    for path in root.rglob("*.py"):
        if {"localstack", "testing"} & set(path.parts):
            continue
        for node in ast.parse(path.read_text()).body:  # module level only
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            hit = local_modules & set(names)
            assert not hit or path.stem == "edge_store", f"{path} imports {hit} at module level"


def test_every_optional_library_maps_to_its_extra() -> None:
    extras = set(bundles.pyproject()["optional-dependencies"]) - {"local", "dev"}
    assert extras == set(bundles.EXTRA_OF_IMPORT.values())
    for extra in extras:
        assert bundles.requirements_of([extra]) != bundles.requirements_of([])

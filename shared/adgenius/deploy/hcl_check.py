"""`terraform validate`'s schema checks, offline: every resource type, argument and block of
terraform/*.tf against the google and google-beta providers' own schemas (provider_schema).

Reports an unknown resource or data source type (e.g. a google-beta-only resource used with the
GA provider), an unknown argument, a block written as an argument or the reverse, an unknown
nested block (also inside `dynamic` blocks), and a missing required argument or block.
References between resources and value validation are `terraform plan`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

from adgenius.deploy import provider_schema

META = {"__is_block__", "__start_line__", "__end_line__", "__comments__"}
RESOURCE_META = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner"}
RESOURCE_META |= {"connection"}
DATA_META = {"count", "for_each", "provider", "depends_on", "lifecycle"}
PROVIDER_META = {"alias", "version"}
_REF = re.compile(
    r"(?<![\w.\"])(data\.)?((?:google)_[a-z0-9_]+)\.([a-z0-9_-]+)(\[[^\[\]]*\])?"
    r"((?:\.[a-z0-9_]+(?:\[[^\[\]]*\])?)*)"
)
_STEP = re.compile(r"\.([a-z0-9_]+)")


@dataclass(frozen=True)
class Problem:
    file: str
    address: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.address}: {self.message}"


def _unquote(name: str) -> str:
    return name.strip('"')


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def _provider_of(type_name: str, body: dict[str, Any]) -> str:
    ref = body.get("provider")
    if isinstance(ref, str):
        return ref.removeprefix("${").removesuffix("}").split(".")[0]
    return type_name.split("_")[0]


class Checker:
    def __init__(self, schemas: dict[str, dict[str, Any]]) -> None:
        self.schemas = schemas
        self.problems: list[Problem] = []
        self.types_seen: set[tuple[str, str]] = set()  # (kind, type) for the coverage report
        self.declared: set[tuple[str, str, str]] = set()

    def check_dir(self, directory: Path) -> list[Problem]:
        docs = {}
        for path in sorted(directory.glob("*.tf")):
            with path.open() as fh:
                docs[path.name] = hcl2.load(fh)
        self.declared = {
            (kind, _unquote(t), _unquote(n))
            for doc in docs.values()
            for kind in ("resource", "data")
            for entry in doc.get(kind, [])
            for t, instances in entry.items()
            for n in instances
            if n not in META
        }
        for file, doc in docs.items():
            self.check_file(file, doc)
            for text in _expressions(doc):
                self._check_references(file, text)
        return self.problems

    def _check_references(self, file: str, text: str) -> None:
        for m in _REF.finditer(text):
            kind = "data" if m.group(1) else "resource"
            type_name, name = m.group(2), m.group(3)
            address = f"{'data.' if m.group(1) else ''}{type_name}.{name}"
            if (kind, type_name, name) not in self.declared:
                what = "data source" if kind == "data" else "resource"
                self._add(file, address, f"reference to an undeclared {what}")
                continue
            block = self._schema_of(kind, type_name)
            for attr in _STEP.findall(m.group(5))[:2]:
                if block is None:
                    break
                readable = set(block.get("readable", [])) | set(block["attributes"])
                if attr not in readable | set(block["blocks"]):
                    self._add(file, f"{address}.{attr}", "reference to an unknown attribute")
                    break
                nested = block["blocks"].get(attr)
                block = nested["block"] if nested else None
                address = f"{address}.{attr}"

    def _schema_of(self, kind: str, type_name: str) -> dict[str, Any] | None:
        key = "data_sources" if kind == "data" else "resources"
        for schema in self.schemas.values():
            if type_name in schema[key]:
                return schema[key][type_name]  # type: ignore[no-any-return]
        return None

    def check_file(self, file: str, doc: dict[str, Any]) -> None:
        for entry in doc.get("provider", []):
            for name, body in entry.items():
                name = _unquote(name)
                schema = self.schemas.get(name)
                if schema is None:
                    self._add(file, f"provider.{name}", "no schema for this provider")
                    continue
                self._walk(file, f"provider.{name}", body, schema["provider"], PROVIDER_META)
        for kind, key, meta in (
            ("resource", "resources", RESOURCE_META),
            ("data", "data_sources", DATA_META),
        ):
            for entry in doc.get(kind, []):
                for type_name, instances in entry.items():
                    type_name = _unquote(type_name)
                    for name, body in instances.items():
                        if name in META:
                            continue
                        self._check_resource(file, kind, key, type_name, _unquote(name), body, meta)

    def _check_resource(
        self,
        file: str,
        kind: str,
        key: str,
        type_name: str,
        name: str,
        body: dict[str, Any],
        meta: set[str],
    ) -> None:
        address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
        provider = _provider_of(type_name, body)
        schema = self.schemas.get(provider)
        if schema is None:
            self._add(file, address, f"no schema for provider {provider!r}")
            return
        block = schema[key].get(type_name)
        if block is None:
            others = [p for p, s in self.schemas.items() if p != provider and type_name in s[key]]
            hint = f" (it exists in {', '.join(others)}: set `provider`)" if others else ""
            self._add(file, address, f"unknown {kind} type for provider {provider}{hint}")
            return
        self.types_seen.add((kind, type_name))
        self._walk(file, address, body, block, meta)

    def _walk(
        self,
        file: str,
        address: str,
        body: dict[str, Any],
        schema: dict[str, Any],
        meta: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> None:
        attributes: dict[str, Any] = schema["attributes"]
        blocks: dict[str, Any] = schema["blocks"]
        present: set[str] = set()
        for key, value in body.items():
            if key in META or key in meta:
                continue
            if key == "dynamic":
                for name, dyn in self._dynamic(value):
                    present.add(name)
                    if name not in blocks:
                        self._add(file, f"{address}.dynamic.{name}", "not a block of this type")
                        continue
                    for content in dyn.get("content", []):
                        self._walk(file, f"{address}.{name}", content, blocks[name]["block"])
                continue
            present.add(key)
            if _is_block(value) and not (key in attributes and attributes[key]["nested"]):
                if key not in blocks:
                    what = "an argument, not a block" if key in attributes else "unknown block"
                    self._add(file, f"{address}.{key}", what)
                    continue
                for item in value:
                    self._walk(file, f"{address}.{key}", item, blocks[key]["block"])
            elif key not in attributes:
                what = "a block, not an argument" if key in blocks else "unknown argument"
                self._add(file, f"{address}.{key}", what)
        for key, spec in attributes.items():
            if spec["required"] and key not in present:
                self._add(file, address, f"missing required argument {key!r}")
        for key, spec in blocks.items():
            if spec["min_items"] and key not in present:
                self._add(file, address, f"missing required block {key!r}")

    @staticmethod
    def _dynamic(value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        for entry in value if isinstance(value, list) else [value]:
            for name, body in entry.items():
                if name not in META:
                    yield _unquote(name), body

    def _add(self, file: str, address: str, message: str) -> None:
        self.problems.append(Problem(file, address, message))


def _expressions(value: Any) -> Iterator[str]:
    """Every interpolated expression string in a parsed document."""
    if isinstance(value, str):
        if "${" in value:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _expressions(v)
    elif isinstance(value, list):
        for v in value:
            yield from _expressions(v)


def check(directory: Path, *, fetch: bool = True) -> Checker:
    schemas = {name: provider_schema.load(name, fetch=fetch) for name in provider_schema.PACKAGES}
    checker = Checker(schemas)
    checker.check_dir(directory)
    return checker

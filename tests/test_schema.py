"""The JSON Schemas for editors are generated from model.py and committed; they must not drift.

``jsonschema`` is not a dependency, so the shipped records are checked against the schemas with a
small checker for exactly the keywords ``schema.py`` emits; a test makes sure no other keyword
appears, so the checker can never silently skip part of a schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import KIND_DIRS, KINDS, RECORD_CLASSES, Spec, specs
from generator.schema import json_schema, json_schema_text, schema_modeline

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
REGENERATE = "the committed schemas are out of date; run: factsheet schemas -o schemas"


def committed(kind: str) -> str:
    return (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_matches_the_declarations(kind: str) -> None:
    assert committed(kind) == json_schema_text(kind), REGENERATE


def test_no_stray_schema_files() -> None:
    expected = sorted(f"{kind}.schema.json" for kind in KINDS)
    assert sorted(p.name for p in SCHEMAS.iterdir()) == expected, REGENERATE


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_modeline_points_at_the_committed_schema(kind: str) -> None:
    # The modeline is relative to the record file: content/<kind dir>/<id>.yaml.
    relative = schema_modeline(kind).split("$schema=", 1)[1]
    record_dir = ROOT / "content" / KIND_DIRS[kind]
    assert (record_dir / relative).resolve() == (SCHEMAS / f"{kind}.schema.json").resolve()


# --- the declarations ----------------------------------------------------------------------------


def all_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, Spec]]:
    """Every declared field, nested objects and list items included, with a dotted path."""
    for name, spec_ in specs(cls):
        path = f"{prefix or cls.__name__}.{name}"
        yield path, spec_
        t = spec_.type.item if spec_.type.name == "list" else spec_.type
        if t is not None and t.name == "object" and t.cls is not None:
            yield from all_fields(t.cls, path)


def test_every_field_has_help_text() -> None:
    fields = [field for cls in RECORD_CLASSES.values() for field in all_fields(cls)]
    assert len(fields) > 50  # the walk reaches nested objects
    blank = [path for path, spec_ in fields if not spec_.help.strip()]
    assert blank == []


def test_every_help_text_is_a_sentence() -> None:
    # Help texts are shown in skeletons, in the schemas and in "missing required field (…)".
    fields = [field for cls in RECORD_CLASSES.values() for field in all_fields(cls)]
    unfinished = [path for path, spec_ in fields if not spec_.help.rstrip().endswith((".", ")"))]
    assert unfinished == []


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_well_formed(kind: str) -> None:
    schema = json.loads(committed(kind))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    names = [name for name, _ in specs(RECORD_CLASSES[kind])]
    assert list(schema["properties"]) == names
    required = [name for name, spec_ in specs(RECORD_CLASSES[kind]) if spec_.required]
    assert schema["required"] == required
    for name, spec_ in specs(RECORD_CLASSES[kind]):
        assert schema["properties"][name]["description"] == spec_.help


# --- a small checker for the keywords schema.py emits ------------------------------------------

KNOWN = {
    "$schema",
    "$id",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "items",
    "minItems",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
}


def keywords(schema: dict[str, Any]) -> set[str]:
    found = set(schema)
    for sub in schema.get("properties", {}).values():
        found |= keywords(sub)
    if "items" in schema:
        found |= keywords(schema["items"])
    return found


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    raise AssertionError(f"unknown JSON type {name}")


def check(value: Any, schema: dict[str, Any], where: str = "") -> Iterator[str]:
    """Every way ``value`` breaks ``schema``, as ``where: why`` lines."""
    if "type" in schema and not _is_type(value, schema["type"]):
        yield f"{where}: expected {schema['type']}, got {type(value).__name__}"
        return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} not in enum"
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{where}: {value!r} does not match {schema['pattern']}"
        if len(value) < schema.get("minLength", 0):
            yield f"{where}: shorter than {schema['minLength']}"
        if len(value) > schema.get("maxLength", len(value)):
            yield f"{where}: longer than {schema['maxLength']}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < schema.get("minimum", value):
            yield f"{where}: below {schema['minimum']}"
        if value > schema.get("maximum", value):
            yield f"{where}: above {schema['maximum']}"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield f"{where}: fewer than {schema['minItems']} items"
        for i, item in enumerate(value):
            yield from check(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if len(value) < schema.get("minProperties", 0):
            yield f"{where}: fewer than {schema['minProperties']} properties"
        for name in schema.get("required", []):
            if name not in value:
                yield f"{where}.{name}: required"
        for name, item in value.items():
            if name in properties:
                yield from check(item, properties[name], f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                yield f"{where}.{name}: not allowed"


@pytest.mark.parametrize("kind", KINDS)
def test_checker_knows_every_keyword_in_the_schema(kind: str) -> None:
    assert keywords(json_schema(kind)) <= KNOWN


def test_checker_rejects_what_it_should() -> None:
    schema = json_schema("place")
    record = {"kind": "town", "name": {"xx": "X"}, "country": "iq", "extra": 1}
    assert sorted(check(record, schema)) == [
        ".country: 'iq' does not match ^[A-Z]{2}$",
        ".extra: not allowed",
        ".kind: 'town' not in enum",
        ".name.xx: not allowed",
    ]


def shipped_records() -> Iterator[Any]:
    for kind in KINDS:
        for path in sorted((ROOT / "content" / KIND_DIRS[kind]).glob("*.yaml")):
            yield pytest.param(kind, path, id=f"{KIND_DIRS[kind]}/{path.name}")


@pytest.mark.parametrize(("kind", "path"), list(shipped_records()))
def test_shipped_record_matches_its_schema(kind: str, path: Path) -> None:
    # The shipped content quotes its dates, so PyYAML's own typing agrees with the schema here.
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads(committed(kind))
    assert set(record) <= set(schema["properties"])
    assert set(schema["required"]) <= set(record)
    assert list(check(record, schema)) == []


def test_every_kind_has_shipped_records() -> None:
    kinds = {values[0] for values in (p.values for p in shipped_records())}
    assert kinds == set(KINDS)

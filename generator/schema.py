"""JSON Schemas for editors, and commented skeletons for new records.

Both are generated from the declarations in ``model.py``; ``tests/test_schema.py``
fails when the committed ``schemas/*.schema.json`` drift from them.
"""

from __future__ import annotations

import json
from typing import Any

from .model import (
    ID_MAX,
    ID_PATTERN,
    KIND_DIRS,
    LANGUAGES,
    RECORD_CLASSES,
    SITE_LANGUAGES,
    T,
    specs,
)

_DATE = (
    r"^(\[\.\.[0-9]{4}(-[0-9]{2}){0,2}[~?%]?\]|\[[0-9]{4}(-[0-9]{2}){0,2}[~?%]?\.\.\]"
    r"|([0-9]{4}(-[0-9]{2}){0,2}[~?%]?|\.\.)(/([0-9]{4}(-[0-9]{2}){0,2}[~?%]?|\.\.))?)$"
)
_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string", "minLength": 1},
    "ref": {"type": "string", "pattern": f"^{ID_PATTERN}$", "maxLength": ID_MAX},
    "slug": {"type": "string", "pattern": f"^{ID_PATTERN}$", "maxLength": ID_MAX},
    "factref": {"type": "string", "pattern": f"^{ID_PATTERN}#{ID_PATTERN}$"},
    "date": {"type": "string", "pattern": _DATE},
    "date_jalali": {"type": "string", "pattern": _DATE},
    "url": {"type": "string", "pattern": "^https?://"},
    "bool": {"type": "boolean"},
    "lang": {"type": "string", "enum": list(LANGUAGES)},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "wikidata": {"type": "string", "pattern": "^Q[1-9][0-9]*$"},
    "number": {"type": "number"},
    "int": {"type": "integer"},
}


def _type_schema(t: T) -> dict[str, Any]:
    if t.name == "enum":
        return {"type": "string", "enum": list(t.choices)}
    if t.name == "text":
        out: dict[str, Any] = {
            "type": "object",
            "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        }
        if t.all_languages:
            out["required"] = list(SITE_LANGUAGES)
        return out
    if t.name == "list":
        assert t.item is not None
        out = {"type": "array", "items": _type_schema(t.item)}
        if t.min_items:
            out["minItems"] = t.min_items
        return out
    if t.name == "object":
        assert t.cls is not None
        return _object_schema(t.cls)
    out = dict(_SCALARS[t.name])
    if t.name in ("number", "int"):
        if t.lo is not None:
            out["minimum"] = t.lo
        if t.hi is not None:
            out["maximum"] = t.hi
    return out


def _object_schema(cls: type) -> dict[str, Any]:
    properties = {}
    required = []
    for name, spec_ in specs(cls):
        prop = _type_schema(spec_.type)
        prop["description"] = spec_.help
        properties[name] = prop
        if spec_.required:
            required.append(name)
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def json_schema(kind: str) -> dict[str, Any]:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{kind}.schema.json",
        "title": f"factsheet {kind}",
        "description": f"One {kind} record: content/{KIND_DIRS[kind]}/<id>.yaml",
    }
    schema.update(_object_schema(RECORD_CLASSES[kind]))
    return schema


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema_modeline(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"


# -- skeletons -------------------------------------------------------------------------


def _comment(t: T, help_: str) -> str:
    choices = ", ".join(t.choices)
    # Some help texts already list the choices; saying them twice only makes the line longer.
    if t.name == "enum" and choices not in help_:
        return f"{help_} One of: {choices}."
    return help_


def _example(t: T, example: str) -> str:
    """The example as it should be typed: dates are always quoted strings."""
    if example and t.name in ("date", "date_jalali"):
        return f' "{example}"'
    return f" {example}" if example else ""


def _skeleton_lines(cls: type, indent: str, optional: bool) -> list[str]:
    lines: list[str] = []
    prefix = "# " if optional else ""
    for name, spec_ in specs(cls):
        opt = optional or not spec_.required
        p = "# " if opt else prefix
        req = "required" if spec_.required else "optional"
        t = spec_.type
        lines.append(f"{indent}# {_comment(t, spec_.help)} ({req})")
        example = _example(t, spec_.example) if opt else ""
        if t.name == "text":
            lines.append(f"{indent}{p}{name}:")
            for lang in SITE_LANGUAGES:
                lines.append(f"{indent}{p}  {lang}:")
        elif t.name == "list" and t.item is not None and t.item.name == "object":
            assert t.item.cls is not None
            lines.append(f"{indent}{p}{name}:")
            lines.append(f"{indent}{p}  -")
            lines.extend(_skeleton_lines(t.item.cls, indent + "    ", opt))
        elif t.name == "list":
            lines.append(f"{indent}{p}{name}: []")
        elif t.name == "object":
            assert t.cls is not None
            lines.append(f"{indent}{p}{name}:")
            lines.extend(_skeleton_lines(t.cls, indent + "  ", opt))
        else:
            lines.append(f"{indent}{p}{name}:{example}")
    return lines


def skeleton(kind: str, record_id: str) -> str:
    cls = RECORD_CLASSES[kind]
    head = [
        schema_modeline(kind),
        f"# A new {kind}: content/{KIND_DIRS[kind]}/{record_id}.yaml (the file name is its id).",
        "# Fill in every field not commented out; uncomment optional ones you need.",
        "# Check it with: factsheet validate",
        "",
    ]
    return "\n".join(head + _skeleton_lines(cls, "", False)) + "\n"

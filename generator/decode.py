"""Nodes to typed records, driven by the declarations in ``model.py``.

Each record is decoded on its own: every field problem is collected (unknown
fields, missing ones, wrong types, bad values) and the record is still built
from what was usable, so one pass reports everything. Cross-record checks are
``validate.py``'s.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import dates, escape
from .load import Map, Node, Scalar, Seq
from .model import ID_MAX, ID_PATTERN, LANGUAGES, SITE_LANGUAGES, Spec, T, specs
from .problems import Problem
from .text import bidi_control_problem, describe_char

_ID = re.compile(ID_PATTERN)
_COUNTRY = re.compile(r"[A-Z]{2}")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@dataclass
class Ctx:
    """Where problems and marks go while one file is decoded."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def error(self, node: Node | Scalar, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, node.mark.line, node.mark.column, where, message))


def _kind_of(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return "a value" if node.value else "nothing"


def quote(value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "…"
    shown = shown.replace("\\", "\\\\").replace('"', '\\"')
    # Invisible and bidi characters are spelled out: printed raw they would hide themselves,
    # or reorder the contributor's terminal line.
    return '"' + "".join(_escape_invisible(c) for c in shown) + '"'


def _escape_invisible(c: str) -> str:
    if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
    return c


def id_problem(value: str, what: str = "id") -> str | None:
    """Why ``value`` cannot be an id, or None. Ids become file names and URLs."""
    if not value:
        return f"{what} is empty"
    if len(value) > ID_MAX:
        return f"{what} {quote(value)} is longer than {ID_MAX} characters"
    if not value.isascii():
        odd = next(c for c in value if not c.isascii())
        return (
            f"{what} {quote(value)} contains {describe_char(odd)}; "
            "ids are lowercase ASCII letters, digits and single hyphens"
        )
    if "/" in value or "\\" in value or ".." in value:
        return f"{what} {quote(value)} contains a path separator or '..'"
    if not _ID.fullmatch(value):
        return (
            f"{what} {quote(value)} is not kebab-case; "
            "ids are lowercase ASCII letters, digits and single hyphens"
        )
    return None


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {quote(close[0])}?)" if close else ""


def _url_problem(value: str) -> str | None:
    if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in value):
        return f"{quote(value)} contains spaces or control characters"
    try:
        parsed = urllib.parse.urlsplit(value)
        parsed.port  # noqa: B018 -- a port that is not a number raises only here
    except ValueError:  # e.g. an unbalanced "[" or "]" in the host
        return f"{quote(value)} is not a valid URL"
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return f"{quote(value)} is not an http(s) URL"
    if escape.url(value) is None:
        # What the pages could not link, the validator says, rather than a silent plain text.
        return (
            f"{quote(value)} cannot be linked safely: no user name or password before the "
            "host, no backslashes or invisible characters, and a well-formed host name"
        )
    return None


def decode_scalar(t: T, node: Scalar, where: str, ctx: Ctx) -> Any:
    """One scalar to its typed value, or None with a problem."""
    value = node.value
    name = t.name
    if name == "bool":
        if node.plain and value in ("true", "false"):
            return value == "true"
        ctx.error(node, where, f"{quote(value)} is not a boolean; write true or false")
        return None
    if problem := bidi_control_problem(value):
        ctx.error(node, where, problem)
        return None
    if name == "str":
        text = value.strip()
        if not text:
            ctx.error(node, where, "is empty")
            return None
        return text
    if name == "enum":
        if value in t.choices:
            return value
        hint = _did_you_mean(value, t.choices)
        ctx.error(node, where, f"{quote(value)} is not one of: {', '.join(t.choices)}{hint}")
        return None
    if name in ("ref", "slug"):
        if problem := id_problem(value, "id" if name == "slug" else "reference"):
            ctx.error(node, where, problem)
            return None
        return value
    if name == "factref":
        sheet, sep, fact = value.partition("#")
        if not sep or id_problem(sheet) or id_problem(fact):
            ctx.error(
                node, where, f"{quote(value)} is not a fact reference; write sheet-id#fact-id"
            )
            return None
        return value
    if name in ("date", "date_jalali"):
        calendar = "jalali" if name == "date_jalali" else "gregorian"
        try:
            return dates.parse_date(value, calendar)
        except dates.DateError as err:
            ctx.error(node, where, str(err))
            return None
    if name == "url":
        if problem := _url_problem(value):
            ctx.error(node, where, problem)
            return None
        return value
    if name == "lang":
        if value in LANGUAGES:
            return value
        hint = _did_you_mean(value, tuple(LANGUAGES))
        ctx.error(
            node,
            where,
            f"{quote(value)} is not a known language code{hint}; "
            f"use one of: {', '.join(LANGUAGES)}",
        )
        return None
    if name == "country":
        if _COUNTRY.fullmatch(value):
            return value
        ctx.error(node, where, f"{quote(value)} is not an ISO 3166-1 alpha-2 code like IQ")
        return None
    if name == "wikidata":
        if _WIKIDATA.fullmatch(value):
            return value
        ctx.error(node, where, f"{quote(value)} is not a Wikidata item id like Q42")
        return None
    if name == "int":
        if not value.isascii() or not value.isdigit() or (len(value) > 1 and value[0] == "0"):
            ctx.error(node, where, f"{quote(value)} is not a whole number")
            return None
        number = int(value)
        if t.lo is not None and number < t.lo:
            ctx.error(node, where, f"{value} is less than {t.lo:g}")
            return None
        return number
    if name == "number":
        if not _NUMBER.fullmatch(value):
            ctx.error(node, where, f"{quote(value)} is not a decimal number")
            return None
        number = float(value)
        if (t.lo is not None and number < t.lo) or (t.hi is not None and number > t.hi):
            ctx.error(node, where, f"{value} is outside {t.lo:g} to {t.hi:g}")
            return None
        return number
    raise AssertionError(f"unknown scalar type {name}")  # a bug in model.py, not content


def decode_text(t: T, node: Node, where: str, ctx: Ctx) -> dict[str, str]:
    if not isinstance(node, Map):
        ctx.error(
            node, where, f"expected a map of languages like {{fa: …, en: …}}, got {_kind_of(node)}"
        )
        return {}
    out: dict[str, str] = {}
    for key, value in node.items:
        sub = f"{where}.{key.value}"
        ctx.marks[sub] = (value.mark.line, value.mark.column)
        if key.value not in LANGUAGES:
            hint = _did_you_mean(key.value, tuple(LANGUAGES))
            ctx.error(key, sub, f"{quote(key.value)} is not a known language code{hint}")
            continue
        if not isinstance(value, Scalar):
            ctx.error(value, sub, f"expected text, got {_kind_of(value)}")
            continue
        if value.is_null or not value.value.strip():
            ctx.error(value, sub, "is empty")
            continue
        if problem := bidi_control_problem(value.value):
            ctx.error(value, sub, problem)
            continue
        out[key.value] = value.value.strip()
    if t.all_languages:
        for lang in SITE_LANGUAGES:
            if lang not in out and node.get(lang) is None:
                ctx.error(node, where, f"missing translation: {lang} ({LANGUAGES[lang]})")
    return out


def decode_value(t: T, node: Node, where: str, ctx: Ctx) -> Any:
    ctx.marks[where] = (node.mark.line, node.mark.column)
    if t.name == "text":
        return decode_text(t, node, where, ctx)
    if t.name == "list":
        assert t.item is not None
        if not isinstance(node, Seq):
            ctx.error(node, where, f"expected a list, got {_kind_of(node)}")
            return ()
        if len(node.items) < t.min_items:
            noun = "citation" if where.endswith("cite") else "item"
            ctx.error(node, where, f"at least {t.min_items} {noun} is required")
        # A rejected item stays as None so later items keep the index the contributor
        # sees in the file; a record with problems is never rendered.
        return tuple(
            decode_value(t.item, item, f"{where}[{i}]", ctx) for i, item in enumerate(node.items)
        )
    if t.name == "object":
        assert t.cls is not None
        if not isinstance(node, Map):
            ctx.error(node, where, f"expected a mapping of fields, got {_kind_of(node)}")
            return None
        return decode_object(t.cls, node, where, ctx)
    if not isinstance(node, Scalar):
        ctx.error(node, where, f"expected a single value, got {_kind_of(node)}")
        return None
    return decode_scalar(t, node, where, ctx)


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(name for name, _ in specs(cls))


def decode_object(cls: type, node: Map, prefix: str, ctx: Ctx) -> Any:
    declared = specs(cls)
    names = _names(cls)
    suggested: set[str] = set()
    for key, _ in node.items:
        if key.value not in names:
            where = f"{prefix}.{key.value}" if prefix else key.value
            close = difflib.get_close_matches(key.value, names, n=1, cutoff=0.6)
            suggested.update(close)
            hint = f" (did you mean {quote(close[0])}?)" if close else ""
            ctx.error(key, where, f"unknown field {quote(key.value)}{hint}")
    values: dict[str, Any] = {}
    for name, spec_ in declared:
        where = f"{prefix}.{name}" if prefix else name
        child = node.get(name)
        if child is None:
            # A misspelt key already got "did you mean"; one line per mistake is enough.
            if spec_.required and name not in suggested:
                ctx.error(node, where, f"missing required field: {spec_.help.rstrip('.')}")
            continue
        if isinstance(child, Scalar) and child.is_null:
            if spec_.required:
                # Point at the blank key itself, not at the start of the mapping holding it.
                key = node.key_node(name) or node
                ctx.error(key, where, f"required field is empty: {_help(spec_)}")
            continue
        value = decode_value(spec_.type, child, where, ctx)
        if value is not None:
            values[name] = value
    return cls(**values)


def _help(spec_: Spec) -> str:
    return spec_.help.rstrip(".")


def decode_record(
    cls: type, node: Node, path: str
) -> tuple[Any, dict[str, tuple[int, int]], list[Problem]]:
    """Decode one file's root node into ``cls``; the record is built even when some fields fail."""
    ctx = Ctx(path)
    ctx.marks[""] = (node.mark.line, node.mark.column)
    if not isinstance(node, Map):
        ctx.error(node, "", f"expected a mapping of fields, got {_kind_of(node)}")
        return None, ctx.marks, ctx.problems
    data = decode_object(cls, node, "", ctx)
    return data, ctx.marks, ctx.problems


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]

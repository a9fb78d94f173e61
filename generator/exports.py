"""The validated content published as data: a JSON bundle, a CSV of facts, JSON Schemas.

Everything here returns bytes and is deterministic: keys and rows in a fixed order, ``\\n``
line endings in JSON and RFC 4180's ``\\r\\n`` in CSV, no clock, no absolute path. The same
content and site settings give the same bytes, so both language builds publish identical
copies and a rebuild changes a download only when the content changed.

``Site`` (where each language's pages live) is shared with ``jsonld.py`` and ``feeds.py``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .dates import EDate
from .graph import Graph
from .model import (
    DATE_TYPES,
    KIND_DIRS,
    KINDS,
    REF_TYPES,
    SITE_LANGUAGES,
    Record,
    T,
    fields_holding,
    specs,
)
from .schema import json_schema, json_schema_text
from .validate import Content, when

BUNDLE_FORMAT = "factsheet-bundle"
BUNDLE_VERSION = 1

#: Where the generated files go, relative to each language's site root.
DATA_DIR = "data"
BUNDLE_PATH = f"{DATA_DIR}/factsheet.json"
CSV_PATH = f"{DATA_DIR}/facts.csv"
SCHEMA_DIR = f"{DATA_DIR}/schemas"
BUNDLE_SCHEMA_PATH = f"{SCHEMA_DIR}/bundle.schema.json"
#: The Atom feed of each language (feeds.py), at the language's root.
FEED_PATH = "feed.xml"

ROLE_COLUMNS = {
    "actor": "actors",
    "counterpart": "counterparts",
    "supporter": "supporters",
    "target": "targets",
    "subject": "subjects",
}

#: The columns of facts.csv, in order; the Data page documents each (labels ``data_col_*``).
CSV_COLUMNS: tuple[str, ...] = (
    "sheet",
    "fact",
    "sheet_status",
    "kind",
    "status",
    "rank",
    "background",
    "date",
    "date_jalali",
    "date_form",
    "date_start",
    "date_end",
    "date_precision",
    "date_qualifier",
    *ROLE_COLUMNS.values(),
    "speaker",
    "place",
    "place_country",
    "place_lat",
    "place_lon",
    "place_geo_precision",
    "sources",
    "updates",
    *(f"text_{lang}" for lang in SITE_LANGUAGES),
    *(f"url_{lang}" for lang in SITE_LANGUAGES),
)
#: Joins several ids in one CSV cell; ids never contain it.
LIST_SEPARATOR = ";"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Site:
    """Where the published site lives: each language's root URL, ending in ``/``.

    Absolute when the owner set ``site_url`` in mkdocs.yml; root-relative otherwise.
    """

    roots: dict[str, str] = field(
        default_factory=lambda: {lang: f"/{lang}/" for lang in SITE_LANGUAGES}
    )
    name: str = "Factsheet"
    licence: str = ""
    directory_urls: bool = True

    def url(self, lang: str, docs_path: str, anchor: str = "") -> str:
        """The public URL of a docs page (``sheets/x.md``) in one language."""
        return (
            self.roots[lang]
            + page_url(docs_path, self.directory_urls)
            + (f"#{anchor}" if anchor else "")
        )

    def record_url(self, lang: str, record: Record, anchor: str = "") -> str:
        return self.url(lang, f"{KIND_DIRS[record.kind]}/{record.id}.md", anchor)

    def urls(self, record: Record, anchor: str = "") -> dict[str, str]:
        return {lang: self.record_url(lang, record, anchor) for lang in SITE_LANGUAGES}


def page_url(docs_path: str, directory_urls: bool = True) -> str:
    """MkDocs' URL for a Markdown file, relative to the site root."""
    stem = docs_path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# -- walking a record ------------------------------------------------------------------


def walk(
    obj: object, prefix: str = "", only: frozenset[str] | None = None
) -> Iterator[tuple[str, T, Any]]:
    """Every given leaf of a record, with its field path (``facts[0].cite[1].quote``) and
    declared type; language maps are leaves. Lists and objects are walked into. With
    ``only`` (type names), just the leaves of those types, and only the fields that can hold
    them are visited."""
    fields = specs(type(obj)) if only is None else fields_holding(type(obj), only)
    for name, spec_ in fields:
        value = getattr(obj, name)
        where = f"{prefix}.{name}" if prefix else name
        yield from _walk_value(spec_.type, value, where, only)


def _walk_value(
    t: T, value: Any, where: str, only: frozenset[str] | None
) -> Iterator[tuple[str, T, Any]]:
    if value is None or value == () or value == {}:
        return
    if t.name == "list" and t.item is not None:
        for i, item in enumerate(value):
            yield from _walk_value(t.item, item, f"{where}[{i}]", only)
    elif t.name == "object":
        yield from walk(value, where, only)
    elif only is None or t.name in only:
        yield where, t, value


def plain(obj: object) -> dict[str, Any]:
    """A record's data as a contributor would write it (dates as their strings), leaving out
    what was not given; it validates against the record kind's JSON Schema."""
    out: dict[str, Any] = {}
    for name, spec_ in specs(type(obj)):
        value = _plain_value(spec_.type, getattr(obj, name))
        if value is not None:
            out[name] = value
    return out


def _plain_value(t: T, value: Any) -> Any:
    if value is None or value == () or value == {} or (t.name == "bool" and value is False):
        return None
    if t.name == "list" and t.item is not None:
        return [_plain_value(t.item, item) for item in value]
    if t.name == "object":
        return plain(value)
    if isinstance(value, EDate):
        return value.text
    if t.name == "text":
        return dict(sorted(value.items()))
    return value


# -- dates -------------------------------------------------------------------------------

_PRECISIONS = ("day", "month", "year")


def date_precision(d: EDate) -> str:
    """The coarser precision of the date's given ends: a span is never reported finer than
    its vaguest end."""
    points = [p for p in (d.start, d.end) if p is not None]
    return max((p.precision for p in points), key=_PRECISIONS.index)


def date_qualifier(d: EDate) -> str:
    """``approximate``, ``uncertain``, both (space-separated) or ``""``."""
    points = [p for p in (d.start, d.end) if p is not None]
    words = []
    if any(p.approximate for p in points):
        words.append("approximate")
    if any(p.uncertain for p in points):
        words.append("uncertain")
    return " ".join(words)


def resolved_date(d: EDate) -> dict[str, Any]:
    """A date field spelled out: first and last Gregorian day covered (``None`` for an open
    end), how precise it is and how it is qualified."""
    first, last = d.first(), d.last()
    return {
        "edtf": d.text,
        "calendar": d.calendar,
        "form": d.form,
        "start": first.isoformat() if first else None,
        "end": last.isoformat() if last else None,
        "precision": date_precision(d),
        "qualifier": date_qualifier(d),
    }


# -- the JSON bundle ---------------------------------------------------------------------


def _display_name(record: Record) -> dict[str, str]:
    value = getattr(record.data, "name", None) or getattr(record.data, "title", None) or {}
    return dict(sorted(value.items()))


def _references(content: Content, site: Site, record: Record) -> list[dict[str, Any]]:
    refs = []
    for where, t, value in walk(record.data, only=REF_TYPES):
        if t.name == "ref":
            target = content.get(value)
            if target is not None:
                refs.append(
                    {"field": where, "id": value, "kind": target.kind, "urls": site.urls(target)}
                )
        elif t.name == "factref":
            found = content.fact(value)
            if found is not None:
                sheet, fact = found
                refs.append(
                    {
                        "field": where,
                        "id": value,
                        "kind": "fact",
                        "urls": site.urls(sheet, fact.id),
                    }
                )
    return refs


def _dates(record: Record) -> list[dict[str, Any]]:
    return [
        {"field": where, **resolved_date(value)}
        for where, t, value in walk(record.data, only=DATE_TYPES)
        if isinstance(value, EDate)
    ]


def _facts(graph: Graph, site: Site, record: Record) -> list[dict[str, Any]]:
    out = []
    for fact in record.data.facts:
        key = f"{record.id}#{fact.id}"
        d = when(fact)
        out.append(
            {
                "id": fact.id,
                "ref": key,
                "urls": site.urls(record, fact.id),
                "date": resolved_date(d) if d is not None else None,
                "updated_by": [ref.key for ref in graph.updated_by.get(key, [])],
            }
        )
    return out


def record_entry(graph: Graph, site: Site, record: Record) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": record.id,
        "kind": record.kind,
        "file": record.path,
        "name": _display_name(record),
        "urls": site.urls(record),
        "data": plain(record.data),
        "references": _references(graph.content, site, record),
        "dates": _dates(record),
    }
    if record.kind == "sheet":
        entry["facts"] = _facts(graph, site, record)
    return entry


def bundle_data(graph: Graph, site: Site, *, with_records: bool = True) -> dict[str, Any]:
    content = graph.content
    counts = {kind: len(content.of_kind(kind)) for kind in KINDS}
    counts["fact"] = len(graph.facts)
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "site": site.name,
        "licence": site.licence,
        "languages": list(SITE_LANGUAGES),
        "home": {lang: site.url(lang, "index.md") for lang in SITE_LANGUAGES},
        "counts": counts,
        "records": (
            [record_entry(graph, site, r) for r in content.records.values()] if with_records else []
        ),
    }


def _json_bytes(data: object, *, sort_keys: bool = True) -> bytes:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys, allow_nan=False)
    return (text + "\n").encode("utf-8")


def bundle(graph: Graph, site: Site) -> bytes:
    out = io.BytesIO()
    write_bundle(graph, site, out)
    return out.getvalue()


# Compact: the bundle grows with the content (indented, it was a third larger and took four
# times as long, as Python's JSON encoder only runs in C without indentation).
_COMPACT = {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": True, "allow_nan": False}
_RECORDS_SLOT = '"records":[]'


def write_bundle(graph: Graph, site: Site, out: IO[bytes]) -> None:
    """The bundle, record by record: the same bytes as encoding it whole, without holding
    the whole of it (hundreds of MB at 10,000 sheets) in memory."""
    head = bundle_data(graph, site, with_records=False)
    # Any "records":[] inside a string is escaped ("\"records\"…"), so this is the key.
    before, after = json.dumps(head, **_COMPACT).split(_RECORDS_SLOT, 1)
    out.write(before.encode("utf-8") + b'"records":[')
    for i, record in enumerate(graph.content.records.values()):
        entry = json.dumps(record_entry(graph, site, record), **_COMPACT)
        out.write((b"," if i else b"") + entry.encode("utf-8"))
    out.write(b"]" + after.encode("utf-8") + b"\n")


# -- the bundle's schema -------------------------------------------------------------------

_URLS = {
    "type": "object",
    "properties": {lang: {"type": "string", "minLength": 1} for lang in SITE_LANGUAGES},
    "required": list(SITE_LANGUAGES),
    "additionalProperties": False,
}
_NULLABLE_DAY = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_RESOLVED_DATE = {
    "type": "object",
    "properties": {
        "edtf": {"type": "string"},
        "calendar": {"enum": ["gregorian", "jalali"]},
        "form": {"enum": ["point", "interval", "before", "after"]},
        "start": _NULLABLE_DAY,
        "end": _NULLABLE_DAY,
        "precision": {"enum": list(_PRECISIONS)},
        "qualifier": {"enum": ["", "approximate", "uncertain", "approximate uncertain"]},
    },
    "required": ["edtf", "calendar", "form", "start", "end", "precision", "qualifier"],
}
# Closed where it is used, so "dates" items can add their "field" key.
_CLOSED_DATE = {"allOf": [{"$ref": "#/$defs/resolved_date"}], "unevaluatedProperties": False}


def _record_kind_schema(kind: str) -> dict[str, Any]:
    # Embedded without $id/$schema so "#/$defs/…" references stay inside one resource.
    schema = json_schema(kind)
    return {k: v for k, v in schema.items() if k not in ("$id", "$schema")}


def bundle_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of factsheet.json; each record's ``data`` is checked against
    its kind's schema, the same one editors use."""
    record = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "kind": {"enum": list(KINDS)},
            "file": {"type": "string"},
            "name": {"type": "object", "additionalProperties": {"type": "string"}},
            "urls": {"$ref": "#/$defs/urls"},
            "data": {"type": "object"},
            "references": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "id": {"type": "string"},
                        "kind": {"enum": [*KINDS, "fact"]},
                        "urls": {"$ref": "#/$defs/urls"},
                    },
                    "required": ["field", "id", "kind", "urls"],
                    "additionalProperties": False,
                },
            },
            "dates": {
                "type": "array",
                "items": {
                    "allOf": [{"$ref": "#/$defs/resolved_date"}],
                    "properties": {"field": {"type": "string"}},
                    "required": ["field"],
                    "unevaluatedProperties": False,
                },
            },
            "facts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "ref": {"type": "string"},
                        "urls": {"$ref": "#/$defs/urls"},
                        "date": {"oneOf": [{"type": "null"}, _CLOSED_DATE]},
                        "updated_by": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["id", "ref", "urls", "date", "updated_by"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["id", "kind", "file", "name", "urls", "data", "references", "dates"],
        "additionalProperties": False,
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}},
                "then": {"properties": {"data": {"$ref": f"#/$defs/{kind}"}}},
            }
            for kind in KINDS
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "bundle.schema.json",
        "title": "factsheet data bundle",
        "description": "Every validated record, with page URLs in every site language.",
        "type": "object",
        "properties": {
            "format": {"const": BUNDLE_FORMAT},
            "version": {"const": BUNDLE_VERSION},
            "site": {"type": "string"},
            "licence": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "home": {"$ref": "#/$defs/urls"},
            "counts": {
                "type": "object",
                "properties": {k: {"type": "integer"} for k in (*KINDS, "fact")},
                "required": [*KINDS, "fact"],
                "additionalProperties": False,
            },
            "records": {"type": "array", "items": {"$ref": "#/$defs/record"}},
        },
        "required": ["format", "version", "site", "licence", "languages", "counts", "records"],
        "additionalProperties": False,
        "$defs": {
            "urls": _URLS,
            "resolved_date": _RESOLVED_DATE,
            "record": record,
            **{kind: _record_kind_schema(kind) for kind in KINDS},
        },
    }


# -- the CSV of facts --------------------------------------------------------------------


def _guard(text: str) -> str:
    """Free text for a spreadsheet cell: a leading ``'`` stops a formula from running."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _number(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def fact_rows(graph: Graph, site: Site) -> Iterator[dict[str, str]]:
    """One row per fact, in timeline order (undated last)."""
    content = graph.content
    for ref in graph.facts:
        sheet, fact = ref.sheet, ref.fact
        d = ref.date
        place = content.get(fact.place, "place") if fact.place else None
        geo = place.data.geo if place is not None else None
        row = {
            "sheet": sheet.id,
            "fact": fact.id,
            "sheet_status": sheet.data.status or "",
            "kind": fact.kind or "",
            "status": fact.status or "",
            "rank": fact.rank or "normal",
            "background": "true" if fact.background else "false",
            "date": fact.date.text if fact.date else "",
            "date_jalali": fact.date_jalali.text if fact.date_jalali else "",
            "date_form": d.form if d else "",
            "date_start": (d.first().isoformat() if d and d.first() else ""),
            "date_end": (d.last().isoformat() if d and d.last() else ""),
            "date_precision": date_precision(d) if d else "",
            "date_qualifier": date_qualifier(d) if d else "",
            "speaker": fact.said_by or "",
            "place": fact.place or "",
            "place_country": place.data.country if place is not None else "",
            "place_lat": _number(geo.lat) if geo is not None else "",
            "place_lon": _number(geo.lon) if geo is not None else "",
            "place_geo_precision": geo.precision if geo is not None else "",
            "sources": LIST_SEPARATOR.join(dict.fromkeys(c.source for c in fact.cite)),
            "updates": fact.updates or "",
        }
        for role, column in ROLE_COLUMNS.items():
            row[column] = LIST_SEPARATOR.join(p.party for p in fact.parties if p.role == role)
        for lang in SITE_LANGUAGES:
            row[f"text_{lang}"] = _guard(fact.text.get(lang, ""))
            row[f"url_{lang}"] = site.record_url(lang, sheet, fact.id)
        yield row


def facts_csv(graph: Graph, site: Site) -> bytes:
    out = io.BytesIO()
    write_facts_csv(graph, site, out)
    return out.getvalue()


def write_facts_csv(graph: Graph, site: Site, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(fact_rows(graph, site))
    text.detach()  # the caller's stream stays open


# -- everything at once ----------------------------------------------------------------


def data_files(graph: Graph, site: Site) -> dict[str, bytes]:
    """Every generated data file by its path under a language's site root, in path order."""
    files = {
        BUNDLE_PATH: bundle(graph, site),
        CSV_PATH: facts_csv(graph, site),
        **_small_files(),
    }
    return dict(sorted(files.items()))


def _small_files() -> dict[str, bytes]:
    paths = schema_paths()
    files = {paths["bundle"]: _json_bytes(bundle_schema(), sort_keys=False)}
    for kind in KINDS:
        files[paths[kind]] = json_schema_text(kind).encode("utf-8")
    return files


def data_file_paths() -> list[str]:
    """The paths ``data_files`` has, in path order, known before any is written."""
    return sorted([BUNDLE_PATH, CSV_PATH, *schema_paths().values()])


def write_data_files(graph: Graph, site: Site, out_dir: Path) -> dict[str, Path]:
    """``data_files`` written into ``out_dir``, the large ones as they are produced;
    returns each file by its path under a language's site root, in path order."""
    written = {}
    for path, writer in ((BUNDLE_PATH, write_bundle), (CSV_PATH, write_facts_csv)):
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            writer(graph, site, f)
        written[path] = target
    for path, data in _small_files().items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[path] = target
    return dict(sorted(written.items()))


def schema_paths() -> dict[str, str]:
    """The schema files a reader can download, by record kind (and ``bundle``)."""
    return {
        "bundle": BUNDLE_SCHEMA_PATH,
        **{kind: f"{SCHEMA_DIR}/{kind}.schema.json" for kind in KINDS},
    }

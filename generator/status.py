"""The maintainers' view: what the content still needs, as one report.

* translation coverage per site language: every language map (titles, names, notes, roles…)
  and every quote's translation, with where each missing one is;
* plans whose date window has passed with no later fact that ``updates`` them;
* sources without an archive link;
* draft sheets;
* quotes marked as not verbatim.

``today`` is a parameter: the report is a pure function of the content and the day.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from .exports import walk
from .graph import Graph
from .model import SITE_LANGUAGES, Record
from .validate import when


@dataclass(frozen=True)
class Where:
    """A place in a record, in the same form as validation problems."""

    file: str
    line: int
    column: int
    field: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.field}" if self.field else where


def _where(record: Record, field_path: str) -> Where:
    line, column = record.mark(field_path)
    return Where(record.path, line, column, field_path)


@dataclass(frozen=True)
class Coverage:
    lang: str
    total: int
    translated: int
    missing: list[Where] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0


@dataclass(frozen=True)
class OverduePlan:
    ref: str
    date: str
    window_end: str
    where: Where


@dataclass(frozen=True)
class Unarchived:
    source: str
    has_url: bool
    where: Where


@dataclass(frozen=True)
class Draft:
    sheet: str
    where: Where


@dataclass(frozen=True)
class NotVerbatim:
    ref: str
    source: str
    locator: str
    where: Where


@dataclass(frozen=True)
class Report:
    today: date
    coverage: list[Coverage]
    overdue_plans: list[OverduePlan]
    unarchived_sources: list[Unarchived]
    drafts: list[Draft]
    not_verbatim: list[NotVerbatim]


# -- the checks ------------------------------------------------------------------------


def _texts(graph: Graph) -> list[tuple[Record, str, set[str]]]:
    """Every translatable text: (record, field, languages it is available in).

    A quote or headline counts for the source's own language (it is that text) and needs a
    translation for every other site language.
    """
    out: list[tuple[Record, str, set[str]]] = []
    for record in graph.content.records.values():
        for where, t, value in walk(record.data):
            # Translations of quotes and headlines are counted below, with the original.
            if t.name == "text" and not where.endswith("translation"):
                out.append((record, where, set(value)))
        if record.kind == "source" and record.data.headline:
            have = {*record.data.headline_translation, record.data.language}
            out.append((record, "headline_translation", have))
        if record.kind != "sheet":
            continue
        for i, fact in enumerate(record.data.facts):
            for j, cite in enumerate(fact.cite):
                if not cite.quote:
                    continue
                source = graph.content.get(cite.source, "source")
                have = set(cite.translation)
                if source is not None and source.data.language:
                    have.add(source.data.language)
                out.append((record, f"facts[{i}].cite[{j}].translation", have))
    return out


def coverage(graph: Graph) -> list[Coverage]:
    texts = _texts(graph)
    result = []
    for lang in SITE_LANGUAGES:
        missing = [_where(r, where) for r, where, have in texts if lang not in have]
        result.append(Coverage(lang, len(texts), len(texts) - len(missing), missing))
    return result


def overdue_plans(graph: Graph, today: date) -> list[OverduePlan]:
    """Planned events whose last possible day is before ``today`` and that no later fact
    reports the outcome of. A date open at the end never runs out."""
    out = []
    for sheet in graph.content.of_kind("sheet"):
        for i, fact in enumerate(sheet.data.facts):
            if fact.kind != "event" or fact.status != "planned":
                continue
            d = when(fact)
            end = d.last() if d is not None else None
            key = f"{sheet.id}#{fact.id}"
            if d is None or end is None or end >= today or graph.updated_by.get(key):
                continue
            out.append(OverduePlan(key, d.text, end.isoformat(), _where(sheet, f"facts[{i}]")))
    return out


def unarchived_sources(graph: Graph) -> list[Unarchived]:
    return [
        Unarchived(s.id, bool(s.data.url), _where(s, "archive_url" if s.data.url else ""))
        for s in graph.content.of_kind("source")
        if not s.data.archive_url
    ]


def drafts(graph: Graph) -> list[Draft]:
    return [
        Draft(s.id, _where(s, "status"))
        for s in graph.content.of_kind("sheet")
        if s.data.status == "draft"
    ]


def not_verbatim(graph: Graph) -> list[NotVerbatim]:
    out = []
    for sheet in graph.content.of_kind("sheet"):
        for i, fact in enumerate(sheet.data.facts):
            for j, cite in enumerate(fact.cite):
                if cite.not_verbatim:
                    out.append(
                        NotVerbatim(
                            f"{sheet.id}#{fact.id}",
                            cite.source,
                            cite.locator or "",
                            _where(sheet, f"facts[{i}].cite[{j}].not_verbatim"),
                        )
                    )
    return out


def report(graph: Graph, today: date) -> Report:
    return Report(
        today=today,
        coverage=coverage(graph),
        overdue_plans=overdue_plans(graph, today),
        unarchived_sources=unarchived_sources(graph),
        drafts=drafts(graph),
        not_verbatim=not_verbatim(graph),
    )


# -- output ------------------------------------------------------------------------------


def to_json(r: Report) -> str:
    data: dict[str, Any] = {
        "today": r.today.isoformat(),
        "translation": {
            c.lang: {
                "total": c.total,
                "translated": c.translated,
                "percent": c.percent,
                "missing": [asdict(w) for w in c.missing],
            }
            for c in r.coverage
        },
        "overdue_plans": [asdict(p) for p in r.overdue_plans],
        "sources_without_archive": [asdict(s) for s in r.unarchived_sources],
        "draft_sheets": [asdict(d) for d in r.drafts],
        "not_verbatim_quotes": [asdict(q) for q in r.not_verbatim],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_text(r: Report) -> str:
    lines = [f"Translation coverage (as of {r.today.isoformat()})"]
    for c in r.coverage:
        lines.append(f"  {c.lang}: {c.translated}/{c.total} texts ({c.percent}%)")
        lines += [f"    {w.format()}: no {c.lang} text" for w in c.missing]
    lines.append(f"Plans past their date with no later report: {len(r.overdue_plans)}")
    lines += [
        f"  {p.where.format()}: {p.ref} planned for {p.date}, window ended {p.window_end}"
        for p in r.overdue_plans
    ]
    lines.append(f"Sources without an archive link: {len(r.unarchived_sources)}")
    lines += [
        f"  {s.where.format()}: {s.source}" + ("" if s.has_url else " (no url either)")
        for s in r.unarchived_sources
    ]
    lines.append(f"Draft sheets: {len(r.drafts)}")
    lines += [f"  {d.where.format()}: {d.sheet}" for d in r.drafts]
    lines.append(f"Quotes marked as not verbatim: {len(r.not_verbatim)}")
    lines += [
        f"  {q.where.format()}: {q.ref} quoting {q.source}"
        + (f" ({q.locator})" if q.locator else "")
        for q in r.not_verbatim
    ]
    return "\n".join(lines) + "\n"

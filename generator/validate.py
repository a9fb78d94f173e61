"""Load every record, decode it, then check the graph across records.

``validate_dir`` is the one entry point: it never raises for a content mistake;
it returns the validated ``Content`` (built from everything usable) and every
problem found, so the caller can report them all at once.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import dates
from .decode import decode_record, id_problem, quote
from .heap import cycles_collected_after
from .load import discover, load_file
from .model import (
    KINDS,
    LANGUAGES,
    RECORD_CLASSES,
    REF_TYPES,
    SITE_LANGUAGES,
    Fact,
    Record,
    Sheet,
    Source,
    T,
    fields_holding,
)
from .problems import ERROR, WARNING, Problem


@dataclass(frozen=True)
class Content:
    """The validated graph: every record by id, in id order."""

    records: dict[str, Record] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    def get(self, record_id: str, kind: str | None = None) -> Record | None:
        record = self.records.get(record_id)
        if record is None or (kind is not None and record.kind != kind):
            return None
        return record

    def facts(self) -> Iterator[tuple[Record, Fact]]:
        for sheet in self.of_kind("sheet"):
            for fact in sheet.data.facts:
                if fact is not None:
                    yield sheet, fact

    def fact(self, ref: str) -> tuple[Record, Fact] | None:
        sheet_id, _, fact_id = ref.partition("#")
        sheet = self.get(sheet_id, "sheet")
        if sheet is None:
            return None
        for fact in sheet.data.facts:
            if fact is not None and fact.id == fact_id:
                return sheet, fact
        return None


def when(fact: Fact) -> dates.EDate | None:
    """The fact's date as shown: Jalali and Gregorian forms already checked to agree."""
    try:
        return dates.combine(fact.date, fact.date_jalali)
    except dates.DateError:
        return None


#: Below this many files, starting processes costs more than reading in parallel saves.
PARALLEL_FILES = 2000


def validate_dir(
    content_dir: Path, display_root: Path | None = None
) -> tuple[Content, list[Problem]]:
    root = display_root if display_root is not None else content_dir.parent
    with cycles_collected_after():
        entries, problems = discover(content_dir, root)
        records, load_problems = _read_all(entries)
        content, graph_problems = check_graph(records)
    return content, problems + load_problems + graph_problems


Entry = tuple[str, str, Path, str]  # kind, id, file, the file as shown in problems


def _read_all(entries: list[Entry]) -> tuple[list[Record], list[Problem]]:
    """Every file read and decoded; in two or more processes when there are many files,
    since each file stands alone and reading them is most of the time validation takes."""
    workers = min(os.cpu_count() or 1, 8)
    # Forked workers start at once; a process with threads (mkdocs serve) is never forked.
    if workers < 2 or len(entries) < PARALLEL_FILES or sys.platform != "linux":
        return _read(entries)
    if threading.active_count() > 1:
        return _read(entries)
    # Interleaved, so that each worker gets its share of the larger files (sheets).
    chunks = [entries[i::workers] for i in range(workers)]
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=fork) as pool:
            theirs = [pool.submit(_read, chunk) for chunk in chunks[1:]]
            # This process reads a share too: its records need no copying back, and the
            # workers' are copied back while it is not idle.
            results = [_read(chunks[0]), *(future.result() for future in theirs)]
    except (OSError, BrokenProcessPool):
        return _read(entries)
    # Problems are sorted when reported; records are ordered by check_graph.
    records = [r for chunk_records, _ in results for r in chunk_records]
    problems = [p for _, chunk_problems in results for p in chunk_problems]
    return records, problems


def _read(entries: list[Entry]) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    records: list[Record] = []
    for kind, record_id, path, shown in entries:
        if problem := id_problem(record_id):
            problems.append(Problem(shown, 0, 0, "", f"bad file name: {problem}"))
        node, load_problems = load_file(path, shown)
        problems.extend(load_problems)
        if node is None:
            continue
        data, marks, decode_problems = decode_record(RECORD_CLASSES[kind], node, shown)
        problems.extend(decode_problems)
        if data is not None:
            records.append(Record(kind, record_id, shown, data, marks))
    return records, problems


def check_graph(records: list[Record]) -> tuple[Content, list[Problem]]:
    problems: list[Problem] = []
    by_id: dict[str, Record] = {}
    folded: dict[str, Record] = {}
    # Valid ids are kept first, so a case-fold clash is reported on the badly named file
    # (which must be renamed anyway), not on the correct one.
    order = sorted(
        records, key=lambda r: (id_problem(r.id) is not None, r.id, KINDS.index(r.kind), r.path)
    )
    for record in order:
        key = unicodedata.normalize("NFC", record.id).casefold()
        if record.id in by_id:
            other = by_id[record.id]
            problems.append(
                _at(record, "", f"id {quote(record.id)} is already used by {other.path}")
            )
            continue
        if key in folded:
            other = folded[key]
            problems.append(
                _at(
                    record,
                    "",
                    f"id {quote(record.id)} clashes with {other.path} after case-folding",
                )
            )
            continue
        by_id[record.id] = record
        folded[key] = record
    content = Content(dict(sorted(by_id.items())))
    for record in content.records.values():
        problems.extend(_check_refs(content, record, record.data, ""))
        if record.kind == "sheet":
            problems.extend(_check_sheet(content, record))
    problems.extend(_check_update_cycles(content))
    return content, problems


def _at(record: Record, where: str, message: str, severity: str = ERROR) -> Problem:
    line, column = record.mark(where)
    return Problem(record.path, line, column, where, message, severity)


def _check_refs(content: Content, record: Record, obj: object, prefix: str) -> Iterator[Problem]:
    """Every ``ref`` and ``factref`` field, at any depth, must point at a record of the right
    kind."""
    for name, spec_ in fields_holding(type(obj), REF_TYPES):
        value = getattr(obj, name)
        where = f"{prefix}.{name}" if prefix else name
        yield from _check_value(content, record, spec_.type, value, where)


def _check_value(
    content: Content, record: Record, t: T, value: object, where: str
) -> Iterator[Problem]:
    if value is None:
        return
    if t.name == "list" and t.item is not None:
        for i, item in enumerate(value):  # type: ignore[arg-type]
            yield from _check_value(content, record, t.item, item, f"{where}[{i}]")
    elif t.name == "object":
        yield from _check_refs(content, record, value, where)
    elif t.name == "ref":
        target = content.records.get(value)  # type: ignore[arg-type]
        wanted = " or ".join(t.kinds)
        if target is None:
            yield _at(
                record,
                where,
                f"unknown {wanted} {quote(str(value))}{_near(content, str(value), t.kinds)}",
            )
        elif target.kind not in t.kinds:
            yield _at(record, where, f"{quote(str(value))} is a {target.kind}, not a {wanted}")
    elif t.name == "factref":
        sheet_id, _, fact_id = str(value).partition("#")
        if content.get(sheet_id, "sheet") is None:
            yield _at(record, where, f"unknown sheet {quote(sheet_id)} in {quote(str(value))}")
        elif content.fact(str(value)) is None:
            yield _at(record, where, f"sheet {quote(sheet_id)} has no fact {quote(fact_id)}")


def _near(content: Content, value: str, kinds: tuple[str, ...]) -> str:
    import difflib

    ids = [r.id for r in content.records.values() if r.kind in kinds]
    close = difflib.get_close_matches(value, ids, n=1, cutoff=0.7)
    return f" (did you mean {quote(close[0])}?)" if close else ""


def _check_sheet(content: Content, record: Record) -> Iterator[Problem]:
    sheet: Sheet = record.data
    published = sheet.status == "published"
    seen: dict[str, int] = {}
    for i, fact in enumerate(sheet.facts):
        where = f"facts[{i}]"
        if fact is None:
            continue
        if fact.id is not None:
            if fact.id in seen:
                yield _at(
                    record,
                    f"{where}.id",
                    f"fact id {quote(fact.id)} is already used by facts[{seen[fact.id]}]",
                )
            else:
                seen[fact.id] = i
        yield from _check_fact(content, record, fact, where, published)
    ids_complete = all(f is not None and f.id is not None for f in sheet.facts)
    if sheet.main_fact is not None and sheet.main_fact not in seen and ids_complete:
        yield _at(record, "main_fact", f"this sheet has no fact {quote(sheet.main_fact)}")
    if sheet.kind == "event" and sheet.main_fact is None and sheet.status is not None:
        yield _at(record, "", "event sheets need a main_fact for the key-facts box", WARNING)


def _check_fact(
    content: Content, record: Record, fact: Fact, where: str, published: bool
) -> Iterator[Problem]:
    # A field that was written but refused by the decoder is already reported; _given keeps
    # these checks from adding a second, misleading "missing" problem for it.
    if fact.kind == "event" and fact.status is None and not _given(record, f"{where}.status"):
        yield _at(record, f"{where}.status", "missing required field (events need a status)")
    if fact.kind == "statement" and fact.status is not None:
        yield _at(record, f"{where}.status", "status is for events; a statement has none")
    if fact.date is not None and fact.date_jalali is not None:
        try:
            dates.combine(fact.date, fact.date_jalali)
        except dates.DateError as err:
            yield _at(record, f"{where}.date_jalali", str(err))
    if (
        fact.rank == "deprecated"
        and not fact.rank_reason
        and not _given(record, f"{where}.rank_reason")
    ):
        yield _at(
            record,
            f"{where}.rank_reason",
            "missing required field (say why the fact is deprecated)",
        )
    for j, cite in enumerate(fact.cite):
        cwhere = f"{where}.cite[{j}]"
        if cite is None:
            continue
        # On a published sheet "a quote is required" already says it.
        if (
            not published
            and cite.quote is None
            and cite.translation
            and not _given(record, f"{cwhere}.quote")
        ):
            yield _at(
                record,
                f"{cwhere}.translation",
                "a translation without the quote it translates; add the quote",
                WARNING,
            )
        source = content.get(cite.source, "source") if cite.source else None
        if published and cite.quote is None and not _given(record, f"{cwhere}.quote"):
            yield _at(record, f"{cwhere}.quote", "a quote is required on published sheets")
        if source is not None and cite.quote is not None:
            src: Source = source.data
            missing = [
                lang
                for lang in SITE_LANGUAGES
                if lang != src.language
                and lang not in cite.translation
                and not _given(record, f"{cwhere}.translation.{lang}")
            ]
            for lang in missing:
                quoted = LANGUAGES.get(src.language, src.language)
                message = f"missing translation: {lang} ({LANGUAGES[lang]}) of the {quoted} quote"
                yield _at(record, f"{cwhere}.translation", message, ERROR if published else WARNING)
            if src.language in cite.translation:
                yield _at(
                    record,
                    f"{cwhere}.translation.{src.language}",
                    f"the source is in {LANGUAGES[src.language]}; the quote itself is that text",
                )


def _given(record: Record, where: str) -> bool:
    """Whether the contributor wrote this field at all (the decoder marks every field it saw)."""
    return where in record.marks


def _check_update_cycles(content: Content) -> Iterator[Problem]:
    edges: dict[str, str] = {}
    where_of: dict[str, tuple[Record, str]] = {}
    for record in content.of_kind("sheet"):
        for i, fact in enumerate(record.data.facts):
            if fact is not None and fact.id and fact.updates:
                key = f"{record.id}#{fact.id}"
                edges[key] = fact.updates
                where_of[key] = (record, f"facts[{i}].updates")
    reported: set[str] = set()
    for start in sorted(edges):
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path:
            path.append(node)
            node = edges.get(node)
        if node is not None and node == start:
            cycle = path
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                record, where = where_of[start]
                shown = " → ".join([*cycle, start])
                yield _at(record, where, f"updates form a cycle: {shown}")


def count_by_kind(content: Content) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for record in content.records.values():
        counts[record.kind] += 1
    counts["fact"] = sum(1 for _ in content.facts())
    return dict(counts)

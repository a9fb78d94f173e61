"""Indexes over the validated content: who appears where, what cites what.

Built once per build and shared by both languages; every list is in a fixed
order so the pages come out byte for byte the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .dates import EDate
from .heap import cycles_collected_after
from .model import Fact, Record
from .validate import Content, when


@dataclass(frozen=True)
class FactRef:
    sheet: Record
    fact: Fact
    date: EDate | None

    @property
    def key(self) -> str:
        return f"{self.sheet.id}#{self.fact.id}"

    def sort_key(self) -> tuple:
        # Undated facts go last; ties keep a stable, readable order.
        dated = self.date is not None
        return (
            0 if dated else 1,
            self.date.sort_key() if self.date else (),
            self.sheet.id,
            self.fact.id,
        )


@dataclass
class Graph:
    content: Content
    facts: list[FactRef] = field(default_factory=list)
    by_party: dict[str, dict[str, list[FactRef]]] = field(default_factory=dict)
    said_by: dict[str, list[FactRef]] = field(default_factory=dict)
    by_place: dict[str, list[FactRef]] = field(default_factory=dict)
    by_source: dict[str, list[FactRef]] = field(default_factory=dict)
    places_within: dict[str, list[Record]] = field(default_factory=dict)
    updated_by: dict[str, list[FactRef]] = field(default_factory=dict)
    sheet_dates: dict[str, EDate | None] = field(default_factory=dict)
    by_sheet: dict[str, list[FactRef]] = field(default_factory=dict)


def build_graph(content: Content) -> Graph:
    # Hundreds of thousands of long-lived references and lists, no cycles: built with the
    # cycle collector paused (heap.py), as the records themselves are.
    with cycles_collected_after():
        return _build_graph(content)


def _build_graph(content: Content) -> Graph:
    graph = Graph(content)
    by_party: dict[str, dict[str, list[FactRef]]] = defaultdict(lambda: defaultdict(list))
    said_by: dict[str, list[FactRef]] = defaultdict(list)
    by_place: dict[str, list[FactRef]] = defaultdict(list)
    by_source: dict[str, list[FactRef]] = defaultdict(list)
    updated_by: dict[str, list[FactRef]] = defaultdict(list)
    for sheet, fact in content.facts():
        ref = FactRef(sheet, fact, when(fact))
        graph.facts.append(ref)
        for role in fact.parties:
            by_party[role.party][role.role].append(ref)
        if fact.said_by:
            said_by[fact.said_by].append(ref)
        if fact.place:
            by_place[fact.place].append(ref)
        for source_id in dict.fromkeys(c.source for c in fact.cite):
            by_source[source_id].append(ref)
        if fact.updates:
            updated_by[fact.updates].append(ref)
    graph.facts.sort(key=FactRef.sort_key)
    by_sheet: dict[str, list[FactRef]] = defaultdict(list)
    for ref in graph.facts:
        by_sheet[ref.sheet.id].append(ref)
    graph.by_sheet = dict(by_sheet)
    graph.by_party = {
        pid: {role: sorted(refs, key=FactRef.sort_key) for role, refs in roles.items()}
        for pid, roles in by_party.items()
    }
    graph.said_by = {k: sorted(v, key=FactRef.sort_key) for k, v in said_by.items()}
    graph.by_place = {k: sorted(v, key=FactRef.sort_key) for k, v in by_place.items()}
    graph.by_source = {k: sorted(v, key=FactRef.sort_key) for k, v in by_source.items()}
    graph.updated_by = {k: sorted(v, key=FactRef.sort_key) for k, v in updated_by.items()}
    within: dict[str, list[Record]] = defaultdict(list)
    for place in content.of_kind("place"):
        if place.data.within:
            within[place.data.within].append(place)
    graph.places_within = dict(within)
    for sheet in content.of_kind("sheet"):
        graph.sheet_dates[sheet.id] = sheet_date(sheet)
    return graph


def sheet_date(sheet: Record) -> EDate | None:
    """The date a sheet is listed under: its main fact's, else its latest dated fact's."""
    facts = sheet.data.facts
    main = next((f for f in facts if f.id == sheet.data.main_fact), None)
    if main is not None and when(main) is not None:
        return when(main)
    dated = [d for d in (when(f) for f in facts) if d is not None]
    return max(dated, key=EDate.sort_key) if dated else None

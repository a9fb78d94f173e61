"""The content model, declared once as data.

Every record kind is a frozen dataclass whose fields carry a ``Spec`` in their
metadata: the field's type, whether it is required, and a help text. The
decoder (``decode.py``), the JSON Schemas for editors (``schema.py``) and the
contributor page all read these declarations, so they cannot drift apart.

Field order in each class is the order contributors see in skeletons and docs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .dates import EDate

#: The site's languages, default first. Prose in our own voice needs all of them.
SITE_LANGUAGES: tuple[str, ...] = ("fa", "en")

#: Languages a quote, name or source may be in (ISO 639-1).
LANGUAGES: dict[str, str] = {
    "fa": "Persian",
    "en": "English",
    "ar": "Arabic",
    "ku": "Kurdish",
    "tr": "Turkish",
    "fr": "French",
    "de": "German",
    "ru": "Russian",
    "he": "Hebrew",
    "ur": "Urdu",
}
RTL_LANGUAGES = frozenset({"fa", "ar", "ku", "he", "ur"})

KINDS: tuple[str, ...] = ("sheet", "source", "party", "place")
KIND_DIRS: dict[str, str] = {
    "sheet": "sheets",
    "source": "sources",
    "party": "parties",
    "place": "places",
}

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_MAX = 64


@dataclass(frozen=True)
class T:
    """A field's type, as the decoder and the JSON Schema understand it.

    ``name`` is one of: str, text (a language map), enum, ref (record id),
    factref (``sheet#fact``), date, date_jalali, url, bool, lang, country,
    number, slug, wikidata, list, object.
    """

    name: str
    choices: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # for ref: which record kinds may be referenced
    item: T | None = None  # for list
    cls: type | None = None  # for object
    all_languages: bool = False  # for text: every site language required
    min_items: int = 0  # for list
    lo: float | None = None  # for number
    hi: float | None = None


@dataclass(frozen=True)
class Spec:
    type: T
    help: str
    required: bool = False
    example: str = ""


def spec(type_: T, help: str, *, required: bool = False, example: str = "") -> Any:
    """A dataclass field carrying its declaration; every field has an empty default
    because required-ness is checked by the decoder, which reports instead of raising."""
    default: Any
    if type_.name == "list":
        default = field(default=(), metadata={"spec": Spec(type_, help, required, example)})
        return default
    if type_.name == "text":
        return field(default_factory=dict, metadata={"spec": Spec(type_, help, required, example)})
    if type_.name == "bool":
        return field(default=False, metadata={"spec": Spec(type_, help, required, example)})
    return field(default=None, metadata={"spec": Spec(type_, help, required, example)})


@cache
def specs(cls: type) -> tuple[tuple[str, Spec], ...]:
    """A record class's declared fields, in order. Kept: asked for every object of every
    record when reading, checking and exporting."""
    return tuple(
        (f.name, f.metadata["spec"]) for f in dataclasses.fields(cls) if "spec" in f.metadata
    )


REF_TYPES = frozenset(("ref", "factref"))
DATE_TYPES = frozenset(("date", "date_jalali"))


@cache
def fields_holding(cls: type, names: frozenset[str]) -> tuple[tuple[str, Spec], ...]:
    """The declared fields of ``cls`` that can hold a value of one of the type ``names``,
    at any depth: the others (texts, names, dates…) need no visit when looking for those."""
    return tuple((name, spec_) for name, spec_ in specs(cls) if _holds(spec_.type, names))


def _holds(t: T, names: frozenset[str]) -> bool:
    if t.name in names:
        return True
    if t.name == "list":
        return t.item is not None and _holds(t.item, names)
    # An object field without its class may hold anything: visited.
    return t.name == "object" and (t.cls is None or bool(fields_holding(t.cls, names)))


# -- field types used more than once -------------------------------------------------

TEXT = T("text")
TEXT_ALL = T("text", all_languages=True)
STR = T("str")
DATE = T("date")
DATE_JALALI = T("date_jalali")
URL = T("url")


def ref(*kinds: str) -> T:
    return T("ref", kinds=kinds)


def enum(*choices: str) -> T:
    return T("enum", choices=choices)


def list_of(item: T, min_items: int = 0) -> T:
    return T("list", item=item, min_items=min_items)


def obj(cls: type) -> T:
    return T("object", cls=cls)


# -- shared pieces -------------------------------------------------------------------


@dataclass(frozen=True)
class OtherName:
    text: str = spec(STR, "The name as written in that language or spelling.", required=True)
    lang: str = spec(
        T("lang"), "Language of this form (ISO 639-1: ar, ku, en …).", required=True, example="ar"
    )


@dataclass(frozen=True)
class Geo:
    lat: float = spec(T("number", lo=-90, hi=90), "Latitude in decimal degrees.", required=True)
    lon: float = spec(T("number", lo=-180, hi=180), "Longitude in decimal degrees.", required=True)
    precision: str = spec(
        enum("exact", "approximate", "centroid"),
        "How exact the point is.",
        required=True,
    )
    source: str = spec(
        STR, "Where the coordinates come from (a URL or a reference).", required=True
    )


@dataclass(frozen=True)
class Identifiers:
    wikidata: str = spec(T("wikidata"), "Wikidata item id, only when checked.", example="Q42")
    geonames: str = spec(STR, "GeoNames id.")
    osm: str = spec(STR, "OpenStreetMap object, e.g. way/123456.")
    icao: str = spec(STR, "ICAO airport code, for air bases and airports.")


# -- sources -------------------------------------------------------------------------

SOURCE_KINDS = (
    "news_article",
    "interview",
    "press_release",
    "official_document",
    "statement",
    "report",
    "social_media_post",
    "broadcast",
)


@dataclass(frozen=True)
class BasedOn:
    party: str = spec(ref("party"), "The outlet or body the source got it from.", required=True)
    kind: str = spec(
        enum("interview", "report", "statement", "press_conference", "document"),
        "What the source was based on.",
        required=True,
    )
    source: str = spec(ref("source"), "That original, when it has a source record of its own.")
    note: dict[str, str] = spec(TEXT, "Anything a reader should know about it.")


@dataclass(frozen=True)
class Source:
    kind: str = spec(enum(*SOURCE_KINDS), "What kind of source this is.", required=True)
    title: dict[str, str] = spec(
        TEXT_ALL,
        "Our own title for the source, in every site language (the headline goes in `headline`).",
        required=True,
    )
    headline: str = spec(STR, "The original headline, verbatim, in the source's language.")
    headline_translation: dict[str, str] = spec(TEXT, "The headline in the other site languages.")
    publisher: str = spec(ref("party"), "The outlet that published it (a party id).", required=True)
    language: str = spec(T("lang"), "Language the source is written in.", required=True)
    published: EDate = spec(DATE, "Publication date (Gregorian).", required=True)
    author: str = spec(STR, "Author or byline, as given.")
    url: str = spec(URL, "Where it was published (http or https).")
    archive_url: str = spec(URL, "An archived copy (http or https).")
    accessed: EDate = spec(DATE, "When we read it.")
    based_on: tuple[BasedOn, ...] = spec(
        list_of(obj(BasedOn)), "Where the outlet got it, e.g. an interview with a news agency."
    )
    note: dict[str, str] = spec(TEXT, "Anything a reader should know about this source.")


# -- parties ---------------------------------------------------------------------------

PARTY_TYPES = ("person", "state", "organization", "armed_group")


@dataclass(frozen=True)
class Position:
    role: dict[str, str] = spec(
        TEXT, "The role, e.g. adviser to the Prime Minister.", required=True
    )
    organization: str = spec(ref("party"), "The organization the role is in.")
    as_of: EDate = spec(DATE, "When a source showed them in this role.")
    start: EDate = spec(DATE, "When the role began, if known.")
    end: EDate = spec(DATE, "When the role ended, if known.")
    source: str = spec(ref("source"), "The source that says so.", required=True)


@dataclass(frozen=True)
class Party:
    type: str = spec(
        enum(*PARTY_TYPES), "Person, state, organization or armed group.", required=True
    )
    name: dict[str, str] = spec(TEXT, "The name in the site languages.", required=True)
    other_names: tuple[OtherName, ...] = spec(
        list_of(obj(OtherName)), "Other spellings and languages; they feed search."
    )
    description: dict[str, str] = spec(TEXT, "One line on who or what this is.")
    country: str = spec(T("country"), "ISO 3166-1 alpha-2 code of its country.", example="IQ")
    parent: str = spec(ref("party"), "The party this one belongs to (a ministry's state…).")
    positions: tuple[Position, ...] = spec(
        list_of(obj(Position)), "Roles held, each with a source."
    )
    wikidata: str = spec(T("wikidata"), "Wikidata item id, only when checked.", example="Q42")
    website: str = spec(URL, "Official website (http or https).")


# -- places ----------------------------------------------------------------------------

PLACE_KINDS = (
    "country",
    "province",
    "city",
    "district",
    "base",
    "facility",
    "region",
    "body_of_water",
)


@dataclass(frozen=True)
class Place:
    kind: str = spec(enum(*PLACE_KINDS), "What kind of place this is.", required=True)
    name: dict[str, str] = spec(TEXT, "The name in the site languages.", required=True)
    other_names: tuple[OtherName, ...] = spec(
        list_of(obj(OtherName)), "Other spellings and languages; they feed search."
    )
    description: dict[str, str] = spec(TEXT, "One line on what this place is.")
    country: str = spec(T("country"), "ISO 3166-1 alpha-2 code.", required=True, example="IQ")
    within: str = spec(ref("place"), "The place this one lies in.")
    geo: Geo = spec(obj(Geo), "A point on the map, with where it comes from.")
    identifiers: Identifiers = spec(obj(Identifiers), "Ids in other databases.")


# -- sheets and facts ------------------------------------------------------------------

FACT_KINDS = ("event", "statement")
EVENT_STATUSES = ("planned", "underway", "happened", "postponed", "cancelled", "unclear")
ROLES = ("actor", "counterpart", "supporter", "target", "subject")


@dataclass(frozen=True)
class Citation:
    source: str = spec(ref("source"), "The source record.", required=True)
    quote: str = spec(
        STR,
        "The source's own words, copied verbatim in the source's language "
        "(required on published sheets).",
    )
    translation: dict[str, str] = spec(
        TEXT, "The quote in the other site languages (required on published sheets)."
    )
    paragraph: int = spec(T("int", lo=1), "Which paragraph of the source, counted from 1.")
    locator: str = spec(STR, "Where in the source, when a paragraph number does not say it.")
    not_verbatim: bool = spec(
        T("bool"), "true when the quote had to be adapted (say why in the locator)."
    )


@dataclass(frozen=True)
class PartyRole:
    party: str = spec(ref("party"), "The party.", required=True)
    role: str = spec(enum(*ROLES), "Its role in this fact.", required=True)


@dataclass(frozen=True)
class Fact:
    id: str = spec(T("slug"), "Stable id, unique in the sheet; the page anchor.", required=True)
    kind: str = spec(enum(*FACT_KINDS), "An event, or a statement someone made.", required=True)
    text: dict[str, str] = spec(
        TEXT_ALL, "The fact in our words, every site language.", required=True
    )
    status: str = spec(
        enum(*EVENT_STATUSES),
        "For events: planned, underway, happened, postponed, cancelled, unclear.",
    )
    date: EDate = spec(
        DATE, "When, Gregorian, never more precise than the source.", example="2025-12-31"
    )
    date_jalali: EDate = spec(
        DATE_JALALI,
        "When, in the Solar Hijri calendar (instead of or besides date).",
        example="1404-10-10",
    )
    date_note: dict[str, str] = spec(TEXT, "How the source words the time, if it matters.")
    place: str = spec(ref("place"), "Where.")
    parties: tuple[PartyRole, ...] = spec(list_of(obj(PartyRole)), "Who, and in what role.")
    said_by: str = spec(ref("party"), "Who said it (absent means the outlet's own voice).")
    updates: str = spec(
        T("factref"), "An earlier fact this one reports the outcome of: sheet-id#fact-id."
    )
    background: bool = spec(T("bool"), "true for context rather than news.")
    rank: str = spec(
        enum("normal", "deprecated"), "deprecated keeps a fact shown wrong, with a reason."
    )
    rank_reason: dict[str, str] = spec(TEXT, "Why the fact is deprecated.")
    cite: tuple[Citation, ...] = spec(
        list_of(obj(Citation), min_items=1), "At least one citation.", required=True
    )


@dataclass(frozen=True)
class Sheet:
    kind: str = spec(enum("event", "process", "topic"), "What the sheet is about.", required=True)
    status: str = spec(
        enum("draft", "published"), "Only published sheets need quotes.", required=True
    )
    title: dict[str, str] = spec(TEXT_ALL, "Title, every site language.", required=True)
    summary: dict[str, str] = spec(
        TEXT_ALL, "Two or three sentences, every site language.", required=True
    )
    main_fact: str = spec(T("slug"), "The fact the key-facts box shows (events).")
    tags: tuple[str, ...] = spec(list_of(T("slug")), "Topic tags (ids in kebab-case).")
    related: tuple[str, ...] = spec(list_of(ref("sheet")), "Related sheets.")
    facts: tuple[Fact, ...] = spec(
        list_of(obj(Fact), min_items=1), "The facts, each with citations.", required=True
    )


RECORD_CLASSES: dict[str, type] = {
    "sheet": Sheet,
    "source": Source,
    "party": Party,
    "place": Place,
}

RecordData = Sheet | Source | Party | Place


@dataclass(frozen=True)
class Record:
    """One file: its kind, id, where it lives, its data and where each field was."""

    kind: str
    id: str
    path: str  # as shown to contributors, e.g. content/sheets/x.yaml
    data: Any  # Sheet | Source | Party | Place
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def mark(self, field_path: str) -> tuple[int, int]:
        """Line and column of a field, or of its nearest marked parent."""
        path = field_path
        while path:
            if path in self.marks:
                return self.marks[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.marks.get("", (1, 1))

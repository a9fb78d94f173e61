"""schema.org JSON-LD for the record pages, as plain dicts.

One function per record kind; ``for_page`` picks it. The dicts say only what the records
say: dates keep their real precision (``"2026-01"`` stays a month), coordinates and Wikidata
ids appear only when a contributor gave them. Serialising for ``<script>`` is
``escape.json_for_script``'s job, never done here.
"""

from __future__ import annotations

from typing import Any

from . import escape
from .dates import GREGORIAN, EDate, Point
from .exports import Site
from .graph import Graph
from .model import SITE_LANGUAGES, Fact, Record
from .validate import when

CONTEXT = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/"

#: Our event statuses in schema.org's terms; "happened" is an event that took place as
#: scheduled, and "unclear" says nothing schema.org can express.
EVENT_STATUS = {
    "planned": "EventScheduled",
    "underway": "EventScheduled",
    "happened": "EventScheduled",
    "postponed": "EventPostponed",
    "cancelled": "EventCancelled",
}
#: Party roles in a fact, as properties of a schema.org Event.
ROLE_PROPERTY = {
    "actor": "organizer",
    "supporter": "sponsor",
    "counterpart": "about",
    "target": "about",
    "subject": "about",
}
SOURCE_TYPES = {
    "news_article": "NewsArticle",
    "interview": "NewsArticle",
    "press_release": "Article",
    "statement": "Article",
    "official_document": "DigitalDocument",
    "report": "Report",
    "social_media_post": "SocialMediaPosting",
    "broadcast": "CreativeWork",
}


class JsonLd:
    """Builds the JSON-LD of one language's pages."""

    def __init__(self, graph: Graph, site: Site, lang: str) -> None:
        self.graph = graph
        self.content = graph.content
        self.site = site
        self.lang = lang
        self._named: dict[tuple[str, str], dict[str, Any]] = {}

    # -- small pieces ----------------------------------------------------------------

    def text(self, value: dict[str, str] | None) -> str | None:
        """The page language's text, else the first other one (as the page shows it)."""
        if not value:
            return None
        for lang in (self.lang, *SITE_LANGUAGES, *sorted(value)):
            if lang in value:
                return escape.clean_text(value[lang])
        return None

    def name(self, record: Record) -> str:
        data = record.data
        return self.text(getattr(data, "name", None) or getattr(data, "title", None)) or record.id

    def url(self, record: Record, anchor: str = "") -> str:
        return self.site.record_url(self.lang, record, anchor)

    def entity_id(self, record: Record) -> str:
        # The page describes the thing; "#<kind>" names the thing itself.
        return self.url(record, record.kind)

    def page(self, record: Record, page_type: str, **extra: Any) -> dict[str, Any]:
        url = self.url(record)
        out: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": page_type,
            "@id": url,
            "url": url,
            "name": self.name(record),
            "inLanguage": self.lang,
            "isPartOf": {
                "@type": "WebSite",
                "name": self.site.name,
                "url": self.site.url(self.lang, "index.md"),
            },
        }
        out.update({k: v for k, v in extra.items() if v not in (None, [], {})})
        return out

    # -- entities ----------------------------------------------------------------------

    def named(self, record: Record) -> dict[str, Any]:
        """A party, place or source as the pages that mention it describe it.

        Built once per language: the same few records are named on thousands of pages. The
        dict is shared by all of them, so it must never be changed, only serialised.
        """
        key = (record.kind, record.id)
        found = self._named.get(key)
        if found is None:
            build = {"party": self.party, "place": self.place, "source": self.source}
            found = self._named[key] = build[record.kind](record)
        return found

    def party(self, record: Record, full: bool = False) -> dict[str, Any]:
        d = record.data
        out: dict[str, Any] = {
            "@type": "Person" if d.type == "person" else "Organization",
            "@id": self.entity_id(record),
            "name": self.name(record),
            "url": self.url(record),
        }
        same_as = [WIKIDATA + d.wikidata] if d.wikidata else []
        if full:
            website = _url(d.website)
            if website:
                same_as.append(website)
            out["alternateName"] = [escape.clean_text(n.text) for n in d.other_names]
            out["description"] = self.text(d.description)
            parent = self.content.get(d.parent, "party") if d.parent else None
            if parent is not None:
                out["parentOrganization" if d.type != "person" else "affiliation"] = self.named(
                    parent
                )
            if d.type == "person":
                out["jobTitle"] = [t for t in (self.text(p.role) for p in d.positions) if t]
                org_ids = dict.fromkeys(p.organization for p in d.positions if p.organization)
                orgs = [self.content.get(i, "party") for i in org_ids]
                out["worksFor"] = [self.named(o) for o in orgs if o is not None]
        if same_as:
            out["sameAs"] = same_as
        return _compact(out)

    def place(self, record: Record, full: bool = False) -> dict[str, Any]:
        d = record.data
        out: dict[str, Any] = {
            "@type": "Place",
            "@id": self.entity_id(record),
            "name": self.name(record),
            "url": self.url(record),
            "address": {"@type": "PostalAddress", "addressCountry": d.country},
        }
        if d.geo is not None:
            out["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": d.geo.lat,
                "longitude": d.geo.lon,
            }
        wikidata = d.identifiers.wikidata if d.identifiers is not None else None
        if wikidata:
            out["sameAs"] = [WIKIDATA + wikidata]
        if full:
            out["alternateName"] = [escape.clean_text(n.text) for n in d.other_names]
            out["description"] = self.text(d.description)
            parent = self.content.get(d.within, "place") if d.within else None
            if parent is not None:
                out["containedInPlace"] = self.named(parent)
        return _compact(out)

    def source(self, record: Record) -> dict[str, Any]:
        d = record.data
        publisher = self.content.get(d.publisher, "party") if d.publisher else None
        based_on = [
            {"@id": self.entity_id(s)}
            for s in (self.content.get(b.source, "source") for b in d.based_on if b.source)
            if s is not None
        ]
        out: dict[str, Any] = {
            "@type": SOURCE_TYPES.get(d.kind, "CreativeWork"),
            "@id": self.entity_id(record),
            "name": self.name(record),
            "headline": escape.clean_text(d.headline) if d.headline else None,
            "inLanguage": d.language,
            "datePublished": _start(d.published),
            "url": _url(d.url),
            "archivedAt": _url(d.archive_url),
            "publisher": self.named(publisher) if publisher is not None else None,
            "isBasedOn": based_on,
        }
        if d.author:
            out["creditText"] = escape.clean_text(d.author)
        return _compact(out)

    def event(self, sheet: Record, fact: Fact) -> dict[str, Any]:
        out: dict[str, Any] = {
            "@type": "Event",
            "@id": self.url(sheet, fact.id),
            "url": self.url(sheet, fact.id),
            "name": self.text(fact.text),
        }
        if fact.status in EVENT_STATUS:
            out["eventStatus"] = f"{CONTEXT}/{EVENT_STATUS[fact.status]}"
        d = when(fact)
        if d is not None:
            out.update(event_dates(d))
        place = self.content.get(fact.place, "place") if fact.place else None
        if place is not None:
            out["location"] = self.named(place)
        for role in ROLE_PROPERTY:
            members = [self.content.get(p.party, "party") for p in fact.parties if p.role == role]
            for member in members:
                if member is not None:
                    out.setdefault(ROLE_PROPERTY[role], []).append(self.named(member))
        return _compact(out)

    # -- pages --------------------------------------------------------------------------

    def sheet_page(self, record: Record) -> dict[str, Any]:
        d = record.data
        events = [self.event(record, f) for f in d.facts if f.kind == "event" and f.id]
        main = next((f for f in d.facts if f.id == d.main_fact and f.kind == "event"), None)
        cited = sorted({c.source for f in d.facts for c in f.cite})
        sources = [s for s in (self.content.get(i, "source") for i in cited) if s is not None]
        return self.page(
            record,
            "WebPage",
            description=self.text(d.summary),
            mainEntity={"@id": self.url(record, main.id)} if main is not None else None,
            about=events,
            citation=[self.named(s) for s in sources],
            keywords=list(d.tags),
        )

    def party_page(self, record: Record) -> dict[str, Any]:
        return self.page(
            record,
            "ProfilePage",
            description=self.text(record.data.description),
            mainEntity=self.party(record, full=True),
        )

    def place_page(self, record: Record) -> dict[str, Any]:
        return self.page(
            record,
            "WebPage",
            description=self.text(record.data.description),
            mainEntity=self.place(record, full=True),
        )

    def source_page(self, record: Record) -> dict[str, Any]:
        return self.page(record, "WebPage", mainEntity=self.named(record))

    def for_page(self, record: Record) -> dict[str, Any]:
        return {
            "sheet": self.sheet_page,
            "party": self.party_page,
            "place": self.place_page,
            "source": self.source_page,
        }[record.kind](record)


# -- dates at their real precision -------------------------------------------------------


def _point_start(p: Point) -> str:
    # Gregorian points are written at their own precision ("2026-01"); a Jalali month or
    # year has no Gregorian name, so it becomes its first (or last) Gregorian day.
    return p.ymd() if p.calendar == GREGORIAN else p.first().isoformat()


def _point_end(p: Point) -> str:
    return p.ymd() if p.calendar == GREGORIAN else p.last().isoformat()


def _start(d: EDate | None) -> str | None:
    if d is None or d.start is None:
        return None
    return _point_start(d.start)


def event_dates(d: EDate) -> dict[str, str]:
    """``startDate`` and ``endDate`` of a date field: a point is its start (and its end,
    when it is a Jalali month spanning Gregorian days), a deadline only an end."""
    out: dict[str, str] = {}
    if d.start is not None:
        out["startDate"] = _point_start(d.start)
    if d.form == "point" and d.start is not None:
        end = _point_end(d.start)
        if end != out["startDate"]:
            out["endDate"] = end
    elif d.end is not None:
        out["endDate"] = _point_end(d.end)
    return out


def _url(value: str | None) -> str | None:
    """A contributor URL for JSON: http(s) only, checked as for links (``&amp;`` undone,
    since the JSON is not HTML)."""
    safe = escape.url(value) if value else None
    return safe.replace("&amp;", "&") if safe else None


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, [], {}, "")}


def for_record(graph: Graph, site: Site, lang: str, record: Record) -> dict[str, Any]:
    return JsonLd(graph, site, lang).for_page(record)

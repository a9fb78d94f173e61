"""An Atom feed (RFC 4287) of sheets per language, newest first.

Every time in it comes from the records, never the clock, so a rebuild of the same content
gives the same bytes. A sheet's ``updated`` is the publication date of the newest source it
cites (when its latest news was reported), its ``published`` that of the oldest; a fact's own
date can lie in the future ("planned for 2026"), a report's cannot. Drafts are left out: a
feed announces what is ready to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import jinja2

from . import escape
from .exports import FEED_PATH, Site
from .graph import Graph
from .model import SITE_LANGUAGES, Record
from .render import labels

#: The feed carries at most this many sheets, so it does not grow with the content.
FEED_LIMIT = 50
#: ``updated`` of a feed with nothing in it: fixed, so the bytes stay the same.
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Entry:
    sheet: Record
    published: date
    updated: date


def _timestamp(day: date) -> str:
    # Atom wants a full date-time; the day's start in UTC claims nothing beyond the day.
    return f"{day.isoformat()}T00:00:00Z"


def _report_days(graph: Graph, sheet: Record) -> list[date]:
    days = []
    for source_id in sorted({c.source for f in sheet.data.facts for c in f.cite}):
        source = graph.content.get(source_id, "source")
        published = source.data.published if source is not None else None
        day = (published.first() or published.last()) if published is not None else None
        if day is not None:
            days.append(day)
    return days


def entries(graph: Graph) -> list[Entry]:
    """Published sheets with at least one dated report, newest report first."""
    out = []
    for sheet in graph.content.of_kind("sheet"):
        if sheet.data.status == "draft":
            continue
        days = _report_days(graph, sheet)
        if days:
            out.append(Entry(sheet, min(days), max(days)))
    out.sort(key=lambda e: (-e.updated.toordinal(), -e.published.toordinal(), e.sheet.id))
    return out[:FEED_LIMIT]


def _xml_text(s: str) -> str:
    """Text XML 1.0 can hold: no controls (``clean_text``) and no U+FFFE/U+FFFF."""
    return escape.clean_text(s).replace("\ufffe", "").replace("\uffff", "")


def _pick(value: dict[str, str], lang: str) -> str:
    for code in (lang, *SITE_LANGUAGES, *sorted(value)):
        if code in value:
            return value[code]
    return ""


def _atom_id(url: str, lang: str, path: str) -> str:
    # Atom ids must be absolute IRIs; without a site_url the page URL is only a path.
    if "://" in url:
        return url
    return f"urn:factsheet:{lang}:{path or 'home'}"


def feed_data(graph: Graph, site: Site, lang: str) -> dict[str, Any]:
    lab = labels(lang)
    self_url = site.roots[lang] + FEED_PATH
    listed = entries(graph)
    all_days = [d for s in graph.content.of_kind("sheet") for d in _report_days(graph, s)]
    newest = max((e.updated for e in listed), default=max(all_days, default=EPOCH))
    items = []
    for e in listed:
        url = site.record_url(lang, e.sheet)
        others = [code for code in SITE_LANGUAGES if code != lang]
        items.append(
            {
                "id": _atom_id(url, lang, f"sheets/{e.sheet.id}"),
                "title": _xml_text(_pick(e.sheet.data.title, lang)),
                "links": [
                    {"lang": code, "url": site.record_url(code, e.sheet)}
                    for code in (lang, *others)
                ],
                "published": _timestamp(e.published),
                "updated": _timestamp(e.updated),
                "summary": _xml_text(_pick(e.sheet.data.summary, lang)),
                "categories": list(e.sheet.data.tags),
            }
        )
    return {
        "id": _atom_id(self_url, lang, "feed"),
        "title": _xml_text(lab["feed_title"].format(site=site.name)),
        "subtitle": _xml_text(lab["site_intro"]),
        "updated": _timestamp(newest),
        "self_url": self_url,
        "home_url": site.url(lang, "index.md"),
        "author": _xml_text(site.name),
        "rights": _xml_text(site.licence),
        "entries": items,
    }


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def atom(graph: Graph, site: Site, lang: str) -> bytes:
    """The feed of one language, as the bytes of ``feed.xml``."""
    text = (
        _environment()
        .get_template("feed.xml.j2")
        .render(lang=lang, feed=feed_data(graph, site, lang))
    )
    return text.encode("utf-8")

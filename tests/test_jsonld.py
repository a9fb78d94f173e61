"""schema.org JSON-LD, Open Graph and the head links of record pages: the dicts per record
kind, then the built pages, including hostile names that try to end the script."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import escape
from generator.dates import JALALI, parse_date
from generator.graph import Graph
from generator.jsonld import JsonLd, event_dates

from .conftest import ROOT, run_factsheet
from .test_exports import SITE, extra_content, graph_of

HOSTILE = "</script><script>alert(1)</script>"
SCHEMA = "https://schema.org/"
RECORD_PAGES = {
    "sheet": "sheets/ain-al-asad-handover/index.html",
    "party": "parties/hussein-allawi/index.html",
    "place": "places/ain-al-asad-air-base/index.html",
    "source": "sources/2025-12-31-abna-ain-al-asad/index.html",
}


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return graph_of(extra_content(tmp_path_factory.mktemp("extra")))


def ld(graph: Graph, lang: str, record_id: str) -> dict:
    return JsonLd(graph, SITE, lang).for_page(graph.content.records[record_id])


def events_by_id(page: dict) -> dict[str, dict]:
    return {e["@id"].rsplit("#", 1)[1]: e for e in page["about"]}


# -- the dicts --------------------------------------------------------------------------


def test_sheet_page_events_keep_their_precision(extra: Graph) -> None:
    page = ld(extra, "en", "ain-al-asad-handover")
    assert page["@context"] == "https://schema.org"
    assert page["@type"] == "WebPage"
    assert page["inLanguage"] == "en"
    assert page["url"] == "https://example.org/fs/en/sheets/ain-al-asad-handover/"
    assert page["mainEntity"] == {"@id": page["url"] + "#ain-al-asad-takeover"}
    events = events_by_id(page)
    takeover = events["ain-al-asad-takeover"]
    assert takeover["@type"] == "Event"
    assert takeover["eventStatus"] == SCHEMA + "EventScheduled"
    # "2026-01~" stays a month: no day is invented, and no end either.
    assert takeover["startDate"] == "2026-01"
    assert "endDate" not in takeover
    assert takeover["location"]["@type"] == "Place"
    assert events["isis-defeated"]["startDate"] == "2014"
    assert events["isis-defeated"]["endDate"] == "2017"
    erbil = events["erbil-mission-end"]
    assert erbil["endDate"] == "2026-09" and "startDate" not in erbil
    # Statements are not events.
    assert "chapter-of-war-ends" not in events
    assert {c["@type"] for c in page["citation"]} == {"NewsArticle"}


def test_sheet_page_links_places_parties_and_sources(extra: Graph) -> None:
    page = ld(extra, "fa", "test-sheet")
    assert page["inLanguage"] == "fa"
    visit = events_by_id(page)["visit"]
    # A Solar Hijri month (Bahman 1404) as the Gregorian days it covers.
    assert (visit["startDate"], visit["endDate"]) == ("2026-01-21", "2026-02-19")
    place = visit["location"]
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 33.79, "longitude": 42.44}
    assert place["sameAs"] == ["https://www.wikidata.org/wiki/Q1234"]
    organizer = visit["organizer"][0]
    assert organizer["@type"] == "Person"
    assert organizer["sameAs"] == ["https://www.wikidata.org/wiki/Q42"]
    assert organizer["name"] == f"{HOSTILE} O'Neil & Co"  # shown in English: no Persian name
    assert visit["about"][0]["@id"].endswith("/fa/parties/iraq/#party")
    (article,) = page["citation"]
    assert article["@type"] == "NewsArticle"
    assert article["archivedAt"] == "https://archive.example.org/2026/news"
    assert article["url"] == "https://example.org/news?id=1&x=2"  # JSON, not HTML: no &amp;
    assert (article["inLanguage"], article["datePublished"]) == ("en", "2026-02-03")
    assert article["headline"] == "They will visit"
    assert article["publisher"]["@type"] == "Organization"
    assert page["keywords"] == ["test-tag"]


def test_party_place_and_source_pages(extra: Graph) -> None:
    party = ld(extra, "en", "test-hostile-person")
    assert party["@type"] == "ProfilePage" and party["inLanguage"] == "en"
    person = party["mainEntity"]
    assert person["@type"] == "Person"
    assert person["sameAs"] == [
        "https://www.wikidata.org/wiki/Q42",
        "https://example.org/person?a=1&b=2",
    ]
    allawi = ld(extra, "en", "hussein-allawi")["mainEntity"]
    assert allawi["jobTitle"] == ["Adviser to the Prime Minister of Iraq"]
    assert allawi["worksFor"][0]["@type"] == "Organization"
    assert "حسين علاوي" in allawi["alternateName"]
    assert "sameAs" not in allawi  # no Wikidata id in the record: none claimed
    iraq = ld(extra, "en", "iraq")["mainEntity"]
    assert iraq["@type"] == "Organization"

    place = ld(extra, "fa", "test-hostile-place")["mainEntity"]
    assert place["@type"] == "Place"
    assert place["geo"]["@type"] == "GeoCoordinates"
    assert place["address"]["addressCountry"] == "IQ"
    base = ld(extra, "en", "ain-al-asad-air-base")["mainEntity"]
    assert base["containedInPlace"]["@id"].endswith("/en/places/al-anbar-province/#place")
    assert "geo" not in base  # no coordinates in the record: none invented

    source = ld(extra, "en", "test-article")
    article = source["mainEntity"]
    assert article["@type"] == "NewsArticle"
    assert article["archivedAt"] == "https://archive.example.org/2026/news"
    assert article["name"] == "Test article </script><!--"
    shipped = ld(extra, "fa", "2025-12-31-abna-ain-al-asad")["mainEntity"]
    assert "archivedAt" not in shipped and "url" not in shipped


@pytest.mark.parametrize(
    ("text", "calendar", "expected"),
    [
        ("2025-12-31", "gregorian", {"startDate": "2025-12-31"}),
        ("2024-09", "gregorian", {"startDate": "2024-09"}),
        ("2026", "gregorian", {"startDate": "2026"}),
        ("2014/2017-05", "gregorian", {"startDate": "2014", "endDate": "2017-05"}),
        ("2025-09/..", "gregorian", {"startDate": "2025-09"}),
        ("[..2026-09]", "gregorian", {"endDate": "2026-09"}),
        ("[2026-01..]", "gregorian", {"startDate": "2026-01"}),
        ("1404-10-10", JALALI, {"startDate": "2025-12-31"}),
        ("1404", JALALI, {"startDate": "2025-03-21", "endDate": "2026-03-20"}),
    ],
)
def test_event_dates(text: str, calendar: str, expected: dict) -> None:
    assert event_dates(parse_date(text, calendar)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_front_matter_carries_jsonld_unchanged_and_inert(name: str) -> None:
    """The one front-matter value written unescaped: JSON that YAML gives back exactly and
    that holds nothing a browser could read as the end of the script."""
    value = {"@type": "Person", "name": name, "alternateName": [name, HOSTILE]}
    block = escape.front_matter({"title": name}, {"jsonld": value})
    assert block.startswith("---\n") and block.endswith("---\n")
    meta = yaml.safe_load(block[4:-4])
    text = meta["jsonld"]
    assert json.loads(text) == value
    assert not re.search(r"[<>&\u2028\u2029]", text)


def test_front_matter_refuses_a_json_key_twice() -> None:
    with pytest.raises(ValueError):
        escape.front_matter({"jsonld": "x"}, {"jsonld": {}})


# -- the built pages ----------------------------------------------------------------------


class Head(HTMLParser):
    """Scripts, meta and link elements of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self._script: dict[str, str] | None = None
        self._body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self._script, self._body = a, []
        elif tag == "meta" and "property" in a:
            self.meta[a["property"]] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._body)))
            self._script = None

    def jsonld(self) -> list[dict]:
        return [
            json.loads(body) for a, body in self.scripts if a.get("type") == "application/ld+json"
        ]


def head_of(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text("utf-8"))
    return head


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("kind", sorted(RECORD_PAGES))
def test_built_record_pages_carry_jsonld_and_open_graph(
    built_site: Path, lang: str, kind: str
) -> None:
    head = head_of(built_site / lang / RECORD_PAGES[kind])
    (data,) = head.jsonld()
    assert data["@context"] == "https://schema.org"
    assert data["inLanguage"] == lang
    canonical = next(link["href"] for link in head.links if link.get("rel") == "canonical")
    assert data["url"] == data["@id"] == canonical
    expected = {
        "sheet": "Event",
        "party": "Organization",
        "place": "Place",
        "source": "NewsArticle",
    }
    if kind == "sheet":
        assert {e["@type"] for e in data["about"]} == {"Event"}
        assert data["citation"][0]["@type"] == "NewsArticle"
    elif kind == "party":
        assert data["mainEntity"]["@type"] == "Person"
    else:
        assert data["mainEntity"]["@type"] == expected[kind]
    hreflangs = {link.get("hreflang") for link in head.links if "alternate" in link.get("rel", "")}
    assert {"fa", "en"} <= hreflangs
    assert head.meta["og:title"] and head.meta["og:description"]
    assert head.meta["og:type"] == "article"
    assert head.meta["og:url"] == canonical
    assert head.meta["og:locale"] == {"fa": "fa_IR", "en": "en_US"}[lang]


@pytest.mark.site
def test_pages_without_a_record_have_no_jsonld(built_site: Path) -> None:
    for page in ("index.html", "sheets/index.html", "data/index.html"):
        head = head_of(built_site / "en" / page)
        assert head.jsonld() == []
        assert head.meta["og:type"] == "website"


# -- hostile names ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("hostile") / "repo"
    extra_content(repo)
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    out = repo / "site"
    result = run_factsheet("build", "-o", str(out), cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize(
    ("page", "benign", "name"),
    [
        ("parties/test-hostile-person", "parties/hussein-allawi", f"{HOSTILE} O'Neil & Co"),
        ("places/test-hostile-place", "places/erbil", f"{HOSTILE} Town"),
        ("sheets/test-sheet", "sheets/ain-al-asad-handover", f"Test sheet {HOSTILE}"),
        (
            "sources/test-article",
            "sources/2025-12-31-abna-ain-al-asad",
            "Test article </script><!--",
        ),
    ],
)
def test_hostile_names_stay_inside_the_jsonld(
    hostile_site: Path, lang: str, page: str, benign: str, name: str
) -> None:
    path = hostile_site / lang / page / "index.html"
    html = path.read_text("utf-8")
    head = head_of(path)
    (data,) = head.jsonld()  # still one JSON-LD block, and it parses
    names = json.dumps(data, ensure_ascii=False)
    if lang == "en" or "person" in page:
        assert json.dumps(name, ensure_ascii=False) in names
    # No script element more than on a page without hostile text.
    assert len(head.scripts) == len(head_of(hostile_site / lang / benign / "index.html").scripts)
    assert "<script>alert(1)" not in html
    assert all(
        "alert(1)" not in body for a, body in head.scripts if a.get("type") != "application/ld+json"
    )
    if lang == "en":
        assert name in head.meta["og:title"]

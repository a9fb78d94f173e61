"""The Atom feeds: one per language, sheets newest first by the dates in the records."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import feeds
from generator.engine import site_base_path
from generator.graph import Graph

from .conftest import ROOT
from .test_exports import SITE, extra_content, graph_of
from .test_jsonld import head_of

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return graph_of(extra_content(tmp_path_factory.mktemp("extra")))


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def text(el: ET.Element, name: str) -> str:
    found = el.find(f"{ATOM}{name}")
    assert found is not None, name
    return found.text or ""


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_feed_lists_published_sheets_newest_first(extra: Graph, lang: str) -> None:
    root = parse(feeds.atom(extra, SITE, lang))
    assert root.get(XML_LANG) == lang
    published = [s for s in extra.content.of_kind("sheet") if s.data.status == "published"]
    items = entries(root)
    assert len(items) == len(published) == 2  # the draft is left out
    # test-sheet's newest source is from 2026-02-03, the Ain al-Asad sheet's from 2025-12-31.
    assert [text(e, "id").rsplit("/", 2)[-2] for e in items] == [
        "test-sheet",
        "ain-al-asad-handover",
    ]
    assert [text(e, "updated") for e in items] == [
        "2026-02-03T00:00:00Z",
        "2025-12-31T00:00:00Z",
    ]
    # The feed's own time is its newest entry's: from the records, never the clock.
    assert text(root, "updated") == "2026-02-03T00:00:00Z"


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_feed_has_what_atom_requires(extra: Graph, lang: str) -> None:
    root = parse(feeds.atom(extra, SITE, lang))
    assert text(root, "id") == f"https://example.org/fs/{lang}/feed.xml"
    assert text(root, "title") and text(root, "updated")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_link] == [f"https://example.org/fs/{lang}/feed.xml"]
    ids = []
    for entry in entries(root):
        ids.append(text(entry, "id"))
        assert text(entry, "title") and text(entry, "summary")
        assert RFC3339.fullmatch(text(entry, "updated"))
        assert RFC3339.fullmatch(text(entry, "published"))
        assert text(entry, "published") <= text(entry, "updated")
        links = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert links[lang] == text(entry, "id")
        assert set(links) == {"fa", "en"}
    assert len(ids) == len(set(ids))


def test_hostile_titles_are_text(extra: Graph) -> None:
    root = parse(feeds.atom(extra, SITE, "en"))
    titles = [text(e, "title") for e in entries(root)]
    assert "Test sheet </script><script>alert(1)</script>" in titles


def test_feed_is_deterministic_and_bounded(
    extra: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = graph_of(extra_content(tmp_path))
    assert feeds.atom(extra, SITE, "fa") == feeds.atom(again, SITE, "fa")
    monkeypatch.setattr(feeds, "FEED_LIMIT", 1)
    assert len(entries(parse(feeds.atom(extra, SITE, "fa")))) == 1


def test_an_empty_feed_has_a_fixed_time(tmp_path: Path) -> None:
    content = extra_content(tmp_path)
    for sheet in (content / "sheets").iterdir():
        sheet.unlink()
    root = parse(feeds.atom(graph_of(content), SITE, "en"))
    assert entries(root) == []
    assert text(root, "updated") == "1970-01-01T00:00:00Z"


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_built_feed_is_linked_from_every_page(built_site: Path, lang: str) -> None:
    base = site_base_path(ROOT / "mkdocs.yml")
    root = parse((built_site / lang / "feed.xml").read_bytes())
    sheets = [p for p in (built_site / lang / "sheets").iterdir() if p.is_dir()]
    assert len(entries(root)) == len(sheets)
    for page in sorted((built_site / lang).rglob("*.html")):
        links = [
            link
            for link in head_of(page).links
            if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
        ]
        assert len(links) == 1, page
        page_url = f"{base}{page.relative_to(built_site).as_posix()}"
        # 404.html links from the site root (it is served at any depth).
        assert urljoin(page_url, links[0]["href"]) == f"{base}{lang}/feed.xml", page

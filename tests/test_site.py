"""The real site, built with `factsheet build` (MkDocs --strict), parsed as HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.engine import site_base_path

from .conftest import ROOT, run_factsheet

SHEET = "sheets/ain-al-asad-handover/index.html"


class Doc(HTMLParser):
    """Just enough of a DOM: the root element's attributes, links, assets, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str] = {}
        self.body_attrs: dict[str, str] = {}
        self.links: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.main: list[str] = []
        self._skip = 0
        self._main_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_attrs = a
        if tag == "body":
            self.body_attrs = a
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.links.append((tag, {**a, "_url": a[key]}))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "article" and (self._main_depth or "md-content__inner" in a.get("class", "")):
            self._main_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "article" and self._main_depth:
            self._main_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
            if self._main_depth:
                self.main.append(data)

    @property
    def content(self) -> str:
        """The page's own content, without the theme's header, nav and footer."""
        return re.sub(r"\s+", " ", "".join(self.main))

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def parse(path: Path) -> Doc:
    doc = Doc()
    doc.feed(path.read_text("utf-8"))
    return doc


def pages(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")}


def test_both_languages_have_the_same_pages(built_site: Path) -> None:
    fa, en = pages(built_site, "fa"), pages(built_site, "en")
    assert fa == en
    for expected in (
        "index.html",
        SHEET,
        "parties/hussein-allawi/index.html",
        "places/ain-al-asad-air-base/index.html",
        "sources/2025-12-31-abna-ain-al-asad/index.html",
        "timeline/index.html",
        "sheets/index.html",
        "parties/index.html",
        "places/index.html",
        "sources/index.html",
        "contribute/index.html",
    ):
        assert expected in fa


@pytest.mark.parametrize(("lang", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_lang_and_dir(built_site: Path, lang: str, direction: str) -> None:
    for page in sorted(pages(built_site, lang)):
        doc = parse(built_site / lang / page)
        assert doc.html_attrs.get("lang") == lang, page
        # Material puts the direction on <body>.
        assert direction in (doc.html_attrs.get("dir"), doc.body_attrs.get("dir")), page


def test_persian_sheet_shows_jalali_then_gregorian(built_site: Path) -> None:
    text = parse(built_site / "fa" / SHEET).content
    assert "۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵)" in text
    # Precision is never invented: the takeover is "around January 2026".
    assert "حدود ژانویه ۲۰۲۶" in text
    assert "تا سپتامبر ۲۰۲۶" in text  # the Erbil deadline
    assert "سپتامبر ۲۰۲۴" in text
    assert not re.search(
        r"[0-9]", re.sub(r"[A-Za-z0-9._/:-]*[A-Za-z][A-Za-z0-9._/:-]*", "", text)
    ), "ASCII digits outside Latin words on a Persian page"


def test_english_sheet_shows_gregorian_with_jalali_day(built_site: Path) -> None:
    text = parse(built_site / "en" / SHEET).content
    assert "31 December 2025 (10 Dey 1404)" in text
    assert "c. January 2026" in text
    assert "by September 2026" in text
    assert "September 2024" in text
    assert not re.search("[۰-۹]", _outside_quotes(text))


def _outside_quotes(text: str) -> str:
    # Persian quotes on English pages keep their own digits; strip «…» runs.
    return re.sub("«[^»]*»", "", text)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_internal_link_resolves(built_site: Path, lang: str) -> None:
    base = site_base_path(ROOT / "mkdocs.yml")
    broken = []
    for page in sorted(pages(built_site, lang)):
        doc = parse(built_site / lang / page)
        page_url = f"{base}{lang}/{page}"
        for _tag, attrs in doc.links:
            url = attrs["_url"]
            parts = urlsplit(urljoin(page_url, url))
            if parts.scheme or parts.netloc:
                continue
            path = unquote(parts.path)
            if not path.startswith(base):
                broken.append((page, url))
                continue
            target = built_site / path[len(base) :]
            if path.endswith("/"):
                target = target / "index.html"
            missing_anchor = (
                parts.fragment
                and target.suffix == ".html"
                and target.exists()
                and parts.fragment not in parse(target).ids
            )
            if not target.exists() or missing_anchor:
                broken.append((page, url))
    assert broken == []


def test_records_link_to_each_other(built_site: Path) -> None:
    doc = parse(built_site / "fa" / SHEET)
    hrefs = {a["_url"] for tag, a in doc.links if tag == "a"}
    assert "../../parties/hussein-allawi/" in hrefs
    assert "../../places/ain-al-asad-air-base/" in hrefs
    assert "../../sources/2025-12-31-abna-ain-al-asad/" in hrefs
    # Every fact has a stable anchor.
    assert {"ain-al-asad-takeover", "erbil-mission-end", "isis-defeated"} <= doc.ids
    party = parse(built_site / "fa" / "parties/hussein-allawi/index.html")
    assert any("ain-al-asad-handover/#" in a["_url"] for _, a in party.links)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_no_third_party_assets(built_site: Path, lang: str) -> None:
    for page in sorted(pages(built_site, lang)):
        doc = parse(built_site / lang / page)
        for tag, attrs in doc.links:
            if tag in ("script", "img", "iframe") or (
                tag == "link"
                and attrs.get("rel") in ("stylesheet", "preload", "preconnect", "icon")
            ):
                assert not urlsplit(attrs["_url"]).netloc, (page, attrs["_url"])
    css = "".join(p.read_text("utf-8") for p in (built_site / lang).rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_vazirmatn_is_self_hosted(built_site: Path) -> None:
    fonts = list((built_site / "fa").rglob("*.woff2"))
    assert any("azirmatn" in f.name for f in fonts)


def test_edit_link_points_at_the_record(built_site: Path) -> None:
    doc = parse(built_site / "fa" / SHEET)
    edits = [a["_url"] for tag, a in doc.links if tag == "a" and "edit" in a["_url"]]
    assert any(u.endswith("/content/sheets/ain-al-asad-handover.yaml") for u in edits), edits


def test_root_page_sends_readers_to_persian(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    base = site_base_path(ROOT / "mkdocs.yml")
    assert f'url={base}fa/"' in html
    assert f'hreflang="fa" href="{base}fa/"' in html
    assert f'hreflang="en" href="{base}en/"' in html


def test_language_selector_lists_both(built_site: Path) -> None:
    doc = parse(built_site / "en" / SHEET)
    hreflangs = {a.get("hreflang") for _, a in doc.links}
    assert {"fa", "en"} <= hreflangs


def test_nav_lists_sections_not_records(built_site: Path) -> None:
    # Material writes the nav into every page: it must not grow with the records.
    html = (built_site / "fa" / SHEET).read_text("utf-8")
    nav = html[html.find('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.find("</nav>")]
    assert "hussein-allawi" not in nav


def test_failed_content_leaves_previous_site(tmp_path: Path) -> None:
    """A content mistake stops the build before MkDocs, and the old site stays."""
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    out = repo / "site"
    out.mkdir()
    (out / "marker.txt").write_text("previous site")
    sheet = repo / "content/sheets/ain-al-asad-handover.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace('"2025-09"', '"2025-13"', 1), "utf-8")
    result = run_factsheet("build", "-o", str(out), cwd=repo)
    assert result.returncode == 1
    assert "content/sheets/ain-al-asad-handover.yaml:" in result.stdout
    assert "month 13 does not exist" in result.stdout
    assert "Traceback" not in result.stderr
    assert (out / "marker.txt").read_text() == "previous site"
    assert sorted(p.name for p in repo.iterdir()) == ["content", "mkdocs.yml", "overrides", "site"]

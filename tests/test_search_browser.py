"""Search in headless Chromium against the built site: the browser's fold on the shared
fixture list, (query → page) in both languages, the box and its keys, and the bytes a
reader downloads for it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.text import fold, folding_table

from .conftest import ROOT

pytestmark = pytest.mark.browser

CASES = json.loads((ROOT / "tests" / "fixtures" / "folding_cases.json").read_text("utf-8"))
SHEET = "sheets/ain-al-asad-handover/"
BASE = "places/ain-al-asad-air-base/"
ALLAWI = "parties/hussein-allawi/"
#: A first query may fetch at most this much search data (the issue's budget, at 10,000
#: sheets; the seed site must stay far below it).
BUDGET = 300_000
TOP = 5

# (query, page expected among the first results): each row of the folding table, the three
# ways to write a compound, other names and transliterations, digits of three scripts.
FA_QUERIES = [
    # ي ى ئ → ی
    ("حسين علاوي", ALLAWI),
    ("علاوى", ALLAWI),
    ("ایتلاف آمریکایی", "parties/us-led-coalition/"),  # the page writes «ائتلاف»
    # ك → ک
    ("آمريكا", "parties/united-states/"),
    # ة ۀ → ه
    ("اتحادیة اروپا", "parties/european-union/"),
    ("اتحادیۀ اروپا", "parties/european-union/"),
    ("القوات المسلحة العراقية", "parties/iraqi-armed-forces/"),
    # أ إ آ ٱ → ا
    ("ألمان", "parties/germany/"),
    ("المان", "parties/germany/"),
    ("إيتاليا", "parties/italy/"),
    ("ٱسپانیا", "parties/spain/"),
    # ؤ → و
    ("ناتؤ", "parties/nato/"),
    # digits of every script
    ("۱۴۰۴", SHEET),
    ("1404", SHEET),
    ("١٤٠٤", SHEET),
    # harakat and tatweel dropped
    ("عَلّاوی", ALLAWI),
    ("علـــاوی", ALLAWI),
    # invisible controls dropped
    ("علا\u200fوی", ALLAWI),
    ("نا\u200dتو", "parties/nato/"),
    # Persian punctuation as spaces
    ("«ناتو»؟", "parties/nato/"),
    ("اربیل،", "places/erbil/"),
    # ZWNJ, space and nothing between word parts
    ("عین\u200cالأسد", BASE),
    ("عین الاسد", BASE),
    ("عینالاسد", BASE),
    ("نخست\u200cوزیر", ALLAWI),
    ("نخست وزیر", ALLAWI),
    ("نخستوزیر", ALLAWI),
    # other names: Arabic spellings, transliterations
    ("عين الأسد", BASE),
    ("Ain al-Asad", BASE),
    ("Ayn al-Asad", BASE),
    ("Al Asad Air Base", BASE),
    ("Hawler", "places/erbil/"),
    ("هەولێر", "places/erbil/"),
    ("Daesh", "parties/isis/"),
]

EN_QUERIES = [
    ("Ain al-Asad", BASE),
    ("Ayn al-Asad", BASE),
    ("airbase", BASE),
    ("عین الاسد", BASE),
    ("عینالاسد", BASE),
    ("پایگاه عین\u200cالأسد", BASE),
    ("Arbil", "places/erbil/"),
    ("Hawler", "places/erbil/"),
    ("حسین علاوی", ALLAWI),
    ("حسين علاوي", ALLAWI),
    ("Iraqi armed forces", "parties/iraqi-armed-forces/"),
    ("headquarters", SHEET),
    ("1404", SHEET),
    ("۱۴۰۴", SHEET),
    ("٢٠٢٥", SHEET),
    ("Daesh", "parties/isis/"),
]


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert errors == []


def _is_search_data(url: str) -> bool:
    return "/search/" in urlsplit(url).path


def _record(page) -> list:
    requested: list = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


_SEARCH_BYTES = """() => performance.getEntriesByType("resource")
    .filter((e) => new URL(e.name).pathname.includes("/search/"))
    .map((e) => [e.name, e.transferSize])"""


def _search(page, query: str) -> dict:
    return page.evaluate("q => window.factsheetSearch.search(q)", query)


def _paths(found: dict, site_url: str) -> list[str]:
    return [r["url"].removeprefix(site_url) for r in found["results"]]


# -- page open ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_opening_a_page_fetches_no_search_data(tab, site_url: str, lang: str) -> None:
    requests = _record(tab)
    for path in ("", SHEET, BASE):
        tab.goto(f"{site_url}{lang}/{path}", wait_until="networkidle")
    assert [url for url in requests if _is_search_data(url)] == []
    # The box is there, in the header, waiting.
    assert tab.locator(".md-header .md-search__input").count() == 1


# -- folding --------------------------------------------------------------------------------


def test_browser_folds_the_fixture_list_like_python(tab, site_url: str) -> None:
    tab.goto(f"{site_url}fa/")
    inputs = [case["input"] for case in CASES]
    folded = tab.evaluate(
        "async (xs) => Promise.all(xs.map((x) => window.factsheetSearch.fold(x)))", inputs
    )
    for case, got in zip(CASES, folded, strict=True):
        assert got == case["folded"] == fold(case["input"]), case


def test_browser_folds_every_table_character_and_arabic_letter_like_python(
    tab, site_url: str
) -> None:
    # Beyond the fixtures: every character the table maps, and every character of Latin,
    # Arabic and the Arabic presentation forms. (Characters added to Unicode after
    # Python's 14.0 may fold differently in a newer browser; none is Persian or Arabic.)
    table_chars = {chr(point) for point in folding_table()}
    ranges = [(0x20, 0x7FF), (0x860, 0x8FF), (0x2000, 0x206F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
    chars = sorted(table_chars | {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)})
    tab.goto(f"{site_url}fa/")
    folded = tab.evaluate(
        "async (xs) => Promise.all(xs.map((x) => window.factsheetSearch.fold(x)))", chars
    )
    differ = [
        (f"U+{ord(c):04X}", got, fold(c))
        for c, got in zip(chars, folded, strict=True)
        if got != fold(c)
    ]
    assert differ == []


# -- queries --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def searcher(browser, site_url: str):
    """One page per language that has loaded the engine, for the query tables."""
    context = browser.new_context()
    pages = {}
    for lang in ("fa", "en"):
        page = context.new_page()
        page.goto(f"{site_url}{lang}/")
        page.evaluate("window.factsheetSearch.load()")
        pages[lang] = page
    yield pages
    context.close()


@pytest.mark.parametrize(("query", "expected"), FA_QUERIES, ids=[q for q, _ in FA_QUERIES])
def test_persian_query_finds_page(searcher, site_url: str, query: str, expected: str) -> None:
    found = _search(searcher["fa"], query)
    paths = _paths(found, site_url)
    assert f"fa/{expected}" in paths[:TOP], paths
    # One search per language: a Persian page never returns an English page.
    assert all(p.startswith("fa/") for p in paths), paths


@pytest.mark.parametrize(("query", "expected"), EN_QUERIES, ids=[q for q, _ in EN_QUERIES])
def test_english_query_finds_page(searcher, site_url: str, query: str, expected: str) -> None:
    found = _search(searcher["en"], query)
    paths = _paths(found, site_url)
    assert f"en/{expected}" in paths[:TOP], paths
    assert all(p.startswith("en/") for p in paths), paths


def test_three_ways_to_write_a_compound_find_the_same_pages(searcher) -> None:
    forms = ("عین\u200cالأسد", "عین الاسد", "عینالاسد")
    found = [{r["url"] for r in _search(searcher["fa"], q)["results"]} for q in forms]
    assert found[0] and found[0] == found[1] == found[2]


def test_results_show_published_text_with_the_match_marked(searcher) -> None:
    found = _search(searcher["fa"], "عینالاسد")
    excerpts = [r["excerpt"] for r in found["results"]]
    # The page writes «عین‌الأسد»: shown as written, marked though typed without ZWNJ/hamza.
    assert any("<mark>عین\u200cالأسد</mark>" in e for e in excerpts), excerpts
    place = next(r for r in found["results"] if r["url"].endswith(BASE))
    assert place["title"] == "پایگاه <mark>عین\u200cالأسد</mark>"
    assert place["kind"] == "مکان"
    for r in found["results"]:
        assert "<script" not in r["excerpt"] and "<script" not in r["title"]


# -- the box --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "query", "expected", "kind"),
    [("fa", "عين الأسد", BASE, "مکان"), ("en", "ayn al asad", BASE, "Place")],
)
def test_box_works_with_the_keyboard(
    tab, site_url: str, artifacts: Path, lang: str, query: str, expected: str, kind: str
) -> None:
    tab.goto(f"{site_url}{lang}/{SHEET}", wait_until="networkidle")
    box = tab.locator(".md-header .md-search__input")
    tab.keyboard.press("/")
    assert tab.evaluate("document.activeElement.name") == "query"
    assert tab.evaluate("document.getElementById('__search').checked")
    tab.keyboard.type(query)
    first = tab.locator(".md-search-result__item").first
    first.wait_for()
    assert first.locator("h1 .fs-kind").inner_text().strip().lower() == kind.lower()
    assert first.locator("p mark").count() >= 1
    # It looks native in both directions: Material's own search styles, the page's direction.
    assert tab.evaluate(
        "getComputedStyle(document.querySelector('.md-search-result')).direction"
    ) == ("rtl" if lang == "fa" else "ltr")
    tab.screenshot(path=str(artifacts / f"search-{lang}.png"))
    # Escape closes, / opens again with the query kept, arrows walk, Enter follows.
    tab.keyboard.press("Escape")
    assert not tab.evaluate("document.getElementById('__search').checked")
    assert tab.evaluate("document.activeElement.name") != "query"
    tab.keyboard.press("s" if lang == "en" else "/")
    assert box.input_value() == query
    tab.keyboard.press("ArrowDown")
    target = tab.evaluate("document.activeElement.getAttribute('href')")
    assert target and target.endswith(expected)
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**/{lang}/{expected}")


def test_s_key_of_a_persian_layout_opens_the_box(tab, site_url: str) -> None:
    tab.goto(f"{site_url}fa/", wait_until="networkidle")
    # On a Persian keyboard the S key types «س»: the physical key still opens search.
    tab.evaluate(
        """() => document.dispatchEvent(new KeyboardEvent("keydown",
             {key: "س", code: "KeyS", bubbles: true, cancelable: true}))"""
    )
    assert tab.evaluate("document.activeElement.name") == "query"


# -- cost to the reader ---------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "query"), [("fa", "عین الاسد"), ("en", "Ain al-Asad")])
def test_first_query_bytes(browser, site_url: str, artifacts: Path, lang: str, query: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # cold cache
    tab = context.new_page()
    tab.goto(f"{site_url}{lang}/{SHEET}", wait_until="networkidle")
    assert tab.evaluate(_SEARCH_BYTES) == []  # nothing of search on page open
    tab.keyboard.press("/")
    tab.keyboard.type(query)
    tab.locator(".md-search-result__item").first.wait_for()
    tab.wait_for_load_state("networkidle")
    # Bytes on the wire (headers and bodies, as served), per the browser's resource timing.
    fetched = tab.evaluate(_SEARCH_BYTES)
    shown = tab.locator(".md-search-result__item").count()
    context.close()
    total = sum(size for _, size in fetched)
    report = artifacts / "search-first-query.json"
    data = json.loads(report.read_text("utf-8")) if report.exists() else {}
    data[lang] = {"query": query, "requests": len(fetched), "bytes": total, "shown": shown}
    report.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    prefix = urlsplit(site_url).path + f"{lang}/search/"
    assert all(urlsplit(url).path.startswith(prefix) for url, _ in fetched)
    assert 0 < total <= BUDGET

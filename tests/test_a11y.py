"""Accessibility in both directions and both palettes, in headless Chromium.

axe-core (pinned in package-lock.json, installed by `make test` with `npm ci`) runs over the
home page and a sheet, a party, a place and a source page in both languages, in the light and
the dark palette: no serious or critical violation. Beside it, what axe does not check: the
headings go down one level at a time, text in another language than the page carries its
own `lang` and is isolated for direction, and every visible control is reached with Tab.
"""

from __future__ import annotations

import os
from itertools import pairwise

import pytest

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "sheet": "sheets/ain-al-asad-handover/",
    "party": "parties/hussein-allawi/",
    "place": "places/ain-al-asad-air-base/",
    "source": "sources/2025-12-31-abna-ain-al-asad/",
    "data": "data/",
}
LANGS = ("fa", "en")
SCHEMES = {"light": "default", "dark": "slate"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("FACTSHEET_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("axe-core is missing: `make axe` installs it (npm ci)")
        pytest.skip("axe-core is not installed (`make axe` runs npm ci)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module", params=sorted(SCHEMES))
def tab(request: pytest.FixtureRequest, browser):
    """A browser tab in the light or the dark palette (Material follows the system's)."""
    scheme = request.param
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.scheme = scheme  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="module")
def light_tab(browser):
    """For what does not depend on the palette."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.scheme = "light"  # type: ignore[attr-defined]
    yield page
    context.close()


def _open(tab, site_url: str, lang: str, name: str) -> None:
    tab.goto(f"{site_url}{lang}/{PAGES[name]}", wait_until="networkidle")
    scheme = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == SCHEMES[tab.scheme]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_nothing_serious(tab, site_url: str, axe_source: str, lang: str, name: str):
    _open(tab, site_url, lang, name)
    tab.add_script_tag(content=axe_source)
    violations = tab.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => [n.target.join(' '),
                                                           n.failureSummary])}))"""
    )
    assert violations == [], f"{tab.scheme} {lang}/{PAGES[name]}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_headings_go_down_one_level_at_a_time(light_tab, site_url: str, lang: str, name: str):
    tab = light_tab
    _open(tab, site_url, lang, name)
    levels = tab.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .filter(h => h.checkVisibility())
            .map(h => Number(h.tagName[1]))"""
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, after in pairwise(levels):
        assert after <= before + 1, levels


# Text in a script the page's language does not use, and the nearest element that says
# which language it is in, with whether that element isolates it for direction.
_FOREIGN_TEXT = """(lang) => {
  const foreign = lang === 'fa' ? /[A-Za-z]{2,}/ : /[\\u0600-\\u06ff]/;
  const root = document.querySelector('article.md-content__inner');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!foreign.test(node.data) || el.closest('code, .headerlink')) continue;
    // URLs and file names are not words in a language.
    if (el.closest('a[href^="http"]')) continue;
    const marked = el.closest('[lang]');
    let isolated = false;
    for (let e = el; e && e !== marked.parentElement; e = e.parentElement) {
      const bidi = getComputedStyle(e).unicodeBidi;
      if (e.tagName === 'BDI' || e.hasAttribute('dir') || /isolate|plaintext/.test(bidi)) {
        isolated = true;
      }
    }
    out.push({text: node.data.trim().slice(0, 40), lang: marked.lang, isolated});
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_other_languages_carry_their_lang(light_tab, site_url: str, lang: str, name: str):
    tab = light_tab
    _open(tab, site_url, lang, name)
    found = tab.evaluate(_FOREIGN_TEXT, lang)
    wrong = [f for f in found if f["lang"] == lang or not f["isolated"]]
    assert wrong == []
    if (lang, name) in {("en", "sheet"), ("en", "source"), ("fa", "place")}:
        # Persian quotes on the English pages, English names of the base on the Persian one.
        assert found, "the shipped content has text in the other script on this page"


def test_an_arabic_name_on_a_persian_page_is_marked(light_tab, site_url: str):
    tab = light_tab
    _open(tab, site_url, "fa", "party")
    marked = tab.evaluate(
        """() => [...document.querySelectorAll('.md-content [lang="ar"]')]
            .map(e => [e.textContent, e.dir])"""
    )
    assert ["حسين علاوي", "rtl"] in marked


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["home", "sheet"])
def test_every_visible_control_is_reached_with_tab(light_tab, site_url: str, lang: str, name: str):
    tab = light_tab
    _open(tab, site_url, lang, name)
    controls = tab.evaluate(
        """() => {
          const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
          const all = [...document.querySelectorAll(sel)].filter(el => {
            const r = el.getBoundingClientRect();
            return !el.disabled && r.width > 0 && r.height > 0
              && el.checkVisibility({visibilityProperty: true, opacityProperty: true})
              && !el.closest('[inert], [aria-hidden="true"]');
          });
          all.forEach((el, i) => el.dataset.fsControl = String(i));
          return all.length;
        }"""
    )
    assert controls > 0
    reached: set[str] = set()
    tab.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(controls * 2 + 20):
        tab.keyboard.press("Tab")
        key = tab.evaluate("document.activeElement && document.activeElement.dataset.fsControl")
        if key is not None:
            reached.add(key)
        if len(reached) == controls:
            break
    missing = tab.evaluate(
        """(reached) => [...document.querySelectorAll('[data-fs-control]')]
            .filter(el => !reached.includes(el.dataset.fsControl))
            .map(el => el.outerHTML.slice(0, 160))""",
        sorted(reached),
    )
    assert missing == []

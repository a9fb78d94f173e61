"""generator.search, Python side: the text and terms each page gives the index, the folding
table as the browser receives it, and the index a real build writes."""

from __future__ import annotations

import gzip
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import urllib.request
from itertools import pairwise
from pathlib import Path

import pytest

from generator import search
from generator.render import labels
from generator.search import (
    MARKER,
    SearchDoc,
    browser_table,
    extra_terms,
    page_blocks,
    record_names,
    record_pages,
    synthetic_page,
)
from generator.text import fold
from generator.validate import validate_dir

from .conftest import ROOT, run_factsheet

CASES = json.loads((ROOT / "tests" / "fixtures" / "folding_cases.json").read_text("utf-8"))
ZWNJ = "\u200c"


@pytest.fixture(scope="module")
def content():
    found, problems = validate_dir(ROOT / "content", ROOT)
    assert not [p for p in problems if p.severity == "error"]
    return found


def _doc(html: str, kind: str = "sheet", **kw) -> SearchDoc:
    fields = dict(
        url="sheets/x/", lang="fa", title="عنوان", kind=kind, kind_label="پرونده", html=html
    )
    return SearchDoc(**{**fields, **kw})


def _split(page: str) -> tuple[str, str]:
    """(what readers are shown, what is for matching only) of a synthetic page."""
    body = page[page.index("<main data-pagefind-body>") : page.index("</main>")]
    shown, _, hidden = html_lib.unescape(re.sub(r"<[^>]*>", " ", body)).partition(MARKER)
    return shown, hidden


# -- the text of a page ---------------------------------------------------------------------


def test_blocks_follow_pagefind_word_boundaries() -> None:
    html = (
        '<h1 id="t">پایگاه عین\u200cالأسد<a class="headerlink" href="#t" title="Permanent link">¶</a></h1>'
        '<p>ab<span class="fs-kind">cd</span>ef <a href="x/">gh</a>ij<bdi>kl</bdi><br>mn</p>'
        "<ul><li>one</li><li>two</li></ul><script>var x = 1;</script>"
    )
    blocks = page_blocks(html)
    assert [(b.tag, b.text) for b in blocks] == [
        ("h1", "پایگاه عین\u200cالأسد"),  # no ¶, displayed text unfolded
        ("p", "abcdef ghijkl"),  # inline elements do not split words
        ("p", "mn"),  # <br> does
        ("p", "one"),
        ("p", "two"),
    ]


@pytest.mark.parametrize(
    ("kind", "kept", "dropped"),
    [
        ("party", "positions", ["statements", "facts"]),
        ("place", "intro", ["facts", "within"]),
        ("source", "intro", ["facts"]),
        ("sheet", "background", ["related", "sources"]),
    ],
)
def test_lists_of_other_pages_are_not_indexed(kind: str, kept: str, dropped: list[str]) -> None:
    html = f'<h1 id="x">Name</h1><h2 id="{kept}">{kept}</h2><p>own text</p>' + "".join(
        f'<h2 id="{d}">{d}</h2><p>repeated fact text</p>' for d in dropped
    )
    text = " ".join(b.text for b in page_blocks(html, kind))
    assert "own text" in text and kept in text
    assert "repeated" not in text


def test_key_facts_box_is_not_indexed_twice() -> None:
    html = (
        '<p>summary</p><div class="fs-keyfacts"><p><strong>Key facts</strong></p>'
        '<dl><dt>Date</dt><dd>c. 2026<br>x</dd></dl></div><h2 id="facts">Facts</h2><p>fact</p>'
    )
    assert [b.text for b in page_blocks(html)] == ["summary", "Facts", "fact"]


# -- the terms ------------------------------------------------------------------------------


def test_index_text_is_folded_and_shown_text_is_not() -> None:
    shown_text = (
        "پایگاه عین\u200cالأسد؛ علي كتاب مدرسة في ۱۴۰۴ و ١٤٠٥، مُحَمَّد ســـلام "
        "رئیس\u200fجمهور «نقل\u200cقول» خانۀ ما"
    )
    page = synthetic_page(_doc(f"<p>{shown_text}</p>"))
    shown, hidden = _split(page)
    assert shown_text in shown  # exactly as published
    terms = set(hidden.split())
    for folded in (
        "عین", "الاسد", "عینالاسد", "علی", "کتاب", "مدرسه", "فی", "1404", "1405", "محمد",
        "سلام", "رییسجمهور", "نقل", "قول", "نقلقول", "خانه",
    ):  # fmt: skip
        assert folded in terms, folded
    # Nothing for matching is left unfolded.
    assert all(fold(t) == t for t in terms)


def test_every_fold_of_the_text_is_found_somewhere() -> None:
    # Whatever Pagefind indexes from the shown words plus the hidden terms covers every
    # folded token and every joined pair of the text.
    text = "عین الاسد می‌گیرد؛ al-Asad (۲۰۲۵) Ain"
    page = synthetic_page(_doc(f"<p>{text}</p>"))
    _, hidden = _split(page)
    # What Pagefind indexes for a word itself was checked against its index: the word
    # lowercased, and without punctuation («al-Asad» gives «alasad»).
    have = set(hidden.split()) | {f for w in text.split() for f in search._as_pagefind_indexes(w)}
    tokens = fold(text).split()
    wanted = set(tokens) | {a + b for a, b in pairwise(tokens)}
    assert wanted <= have


def test_terms_already_in_the_words_are_not_repeated() -> None:
    terms = extra_terms(page_blocks("<p>Iraq base عراق، پایگاه</p>"))
    assert "iraq" not in terms and "base" not in terms and "عراق" not in terms
    assert "iraqbase" in terms and "عراقپایگاه" in terms


def test_names_and_related_names_are_weighted() -> None:
    page = synthetic_page(
        _doc("<p>x</p>", kind="place", names=("Ayn al-Asad", "عين الأسد"), related=("Erbil",))
    )
    names = re.search(r'<p data-pagefind-weight="7.0">([^<]*)</p>', page).group(1)
    assert names.startswith(MARKER)
    assert {"ayn", "al", "asad", "aynal", "alasad", "عین", "الاسد", "عینالاسد"} <= set(
        names.split()
    )
    related = re.search(r'<p data-pagefind-weight="0.5">([^<]*)</p>', page).group(1)
    assert related.split() == ["erbil"]


def test_meta_is_shown_text(content) -> None:
    page = synthetic_page(_doc("<p>x</p>", title="پایگاه عین\u200cالأسد & <b>", kind_label="مکان"))
    assert '<p data-pagefind-meta="title">پایگاه عین\u200cالأسد &amp; &lt;b&gt;</p>' in page
    assert '<p data-pagefind-meta="kind">مکان</p>' in page
    assert page.index('data-pagefind-meta="title"') < page.index("<main data-pagefind-body>")


def test_write_page_refuses_to_leave_the_root(tmp_path: Path) -> None:
    with pytest.raises(search.SearchError):
        search.write_page(_doc("<p>x</p>", url="../../etc/"), tmp_path)
    target = search.write_page(_doc("<p>x</p>", url="places/erbil/"), tmp_path)
    assert target == tmp_path / "places/erbil/index.html"


# -- records ---------------------------------------------------------------------------------


def test_other_names_feed_the_index(content) -> None:
    base = content.get("ain-al-asad-air-base")
    names = record_names(base)
    assert {"پایگاه عین\u200cالأسد", "Ain al-Asad Air Base", "عين الأسد", "Ayn al-Asad"} <= set(
        names
    )
    pages = record_pages(content)
    assert pages["places/ain-al-asad-air-base.md"].names == names
    assert pages["places/ain-al-asad-air-base.md"].kind == "place"
    # A sheet is found by the other names of the places and parties its facts name.
    sheet = pages["sheets/ain-al-asad-handover.md"]
    assert "Ayn al-Asad" in sheet.related and "حسين علاوي" in sheet.related
    # Only record pages are indexed: not the home, lists, timeline or contribute pages.
    assert set(pages) == {f"{search.KIND_DIRS[r.kind]}/{r.id}.md" for r in content.records.values()}


def test_ui_labels_exist_in_every_language() -> None:
    for lang in ("fa", "en"):
        lab = search.ui_labels(lang)
        assert set(search.UI_KEYS) <= set(lab)
        assert all(isinstance(v, str) and v for k, v in lab.items() if k != "digits")
        assert len(lab["digits"]) == 10
        assert "{n}" in lab["search_many"]
    assert search.ui_labels("fa")["kind_place"] == labels("fa")["kind_place"]


# -- the browser's copy of the table --------------------------------------------------------


def _browser_fold(table: dict):
    """search.js's fold, step by step, in Python: it must agree with text.fold."""
    replace = {ch: to for to, chars in table["replace"] for ch in chars}
    casefold = table["casefold"]

    def fold_(text: str) -> str:
        mapped = "".join(replace.get(ch, ch) for ch in unicodedata.normalize("NFKC", text))
        folded = "".join(casefold.get(ch, ch.lower()) for ch in mapped)
        return " ".join(p for p in folded.split(" ") if p)

    return fold_


def test_browser_table_is_the_folding_table() -> None:
    browser_fold = _browser_fold(json.loads(search.browser_table_json()))
    for case in CASES:
        assert browser_fold(case["input"]) == case["folded"], case
    # Every character alone, so no row of the table and no case fold is lost.
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        c = chr(point)
        assert browser_fold(c) == fold(c), f"U+{point:04X}"


def test_browser_table_is_compact() -> None:
    # It is fetched on the first query: each character once, grouped by what it becomes.
    table = browser_table()
    chars = [c for _, cs in table["replace"] for c in cs]
    assert len(chars) == len(set(chars))
    assert len(search.browser_table_json().encode()) < 16_000


# -- the indexer ----------------------------------------------------------------------------


def test_indexer_failure_is_an_error(tmp_path: Path, monkeypatch) -> None:
    pages = tmp_path / "pages"
    search.write_page(_doc("<p>x</p>"), pages)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    with pytest.raises(search.SearchError, match="Pagefind failed"):
        search.build_index(pages, tmp_path / "out", "fa")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(search.SearchError, match="could not run"):
        search.build_index(pages, tmp_path / "out", "fa")


def test_indexer_writes_only_what_the_site_loads(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    search.write_page(_doc("<p>سلام</p>"), pages)
    search.build_index(pages, tmp_path / "out", "fa")
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "wasm.unknown.pagefind"} <= names
    assert not names & set(search._UNUSED)


# -- what a real build gives the index ------------------------------------------------------


def _fragments(site: Path, lang: str) -> list[dict]:
    out = []
    for path in sorted((site / lang / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return out


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_build_indexes_each_language_on_its_own(built_site: Path, lang: str, content) -> None:
    bundle = built_site / lang / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == [lang]
    assert (built_site / lang / search.TABLE_PATH).is_file()
    fragments = _fragments(built_site, lang)
    urls = {f["url"] for f in fragments}
    assert urls == {f"/{search.KIND_DIRS[r.kind]}/{r.id}/" for r in content.records.values()}
    kinds = {labels(lang)[f"kind_{k}"] for k in search.KIND_DIRS}
    for f in fragments:
        assert f["meta"]["kind"] in kinds
        assert f["meta"]["title"] and "¶" not in f["meta"]["title"]
        assert MARKER in f["content"]


@pytest.mark.site
def test_fragments_show_published_text_and_match_folded(built_site: Path) -> None:
    (place,) = [
        f for f in _fragments(built_site, "fa") if f["url"] == "/places/ain-al-asad-air-base/"
    ]
    shown, _, hidden = place["content"].rpartition(MARKER)
    assert place["meta"]["title"] == "پایگاه عین\u200cالأسد"
    assert place["meta"]["kind"] == labels("fa")["kind_place"]
    assert "عین\u200cالأسد" in shown and "Ayn al-Asad" in shown
    assert {"عینالاسد", "alasad", "aynal"} <= set(hidden.split())
    assert "الأسد" not in hidden and ZWNJ not in hidden


@pytest.mark.site
def test_indexing_failure_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    out = repo / "site"
    out.mkdir()
    (out / "marker.txt").write_text("previous site")
    result = run_factsheet(
        "build", "-o", str(out), cwd=repo, env={"PAGEFIND_BINARY_PATH": "/bin/false"}
    )
    assert result.returncode == 1
    assert "Pagefind failed" in result.stderr
    assert (out / "marker.txt").read_text() == "previous site"


@pytest.mark.site
def test_serve_builds_the_index(tmp_path: Path) -> None:
    import socket

    from generator.engine import site_base_path

    repo = tmp_path / "repo"
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--lang", "en", "-a", f"127.0.0.1:{port}"],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    try:
        url = f"http://127.0.0.1:{port}{site_base_path(repo / 'mkdocs.yml')}en/pagefind/pagefind-entry.json"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    entry = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert list(entry["languages"]) == ["en"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_core_does_not_import_mkdocs() -> None:
    code = "import sys, generator.search; print(any(m.startswith('mkdocs') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr

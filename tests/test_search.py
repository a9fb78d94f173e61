"""generator.search, Python side: the text and terms each page gives the index, the folding
table as the browser receives it, and the index a real build writes."""

from __future__ import annotations

import gzip
import json
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
from generator.search import SearchDoc, browser_table, page_blocks, record_names, record_pages
from generator.text import fold
from generator.validate import validate_dir

from .conftest import ROOT

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
    return SearchDoc(**{**fields, **kw})  # type: ignore[arg-type]


# -- the text of a page ---------------------------------------------------------------------


def test_blocks_follow_word_boundaries() -> None:
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


def _terms(doc: SearchDoc) -> dict[str, float]:
    return search.term_frequencies(doc, page_blocks(doc.html, doc.kind))[0]


def test_index_text_is_folded_and_shown_text_is_not() -> None:
    published = (
        "پایگاه عین\u200cالأسد؛ علي كتاب مدرسة في ۱۴۰۴ و ١٤٠٥، مُحَمَّد ســـلام "
        "رئیس\u200fجمهور «نقل\u200cقول» خانۀ ما"
    )
    doc = _doc(f"<h1>عنوان</h1><p>{published}</p>")
    terms = _terms(doc)
    for folded in (
        "عین", "الاسد", "عینالاسد", "علی", "کتاب", "مدرسه", "فی", "1404", "1405", "محمد",
        "سلام", "رییسجمهور", "نقل", "قول", "نقلقول", "خانه",
    ):  # fmt: skip
        assert folded in terms, folded
    assert all(fold(t) == t for t in terms)  # nothing unfolded is a term
    # What results show is the page as published (the title apart: it is shown as such).
    assert search.shown_text(doc, page_blocks(doc.html)) == published


def test_every_token_and_neighbour_pair_is_a_term() -> None:
    text = "عین الاسد می‌گیرد؛ al-Asad (۲۰۲۵) Ain"
    tokens = fold(text).split()
    assert set(_terms(_doc(f"<p>{text}</p>"))) >= {"عنوان"} | set(tokens) | {
        a + b for a, b in pairwise(tokens)
    }


def test_words_weigh_by_where_they_stand() -> None:
    doc = _doc(
        '<h1>Erbil</h1><p>capital</p><h2 id="about">Facts</h2><p>word</p>',
        kind="place",
        title="Erbil",
        names=("Hawler", "أربيل"),
        related=("Iraq",),
    )
    tf = _terms(doc)
    assert tf["erbil"] == search.TITLE_WEIGHT  # the title once, not again as the h1
    assert tf["hawler"] == tf["اربیل"] == search.NAME_WEIGHT["place"]
    assert tf["facts"] == search.HEADING_WEIGHT
    assert tf["capital"] == tf["word"] == search.TEXT_WEIGHT
    assert tf["iraq"] == search.RELATED_WEIGHT
    # A sheet's or source's titles in other languages are only text.
    assert _terms(_doc("<p>x</p>", names=("Other title",)))["other"] == search.TEXT_WEIGHT


# -- the index files ------------------------------------------------------------------------


def _read(path: Path):
    data = path.read_bytes()
    assert data[:2] == b"\x1f\x8b"  # gzipped JSON
    return json.loads(gzip.decompress(data))


def _build(tmp_path: Path, docs: list[SearchDoc]) -> Path:
    writer = search.IndexWriter("fa")
    for doc in docs:
        writer.add(doc)
    return writer.finish(tmp_path / "search")


def _postings(folder: Path) -> dict[str, dict[int, int]]:
    """Every term's pages and values, decoded as search.js decodes them."""
    out: dict[str, dict[int, int]] = {}
    index = _read(folder / "index")
    for n, first in enumerate(index["chunks"]):
        chunk = _read(folder / "c" / str(n))
        assert next(iter(chunk)) == first
        for term, entry in chunk.items():
            at, pages = 0, {}
            for step, value in zip(entry[1::2], entry[2::2], strict=True):
                at += step
                pages[at] = value
            out[term] = pages
    return out


def test_index_files(tmp_path: Path) -> None:
    docs = [
        _doc("<p>پایگاه عین\u200cالأسد</p>", url="places/a/", kind="place", title="عین\u200cالأسد"),
        _doc("<p>عين الأسد في العراق</p>", url="sheets/b/", title="ب"),
        _doc("<p>Erbil</p>", url="places/erbil/", kind="place", title="Erbil"),
    ]
    folder = _build(tmp_path, docs)
    entry = json.loads((tmp_path / "search" / "entry.json").read_text("utf-8"))
    assert folder == tmp_path / "search" / entry["path"].rstrip("/")
    index = _read(folder / "index")
    assert index["pages"] == 3 and index["lang"] == "fa"
    postings = _postings(folder)
    # «عین‌الأسد», «عين الأسد»: one term, both pages; values are 1 … SCORE_MAX.
    assert set(postings["عینالاسد"]) == {0, 1}
    assert all(1 <= v <= search.SCORE_MAX for p in postings.values() for v in p.values())
    assert postings["عینالاسد"][0] > postings["عینالاسد"][1]  # the title outweighs text
    assert index["per"] == search.PAGES_PER_FILE
    page = _read(folder / "d" / "0")[1]
    assert page == {"u": "sheets/b/", "t": "ب", "k": "پرونده", "x": "عين الأسد في العراق"}
    # The browser's copy of the folding table travels with the index.
    assert _read(folder / "folding") == json.loads(json.dumps(browser_table()))


def test_chunks_are_in_the_browsers_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "CHUNK_BYTES", 40)  # a chunk a term or two
    words = ["\U0001d7d8x", "\uff21b", "zz", "za", "ab", "aa", "عین", "ب"]
    folder = _build(tmp_path, [_doc(f"<p>{w}</p>", url=f"p/{i}/") for i, w in enumerate(words)])
    firsts = _read(folder / "index")["chunks"]
    # JavaScript compares strings by UTF-16 code units: so are the chunks ordered.
    assert firsts == sorted(firsts, key=lambda t: t.encode("utf-16-be"))
    # A chunk never mixes first letters, so a word's lookup never lands in a neighbour.
    for n in range(len(firsts)):
        assert len({t[0] for t in _read(folder / "c" / str(n))}) == 1


def test_common_terms_keep_their_best_pages(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "MAX_POSTINGS", 3)
    docs = [_doc(f"<p>{'عراق ' * (i + 1)}x{i}</p>", url=f"p/{i}/") for i in range(5)]
    folder = _build(tmp_path, docs)
    (chunk,) = [_read(p) for p in (folder / "c").iterdir() if "عراق" in _read(p)]
    entry = chunk["عراق"]
    assert entry[0] == 5 and len(entry) == 1 + 2 * 3  # on 5 pages, the best 3 listed
    assert set(_postings(folder)["عراق"]) == {2, 3, 4}


def test_postings_carry_bm25_saturation() -> None:
    """The index stores each page's ``saturation`` (norms computed once per page) as a whole
    number, in page order."""
    lengths = [3, 40, 7, 120, 1, 55]
    avg = sum(lengths) / len(lengths)
    norms = search.length_norms(lengths, avg)
    postings = [(0, 1.0), (1, 7.0), (3, 2.5), (4, 0.5), (5, 14.0)]
    packed = [d << search.VALUE_BITS | search.page_value(tf, norms[d]) for d, tf in postings]
    entry = search.postings_entry(packed)
    expected = [
        max(1, round(search.SCORE_MAX * search.saturation(tf, lengths[d], avg) / (search.K1 + 1)))
        for d, tf in postings
    ]
    steps = [0, 1, 2, 1, 1]
    assert entry == [5, *[x for pair in zip(steps, expected, strict=True) for x in pair]]


def test_a_common_term_keeps_its_best_pages_in_page_order(monkeypatch) -> None:
    monkeypatch.setattr(search, "MAX_POSTINGS", 3)
    values = {2: 9, 5: 200, 7: 9, 8: 9, 11: 40, 12: 1}
    packed = [page << search.VALUE_BITS | v for page, v in sorted(values.items())]
    # The best: 200 and 40, then of the three 9s the first page (ties go to the lower page).
    assert search.postings_entry(packed) == [6, 2, 9, 3, 200, 6, 40]


def test_builds_are_reproducible(tmp_path: Path) -> None:
    docs = [_doc("<p>سلام دنیا</p>", url="a/"), _doc("<p>Hello</p>", url="b/")]
    one = _build(tmp_path / "1", docs)
    two = _build(tmp_path / "2", docs)
    assert one.name == two.name
    assert sorted(p.name for p in one.rglob("*")) == sorted(p.name for p in two.rglob("*"))


def test_a_page_cannot_be_added_twice() -> None:
    writer = search.IndexWriter("fa")
    try:
        writer.add(_doc("<p>x</p>"))
        with pytest.raises(search.SearchError):
            writer.add(_doc("<p>y</p>"))
    finally:
        writer.close()


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
        assert all(isinstance(v, str) and v for v in lab.values())
        assert len(lab["search_digits"]) == 10
        assert "{n}" in lab["search_many"] and "{n}" in lab["search_at_least"]
    assert search.kind_label("place", "fa") == labels("fa")["kind_place"]


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
    browser_fold = _browser_fold(json.loads(json.dumps(browser_table())))
    for case in CASES:
        assert browser_fold(case["input"]) == case["folded"], case
    # Every character alone, so no row of the table and no case fold is lost.
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        c = chr(point)
        assert browser_fold(c) == fold(c), f"U+{point:04X}"


def test_casefold_exceptions_are_those_of_each_character() -> None:
    # Looked for block by block: the same as asking every character, in the same order.
    each = [
        (chr(p), chr(p).casefold())
        for p in range(0x110000)
        if not 0xD800 <= p <= 0xDFFF and chr(p).casefold() != chr(p).lower()
    ]
    assert list(search._casefold_exceptions()) == each
    assert ("ß", "ss") in each and ("ς", "σ") in each


def test_browser_table_is_compact() -> None:
    # It is fetched on the first query: each character once, grouped by what it becomes.
    table = browser_table()
    chars = [c for _, cs in table["replace"] for c in cs]
    assert len(chars) == len(set(chars))
    assert len(search._pack(table)) < 8_000


# -- what a real build gives the index ------------------------------------------------------


def _bundle(site: Path, lang: str) -> Path:
    entry = json.loads((site / lang / search.BUNDLE_DIR / "entry.json").read_text("utf-8"))
    return site / lang / search.BUNDLE_DIR / entry["path"]


def _pages(site: Path, lang: str) -> list[dict]:
    folder = _bundle(site, lang)
    index = _read(folder / "index")
    groups = -(-index["pages"] // index["per"])
    pages = [page for g in range(groups) for page in _read(folder / "d" / str(g))]
    assert len(pages) == index["pages"]
    return pages


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_build_indexes_each_language_on_its_own(built_site: Path, lang: str, content) -> None:
    assert _read(_bundle(built_site, lang) / "index")["lang"] == lang
    pages = _pages(built_site, lang)
    # Record pages only: not the home page, the lists, the timeline or the guide.
    assert {p["u"] for p in pages} == {
        f"{search.KIND_DIRS[r.kind]}/{r.id}/" for r in content.records.values()
    }
    kinds = {labels(lang)[f"kind_{k}"] for k in search.KIND_DIRS}
    for page in pages:
        assert page["k"] in kinds
        assert page["t"] and "¶" not in page["t"] and "¶" not in page["x"]
    # No other language's pages or text leak in: each build indexes its own.
    other = "en" if lang == "fa" else "fa"
    assert not (built_site / lang / search.BUNDLE_DIR / other).exists()


@pytest.mark.site
def test_pages_show_published_text_and_match_folded(built_site: Path) -> None:
    folder = _bundle(built_site, "fa")
    pages = _pages(built_site, "fa")
    (place,) = [n for n, p in enumerate(pages) if p["u"] == "places/ain-al-asad-air-base/"]
    assert pages[place]["t"] == "پایگاه عین\u200cالأسد"
    assert pages[place]["k"] == labels("fa")["kind_place"]
    assert "Ayn al-Asad" in pages[place]["x"] and "عين الأسد" in pages[place]["x"]
    postings = _postings(folder)
    for term in ("عینالاسد", "alasad", "aynal", "ainal"):
        assert place in postings[term], term
    assert not [t for t in postings if t != fold(t)]


@pytest.mark.site
def _disk_full(*args: object) -> Path:
    raise search.SearchError("search: the disk is full")


def test_indexing_failure_fails_the_build(tmp_path: Path, monkeypatch, capsys) -> None:
    """The index is written in a process of its own (child.py): what fails there fails
    the build here."""
    from generator import engine

    monkeypatch.setattr(search, "write_index", _disk_full)
    site, docs = tmp_path / "site", tmp_path / "docs"
    docs.mkdir()
    assert engine._build_one(ROOT / "mkdocs.yml", "fa", site, docs) == 1
    assert "the disk is full" in capsys.readouterr().err


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
    )
    try:
        base = f"http://127.0.0.1:{port}{site_base_path(repo / 'mkdocs.yml')}en/search/"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "entry.json", timeout=5) as response:
                    entry = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}{entry['path']}index", timeout=5) as response:
            assert json.loads(gzip.decompress(response.read()))["lang"] == "en"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_browser_scores_with_the_same_constants() -> None:
    script = (ROOT / "overrides/assets/javascripts/search.js").read_text("utf-8")
    assert f"const K1 = {search.K1};" in script
    assert f"const SCORE_MAX = {search.SCORE_MAX};" in script
    # and reads the index format it was written for
    assert f"const FORMAT = {search.FORMAT};" in script


def test_core_does_not_import_mkdocs() -> None:
    code = "import sys, generator.search; print(any(m.startswith('mkdocs') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr

"""Site search: what each record page gives the index, and the index itself (Pagefind).

Pagefind is a well-kept engine built for static sites: one index per language, split into
chunks so a query fetches only the few it needs, run by a binary shipped in its PyPI wheel.
It does not fold Persian, though, so it never sees the pages as published. It indexes one
small synthetic page per record page, written to a scratch directory:

- the text of the page's content region as readers see it, block by block, so titles and
  excerpts are shown unfolded (folding is for matching only), without the lists that
  repeat other pages (``LISTS``, ``REPEATS``);
- after ``MARKER``, the record's names in every language and spelling (weighted like a
  title), the names of the parties and places a sheet's facts name (weighted low), and the
  folded terms of the text that Pagefind would not find in its words by itself
  (``text.search_terms``: the folding table, then every two adjacent tokens joined, so
  «عین‌الأسد», «عین الاسد» and «عینالاسد» share a term).

The browser folds the query with the same table (``browser_table``), searches it as typed
and with neighbours joined, and cuts excerpts at ``MARKER``, so nothing after it is shown.
Nothing here imports MkDocs: the plugin hands over HTML and records, this module writes
files and runs the indexer.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .model import KIND_DIRS, Record
from .render import labels, record_path
from .text import folding_table, search_terms
from .validate import Content

#: Starts the part of an indexed page that is for matching only. A lone punctuation mark:
#: folding turns it into a space, so it never is a term, and the browser finds it by its
#: last occurrence, so a contributor's text containing it cannot hide content.
MARKER = "\u2042"

#: Where the site serves the browser's copy of the folding table (one source of truth:
#: generated from data/folding.json at every build).
TABLE_PATH = "assets/javascripts/folding.json"

#: The search bundle's folder in each language's site.
BUNDLE_DIR = "pagefind"

#: Pagefind's weights: its h1 counts 7, plain text 1. A party's or place's names count
#: like a title; the other-language titles of a sheet or source are only more text; the
#: names of what a sheet's facts name count little (the sheet is found, after their pages).
NAME_WEIGHT = {"party": 7.0, "place": 7.0, "sheet": 1.0, "source": 1.0}
RELATED_WEIGHT = 0.5

#: Files of the bundle this site never loads (Pagefind's own UIs, its web worker: the
#: search runs on the main thread, so a first query fetches one script, not two).
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
)

#: Elements that do not break a word: text on both sides of them runs together.
# fmt: off
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})
# fmt: on
_SKIP = frozenset(("script", "style", "template", "svg"))
# MkDocs' permalink anchors (the ¶ after each heading): not content, and Pagefind would
# otherwise put them into titles and excerpts.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


class SearchError(Exception):
    """The index could not be built; the build must fail."""


@dataclass(frozen=True)
class SearchDoc:
    """One record page, as the index receives it."""

    url: str  # relative to the language's root, e.g. "sheets/ain-al-asad-handover/"
    lang: str
    title: str  # shown in results, unfolded
    kind: str  # the record's kind: sheet, party, place, source
    kind_label: str  # the kind in the page language, shown in results
    html: str  # the page's content region, as published
    names: tuple[str, ...] = ()  # the record's own names, every language and spelling
    related: tuple[str, ...] = ()  # names of records the page is about


# -- what a record contributes ------------------------------------------------------------


def record_names(record: Record) -> tuple[str, ...]:
    """The record's names in every language, its other spellings and original headline."""
    data = record.data
    names: list[str] = []
    for field in ("name", "title"):
        value = getattr(data, field, None)
        if isinstance(value, dict):
            names.extend(value.values())
    names.extend(other.text for other in getattr(data, "other_names", None) or ())
    headline = getattr(data, "headline", None)
    if headline:
        names.append(headline)
    return tuple(dict.fromkeys(n for n in names if n and n.strip()))


def related_ids(record: Record) -> tuple[str, ...]:
    """The places and parties a sheet's facts name: a reader looking for them by any of
    their names is also looking for the sheet."""
    if record.kind != "sheet":
        return ()
    ids: list[str] = []
    for fact in record.data.facts:
        if fact is None:
            continue
        ids.extend(i for i in (fact.place, fact.said_by) if i)
        ids.extend(p.party for p in fact.parties)
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class PageInfo:
    kind: str
    names: tuple[str, ...]
    related: tuple[str, ...]


def record_pages(content: Content) -> dict[str, PageInfo]:
    """Every record page by its docs path (``sheets/x.md``): what search adds to it."""
    pages: dict[str, PageInfo] = {}
    for record in content.records.values():
        if record.kind not in KIND_DIRS:
            continue
        related: list[str] = []
        for other_id in related_ids(record):
            other = content.get(other_id)
            if other is not None:
                related.extend(record_names(other))
        pages[record_path(record.kind, record.id)] = PageInfo(
            record.kind, record_names(record), tuple(dict.fromkeys(related))
        )
    return pages


# -- the text of a page -------------------------------------------------------------------

#: Sections of record pages that list other pages. They repeat what those pages say:
#: indexed again, every hub page (a state, a news agency) would match every fact it
#: lists and a sheet the titles of its related sheets and sources, and the index, and the
#: indexer's memory, would grow with the lists. A page is indexed up to the first of these
#: headings (ids from the templates).
LISTS: dict[str, frozenset[str]] = {
    "sheet": frozenset({"related", "sources"}),
    "party": frozenset({"statements", "facts"}),
    "place": frozenset({"facts", "within"}),
    "source": frozenset({"facts"}),
}
#: Boxes that repeat the page's own text (a sheet's key facts restate its main fact).
REPEATS = frozenset({"fs-keyfacts"})

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


@dataclass(frozen=True)
class Block:
    tag: str  # "h1" … "h6" for headings (Pagefind weights them), else "p"
    text: str


class _Blocks(HTMLParser):
    """Visible text block by block, as Pagefind reads HTML: inline elements do not split
    words, every other element does. Skips ``REPEATS`` boxes; stops at a heading whose id
    is in ``stop``."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._stop = stop
        self._current: list[str] = []
        self._tag = "p"
        self._skip = 0  # depth inside an element whose text is not indexed
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done or tag in _VOID:
            if tag not in _INLINE:
                self._break()
            return
        if self._skip:
            self._skip += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _SKIP or classes & REPEATS:
            self._break()
            self._skip = 1
        elif tag not in _INLINE:
            self._break()
            if tag in _HEADINGS:
                self._done = dict(attrs).get("id") in self._stop
                self._tag = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE and not self._done and not self._skip:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self._done or tag in _VOID:
            return
        if self._skip:
            self._skip -= 1
        elif tag not in _INLINE:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._done:
            self._current.append(data)

    def _break(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(Block(self._tag, text))
        self._current = []
        self._tag = "p"

    def close(self) -> None:
        super().close()
        self._break()


def strip_headerlinks(content_html: str) -> str:
    return _HEADERLINK.sub("", content_html)


def page_blocks(content_html: str, kind: str = "sheet") -> list[Block]:
    """The visible text of a record page's content region, block by block, up to the
    lists of other pages' facts (``LISTS``)."""
    parser = _Blocks(LISTS.get(kind, frozenset()))
    parser.feed(strip_headerlinks(content_html))
    parser.close()
    return parser.blocks


def index_terms(texts: Iterable[str]) -> list[str]:
    """Folded terms of each text (tokens, then adjacent tokens joined), each term once.

    Texts are joined pairwise only inside themselves: a block's last word and the next
    block's first never meet in a reader's query.
    """
    return list(dict.fromkeys(t for text in texts for t in search_terms(text)))


def _as_pagefind_indexes(word: str) -> set[str]:
    """What Pagefind certainly indexes for a word of the page: the word lowercased, and,
    for a word of letters, digits and punctuation only, that without its punctuation."""
    lower = word.lower()
    forms = {lower}
    if all(unicodedata.category(c)[0] in "LNP" for c in lower):
        forms.add("".join(c for c in lower if unicodedata.category(c)[0] in "LN"))
    return forms


def extra_terms(blocks: Iterable[Block]) -> list[str]:
    """The folded terms Pagefind would not find in the blocks' words by itself: folded
    spellings, words split at a ZWNJ or punctuation, two neighbours joined."""
    texts = [b.text for b in blocks]
    shown = {form for text in texts for word in text.split() for form in _as_pagefind_indexes(word)}
    return [t for t in index_terms(texts) if t not in shown]


def synthetic_page(doc: SearchDoc) -> str:
    """The page Pagefind indexes for ``doc`` (see the module docstring): the published
    text as plain blocks, then ``MARKER`` and the terms only for matching."""
    e = html.escape
    blocks = page_blocks(doc.html, doc.kind)
    # Each name's terms, once per name: a place called «عین الاسد» in four spellings
    # outranks a page that mentions it once.
    name_terms = [t for name in dict.fromkeys((doc.title, *doc.names)) for t in index_terms([name])]
    named = set(name_terms)
    related_terms = [t for t in index_terms(doc.related) if t not in named]
    parts = [
        "<!doctype html>",
        f'<html lang="{e(doc.lang)}"><head><meta charset="utf-8"><title>{e(doc.title)}</title>',
        "</head><body>",
        f'<p data-pagefind-meta="title">{e(doc.title)}</p>',
        f'<p data-pagefind-meta="kind">{e(doc.kind_label)}</p>',
        "<main data-pagefind-body>",
        *(f"<{b.tag}>{e(b.text)}</{b.tag}>" for b in blocks),
        f'<p data-pagefind-weight="{NAME_WEIGHT.get(doc.kind, 1.0)}">{MARKER} '
        f"{e(' '.join(name_terms))}</p>",
    ]
    if related_terms:
        parts.append(f'<p data-pagefind-weight="{RELATED_WEIGHT}">{e(" ".join(related_terms))}</p>')
    parts += [f"<p>{e(' '.join(extra_terms(blocks)))}</p>", "</main></body></html>", ""]
    return "\n".join(parts)


def write_page(doc: SearchDoc, root: Path) -> Path:
    """Write ``doc``'s synthetic page where Pagefind derives ``doc.url`` from its path."""
    rel = doc.url.strip("/")
    if rel.startswith("..") or "/../" in f"/{rel}/" or rel.startswith("/"):
        raise SearchError(f"search: page url {doc.url!r} leaves the site")
    target = root / rel / "index.html" if rel else root / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(synthetic_page(doc), encoding="utf-8")
    return target


# -- the index ----------------------------------------------------------------------------


def pagefind_binary() -> Path:
    """The binary of the ``pagefind_bin`` wheel, or ``PAGEFIND_BINARY_PATH`` when set (as
    the ``pagefind`` package itself honours it: a system build, or a test's stand-in)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    try:
        from pagefind_bin import get_executable
    except ImportError as err:
        raise SearchError(
            "search: Pagefind is not installed (pip install 'pagefind[bin]')"
        ) from err
    try:
        return Path(get_executable())
    except FileNotFoundError as err:
        raise SearchError(f"search: the Pagefind binary is missing: {err}") from err


def build_index(pages_dir: Path, out_dir: Path, lang: str, *, timeout: float = 3600) -> None:
    """Index the synthetic pages in ``pages_dir`` into ``out_dir`` (one language).

    Raises ``SearchError`` on any failure, with Pagefind's own output.
    """
    if not any(pages_dir.rglob("*.html")):
        raise SearchError(f"search: no pages to index in {pages_dir}")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    cmd = [
        str(pagefind_binary()),
        "--site",
        str(pages_dir),
        "--output-path",
        str(out_dir),
        "--force-language",
        lang,
        "--quiet",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        raise SearchError(f"search: could not run Pagefind: {err}") from err
    if proc.returncode != 0:
        raise SearchError(
            f"search: Pagefind failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
        )
    if not (out_dir / "pagefind.js").is_file() or not list(out_dir.glob("pagefind.*.pf_meta")):
        raise SearchError(f"search: Pagefind wrote no index into {out_dir}")
    for name in _UNUSED:
        (out_dir / name).unlink(missing_ok=True)


# -- the browser's side -------------------------------------------------------------------


def _casefold_exceptions() -> Iterator[tuple[str, str]]:
    # JavaScript has no casefold: the browser lowercases character by character and takes
    # these from here, where full case folding differs from lowercasing (ß, ς, Cherokee …).
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        c = chr(point)
        folded = c.casefold()
        if folded != c.lower():
            yield c, folded


def browser_table() -> dict[str, object]:
    """``data/folding.json`` in the compact form the browser's fold function reads: each
    replacement once, with every character that becomes it."""
    by_target: dict[str, list[str]] = {}
    for point, to in sorted(folding_table().items()):
        by_target.setdefault(to, []).append(chr(point))
    return {
        "comment": "Generated from generator/data/folding.json at build time; do not edit.",
        "replace": [[to, "".join(chars)] for to, chars in by_target.items()],
        "casefold": dict(_casefold_exceptions()),
    }


def browser_table_json() -> str:
    return json.dumps(browser_table(), ensure_ascii=False, separators=(",", ":"))


#: Label keys the search box and its script read (generator/labels/*.yaml).
UI_KEYS = (
    "search_placeholder",
    "search_label",
    "search_open",
    "search_close",
    "search_reset",
    "search_loading",
    "search_prompt",
    "search_none",
    "search_one",
    "search_many",
    "search_more",
    "search_error",
    "search_results",
    "digits",
)


def ui_labels(lang: str) -> dict[str, str]:
    """The search box's strings in ``lang``, plus the record kinds' labels."""
    lab = labels(lang)
    out = {key: lab[key] for key in UI_KEYS}
    out.update({f"kind_{kind}": lab[f"kind_{kind}"] for kind in KIND_DIRS})
    return out


def kind_label(kind: str, lang: str) -> str:
    return labels(lang)[f"kind_{kind}"]

"""Site search: what each record page gives the index, and the index itself.

One index per language, written into that language's site (``search/``) as static files
that readers' browsers fetch piece by piece, with no server and no third party:

- ``entry.json`` names the current build's folder, so a reader never mixes two builds;
- in it, ``index`` lists the first term of every chunk; ``c/<n>`` are the chunks: the
  terms in order, each with its pages and its weight on each (BM25's term-frequency part,
  with field weights, computed here; the browser adds the idf), so the browser needs no
  table of all pages; ``d/<g>`` holds the title, kind and published text of pages
  ``g × PAGES_PER_FILE`` to ``(g + 1) × PAGES_PER_FILE − 1``, fetched only when one of
  them is shown in the results; ``folding`` is
  ``data/folding.json`` as the browser's fold function reads it.

A first query fetches the folding table, the list of chunks, the chunks its words fall in
and the pages it shows: 27–90 KB on a site of 10,000 sheets (26,221 record pages a
language), measured in Chromium. Pagefind, the engine built for static sites, was measured
first and does not fit: every first query loads its whole page list (8 bytes a page, 190 KB
there) besides its 45 KB script and 68 KB wasm, so a first query fetched 334–417 KB, and
its indexer needed 8 GB of memory for the two languages.

Terms are folded (``text.search_terms``: the folding table, then every two adjacent tokens
joined, so «عین‌الأسد», «عین الاسد» and «عینالاسد» share a term) from the page's text
as readers see it, without the lists that repeat other pages (``LISTS``, ``REPEATS``),
and from the record's names in every language and spelling. What is shown (titles,
excerpts) is the published text, never folded. The browser folds a query with the same
table (assets/javascripts/search.js). Nothing here imports MkDocs: the plugin hands over
HTML and records, this module writes files.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import html
import json
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from operator import sub
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .heap import cycles_collected_after
from .model import KIND_DIRS, Record
from .text import folding_table, search_terms_of_each

if TYPE_CHECKING:
    from .validate import Content

# ``render`` (Jinja and the templates) is imported where a function below needs it: the
# index is written in a process of its own (``write_index``), which needs none of it.

#: The search bundle's folder in each language's site.
BUNDLE_DIR = "search"
FORMAT = 2
#: Pages a ``d/`` file holds: a file a page was tens of thousands of files a language,
#: and a result fetches its page's neighbours too (eight are about 1.5 KB compressed).
PAGES_PER_FILE = 8

#: How much a word counts where it stands: a title most; a party's or place's names like
#: a title; the other-language titles of a sheet or source like text;
#: the names of what a sheet's facts name little (the sheet is found after their pages).
TITLE_WEIGHT = 7.0
NAME_WEIGHT = {"party": 7.0, "place": 7.0, "sheet": 1.0, "source": 1.0}
HEADING_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
RELATED_WEIGHT = 0.5

#: BM25's usual constants: term frequency saturation and length normalisation
#: (search.js has K1 too).
K1 = 1.2
B = 0.75
#: Term frequencies are stored as whole numbers 1 … SCORE_MAX.
SCORE_MAX = 255
#: A term on more pages keeps only its best-scoring pages, and is marked incomplete: the
#: browser then ranks by it but does not require it (such a word, «عراق» on every page,
#: tells pages apart by score, not by presence).
MAX_POSTINGS = 2000
#: A chunk is cut after this many bytes of JSON (about a third of that once gzipped).
CHUNK_BYTES = 32_000
_BUCKETS = 64

#: Elements that do not break a word: text on both sides of them runs together.
# fmt: off
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})
# fmt: on
_SKIP = frozenset(("script", "style", "template", "svg"))
# MkDocs' permalink anchors (the ¶ after each heading): not content, and they would
# otherwise end up in titles and excerpts.
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
    # Long-lived tuples by the hundred thousand, next to millions of record objects: the
    # collector's passes over those were three quarters of the time (10,000 sheets).
    with cycles_collected_after():
        return _record_pages(content)


def _record_pages(content: Content) -> dict[str, PageInfo]:
    from .render import record_path

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
    tag: str  # "h1" … "h6" for headings (they weigh more), else "p"
    text: str


# The content region is MkDocs' own output (Python-Markdown's serialiser): well-formed, every
# attribute quoted. A regular expression reads it five times faster than html.parser, which
# was most of the time indexing took. Possessive runs: a tag's attributes and the text
# between tags are read a run at a time, never given back. (Safety does not rest on this
# reading: the scanner, scan.py, reads every page with html.parser.)
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
    r"|<[!?][^>]*>"
    r"|([^<]++|<)",
    re.S,
)
_ATTR = re.compile(r"""(?:^|\s)(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _attrs(text: str) -> dict[str, str]:
    if "class" not in text and "id" not in text:
        return {}
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


class _Blocks:
    """Visible text block by block, as a browser lays it out: inline elements do not
    split words, every other element does. Skips ``REPEATS`` boxes; stops at a heading
    whose id is in ``stop``."""

    def __init__(self, stop: frozenset[str]) -> None:
        self.blocks: list[Block] = []
        self._stop = stop
        self._current: list[str] = []
        self._tag = "p"
        self._skip = 0  # depth inside an element whose text is not indexed
        self._done = False

    def feed(self, text: str) -> None:
        for m in _TOKEN.finditer(text):
            data = m.group(4)
            if data is not None:
                if not self._skip and not self._done:
                    self._current.append(html.unescape(data) if "&" in data else data)
                continue
            name = m.group(2)
            if name is None:
                continue  # a comment, doctype or processing instruction
            tag = name.lower()
            if m.group(1):
                self._end(tag)
                continue
            attrs = m.group(3)
            if attrs.rstrip().endswith("/"):
                if tag not in _INLINE and not self._done and not self._skip:
                    self._break()
                if tag in ("script", "style"):
                    self._end(tag)
            else:
                self._start(tag, attrs)
                if self._done:
                    return  # the lists of other pages begin: nothing after is indexed

    def _start(self, tag: str, attr_text: str) -> None:
        if self._done or tag in _VOID:
            if tag not in _INLINE:
                self._break()
            return
        if self._skip:
            self._skip += 1
            return
        attrs = _attrs(attr_text)
        classes = set(attrs.get("class", "").split())
        if tag in _SKIP or classes & REPEATS:
            self._break()
            self._skip = 1
        elif tag not in _INLINE:
            self._break()
            if tag in _HEADINGS:
                self._done = attrs.get("id") in self._stop
                self._tag = tag

    def _end(self, tag: str) -> None:
        if self._done or tag in _VOID:
            return
        if self._skip:
            self._skip -= 1
        elif tag not in _INLINE:
            self._break()

    def _break(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(Block(self._tag, text))
        self._current = []
        self._tag = "p"

    def close(self) -> None:
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


# -- terms --------------------------------------------------------------------------------


def weighted_texts(doc: SearchDoc, blocks: list[Block]) -> Iterator[tuple[str, float]]:
    """Every text of a page with the weight its words get."""
    yield doc.title, TITLE_WEIGHT
    for name in dict.fromkeys(doc.names):
        if name != doc.title:
            yield name, NAME_WEIGHT.get(doc.kind, TEXT_WEIGHT)
    for name in dict.fromkeys(doc.related):
        yield name, RELATED_WEIGHT
    for i, block in enumerate(blocks):
        if i == 0 and block.tag == "h1" and block.text == doc.title:
            continue  # the title, counted above
        yield block.text, HEADING_WEIGHT if block.tag in _HEADINGS else TEXT_WEIGHT


def term_frequencies(doc: SearchDoc, blocks: list[Block]) -> tuple[dict[str, float], int]:
    """Weighted frequency of each folded term on the page, and the page's length in terms."""
    texts = list(weighted_texts(doc, blocks))
    # Counted per weight, not per text: a page has forty texts but four weights. The weights
    # are halves, so the sums are exact in any order.
    by_weight: dict[float, list[str]] = defaultdict(list)
    length = 0
    for (_, weight), terms in zip(texts, search_terms_of_each([t for t, _ in texts]), strict=True):
        length += len(terms)
        by_weight[weight] += terms
    tf: dict[str, float] = defaultdict(float)
    for weight, terms in by_weight.items():
        for term, n in Counter(terms).items():
            tf[term] += n * weight
    return dict(tf), length


def shown_text(doc: SearchDoc, blocks: list[Block]) -> str:
    """The page's published text, block per line, for excerpts (without the title)."""
    lines = [b.text for b in blocks]
    if lines and blocks[0].tag == "h1" and lines[0] == doc.title:
        lines = lines[1:]
    return "\n".join(lines)


# -- the index files ----------------------------------------------------------------------


def _sort_key(term: str) -> bytes:
    # The browser compares strings by UTF-16 code units: sort the same way.
    return term.encode("utf-16-be", "surrogatepass")


def _pack(value: Any) -> bytes:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # zlib's default level: one language's index at 1,000 sheets (2,641 pages) took 0.85 s
    # to compress at 9 and takes 0.49 s at 6, for files 0.6% larger.
    return gzip.compress(data, compresslevel=6, mtime=0)


def saturation(tf: float, length: int, avg_length: float) -> float:
    """BM25's term-frequency part (0 … K1 + 1): the page side of a term's score. The
    browser multiplies it by the idf of the reader's word, which it knows only then (a
    word that begins many terms is as common as all of them together)."""
    norm = 1 - B + B * length / avg_length if avg_length else 1
    return tf * (K1 + 1) / (tf + K1 * norm)


def length_norms(lengths: list[int], avg_length: float) -> list[float]:
    """Each page's ``K1 * norm`` in ``saturation``, computed once instead of per posting."""
    return [K1 * (1 - B + B * length / avg_length if avg_length else 1) for length in lengths]


#: A posting is one int, ``page << VALUE_BITS | value``: millions of them a language cost an
#: int each, and in page order they sort as ints.
VALUE_BITS = 8
_VALUE_MASK = (1 << VALUE_BITS) - 1
assert SCORE_MAX <= _VALUE_MASK


def page_value(tf: float, norm: float) -> int:
    """``saturation`` as a whole number 1 … ``SCORE_MAX`` (the same arithmetic, with the
    page's part ``norm`` from ``length_norms``)."""
    k1 = K1 + 1
    return max(1, round(SCORE_MAX * (tf * k1 / (tf + norm)) / k1))


def postings_entry(postings: list[int]) -> list[int]:
    """``[pages with the term, page, value, page step, value, …]`` for the best
    ``MAX_POSTINGS`` pages, in page order, each page number as the step from the last.
    ``postings`` come in page order, each ``page << VALUE_BITS | page_value(…)``."""
    count = len(postings)
    if count > MAX_POSTINGS:
        # Best value first; a stable sort keeps the pages of one value in page order.
        postings = sorted(sorted(postings, key=_VALUE_MASK.__and__, reverse=True)[:MAX_POSTINGS])
    pages = [p >> VALUE_BITS for p in postings]
    entry = [count] * (1 + 2 * len(postings))
    entry[1::2] = map(sub, pages, [0, *pages[:-1]])
    entry[2::2] = [p & _VALUE_MASK for p in postings]
    return entry


class IndexWriter:
    """Builds one language's index: ``add`` every record page, then ``finish``.

    Pages' postings go to scratch files, split by first letter, so memory stays flat
    however large the site: each group of letters is read back, scored and cut into
    chunks on its own.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.scratch = Path(tempfile.mkdtemp(prefix=f"factsheet-search-{lang}-"))
        self.bundle = self.scratch / "bundle"
        (self.bundle / "d").mkdir(parents=True)
        (self.bundle / "c").mkdir()
        self._buckets = [
            (self.scratch / f"postings-{i}.tsv").open("w", encoding="utf-8", newline="\n")
            for i in range(_BUCKETS)
        ]
        self.lengths: list[int] = []
        self.urls: set[str] = set()
        self._chunks = 0
        self._group: list[dict[str, str]] = []
        self._groups = 0
        self._hash = hashlib.sha256()

    def add(self, doc: SearchDoc) -> int:
        """Index one page; returns its number."""
        if doc.url in self.urls:
            raise SearchError(f"search: page {doc.url!r} added twice")
        self.urls.add(doc.url)
        blocks = page_blocks(doc.html, doc.kind)
        number = len(self.lengths)
        tf, length = term_frequencies(doc, blocks)
        record = {"u": doc.url, "t": doc.title, "k": doc.kind_label, "x": shown_text(doc, blocks)}
        self._group.append(record)
        if len(self._group) == PAGES_PER_FILE:
            self._write_group()
        # One line per page and bucket: the page, then each weight with its terms
        # (``3.5 term term``; folded terms hold no blanks), so that ``finish`` scores a
        # page once per weight, not once per term.
        lines: dict[int, dict[float, list[str]]] = defaultdict(lambda: defaultdict(list))
        for term, weight in tf.items():
            lines[ord(term[0]) % _BUCKETS][weight].append(term)
        for bucket, by_weight in lines.items():
            groups = "\t".join(f"{w:g} " + " ".join(terms) for w, terms in by_weight.items())
            self._buckets[bucket].write(f"{number}\t{groups}\n")
        self.lengths.append(max(1, length))
        return number

    def _write_group(self) -> None:
        """The pages added since the last ``d/`` file, as the next one."""
        if self._group:
            self._write(f"d/{self._groups}", self._group)
            self._groups += 1
            self._group = []

    def _write(self, name: str, value: Any) -> None:
        data = _pack(value)
        self._hash.update(name.encode() + b"\0" + data)
        (self.bundle / name).write_bytes(data)

    def finish(self, out_dir: Path) -> Path:
        """Score, chunk and write the index into ``out_dir`` (replaced); returns the folder
        of this build."""
        try:
            self._write_group()
            for f in self._buckets:
                f.close()
            avg = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0
            norms = length_norms(self.lengths, avg)
            chunks: list[tuple[bytes, str, Path]] = []  # (sort key of first term, first, file)
            for i in range(_BUCKETS):
                chunks.extend(self._chunk_bucket(i, norms))
            chunks.sort()
            firsts = []
            for n, (_, first, path) in enumerate(chunks):
                path.rename(self.bundle / "c" / str(n))
                self._hash.update(f"c/{n}\0".encode() + (self.bundle / "c" / str(n)).read_bytes())
                firsts.append(first)
            self._write(
                "index",
                {
                    "v": FORMAT,
                    "lang": self.lang,
                    "pages": len(self.lengths),
                    "per": PAGES_PER_FILE,
                    "chunks": firsts,
                },
            )
            self._write("folding", browser_table())
            build = self._hash.hexdigest()[:12]
            if out_dir.exists():
                shutil.rmtree(out_dir)
            out_dir.mkdir(parents=True)
            shutil.move(str(self.bundle), out_dir / build)
            (out_dir / "entry.json").write_text(
                json.dumps({"v": FORMAT, "path": f"{build}/"}), encoding="utf-8"
            )
            return out_dir / build
        except OSError as err:
            raise SearchError(f"search: could not write the index: {err}") from err
        finally:
            self.close()

    def _chunk_bucket(self, i: int, norms: list[float]) -> Iterator[tuple[bytes, str, Path]]:
        postings: dict[str, list[int]] = defaultdict(list)
        with (self.scratch / f"postings-{i}.tsv").open(encoding="utf-8", newline="\n") as f:
            for line in f:
                number, *groups = line.rstrip("\n").split("\t")
                page = int(number)
                norm = norms[page]
                for group in groups:
                    weight, *terms = group.split(" ")
                    posting = page << VALUE_BITS | page_value(float(weight), norm)
                    for term in terms:
                        postings[term].append(posting)
        chunk: dict[str, list[int]] = {}
        size = 0
        for term in sorted(postings, key=_sort_key):
            entry = postings_entry(postings[term])
            cost = len(term.encode()) + 6 + 5 * len(entry)
            # A chunk holds terms of one first letter only, so the browser's lookup of a
            # word's chunk by the chunks' first terms never lands in a neighbour's.
            if chunk and (size + cost > CHUNK_BYTES or next(iter(chunk))[0] != term[0]):
                yield self._flush(chunk)
                chunk, size = {}, 0
            chunk[term] = entry
            size += cost
        if chunk:
            yield self._flush(chunk)

    def _flush(self, chunk: dict[str, list[int]]) -> tuple[bytes, str, Path]:
        first = next(iter(chunk))
        self._chunks += 1
        path = self.scratch / f"chunk-{self._chunks}"
        path.write_bytes(_pack(chunk))
        return _sort_key(first), first, path

    def close(self) -> None:
        for f in self._buckets:
            f.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def write_index(
    lang: str, pages: list[tuple[SearchDoc, int, int]], held: Path, out_dir: Path
) -> Path:
    """The index of ``pages`` written into ``out_dir`` (``IndexWriter.finish``); each page
    comes with where its HTML waits in the file ``held`` (offset, length), in page order.
    ``pages`` is emptied as it is read: at 10,000 sheets it holds tens of MB that
    ``finish`` can use instead. (A language build runs this in a process of its own:
    ``child.py``.)"""
    writer = IndexWriter(lang)
    pages.reverse()
    try:
        with held.open("rb") as f:
            while pages:
                doc, offset, length = pages.pop()
                f.seek(offset)
                writer.add(dataclasses.replace(doc, html=f.read(length).decode("utf-8")))
        return writer.finish(out_dir)
    except OSError as err:
        raise SearchError(f"search: could not read the pages to index: {err}") from err
    finally:
        writer.close()


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
        "replace": [[to, "".join(chars)] for to, chars in by_target.items()],
        "casefold": dict(_casefold_exceptions()),
    }


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
    "search_at_least",
    "search_more",
    "search_error",
    "search_results",
    "search_digits",
)


def ui_labels(lang: str) -> dict[str, str]:
    """The search box's strings in ``lang``."""
    from .render import labels

    lab = labels(lang)
    return {key: lab[key] for key in UI_KEYS}


def kind_label(kind: str, lang: str) -> str:
    from .render import labels

    return labels(lang)[f"kind_{kind}"]

"""Hostile input never reaches a reader.

Hostile strings (HTML, ``javascript:`` links, Markdown syntax, ``</script>``, entity tricks,
bidi controls, very long and empty strings) are written as YAML records next to the shipped
content, one string in one field that reaches a page. Each string must either be rejected by
the validator with a problem on its own field, or come out reading exactly as written, with
no element, attribute, handler or script of its own:

- fast: thousands of strings through the real loader, validator and templates, then
  Python-Markdown with the extensions of mkdocs.yml;
- real: about a thousand strings through ``factsheet build`` (MkDocs, Material, strict),
  checked in the built pages, their ``<title>`` and ``<meta name=description>``, and by the
  post-build scanner (``generator.scan``) over the whole site.

Then the scanner itself: silent on the real site, loud on every trick planted in it. And the
CI workflows and the pre-commit hook: linted, read-only, pinned.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.child import Child, ChildError
from generator.decode import decode_record
from generator.engine import site_base_path, theme_template_dirs
from generator.escape import clean_text, url
from generator.graph import build_graph
from generator.load import load_text
from generator.model import KIND_DIRS, RECORD_CLASSES, Record
from generator.problems import ERROR, Problem
from generator.render import Renderer, record_path
from generator.scan import (
    Allowed,
    ScanError,
    dangerous_url,
    scan_files,
    scan_html,
    scan_site,
    theme_allowance,
)
from generator.validate import check_graph, validate_dir

from .conftest import ROOT, run_factsheet
from .test_escape import FRAGMENTS, HOSTILE, URLISH, render

# --- where hostile strings go -----------------------------------------------------------------

SOURCE = "2025-12-31-abna-ain-al-asad"  # a shipped source, in Persian
NAME = {"fa": "نام آزمایشی", "en": "Test name"}


def _both(s: str) -> dict[str, str]:
    return {"fa": s, "en": s}


def _party(**fields: Any) -> dict[str, Any]:
    return {"type": "organization", "name": NAME, **fields}


def _place(**fields: Any) -> dict[str, Any]:
    return {"kind": "city", "name": NAME, "country": "IQ", **fields}


def _source(**fields: Any) -> dict[str, Any]:
    base = {"kind": "news_article", "title": NAME, "publisher": "abna", "language": "en"}
    return {**base, "published": "2025-12-31", **fields}


def _sheet(fact: dict | None = None, cite: dict | None = None, **fields: Any) -> dict[str, Any]:
    c = {"source": SOURCE, "quote": "نقل آزمایشی", **(cite or {})}
    f = {"id": "fact", "kind": "event", "status": "happened", "text": NAME, "date": "2025-12-31"}
    f.update(fact or {})
    base = {"kind": "event", "status": "draft", "title": NAME, "summary": NAME}
    return {**base, **fields, "facts": [{**f, "cite": [c]}]}


@dataclass(frozen=True)
class Slot:
    """One field a contributor fills and a reader sees."""

    name: str
    kind: str
    field: str  # as the validator names it
    record: Callable[[str], dict[str, Any]]
    langs: tuple[str, ...] = ("fa", "en")  # the pages it shows on
    title: bool = False  # also the page's <title>
    description: bool = False  # also its <meta name=description>
    is_url: bool = False
    placeholder: str = "Placeholder text"


SLOTS: tuple[Slot, ...] = (
    Slot(
        "party.name",
        "party",
        "name",
        lambda s: _party(name=_both(s)),
        title=True,
        description=True,  # with no description, the name describes the page
    ),
    Slot(
        "party.description",
        "party",
        "description",
        lambda s: _party(description=_both(s)),
        description=True,
    ),
    Slot(
        "party.other_names",
        "party",
        "other_names[0].text",
        lambda s: _party(other_names=[{"text": s, "lang": "ar"}]),
    ),
    Slot(
        "party.positions.role",
        "party",
        "positions[0].role",
        lambda s: _party(positions=[{"role": _both(s), "source": SOURCE}]),
    ),
    Slot(
        "place.name",
        "place",
        "name",
        lambda s: _place(name=_both(s)),
        title=True,
        description=True,
    ),
    Slot(
        "place.description",
        "place",
        "description",
        lambda s: _place(description=_both(s)),
        description=True,
    ),
    Slot(
        "place.other_names",
        "place",
        "other_names[0].text",
        lambda s: _place(other_names=[{"text": s, "lang": "en"}]),
    ),
    Slot(
        "source.title",
        "source",
        "title",
        lambda s: _source(title=_both(s)),
        title=True,
        description=True,
    ),
    Slot("source.headline", "source", "headline", lambda s: _source(headline=s)),
    Slot("source.author", "source", "author", lambda s: _source(author=s)),
    Slot(
        "source.url",
        "source",
        "url",
        lambda s: _source(url=s),
        is_url=True,
        placeholder="https://example.com/placeholder",
    ),
    Slot(
        "source.archive_url",
        "source",
        "archive_url",
        lambda s: _source(archive_url=s),
        is_url=True,
        placeholder="https://example.com/placeholder",
    ),
    Slot("source.note", "source", "note", lambda s: _source(note=_both(s))),
    Slot(
        "source.based_on.note",
        "source",
        "based_on[0].note",
        lambda s: _source(
            based_on=[{"party": "iraqi-news-agency", "kind": "interview", "note": _both(s)}]
        ),
    ),
    Slot("sheet.title", "sheet", "title", lambda s: _sheet(title=_both(s)), title=True),
    Slot(
        "sheet.summary",
        "sheet",
        "summary",
        lambda s: _sheet(summary=_both(s)),
        description=True,
    ),
    Slot("sheet.tags", "sheet", "tags[0]", lambda s: _sheet(tags=[s]), placeholder="placeholder"),
    Slot("fact.text", "sheet", "facts[0].text", lambda s: _sheet(fact={"text": _both(s)})),
    Slot(
        "fact.date_note",
        "sheet",
        "facts[0].date_note",
        lambda s: _sheet(fact={"date_note": _both(s)}),
    ),
    Slot(
        "fact.rank_reason",
        "sheet",
        "facts[0].rank_reason",
        lambda s: _sheet(fact={"rank": "deprecated", "rank_reason": _both(s)}),
    ),
    Slot("cite.quote", "sheet", "facts[0].cite[0].quote", lambda s: _sheet(cite={"quote": s})),
    Slot(
        "cite.translation",
        "sheet",
        "facts[0].cite[0].translation",
        lambda s: _sheet(cite={"translation": {"en": s}}),
        langs=("en",),  # the quote is Persian: only the English page translates it
    ),
    Slot(
        "cite.locator", "sheet", "facts[0].cite[0].locator", lambda s: _sheet(cite={"locator": s})
    ),
)
SLOT_BY_NAME = {slot.name: slot for slot in SLOTS}

# --- hostile strings --------------------------------------------------------------------------

EXTRA_FRAGMENTS = [
    "</title><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<a href=javascript:alert(1)>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "&#0000060;script&#62;",
    "&lt;/title&gt;",
    "&colon;",
    "&NewLine;",
    "java\tscript:",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<iframe src=//evil.example>",
    "<meta http-equiv=refresh content='0;url=//evil.example'>",
    "<base href=//evil.example/>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "{{ 7*7 }}",
    "{% include 'x' %}",
    "]]>",
    "<![CDATA[",
    '"}]},"x":"',
    "</textarea>",
    "</style><script>",
    "--8<-- 'mkdocs.yml'",
    '!!! danger "<script>"',
    "[x]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>",
    *[chr(c) for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068)],
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2066isolated\u2069",
]
ALL_FRAGMENTS = FRAGMENTS + EXTRA_FRAGMENTS

# Text the loader accepts (no control characters), so that most strings reach a page.
PRINTABLE = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=12)
MIXED = st.lists(st.one_of(st.sampled_from(ALL_FRAGMENTS), PRINTABLE), min_size=1, max_size=12).map(
    "".join
)
EDGE_CASES = st.sampled_from(["", " ", "\n\t ", "\u00a0", "\u200b", "\u200c", "x", "0"])
# Very long: a hostile piece repeated hundreds of times (the classic batch has 20,000
# characters; MAX_BYTES allows 512 KiB a file).
LONG = st.builds(
    lambda piece, n: (piece * n)[:5_000],
    st.sampled_from([f for f in ALL_FRAGMENTS if f.strip()]),
    st.integers(100, 1000),
)
SHORT_HOSTILE = st.one_of(MIXED, MIXED, MIXED, HOSTILE, EDGE_CASES)
ANY_HOSTILE = st.one_of(MIXED, MIXED, MIXED, MIXED, HOSTILE, HOSTILE, EDGE_CASES, LONG)


def batches(strings: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Lists of (slot, string): URL slots also get URL-shaped strings."""

    def for_slot(slot: Slot) -> st.SearchStrategy[tuple[str, str]]:
        text = st.one_of(strings, URLISH) if slot.is_url else strings
        return st.tuples(st.just(slot.name), text)

    return st.lists(st.sampled_from(SLOTS).flatmap(for_slot), min_size=80, max_size=100)


def classic_batch() -> list[tuple[str, str]]:
    """Every fragment, in turn in every slot, with the famous ones where they hurt most."""
    batch = [
        ("sheet.title", "</title><script>alert(1)</script>"),
        ("party.name", "</title><script>alert(1)</script>"),
        ("sheet.summary", '"><script>alert(1)</script>'),
        ("party.description", '" onmouseover="alert(1)'),
        ("source.url", "javascript:alert(1)"),
        ("source.url", "https://good.example@evil.example/"),
        ("source.archive_url", 'https://x.example/"><script>alert(1)</script>'),
        ("fact.text", "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"),
        ("cite.quote", "</blockquote><script>alert(1)</script>"),
        ("source.author", "\u202eevil"),
        ("fact.date_note", ""),
        ("cite.locator", "x" * 20_000 + "<script>alert(1)</script>"),
    ]
    for i, fragment in enumerate(ALL_FRAGMENTS):
        batch.append((SLOTS[i % len(SLOTS)].name, fragment))
    return batch


# --- validating and rendering a batch in memory -----------------------------------------------


@dataclass
class Entry:
    """One hostile string in one record."""

    slot: Slot
    text: str
    record_id: str
    yaml_text: str

    @property
    def path(self) -> str:
        return f"content/{KIND_DIRS[self.slot.kind]}/{self.record_id}.yaml"

    @property
    def visible(self) -> str:
        """What a reader must see: the decoder strips the ends, the page collapses spaces."""
        return clean_text(self.text.strip())


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the strict loader refuses anchors, and shared dicts would make them


def record_yaml(data: dict[str, Any]) -> str:
    # Every scalar double-quoted, so every character survives as an escape or as itself.
    return yaml.dump(
        data,
        Dumper=_NoAliases,
        allow_unicode=True,
        sort_keys=False,
        default_style='"',
        width=2**31 - 1,
    )


def make_entries(batch: list[tuple[str, str]]) -> list[Entry]:
    """A benign placeholder record per slot first (the shape to compare with), then one
    record per hostile string."""
    entries = [
        Entry(
            slot,
            slot.placeholder,
            f"placeholder-{i:02d}",
            record_yaml(slot.record(slot.placeholder)),
        )
        for i, slot in enumerate(SLOTS)
    ]
    for i, (slot_name, text) in enumerate(batch):
        slot = SLOT_BY_NAME[slot_name]
        entries.append(Entry(slot, text, f"hostile-{i:03d}", record_yaml(slot.record(text))))
    return entries


_SHIPPED: list[Record] = []


def shipped_records() -> list[Record]:
    if not _SHIPPED:
        content, problems = validate_dir(ROOT / "content", ROOT)
        assert not [p for p in problems if p.severity == ERROR], problems
        _SHIPPED.extend(content.records.values())
    return _SHIPPED


def classify(entries: list[Entry]) -> tuple[Any, dict[str, list[Problem]]]:
    """Load, decode and validate the batch next to the shipped content, as ``validate_dir``
    does: the content of the accepted records, and the errors of the rejected ones."""
    records = list(shipped_records())
    errors: dict[str, list[Problem]] = {}
    for entry in entries:
        node, problems = load_text(entry.yaml_text, entry.path)
        data = None
        marks: dict = {}
        if node is not None:
            data, marks, decoded = decode_record(RECORD_CLASSES[entry.slot.kind], node, entry.path)
            problems += decoded
        if data is not None:
            records.append(Record(entry.slot.kind, entry.record_id, entry.path, data, marks))
        if found := [p for p in problems if p.severity == ERROR]:
            errors[entry.path] = found
    content, graph_problems = check_graph(records)
    for p in graph_problems:
        if p.severity == ERROR:
            errors.setdefault(p.path, []).append(p)
    return content, errors


def assert_rejected_clearly(entry: Entry, problems: list[Problem]) -> None:
    """A rejection must name the file, a line and the very field the string was put in."""
    for p in problems:
        on_slot = p.field == entry.slot.field or p.field.startswith(
            (entry.slot.field + ".", entry.slot.field + "[")
        )
        assert on_slot and p.path == entry.path and p.line > 0 and p.message, (
            f"{entry.slot.name} {entry.text!r}: unclear or misplaced problem: {p.format()}"
        )


# --- reading pages ----------------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = words("area base br col embed hr img input link meta param source track wbr path circle")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def find(self, tag: str, cls: str = "") -> Element | None:
        for e in self.walk():
            if e.tag == tag and cls in [*e.attrs.get("class", "").split(), ""]:
                return e
        return None


class _Tree(HTMLParser):
    """A forgiving tree: enough to find the article, the title and the meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def tree(markup: str) -> Element:
    parser = _Tree()
    parser.feed(markup)
    parser.close()
    return parser.root


def norm(s: str) -> str:
    """Whitespace collapsed as browsers show it (and as Jinja's striptags does)."""
    return " ".join(s.split())


def shape(element: Element) -> list[str]:
    """The element structure, without the <bdi> isolates that depend on the text's scripts."""
    return [e.tag for e in element.walk() if e.tag != "bdi"]


#: What our templates and Markdown make inside a page's content, and nothing else.
CONTENT_TAGS = words(
    "p a span bdi h1 h2 h3 ul li figure blockquote figcaption article dl dt dd div strong "
    "nav code table thead tbody tr th td"
)
CONTENT_ATTRS = words("class id href lang dir title rel markdown")


def check_content(entry: Entry, content: Element, placeholder: Element | None) -> None:
    """The checks every page that shows a hostile string must pass."""
    what = f"{entry.slot.name} {entry.text[:200]!r}"
    assert norm(entry.visible) in norm(content.text()), f"{what}: text not shown as written"
    for e in content.walk():
        assert not any(a.startswith("on") for a in e.attrs), f"{what}: handler on <{e.tag}>"
        href = e.attrs.get("href", "")
        assert dangerous_url(href) is None, f"{what}: {href!r}"
        assert re.match(r"(https?://|[^:/?#]*(?:[/?#]|$))", href), f"{what}: href {href!r}"
    if entry.slot.is_url:
        external = {
            e.attrs["href"]
            for e in content.walk()
            if e.attrs.get("href", "")[:4] == "http"
            and "md-content__button" not in e.attrs.get("class", "")  # the theme's edit link
        }
        safe = url(entry.text.strip())
        assert external == ({html.unescape(safe)} if safe else set()), f"{what}: {external}"
    elif placeholder is not None:
        assert shape(content) == shape(placeholder), f"{what}: the string made elements"


# --- fast: loader, validator, templates, Python-Markdown --------------------------------------


def render_markdown(renderer: Renderer, record: Record) -> str:
    page = renderer.page(
        f"{record.kind}.md.j2", record_path(record.kind, record.id), None, r=record, d=record.data
    )
    return page.markdown


@dataclass
class Tally:
    tried: int = 0
    rejected: int = 0
    shown: int = 0
    by_slot: Counter = field(default_factory=Counter)

    def add(self, entries: list[Entry], rejected: set[str]) -> None:
        for e in entries:
            if e.record_id.startswith("hostile-"):
                self.tried += 1
                self.rejected += e.path in rejected
                self.shown += e.path not in rejected
                self.by_slot[e.slot.name] += 1


TALLIES: dict[str, Tally] = {"markdown": Tally(), "build": Tally()}


@pytest.fixture(scope="module", autouse=True)
def _report_tallies(artifacts: Path) -> Iterator[None]:
    """How many strings the property tests tried, for the record (-s shows it too)."""
    yield
    summary = {
        name: {"tried": t.tried, "rejected": t.rejected, "shown": t.shown, "slots": len(t.by_slot)}
        for name, t in TALLIES.items()
        if t.tried
    }
    if summary:
        (artifacts / "hostile-strings.json").write_text(json.dumps(summary, indent=2) + "\n")
        print(f"\nhostile strings: {summary}")


def check_batch_in_markdown(batch: list[tuple[str, str]]) -> None:
    entries = make_entries(batch)
    content, errors = classify(entries)
    for entry in entries:
        if entry.path in errors:
            assert entry.record_id.startswith("hostile-"), errors[entry.path]
            assert_rejected_clearly(entry, errors[entry.path])
    TALLIES["markdown"].add(entries, set(errors))
    graph = build_graph(content)
    for lang in ("fa", "en"):
        renderer = Renderer(graph, lang)
        placeholders = {}
        for entry in entries:
            if entry.path in errors or lang not in entry.slot.langs:
                continue
            record = content.records[entry.record_id]
            meta_source = render_markdown(renderer, record)
            body, meta = get_data(meta_source)
            markup = render(body)
            page = tree(markup)
            assert scan_html(markup, entry.path, Allowed()) == [], entry
            for e in page.walk():
                assert e.tag in CONTENT_TAGS, f"{entry.slot.name} {entry.text!r}: <{e.tag}>"
                assert set(e.attrs) <= CONTENT_ATTRS, f"{entry.text!r}: {e.attrs}"
            if entry.record_id.startswith("placeholder-"):
                placeholders[entry.slot.name] = page
                continue
            check_content(entry, page, placeholders.get(entry.slot.name))
            if entry.slot.title:
                assert html.unescape(meta["title"]) == entry.visible, entry
            if entry.slot.description:
                assert html.unescape(meta["description"]) == entry.visible, entry
            if "jsonld" in meta:  # written into the page as it is: must be inert JSON
                assert "<" not in meta["jsonld"], entry
                strings = {norm(s) for s in json_strings(json.loads(meta["jsonld"]))}
                assert not entry.slot.title or norm(entry.visible) in strings, entry


@settings(
    max_examples=40,  # about 4,000 strings, each on its page in both languages
    deadline=None,
    # No shrinking: a failure names its slot and string already, and shrinking batches of a
    # hundred strings takes minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batches(SHORT_HOSTILE))
@example(classic_batch())
def test_hostile_strings_through_templates_and_markdown(batch: list[tuple[str, str]]) -> None:
    check_batch_in_markdown(batch)


# --- real: factsheet build (MkDocs, Material, strict) -----------------------------------------


def copy_repo(target: Path) -> Path:
    """What a build reads from the repository, copied: the real one is never written."""
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def page_file(site: Path, lang: str, entry: Entry) -> Path:
    return site / lang / KIND_DIRS[entry.slot.kind] / entry.record_id / "index.html"


def site_name() -> str:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_name"]


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from json_strings(item)


def check_head(entry: Entry, page: Element, name: str) -> None:
    """The tab title, the descriptions and the JSON-LD read as written, and nothing more."""
    what = f"{entry.slot.name} {entry.text[:200]!r}"
    visible = norm(entry.visible)
    metas = {
        e.attrs.get("name") or e.attrs.get("property"): e.attrs.get("content", "")
        for e in page.walk()
        if e.tag == "meta"
    }
    if entry.slot.title:
        title = page.find("title")
        assert title is not None and norm(title.text()) == norm(f"{visible} - {name}"), what
        if "og:title" in metas:
            assert norm(metas["og:title"]) == visible, what
    if entry.slot.description:
        assert norm(metas["description"]) == visible, what
        if "og:description" in metas:
            assert norm(metas["og:description"]) == visible, what
    blocks = [
        e.text()
        for e in page.walk()
        if e.tag == "script" and e.attrs.get("type") == "application/ld+json"
    ]
    for block in blocks:
        assert "<" not in block and "\u2028" not in block, what
        data = json.loads(block)
        if entry.slot.title:
            assert visible in {norm(s) for s in json_strings(data)}, what


def check_batch_in_build(batch: list[tuple[str, str]], repo: Path) -> None:
    entries = make_entries(batch)
    _, errors = classify(entries)
    TALLIES["build"].add(entries, set(errors))
    for entry in entries:
        target = repo / entry.path
        target.write_text(entry.yaml_text, encoding="utf-8")

    # Rejected: one annotation per problem, on the file and line, as CI shows them.
    result = run_factsheet("validate", "--format", "github", cwd=repo)
    assert result.returncode == (1 if errors else 0), result.stdout[-3000:] + result.stderr
    annotated = set(re.findall(r"^::error file=([^,]+),line=[1-9]", result.stdout, re.M))
    assert annotated == set(errors), annotated ^ set(errors)
    assert all(line.startswith("::") for line in result.stdout.splitlines())
    for entry in entries:
        if entry.path in errors:
            assert_rejected_clearly(entry, errors[entry.path])
            (repo / entry.path).unlink()

    # Accepted: the real build, then every page that shows one of them.
    site = repo / "site"
    result = run_factsheet("build", "-o", str(site), cwd=repo)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    name = site_name()
    for lang in ("fa", "en"):
        placeholders: dict[str, Element] = {}
        for entry in entries:
            if entry.path in errors or lang not in entry.slot.langs:
                continue
            page = tree(page_file(site, lang, entry).read_text("utf-8"))
            article = page.find("article", "md-content__inner")
            assert article is not None, entry.path
            if entry.record_id.startswith("placeholder-"):
                placeholders[entry.slot.name] = article
                continue
            check_content(entry, article, placeholders[entry.slot.name])
            check_head(entry, page, name)
    allowed = theme_allowance(
        theme_template_dirs(repo / "mkdocs.yml"), site_base_path(repo / "mkdocs.yml")
    )
    assert [f.format() for f in scan_site(site, allowed)] == []
    # The Atom feeds carry sheet titles and summaries: still well-formed, and text only.
    for feed in sorted(site.glob("*/feed.xml")):
        root = ElementTree.parse(feed).getroot()
        assert not [e for e in root.iter() if e.get("type") in ("html", "xhtml")], feed


@pytest.mark.site
@settings(
    max_examples=9,  # plus the classic batch: ten real builds of about 120 pages each
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking: hundreds of builds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=batches(ANY_HOSTILE))
@example(batch=classic_batch())
def test_hostile_strings_through_the_real_build(
    batch: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo = copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    check_batch_in_build(batch, repo)
    shutil.rmtree(repo)


# --- the post-build scanner -------------------------------------------------------------------


@pytest.fixture(scope="module")
def allowed() -> Allowed:
    config = ROOT / "mkdocs.yml"
    return theme_allowance(theme_template_dirs(config), site_base_path(config))


@pytest.mark.site
def test_scanner_finds_nothing_in_the_real_site(built_site: Path, allowed: Allowed) -> None:
    assert [f.format() for f in scan_site(built_site, allowed)] == []


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@pytest.mark.site
def test_theme_scripts_are_known_by_structure(built_site: Path, allowed: Allowed) -> None:
    page = (built_site / "fa" / "sheets" / "ain-al-asad-handover" / "index.html").read_text()
    bodies = _INLINE_SCRIPT.findall(page)
    assert len(bodies) >= 2 and all(allowed.is_theme_script(b) for b in bodies)
    scope = next(b for b in bodies if b.startswith("__md_scope"))
    # A {{ … }} slot holds a relative URL, never code; and the text around it is fixed.
    assert not allowed.is_theme_script(scope.replace('URL("', 'URL("x",alert(1),"', 1))
    assert not allowed.is_theme_script(scope.replace('URL("', 'URL("javascript:x', 1))
    assert not allowed.is_theme_script(scope + ";alert(1)")
    assert not allowed.is_theme_script("")


PLANTED = [
    ("<script>alert(1)</script>", "inline script"),
    ("<SCRIPT>alert(1)</SCRIPT >", "inline script"),
    ("<script>\n</script>", "inline script"),
    ('<script type="module">import("//evil.example/x.js")</script>', "inline script"),
    ('<script src="https://evil.example/x.js"></script>', "outside the site"),
    ('<script src="//evil.example/x.js"></script>', "outside the site"),
    ('<script src="data:text/javascript,alert(1)"></script>', "outside the site"),
    ('<script src="../../assets/javascripts/missing.js"></script>', "outside the site"),
    ('<script src="../../../../../../etc/x.js"></script>', "outside the site"),
    ('<script src="../../assets/stylesheets/factsheet.css"></script>', "outside the site"),
    ("<script src=../../assets/javascripts/x.js>alert(1)</script>", "inline content"),
    ('<script type="text/html"><img src=x onerror=alert(1)></script>', "type"),
    ('<script type="importmap">{"imports": {}}</script>', "type"),
    ('<script type="application/ld+json">{"name": "x</script>', "not JSON"),
    ('<script type="application/ld+json" src="x.json"></script>', "src="),
    ("<!-- <script>alert(1)</script> -->", "script tags"),
    ("<img src=x onerror=alert(1)>", "event handler"),
    ("<svg/onload=alert(1)>", "event handler"),
    ('<details open ontoggle="alert(1)">x</details>', "event handler"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JAVASCRIPT:alert(1)">x</a>', "javascript:"),
    ('<a href="&#106;avascript&colon;alert(1)">x</a>', "javascript:"),
    ('<a href="&#x6A;&#x61;vascript:alert(1)">x</a>', "javascript:"),
    ('<a href=" \x01java\tscr\nipt:alert(1)">x</a>', "javascript:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript:"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data:"),
    ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">', "data:"),
    ('<img srcset="x.png 1x, javascript:alert(1) 2x">', "javascript:"),
    ('<form action="javascript:alert(1)"><button>x</button></form>', "javascript:"),
    ('<button formaction="javascript:alert(1)">x</button>', "javascript:"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript:"),
    ('<math><mi href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "srcdoc"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<base href="https://evil.example/">', "<base>"),
    ('<frameset><frame src="x"></frameset>', "<frame"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "refresh"),
    ('<meta http-equiv="Refresh" content="0; URL=javascript:alert(1)">', "refresh"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style"),
    ('<style>body{background:url("javascript:alert(1)")}</style>', "style"),
]


@pytest.mark.site
@pytest.mark.parametrize(("planted", "message"), PLANTED)
def test_scanner_finds_what_was_planted(
    built_site: Path, allowed: Allowed, planted: str, message: str
) -> None:
    rel = "fa/sheets/ain-al-asad-handover/index.html"
    page = (built_site / rel).read_text("utf-8")
    files = frozenset(p.relative_to(built_site).as_posix() for p in built_site.rglob("*"))
    for where in ("<article", "</body>"):  # in the content, and after the theme's scripts
        tampered = page.replace(where, planted + where, 1)
        findings = scan_html(tampered, rel, allowed, files)
        assert findings, (planted, where)
        assert any(message in f.message for f in findings), [f.format() for f in findings]
        assert findings == scan_html(tampered, rel, allowed, files, strict_lines=False)


@pytest.mark.site
def test_the_scanning_process_finds_what_scanning_here_finds(
    built_site: Path, allowed: Allowed, tmp_path: Path
) -> None:
    """A language build scans its pages in a process of its own: the same findings, the
    same pages, whatever is planted; a page that was never written is skipped."""
    site = built_site / "fa"
    files = frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    pages = [(rel, str(site / rel)) for rel in sorted(files) if rel.endswith(".html")]
    page = (site / "sheets/ain-al-asad-handover/index.html").read_text("utf-8")
    for n, (planted, _) in enumerate(PLANTED):
        tampered = tmp_path / f"{n}.html"
        tampered.write_text(page.replace("</article>", planted + "</article>", 1), "utf-8")
        pages.append((f"sheets/ain-al-asad-handover/{n}.html", str(tampered)))
    pages.append(("never/written.html", str(tmp_path / "never" / "written.html")))
    here = scan_files(pages, allowed, files)
    assert len(here[0]) >= len(PLANTED) and len(here[1]) == len(pages) - 1
    assert Child(scan_files, pages, allowed, files, label="fa").result() == here


def test_the_scanning_process_fails_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the other process raised is raised here; a process that dies says so."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "a-folder.html").mkdir()
    pages = [("a-folder.html", str(tmp_path / "a-folder.html"))]
    with pytest.raises(ScanError, match=r"cannot read a-folder\.html to scan it"):
        Child(scan_files, pages, Allowed(), frozenset()).result()
    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    with pytest.raises(ChildError, match=r"ended \(1\) with no result"):
        Child(scan_files, pages, Allowed(), frozenset()).result()
    assert not list(tmp_path.glob("factsheet-child-*"))


@pytest.mark.site
def test_scanner_accepts_only_the_root_redirect(built_site: Path, allowed: Allowed) -> None:
    root = (built_site / "index.html").read_text("utf-8")
    assert scan_html(root, "index.html", allowed) == []
    # The same page anywhere else, or sending readers off the site, is a finding.
    assert any("refresh" in f.message for f in scan_html(root, "fa/index.html", allowed))
    away = re.sub(r"url=[^\"]*", "url=https://evil.example/", root, count=1)
    assert any("away" in f.message for f in scan_html(away, "index.html", allowed))


def test_scanner_reads_the_search_index(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    docs = [{"location": "", "title": "ok <code>x</code>", "text": "<p>fine</p>"}]
    index.write_text(json.dumps({"docs": docs}))
    assert scan_site(tmp_path, Allowed()) == []
    docs.append({"location": "x/", "title": "t", "text": "<img src=x onerror=alert(1)>"})
    index.write_text(json.dumps({"docs": docs}))
    assert [f.message for f in scan_site(tmp_path, Allowed())] == [
        "docs[1].text: event handler attribute onerror= on <img>"
    ]


# Pieces of markup, hostile and harmless, well-formed and not, that the scanner's two
# readers must read alike: whole lines of the strict subset go to the fast one.
PIECES = st.sampled_from(
    [
        "<a",
        "<A",
        "<li>",
        "</li>",
        "<span",
        "<img",
        "<iframe",
        "<meta",
        "<script",
        "</script>",
        "<style",
        "</style>",
        "<title>",
        "</title>",
        "<textarea>",
        "<svg",
        "<!-- ",
        " -->",
        "<!DOCTYPE html>",
        "</",
        "<",
        ">",
        "/>",
        "/",
        " ",
        "\t",
        "\n",
        "\f",
        "\u00a0",
        '"',
        "'",
        "=",
        ' href="',
        ' HREF="',
        ' src="',
        ' class="x"',
        " onclick",
        " ONERROR",
        ' onload="',
        " srcdoc",
        ' srcset="',
        ' style="',
        ' http-equiv="refresh"',
        ' content="0;url=',
        "javascript:",
        "JavaScript&#58;",
        "&#106;avascript:",
        "java&#x09;script:",
        "data:",
        "\x01",
        "expression(",
        "alert(1)",
        "x",
        "ی",
        "\u200c",
        "&amp;",
        "&",
        "#",
        "./",
        "https://a.example/",
    ]
)
VALUES = st.lists(
    st.sampled_from(
        [
            "javascript:x",
            " JAVASCRIPT:x",
            "&#106;avascript:x",
            "\x01data:x",
            "vbscript:x",
            "a.example",
            "../x/",
            "x.js",
            "a/x.js",
            "x.png 1x, javascript:y 2x",
            "b:expression(1)",
            "0;url=https://a.example/",
            "0;url=./",
            "refresh",
            "Refresh",
            "&",
            "<b>",
            ">",
            "'",
        ]
    ),
    max_size=2,
).map("".join)
TAGS = st.builds(
    lambda name, attrs, space, close: f"<{name}{''.join(attrs)}{space}{close}>",
    st.sampled_from(["a", "A", "img", "meta", "iframe", "form", "div", "svg", "base", "link"]),
    st.lists(
        st.builds(
            lambda space, name, value: (
                f'{space}{name}="{value}"' if value is not None else f"{space}{name}"
            ),
            st.sampled_from([" ", "  ", "\t", "\f"]),
            st.sampled_from(
                [
                    "href",
                    "HREF",
                    "src",
                    "srcset",
                    "style",
                    "onclick",
                    "OnLoad",
                    "srcdoc",
                    "action",
                    "xlink:href",
                    "http-equiv",
                    "content",
                    "class",
                    "data-x",
                ]
            ),
            st.one_of(st.none(), VALUES),
        ),
        max_size=4,
    ),
    st.sampled_from(["", " "]),
    st.sampled_from(["", "/"]),
)
SOUP = st.lists(st.one_of(PIECES, TAGS, TAGS), max_size=12).map("".join)


@settings(deadline=None, max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(SOUP, min_size=1, max_size=6), rel=st.sampled_from(["a/b.html", "index.html"])
)
def test_scanners_fast_reader_reads_as_html_parser(lines: list[str], rel: str) -> None:
    """The strict-subset reader is only a shortcut: whatever the markup, the findings and
    their lines are those of html.parser reading every line."""
    text = "\n".join(lines)
    allowed = Allowed(base_path="/")
    files = frozenset({"a/x.js"})
    assert scan_html(text, rel, allowed, files) == scan_html(
        text, rel, allowed, files, strict_lines=False
    )


def test_scanners_fast_reader_takes_the_common_lines() -> None:
    """Lines of the strict subset are read without html.parser; anything else is not."""
    from generator.scan import _PageScanner

    def fast(line: str) -> bool:
        return _PageScanner("a.html", Allowed(), frozenset()).read_strict(line)

    assert fast('<li><span class="fs-date">۱۴۰۴</span> <a href="../x/">متن</a> &amp; x</li>')
    assert fast('<img src="x.png" alt="" />')
    for line in (
        "<a href=x>",  # unquoted
        "<a href='x'>",  # single quotes
        "a < b",  # a stray "<"
        "<!-- x -->",
        '<a href="x"',  # a tag across lines
        "<title>x</title>",  # raw text or RCDATA somewhere
        "<script>x</script>",
        "<a\u00a0href='x'>",  # a space that is not ASCII
        "<svg/onload=x>",
    ):
        assert not fast(line), line


def test_the_core_never_imports_mkdocs() -> None:
    """Only the engine and the plugin meet MkDocs (the design card); the scanner and the
    processes that scan and index beside a build (child.py) are core too."""
    meets = {
        path.name
        for path in (ROOT / "generator").glob("*.py")
        if re.search(
            r"^\s*(from|import)\s+(mkdocs|material|markdown)\b", path.read_text("utf-8"), re.M
        )
    }
    assert meets == {"engine.py", "plugin.py"}


# --- CI and the contributors' hook ------------------------------------------------------------

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")


def workflow(name: str) -> dict[str, Any]:
    # BaseLoader: every scalar a string, so `on:` stays "on" (YAML 1.1 reads it as true).
    return yaml.load((WORKFLOWS / name).read_text("utf-8"), Loader=yaml.BaseLoader)


def steps(flow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in flow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def zizmor() -> str:
    found = shutil.which(
        "zizmor", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if found is None:
        pytest.fail("zizmor is missing: pip install -e '.[test]' (make test does)")
    return found


def test_workflows_pass_the_linter() -> None:
    # Offline: zizmor's audits of the files themselves, no GitHub API. The auditor persona
    # reports even the low-confidence findings; the one left is the container's tag, which
    # is not pinned to a digest (see ci.yml).
    result = subprocess.run(
        [zizmor(), "--offline", "--no-progress", "--strict-collection", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_ci_runs_pull_requests_read_only() -> None:
    flow = workflow("ci.yml")
    assert set(flow["on"]) <= {"pull_request", "workflow_dispatch", "push"}
    assert "pull_request" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in flow["jobs"].values())
    code = re.sub(r"(^|\s)#.*", "", (WORKFLOWS / "ci.yml").read_text("utf-8"))
    assert "pull_request_target" not in code and "secrets." not in code
    commands = " ".join(step.get("run", "") for _, step in steps(flow))
    assert "factsheet validate --format github" in commands
    assert ".ci/run" in commands and "make site" in commands


def test_deploy_only_from_main_and_only_the_deploy_job_writes() -> None:
    flow = workflow("deploy.yml")
    assert flow["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {}
    jobs = flow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    uses = [step.get("uses", "").split("@")[0] for _, step in steps(flow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    # The job that can write runs nothing of ours: only the deploy action.
    assert [s.get("uses", "").split("@")[0] for s in jobs["deploy"]["steps"]] == [
        "actions/deploy-pages"
    ]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_workflow_actions_are_pinned_and_leave_no_credentials(name: str) -> None:
    flow = workflow(name)
    for job_id, step in steps(flow):
        if "uses" in step:
            assert PINNED.fullmatch(step["uses"]), (job_id, step["uses"])
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") == "false", job_id


def test_pre_commit_hook_runs_factsheet_validate(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "factsheet-validate"]
    assert hook["entry"] == "factsheet validate" and hook["pass_filenames"] is False
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    (local,) = [h for repo in config["repos"] for h in repo["hooks"]]
    assert local["id"] == "factsheet-validate" and re.match(local["files"], "content/x.yaml")
    # The local hook's command, as pre-commit runs it (from the repository root).
    command = [sys.executable if w == "python" else w for w in local["entry"].split()]
    good = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    repo = copy_repo(tmp_path / "repo")
    sheet = repo / "content" / "sheets" / "ain-al-asad-handover.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace('"2025-09"', '"2025-13"', 1), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bad = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120, env=env)
    assert bad.returncode == 1
    assert "content/sheets/ain-al-asad-handover.yaml:" in bad.stdout

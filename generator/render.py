"""Pages per language, from the validated graph, through Jinja templates.

Python decides what goes on a page (which records, in which order, which
language); the templates in ``generator/templates/`` decide how it reads. No
Markdown or HTML is assembled here: every contributor string reaches a page
through an escaping filter chosen for where it lands.
"""

from __future__ import annotations

import math
import posixpath
import re
import types
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.runtime import Context, Macro

from . import escape, exports
from .dates import EDate, format_date
from .graph import FactRef, Graph, build_graph
from .heap import loaded_data_set_aside
from .jsonld import JsonLd
from .model import (
    KIND_DIRS,
    KINDS,
    LANGUAGES,
    RECORD_CLASSES,
    RTL_LANGUAGES,
    SITE_LANGUAGES,
    Citation,
    Fact,
    Record,
    T,
    specs,
)
from .text import to_persian_digits
from .validate import Content, when

#: Index pages list this many entries a page, so no page grows with the content.
PAGE_SIZE = 50
#: A party, place or source page lists at most this many facts per group.
GROUP_LIMIT = 100
HOME_LATEST = 10

SECTIONS = ("sheets", "timeline", "parties", "places", "sources", "data", "contribute")


@dataclass(frozen=True)
class Page:
    path: str  # docs-relative, e.g. "sheets/ain-al-asad-handover.md"
    markdown: str
    record_file: str | None  # the YAML file behind it, for "edit this record"


@cache
def labels(lang: str) -> dict[str, str]:
    text = resources.files("generator").joinpath(f"labels/{lang}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def record_path(kind: str, record_id: str) -> str:
    return f"{KIND_DIRS[kind]}/{record_id}.md"


def index_path(section: str, page: int = 1) -> str:
    return f"{section}/index.md" if page == 1 else f"{section}/page-{page}.md"


def nav(lang: str) -> list[dict[str, str]]:
    """The whole navigation: sections only, never records (Material copies the nav into
    every page, so listing records would make the site grow with the square of them)."""
    lab = labels(lang)
    items = [{lab["home"]: "index.md"}]
    items += [{lab[s]: f"{s}/index.md" if s != "contribute" else "contribute.md"} for s in SECTIONS]
    return items


# -- text in the page language ---------------------------------------------------------

_LATIN_RUN = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9\s.,:;'\"()/+&%\-–_#@]*[A-Za-z0-9+#%]|[A-Za-z0-9][+#%]*"
)
_ARABIC_RUN = re.compile(
    r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff][\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u200c\s]*"
)


def runs(text: str, lang: str) -> list[tuple[str, bool]]:
    """Split text into (run, isolate?) pieces: Latin and digit runs inside RTL text and
    Arabic-script runs inside LTR text are isolated so the bidi algorithm cannot
    reorder them against their neighbours."""
    text = escape.clean_text(text)
    pattern = _LATIN_RUN if lang in RTL_LANGUAGES else _ARABIC_RUN
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() < pos:
            continue
        run, end = m.group(0), m.end()
        # "Ain (Anbar)": a run takes its closing parenthesis only when it opened one.
        if run.count("(") > run.count(")") and text[end : end + 1] == ")":
            run, end = run + ")", end + 1
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((run, True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# Letters only some Arabic-script languages use. A run with none of them is taken to be in
# the site's own Arabic-script language.
_ARABIC_SCRIPT_HINTS = (("ku", "ەێۆڵڕ"), ("ur", "ےٹڈڑں"), ("ar", "ةيكى"))
_LATIN_LETTER = re.compile("[A-Za-z]")
_SITE_LTR = next(code for code in SITE_LANGUAGES if code not in RTL_LANGUAGES)
_SITE_RTL = next(code for code in SITE_LANGUAGES if code in RTL_LANGUAGES)


def run_lang(run: str, text_lang: str) -> str | None:
    """The ``lang`` of a run that ``runs`` isolates, so a screen reader switches voice.

    Contributors mark the language of quotes and names, not of words inside our prose, so
    this guesses from the script: Latin letters in right-to-left text are the site's
    left-to-right language (English), Arabic script in left-to-right text is the site's
    right-to-left language (Persian) unless letters only Kurdish, Urdu or Arabic use say
    otherwise. Digits and symbols alone are in no language.
    """
    if text_lang in RTL_LANGUAGES:
        return _SITE_LTR if _LATIN_LETTER.search(run) else None
    if not _ARABIC_RUN.search(run):
        return None
    for code, letters in _ARABIC_SCRIPT_HINTS:
        if any(c in letters for c in run):
            return code
    return _SITE_RTL


@dataclass(frozen=True)
class Localized:
    """A language-map value resolved for one page: the text, its language, and whether
    it is a stand-in from another language."""

    text: str
    lang: str
    missing: bool

    @property
    def dir(self) -> str:
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"


def pick(value: dict[str, str] | None, lang: str) -> Localized | None:
    if not value:
        return None
    if lang in value:
        return Localized(value[lang], lang, False)
    for other in (*SITE_LANGUAGES, *sorted(value)):
        if other in value:
            return Localized(value[other], other, True)
    return None


# -- the renderer ----------------------------------------------------------------------


class Renderer:
    """Renders every page of one language."""

    def __init__(
        self,
        graph: Graph,
        lang: str,
        repo_prefix: str = "content",
        site: exports.Site | None = None,
    ) -> None:
        self.site = site if site is not None else exports.Site()
        self.jsonld = JsonLd(graph, self.site, lang)
        self.graph = graph
        self.content = graph.content
        self.lang = lang
        self.labels = labels(lang)
        self.repo_prefix = repo_prefix
        self.env = _environment()
        self._states = {
            r.data.country: r
            for r in reversed(self.content.of_kind("party"))
            if r.data.type == "state" and r.data.country
        }
        self._dates: dict[tuple[EDate, str | None], str] = {}
        # Given to each render, not put in the environment: it is shared by every Renderer,
        # and a Renderer's fragments must never meet another language's globals.
        self._vars = self._globals()
        self._shared = _SharedFragments()
        self._fragments: dict[str, Fragments] = {}
        self._by_date: list[Record] | None = None

    def _globals(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "dir": "rtl" if self.lang in RTL_LANGUAGES else "ltr",
            "L": self.labels,
            "pick": lambda value: pick(value, self.lang),
            "name_of": self.name_of,
            "record": self.content.get,
            "fmt_date": self.fmt_date,
            "num": self.num,
            "runs": lambda text, lang=None: runs(text, lang or self.lang),
            "run_lang": lambda run, lang=None: run_lang(run, lang or self.lang),
            "href": href,
            "record_path": record_path,
            "kind_dirs": KIND_DIRS,
            "lang_dir": lambda code: "rtl" if code in RTL_LANGUAGES else "ltr",
            "site_languages": SITE_LANGUAGES,
            "languages": LANGUAGES,
            "updated_by": lambda ref: self.graph.updated_by.get(ref, []),
            "fact_ref": self.content.fact,
            "when_of": lambda sheet_id: self.graph.sheet_dates.get(sheet_id),
            "group_limit": GROUP_LIMIT,
            "when_fact": when,
            "facts_of": lambda r: self.graph.by_sheet.get(r.id, []),
            "sources_of": lambda r: sorted({c.source for f in r.data.facts for c in f.cite}),
            "graph": self.graph,
            "site": self.site,
            "jsonld": self.jsonld.for_page,
            "state_of": self.state_of,
            "source_lang_of": self.source_lang_of,
        }

    # helpers the templates call
    def name_of(self, record: Record) -> Localized:
        data = record.data
        value = getattr(data, "name", None) or getattr(data, "title", None)
        found = pick(value, self.lang)
        return found if found is not None else Localized(record.id, "en", True)

    def source_lang_of(self, fact: Fact) -> str:
        """The language of the first source a fact cites ("" if none): an English page
        shows the Solar Hijri day too when it is Persian."""
        src = self.content.get(fact.cite[0].source) if fact.cite else None
        return src.data.language if src else ""

    def state_of(self, country: str) -> Record | None:
        """The state party for a country code, so pages can name the country."""
        return self._states.get(country)

    def fmt_date(self, d: EDate | None, source_lang: str | None = None) -> str:
        if d is None:
            return self.labels["no_date"]
        # A source's publication date recurs in every citation of it.
        key = (d, source_lang)
        text = self._dates.get(key)
        if text is None:
            jalali = self.lang == "en" and source_lang == "fa"
            text = self._dates[key] = format_date(d, self.lang, with_jalali=jalali)
        return text

    def num(self, n: int) -> str:
        return to_persian_digits(str(n)) if self.lang == "fa" else str(n)

    def page(self, template: str, path: str, record_file: str | None = None, **ctx: Any) -> Page:
        m = self._fragments_in(posixpath.dirname(path))
        markdown = self.env.get_template(template).render(self._vars, page_path=path, m=m, **ctx)
        return Page(path, markdown, record_file)

    def _fragments_in(self, folder: str) -> Fragments:
        """The macros for pages in ``folder`` ("" for the top): one set a folder, since
        their links are relative to it."""
        found = self._fragments.get(folder)
        if found is None:
            macros = self.env.get_template("_macros.md.j2")
            found = self._fragments[folder] = Fragments(macros, self._vars, folder, self._shared)
        return found

    def source_of(self, record: Record) -> str:
        return f"{self.repo_prefix}/{KIND_DIRS[record.kind]}/{record.id}.yaml"

    # pages
    def pages(self) -> Iterator[Page]:
        with loaded_data_set_aside():
            yield from self._pages()

    def _pages(self) -> Iterator[Page]:
        yield self.home()
        for kind in KINDS:
            records = self.content.of_kind(kind)
            if kind == "sheet":
                records = self._sheets_newest_first()
            else:
                records = sorted(records, key=lambda r: (self.name_of(r).text.casefold(), r.id))
            yield from self.indexes(KIND_DIRS[kind], records)
            for record in self.content.of_kind(kind):
                yield self.page(
                    f"{kind}.md.j2",
                    record_path(kind, record.id),
                    self.source_of(record),
                    r=record,
                    d=record.data,
                )
            # A section's folder is done with: its fragments are not needed again. Quotes
            # are shown on sheet and source pages only. (At 10,000 sheets these caches are
            # hundreds of MB; two languages are rendered side by side.)
            self._fragments.pop(KIND_DIRS[kind], None)
            if kind == "source":
                self._shared.quote.clear()
        yield from self.timeline()
        yield self.data()
        yield self.contribute()
        # Freed now, not when the garbage collector gets to this Renderer's reference cycles:
        # the next language's pages are rendered while these are still held.
        self._fragments.clear()
        self._shared = _SharedFragments()

    def _sheets_newest_first(self) -> list[Record]:
        """Newest first, by id among sheets of the same date; undated last, by id."""
        if self._by_date is None:
            dates = self.graph.sheet_dates
            by_id = sorted(self.content.of_kind("sheet"), key=lambda r: r.id)
            dated = [r for r in by_id if dates.get(r.id) is not None]
            # A stable sort keeps the id order among equal dates, reversed or not.
            dated.sort(key=lambda r: dates[r.id].sort_key(), reverse=True)  # type: ignore[union-attr]
            self._by_date = dated + [r for r in by_id if dates.get(r.id) is None]
        return self._by_date

    def home(self) -> Page:
        sheets = self._sheets_newest_first()[:HOME_LATEST]
        counts = {kind: len(self.content.of_kind(kind)) for kind in KINDS}
        counts["fact"] = len(self.graph.facts)
        return self.page("home.md.j2", "index.md", None, sheets=sheets, counts=counts)

    def indexes(self, section: str, records: list[Record]) -> Iterator[Page]:
        pages = max(1, math.ceil(len(records) / PAGE_SIZE))
        for n in range(1, pages + 1):
            chunk = records[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]
            yield self.page(
                "index.md.j2",
                index_path(section, n),
                None,
                section=section,
                records=chunk,
                pager=_pager(section, n, pages),
            )

    def timeline(self) -> Iterator[Page]:
        facts = self.graph.facts
        pages = max(1, math.ceil(len(facts) / PAGE_SIZE))
        for n in range(1, pages + 1):
            chunk = facts[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]
            yield self.page(
                "timeline.md.j2",
                index_path("timeline", n),
                None,
                facts=chunk,
                pager=_pager("timeline", n, pages),
            )

    def data(self) -> Page:
        """The Data page: what the downloads hold, column by column, and their licence."""
        return self.page(
            "data.md.j2",
            "data/index.md",
            None,
            bundle_path=exports.BUNDLE_PATH,
            csv_path=exports.CSV_PATH,
            schema_paths=exports.schema_paths(),
            feed_path=exports.FEED_PATH,
            csv_columns=exports.CSV_COLUMNS,
            kinds=KINDS,
        )

    def contribute(self) -> Page:
        kinds = [(kind, KIND_DIRS[kind], _field_rows(RECORD_CLASSES[kind], "")) for kind in KINDS]
        return self.page("contribute.md.j2", "contribute.md", None, kinds=kinds)


# -- remembered fragments ----------------------------------------------------------------


@dataclass
class _SharedFragments:
    """What the macros return whatever the page's folder, for every folder of one language."""

    loc: dict[Localized | None, str] = field(default_factory=dict)
    # Language maps are dicts, so they are keyed by id(); each entry holds its map, so the
    # id cannot be reused by another object while the entry exists.
    text: dict[int, tuple[dict[str, str] | None, str]] = field(default_factory=dict)
    date_label: dict[tuple[EDate | None, str | None], str] = field(default_factory=dict)
    fact_date: dict[str, str] = field(default_factory=dict)
    status_badge: dict[str, str] = field(default_factory=dict)
    # By id() of the citation, held like ``text``.
    quote: dict[int, tuple[Citation, str]] = field(default_factory=dict)
    # Kept by href, not folder: pages in sibling folders have the same href to a page in
    # neither ("../sheets/x.md#f").
    link_to: dict[tuple[str, str, str], str] = field(default_factory=dict)
    fact_line: dict[tuple[str, str], str] = field(default_factory=dict)


class Fragments:
    """The macros of ``_macros.md.j2`` as templates call them (``m.link(r)``), for the pages
    of one folder in one language, each result kept and given back for the same arguments.

    A record's link, a fact's line, its text and date recur on thousands of pages, and
    rendering them again through Jinja's macro calls was most of the time a site took. The
    macros still write every byte; this only remembers what they returned. What an output
    depends on is in its key or fixed for the whole cache: the language and globals (one
    Renderer), and for the caches kept per instance the folder, which relative links start
    from. Those in ``_SharedFragments`` serve every folder: their macros depend on their
    arguments alone (see ``_macros.md.j2``). Entries are per record, fact, text, date or
    link target, never per page.
    """

    def __init__(
        self,
        macros: jinja2.Template,
        globals_: dict[str, Any],
        folder: str,
        shared: _SharedFragments,
    ) -> None:
        self._folder = folder or "."
        self._shared = shared
        self._paths: dict[str, str] = {}
        self._links: dict[tuple[str, str, str], str] = {}
        self._link_ids: dict[str, str] = {}
        self._fact_lines: dict[str, str] = {}
        self._reported_by: dict[str, str] = {}
        # The macros reach each other through ``m``, so their inner calls are kept too. A
        # proxy, so that the module's reference back does not keep the caches alive.
        self._macros = macros.make_module({**globals_, "m": weakref.proxy(self)})

    def __getattr__(self, name: str) -> Any:
        # The other macros, called as they are: once a page, or never twice alike.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._macros, name)

    def href(self, to_path: str, anchor: str = "") -> str:
        rel = self._paths.get(to_path)
        if rel is None:
            rel = self._paths[to_path] = posixpath.relpath(to_path, self._folder)
        return f"{rel}#{anchor}" if anchor else rel

    def loc(self, t: Localized | None) -> str:
        out = self._shared.loc.get(t)
        if out is None:
            out = self._shared.loc[t] = self._macros.loc(t)
        return out

    def text(self, value: dict[str, str] | None) -> str:
        hit = self._shared.text.get(id(value))
        if hit is None:
            hit = self._shared.text[id(value)] = (value, self._macros.text(value))
        return hit[1]

    def date_label(self, d: EDate | None, source_lang: str | None = None) -> str:
        key = (d, source_lang)
        out = self._shared.date_label.get(key)
        if out is None:
            out = self._shared.date_label[key] = self._macros.date_label(d, source_lang)
        return out

    def link_to(self, r: Record, href: str) -> str:
        key = (r.kind, r.id, href)
        out = self._shared.link_to.get(key)
        if out is None:
            out = self._shared.link_to[key] = self._macros.link_to(r, href)
        return out

    def link(self, r: Record, anchor: str = "") -> str:
        """The link to a record's page (at ``anchor``) from a page in this folder."""
        key = (r.kind, r.id, anchor)
        out = self._links.get(key)
        if out is None:
            href = self.href(record_path(r.kind, r.id), anchor)
            out = self._links[key] = self.link_to(r, href)
        return out

    def link_id(self, record_id: str) -> str:
        out = self._link_ids.get(record_id)
        if out is None:
            out = self._link_ids[record_id] = self._macros.link_id(record_id)
        return out

    def fact_date(self, ref: FactRef) -> str:
        out = self._shared.fact_date.get(ref.key)
        if out is None:
            out = self._shared.fact_date[ref.key] = self._macros.fact_date(ref)
        return out

    def status_badge(self, status: str) -> str:
        out = self._shared.status_badge.get(status)
        if out is None:
            out = self._shared.status_badge[status] = self._macros.status_badge(status)
        return out

    def quote(self, c: Citation) -> str:
        hit = self._shared.quote.get(id(c))
        if hit is None:
            hit = self._shared.quote[id(c)] = (c, self._macros.quote(c))
        return hit[1]

    def reported_by(self, source_id: str) -> str:
        out = self._reported_by.get(source_id)
        if out is None:
            out = self._reported_by[source_id] = self._macros.reported_by(source_id)
        return out

    def fact_line(self, ref: FactRef) -> str:
        out = self._fact_lines.get(ref.key)
        if out is None:
            href = self.href(record_path(ref.sheet.kind, ref.sheet.id), ref.fact.id)
            key = (ref.key, href)
            out = self._shared.fact_line.get(key)
            if out is None:
                out = self._shared.fact_line[key] = self._macros.fact_line(ref, href)
            self._fact_lines[ref.key] = out
        return out


def _pager(section: str, n: int, pages: int) -> dict[str, Any]:
    return {
        "page": n,
        "pages": pages,
        "previous": index_path(section, n - 1) if n > 1 else None,
        "next": index_path(section, n + 1) if n < pages else None,
    }


def _type_label(t: T) -> str:
    if t.name == "enum":
        return " | ".join(t.choices)
    if t.name == "list" and t.item is not None:
        return f"list of {_type_label(t.item)}"
    if t.name == "object" and t.cls is not None:
        return "mapping"
    if t.name == "text":
        return "{fa, en}" + (" (both)" if t.all_languages else "")
    if t.name == "ref":
        return f"{' or '.join(t.kinds)} id"
    return {
        "str": "text",
        "factref": "sheet-id#fact-id",
        "date": "date",
        "date_jalali": "Solar Hijri date",
        "url": "http(s) URL",
        "bool": "true | false",
        "lang": "language code",
        "country": "country code",
        "number": "number",
        "int": "whole number",
        "slug": "id",
        "wikidata": "Wikidata id",
    }[t.name]


def _field_rows(cls: type, prefix: str) -> list[dict[str, Any]]:
    rows = []
    for name, spec_ in specs(cls):
        path = f"{prefix}{name}"
        rows.append(
            {
                "field": path,
                "type": _type_label(spec_.type),
                "required": spec_.required,
                "help": spec_.help,
            }
        )
        t = spec_.type
        inner = t.item if t.name == "list" and t.item is not None else t
        if inner.name == "object" and inner.cls is not None:
            sub = f"{path}[]." if t.name == "list" else f"{path}."
            rows.extend(_field_rows(inner.cls, sub))
    return rows


def href(from_path: str, to_path: str, anchor: str = "") -> str:
    """A relative link between two docs pages; MkDocs checks and rewrites it."""
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return rel + (f"#{anchor}" if anchor else "")


class CallContext(Context):
    """Jinja's context, with a shorter way through ``call`` for what needs nothing from it.

    Every call a template makes (``m.link(r)``, ``pick(value)``, a macro) goes through
    ``Context.call``, which asks each callable twice whether it wants the context, the
    evaluation context or the environment passed in. A page makes about 150 such calls, and
    the asking was a fifth of rendering. Plain functions and methods that carry no
    ``jinja_pass_arg`` mark, and builtins (which cannot carry one), are called directly;
    macros get the evaluation context they always ask for; everything else (callable
    objects, functions marked with ``pass_context`` and the like) takes Jinja's way.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is types.MethodType:
            func = __obj.__func__
            plain = type(func) is types.FunctionType and "jinja_pass_arg" not in func.__dict__
        elif kind is types.FunctionType:
            plain = "jinja_pass_arg" not in __obj.__dict__
        else:
            plain = kind is types.BuiltinFunctionType or kind is Macro
        if not plain:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            # Jinja's own, for callables that take the context: these do not.
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        if kind is Macro:
            return __obj(__self.eval_ctx, *args, **kwargs)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown out; every contributor string goes through a filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "md": escape.md_text,
        "md_fragment": escape.md_fragment,
        "md_para": escape.md_multiline,
        "attr": escape.html_attr,
        "safe_url": escape.url,
        "front_matter": escape.front_matter,
        "json_script": escape.json_for_script,
    }
    env.filters.update(filters)
    env.context_class = CallContext
    return env


def render_site(
    content: Content,
    lang: str,
    *,
    graph: Graph | None = None,
    content_prefix: str = "content",
    site: exports.Site | None = None,
) -> list[Page]:
    graph = graph if graph is not None else build_graph(content)
    return list(Renderer(graph, lang, content_prefix, site).pages())


def render_root(base_path: str, site_name: str) -> str:
    """The root page: sends readers to the default language and declares them all."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("root.html.j2").render(
        base=base_path,
        site_name=site_name,
        languages=SITE_LANGUAGES,
        names={code: labels(code)["language_name"] for code in SITE_LANGUAGES},
        lang_dir=lambda code: "rtl" if code in RTL_LANGUAGES else "ltr",
    )


def write_pages(pages: list[Page], out_dir: Path) -> None:
    """Write pages as Markdown files (goldens, the benchmark's floor, inspection)."""
    for page in pages:
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml

from . import escape, exports
from .dates import EDate, format_date
from .graph import Graph, build_graph
from .jsonld import JsonLd
from .model import (
    KIND_DIRS,
    KINDS,
    LANGUAGES,
    RECORD_CLASSES,
    RTL_LANGUAGES,
    SITE_LANGUAGES,
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
        self.env.globals.update(self._globals())

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
        }

    # helpers the templates call
    def name_of(self, record: Record) -> Localized:
        data = record.data
        value = getattr(data, "name", None) or getattr(data, "title", None)
        found = pick(value, self.lang)
        return found if found is not None else Localized(record.id, "en", True)

    def state_of(self, country: str) -> Record | None:
        """The state party for a country code, so pages can name the country."""
        return self._states.get(country)

    def fmt_date(self, d: EDate | None, source_lang: str | None = None) -> str:
        if d is None:
            return self.labels["no_date"]
        return format_date(d, self.lang, with_jalali=self.lang == "en" and source_lang == "fa")

    def num(self, n: int) -> str:
        return to_persian_digits(str(n)) if self.lang == "fa" else str(n)

    def page(self, template: str, path: str, record_file: str | None = None, **ctx: Any) -> Page:
        markdown = self.env.get_template(template).render(page_path=path, **ctx)
        return Page(path, markdown, record_file)

    def source_of(self, record: Record) -> str:
        return f"{self.repo_prefix}/{KIND_DIRS[record.kind]}/{record.id}.yaml"

    # pages
    def pages(self) -> Iterator[Page]:
        yield self.home()
        for kind in KINDS:
            records = self.content.of_kind(kind)
            if kind == "sheet":
                records = sorted(records, key=self._sheet_order)
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
        yield from self.timeline()
        yield self.data()
        yield self.contribute()

    def _sheet_order(self, record: Record) -> tuple:
        d = self.graph.sheet_dates.get(record.id)
        # Newest first; undated last.
        return (0, _negate(d.sort_key()), record.id) if d is not None else (1, (), record.id)

    def home(self) -> Page:
        sheets = sorted(self.content.of_kind("sheet"), key=self._sheet_order)[:HOME_LATEST]
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


def _negate(key: tuple) -> tuple:
    return tuple(-x if isinstance(x, int) else _Reverse(x) for x in key)


@dataclass(frozen=True)
class _Reverse:
    value: Any

    def __lt__(self, other: _Reverse) -> bool:
        return self.value > other.value


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

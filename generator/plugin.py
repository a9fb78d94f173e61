"""The MkDocs plugin: the only place the generator meets MkDocs' events.

It validates the records (or reads what ``factsheet build`` prepared once for every
language, ``prepare.py``), renders the pages of the build's language and hands them to
MkDocs; with ``mkdocs serve`` it also watches the records. All page logic lives in the
MkDocs-free core (``render.py``).

Memory stays flat however many pages there are: the pages' Markdown is spooled to disk as
it is rendered (one file, read back by offset), and each page's HTML and JSON-LD wait on
disk from ``on_page_content`` to ``on_page_context`` (MkDocs would otherwise hold every
page's Markdown and HTML until the last page is written: about 60 KB a page).

Every record page is indexed for search (``search.py``) from where its HTML waited, once
every page is converted (``on_env``), and every page is scanned (``scan.py``) as written,
read back from the site, once every page is written (``on_post_build``): each in one go,
by processes of their own (``child.py``), while this one goes on. Done page by page between
MkDocs' own work, the same reading took a fifth longer (measured in one process at 2,000
sheets: indexing 5.7 s against 4.7 s, scanning 4.4 s against 3.6 s); done here, one after
the other, they were the last seconds of the build that ended last, on one core.

The theme's pieces that come out the same for every page of a folder outside the
navigation (the navigation, the tabs, the search box…) are rendered once a folder
(``fs_once``, called by overrides/), and Material's strings looked up once a build. In the
same way, the pages are converted by one Markdown instance for the whole build, and a link
to a page is rewritten once for the pages of a folder (``OneMarkdown``, ``Links``,
``Anchors``): MkDocs' own conversion, byte for byte, in a fifth less time (``one_markdown:
false`` turns it off).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import json
import logging
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

import markdown
from markdown.util import AMP_SUBSTITUTE
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import exports, feeds, prepare, scan, search
from .child import Child, ChildError
from .graph import Graph, build_graph
from .model import SITE_LANGUAGES
from .problems import ERROR, render_report
from .render import CallContext, Renderer, labels, nav
from .validate import validate_dir

log = logging.getLogger("mkdocs.plugins.factsheet")

#: In the build's spool: each converted page's HTML and JSON-LD, until it is written.
HELD_FILE = "held.html"


class FactsheetConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """The records, relative to mkdocs.yml."""
    lang = c.Optional(c.Choice(SITE_LANGUAGES))
    """The language of this build; defaults to ``theme.language``."""
    prepared = c.Optional(c.Type(str))
    """Set by ``factsheet build``: the folder where ``prepare.py`` leaves the validated
    records, so that no language build validates again (and where one language's build
    writes the data files for all)."""
    graph_pipe = c.Optional(c.Type(int))
    """Set by ``factsheet build`` with ``prepared``: the read end of a pipe (a file
    descriptor) that ``factsheet build`` closes once ``prepared`` holds the validated
    records; the build starts meanwhile and waits for them when it needs them."""
    data_files_pipe = c.Optional(c.Type(int))
    """Set by ``factsheet build`` with ``prepared``: one end of a pipe between the language
    builds (a file descriptor). The build that ``writes_data_files`` writes them into
    ``prepared`` and then closes its end; every other build waits for that on its own end
    before MkDocs copies them into its site."""
    writes_data_files = c.Type(bool, default=False)
    one_markdown = c.Type(bool, default=True)
    """Convert every page with one Markdown instance, reset between pages (``OneMarkdown``),
    rather than MkDocs' new one a page: the same HTML, in less time. False gives MkDocs' own
    conversion back, e.g. for a Markdown extension that keeps state without a ``reset``."""
    scanned_list = c.Optional(c.Type(str))
    """Set by ``factsheet build``: where to list the pages this build scanned, so the
    final check of the whole site scans only the files no build did."""


#: More findings than this say nothing more: a theme mistake repeats on every page.
MAX_FINDINGS_SHOWN = 50
#: Pages converted between two ``_set_aside``: each costs a collection of what the pages
#: since the last one left.
SET_ASIDE_EVERY = 500
#: A build's written pages are scanned in this many processes at most (one a core).
MAX_SCAN_PROCESSES = 4
#: Links ``Links`` keeps rewritten for the next pages, about half a KB each: the links to
#: the most linked pages are rewritten again after a clear-out at once.
LINKS_KEPT = 10_000


def site_of(config: MkDocsConfig) -> exports.Site:
    """Where each language's pages live, from the language selector the engine sets
    (``extra.alternate``); without it, ``site_url`` is taken as the root above them."""
    roots: dict[str, str] = {}
    for alt in config.extra.get("alternate") or []:
        if isinstance(alt, dict) and alt.get("lang") in SITE_LANGUAGES:
            url = str(alt.get("url") or alt.get("link") or "")
            roots[alt["lang"]] = url if url.endswith("/") else url + "/"
    if set(roots) != set(SITE_LANGUAGES):
        base = config.site_url or "/"
        base = base if base.endswith("/") else base + "/"
        roots = {lang: f"{base}{lang}/" for lang in SITE_LANGUAGES}
    owner = config.extra.get("factsheet") or {}
    return exports.Site(
        roots=roots,
        name=str(config.site_name or ""),
        licence=str(owner.get("licence") or "") if isinstance(owner, dict) else "",
        directory_urls=bool(config.use_directory_urls),
    )


def head_values(lang: str, site_name: str) -> dict[str, object]:
    lab = labels(lang)
    return {
        "feed": exports.FEED_PATH,
        "feed_title": lab["feed_title"].format(site=site_name),
        "og_locale": lab["og_locale"],
        "og_locale_alternates": [
            labels(code)["og_locale"] for code in SITE_LANGUAGES if code != lang
        ],
    }


class SpooledPage(File):
    """A generated page whose Markdown waits in the build's one spool file, at an offset.

    MkDocs reads a page's source through ``content_string``; anything that sets the content
    instead gets MkDocs' own behaviour.
    """

    _spool: IO[bytes] | None = None
    _at: tuple[int, int] = (0, 0)

    def spooled_at(self, spool: IO[bytes], at: tuple[int, int]) -> None:
        self._spool, self._at = spool, at

    @property
    def content_bytes(self) -> bytes:
        if self._content is not None or self._spool is None:
            return File.content_bytes.fget(self)  # type: ignore[attr-defined]
        offset, length = self._at
        self._spool.seek(offset)
        return self._spool.read(length)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._spool = None
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]

    @property
    def content_string(self) -> str:
        if self._content is not None or self._spool is None:
            return File.content_string.fget(self)  # type: ignore[attr-defined]
        return self.content_bytes.decode("utf-8")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self._spool = None
        File.content_string.fset(self, value)  # type: ignore[attr-defined]


def _trim() -> None:
    """Give freed memory back to the system (glibc keeps it otherwise), so that the two
    language processes side by side do not each keep the records' memory to the end."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _url_folders(url: str) -> tuple[str, ...]:
    """The folders MkDocs' ``get_relative_url`` counts a link from: a page's URL without
    a last part with a dot in it (a file name), normalized."""
    folder, _, last = url.rpartition("/")
    path = folder if "." in last else url
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(path.split("/")) if path else ()


class Links(mkdocs_pages._RelativePathTreeprocessor):
    """MkDocs' rewriting of a page's links to other pages' URLs, one page after another,
    keeping what it rewrote for the pages after it (fifty links a page, four in five to a
    page some earlier page of the folder linked to).

    A link resolves from the page's source folder, and its relative URL depends on the
    page's URL only through the folders above it and their number, unless the target is the
    page itself or below it. So a rewritten link is kept under (source folder, folders above
    the page, their number, link) and given back to every page with the same key that the
    target is not below. Kept only when MkDocs rewrote it to a page in the site without a
    word: links it warns about go to MkDocs every time, so every warning still comes."""

    def __init__(self, files: Files, config: MkDocsConfig) -> None:
        super().__init__(None, files, config)  # type: ignore[arg-type]
        self._kept: dict[tuple[object, str], tuple[str, File, str, tuple[str, ...]]] = {}
        self._folders: tuple[str, ...] = ()
        self._where: tuple[object, ...] = ()

    def for_page(self, file: File) -> Links:
        self.file = file
        self.links_to_anchors = {}
        self._folders = _url_folders(file.url)
        self._where = (posixpath.dirname(file.src_uri), self._folders[:-1], len(self._folders))
        return self

    def path_to_url(self, url: str) -> str:
        key = (self._where, url)
        folders = self._folders
        kept = self._kept.get(key)
        if kept is not None and kept[3][: len(folders)] != folders:
            new_url, target, anchor, _ = kept
            if anchor:  # as MkDocs records it, for its check of the anchors
                self.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return new_url
        new_url = super().path_to_url(url)
        target = self._page_linked(url)
        if target is not None:
            target_folders = _url_folders(target.url)
            if target_folders[: len(folders)] != folders:
                if len(self._kept) >= LINKS_KEPT:
                    self._kept.clear()
                self._kept[key] = (new_url, target, urlsplit(url).fragment, target_folders)
        return new_url

    def _page_linked(self, url: str) -> File | None:
        """The page that ``url`` links to when MkDocs rewrites it without a word: a relative
        link to a file of the site that is not excluded."""
        scheme, netloc, path, _, _ = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return None
        target = self.files.get_file_from_path(self._target_uri(self.file.src_uri, unquote(path)))
        return None if target is None or target.inclusion.is_excluded() else target


class Anchors(mkdocs_pages._RawHTMLPreprocessor):
    """MkDocs' collection of the ids in a page's raw HTML, for its check of the links to
    anchors: MkDocs' own html.parser handler sees the same start tags, but the lines of the
    strict subset of HTML that nearly every line of a generated page is in are read by
    ``scan.strict_start_tags``, three times faster, and handed to it tag by tag."""

    def run(self, lines: list[str]) -> list[str]:
        parser = mkdocs_pages._HTMLHandler()
        *whole, last = "\n".join(lines).split("\n")  # what MkDocs reads: lines as joined
        idle = True
        for line in whole:
            if idle and (tags := scan.strict_start_tags(line)) is not None:
                for tag, attrs in tags:
                    parser.handle_starttag(tag, attrs)
            else:
                parser.feed(line + "\n")
                idle = scan.between_constructs(parser)
        parser.feed(last)
        parser.close()
        self.present_anchor_ids = parser.present_anchor_ids
        return lines


class OneMarkdown:
    """MkDocs' ``Page.render`` with one Markdown instance for all the pages of a build, reset
    between pages as Python-Markdown provides for, instead of one built for each page (with
    its extensions, then left to the cycle collector). MkDocs' own processors are registered
    for each page, as MkDocs does, under the same names; links are rewritten by ``Links``
    and the ids in raw HTML found by ``Anchors``.
    The inline patterns are read from a list: Python-Markdown looks one up by its index for
    every pattern tried on every piece of text, and its registry sorts on each lookup.
    Together a fifth of the conversion; ``tests/test_pipeline.py`` converts every page of a
    build both ways and compares."""

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        self.files = files
        self.md = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {}
        )
        processors = self.md.treeprocessors  # a Registry, which has no .get()
        inline = processors["inline"] if "inline" in processors else None  # noqa: SIM401
        if isinstance(getattr(inline, "inlinePatterns", None), markdown.util.Registry):
            inline.inlinePatterns = list(inline.inlinePatterns)  # type: ignore[union-attr]
        self.links = Links(files, config)

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        page.__dict__.pop("render", None)  # set by the plugin for this one call
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.md.reset()
        raw_html = Anchors()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        links = self.links.for_page(page.file)
        links._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = links.links_to_anchors


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        self.content_dir = (root / self.config.content_dir).resolve()
        # Edit links name the record's file in the repository: the folder as configured,
        # which may be a link to a folder elsewhere, but never outside the site's folder.
        try:
            configured = Path(os.path.normpath(root / self.config.content_dir))
            self.content_prefix = configured.relative_to(root).as_posix()
        except ValueError:
            raise PluginError(
                f"factsheet: content_dir {self.config.content_dir!r} is outside the folder of "
                f"mkdocs.yml ({root}); the records must be in the site's repository"
            ) from None
        self.lang = self.config.lang or config.theme.get("language") or SITE_LANGUAGES[0]
        if self.lang not in SITE_LANGUAGES:
            raise PluginError(
                f"factsheet: theme.language {self.lang!r} is not one of {', '.join(SITE_LANGUAGES)}"
            )
        config.nav = nav(self.lang)
        self.site = site_of(config)
        # Read by overrides/main.html: the feed link and the Open Graph locales.
        config.extra["factsheet_head"] = head_values(self.lang, config.site_name)
        self.search_pages: dict[str, search.PageInfo] = {}
        #: Record pages to index at the end: each with where its HTML waits (offset, length).
        self._to_index: list[tuple[search.SearchDoc, int, int]] = []
        #: Pages written, to scan at the end: (path in the site, file).
        self._to_scan: list[tuple[str, str]] = []
        #: This build's end of the pipe that says the data files are written, while held.
        self._data_files_pipe: int | None = self.config.data_files_pipe
        self._drop_spool()  # a serve rebuild starts afresh
        self.spool: Path | None = None
        self._held: IO[bytes] | None = None
        self._markdown: IO[bytes] | None = None
        self._held_at: dict[str, tuple[int, ...]] = {}
        self._nav_urls: frozenset[str] = frozenset()
        #: The search index and the scan, each written in a process of its own (child.py).
        self._indexing: Child | None = None
        self._scanning: list[Child] = []
        self._one_markdown: OneMarkdown | None = None
        base_path = urlsplit(config.site_url or "/").path or "/"
        self.allowed = scan.theme_allowance(
            [Path(d) for d in config.theme.dirs], base_path if base_path.endswith("/") else "/"
        )
        return config

    def _graph(self) -> tuple[Graph, bool]:
        """The validated records: prepared once by ``factsheet build``, or validated here;
        and whether they were prepared for this site's URLs (the data files are shared
        between the languages only then)."""
        if self.config.prepared:
            if self.config.graph_pipe is not None:
                prepare.wait_until_closed(self.config.graph_pipe)
            try:
                ready = prepare.load(Path(self.config.prepared))
            except ValueError as err:
                raise PluginError(f"factsheet: {err}") from err
            return ready.graph, ready.site == self.site
        content, problems = validate_dir(self.content_dir, self.root)
        for line in render_report(problems).splitlines():
            log.info(line) if " warning: " in line else log.error(line)
        if any(p.severity == ERROR for p in problems):
            raise PluginError("factsheet: the content has problems (listed above)")
        return build_graph(content), False

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._add_files(files, config)
        # The records and the renderer's caches are garbage now (some in reference cycles):
        # collected here, their memory holds MkDocs' pages instead of adding to it.
        gc.collect()
        _trim()
        if self.config.prepared:
            # A one-build process (factsheet build): what is left (the files, the theme,
            # the config) lives to the end, so the collector's full passes need not walk it
            # again for every page (a third of their time at 2,000 sheets). Never under
            # mkdocs serve, where each rebuild's leftovers would then never be collected.
            gc.freeze()
        self._held = (self.spool / HELD_FILE).open("w+b")  # type: ignore[operator]
        self._converted = 0
        return files

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        if self.config.one_markdown:
            if self._one_markdown is None or self._one_markdown.files is not files:
                self._one_markdown = OneMarkdown(config, files)
            page.render = functools.partial(self._one_markdown.render, page)  # type: ignore[method-assign]
        return page

    @staticmethod
    def _set_aside() -> None:
        """What the pages converted so far left behind lives to the end of the build (their
        tables of contents, titles, links): after one collection of what is garbage, the
        collector's full passes need not walk it again for every later page. Only in a
        one-build process (factsheet build), as in on_files."""
        gc.collect()
        gc.freeze()

    def _add_files(self, files: Files, config: MkDocsConfig) -> None:
        graph, shared = self._graph()
        edit_prefix = config.edit_uri or ""
        self._spool_dir()
        assert self.spool is not None
        renderer = Renderer(graph, self.lang, self.content_prefix, self.site)
        # Written out as they are rendered, one after the other in one file: MkDocs reads
        # each page back when it gets to it (a file a page cost a file system call or two
        # each way, tens of thousands of them).
        markdown_path = self.spool / "pages.md"
        self._markdown = markdown_path.open("w+b")
        for page in renderer.pages():
            data = page.markdown.encode("utf-8")
            at = (self._markdown.tell(), len(data))
            self._markdown.write(data)
            file = SpooledPage.generated(config, page.path, abs_src_path=str(markdown_path))
            file.spooled_at(self._markdown, at)
            file.edit_uri = f"{page.record_file}" if page.record_file and edit_prefix else None
            if file.src_uri in files.src_uris:
                files.remove(files.src_uris[file.src_uri])
            files.append(file)
        self._markdown.flush()
        del renderer
        # The data downloads and this language's feed, spooled to disk: they grow with the
        # content (hundreds of MB at 10,000 sheets).
        data_files = self._data_files(graph, shared)
        feed = self.spool / "feed" / exports.FEED_PATH
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_bytes(feeds.atom(graph, self.site, self.lang))
        for path, source in sorted({**data_files, exports.FEED_PATH: feed}.items()):
            files.append(File.generated(config, path, abs_src_path=str(source)))
        self.search_pages = search.record_pages(graph.content)

    def _data_files(self, graph: Graph, shared: bool) -> dict[str, Path]:
        """The data downloads, the same in every language's site: under ``factsheet build``
        written once, by the build that ``writes_data_files``, into the prepared folder
        (the others list them there now and wait for them in ``on_env``); else here."""
        work = self.config.prepared
        if self._data_files_pipe is None or work is None or not shared:
            self._close_data_files_pipe()
            return exports.write_data_files(graph, self.site, self.spool / "files")  # type: ignore[operator]
        if self.config.writes_data_files:
            try:
                return prepare.write_data_files(graph, self.site, Path(work))
            finally:
                self._close_data_files_pipe()  # the other builds stop waiting
        return prepare.data_files_in(Path(work))

    def _close_data_files_pipe(self) -> None:
        pipe, self._data_files_pipe = self._data_files_pipe, None
        if pipe is not None:
            with contextlib.suppress(OSError):
                os.close(pipe)

    def _spool_dir(self) -> None:
        self._drop_spool()
        self.spool = Path(tempfile.mkdtemp(prefix=f"factsheet-{self.lang}-"))

    # -- the theme: what overrides/ reads, and the pieces it renders once --

    def on_env(self, env, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        self._one_markdown = None  # every page is converted
        # MkDocs copies the site's files next, the data files among them.
        if self._data_files_pipe is not None:
            pipe, self._data_files_pipe = self._data_files_pipe, None
            try:
                prepare.wait_for_data_files(pipe, Path(self.config.prepared))  # type: ignore[arg-type]
            except ValueError as err:
                raise PluginError(f"factsheet: {err}") from err
        if self.config.prepared:
            self._set_aside()
            _trim()  # what converting the pages freed: the theme's work is smaller
        # Every page is converted, its HTML waiting on disk: indexed in a process of its own
        # while this one writes the pages.
        if self._to_index:
            assert self._held is not None
            self._held.flush()
            pages, self._to_index = self._to_index, []
            out = Path(config.site_dir) / search.BUNDLE_DIR
            self.search_pages = {}  # every page is converted: its memory goes to the rest
            held = self.spool / HELD_FILE  # type: ignore[operator]
            self._indexing = Child(search.write_index, self.lang, pages, held, out, label=self.lang)
        env.globals["fs_search"] = search.ui_labels(self.lang)
        # The theme's templates make the same calls ours do: the same shorter way through.
        env.context_class = CallContext
        env.globals["fs_once"] = self._once_per_folder
        env.globals["fs_translate"] = self._translate
        self._kept: dict[tuple[str, str, int], str] = {}
        self._translations: dict[str, str] = {}
        self.site_files = frozenset(f.dest_uri for f in files)
        return env

    def on_nav(self, nav, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        self._nav_urls = frozenset(p.url for p in nav.pages)
        return nav

    def _once_per_folder(self, part: str, page: Page | None, render: Callable[[], str]) -> str:
        """A piece of the theme (``part``: the navigation, the tabs, the search box…) for
        ``page``, rendered by ``render``, once for all the pages that get the same bytes
        from it: those outside the navigation in one folder. Its links are relative to the
        page's URL, the same from every page of a folder; it marks the current page and its
        sections, and lists the current page's headings, only for pages in the navigation."""
        url = page.url if page is not None else None
        if url is None or url in self._nav_urls or any(u.startswith(url) for u in self._nav_urls):
            return render()
        key = (part, posixpath.dirname(url.rstrip("/")), url.count("/"))
        out = self._kept.get(key)
        if out is None:
            out = self._kept[key] = render()
        return out

    def _translate(
        self, key: str, theirs: Callable[[str], str], fallback: Callable[[str], str]
    ) -> str:
        """Material's ``lang.t(key)``, which builds its whole table of strings on every call
        (two dozen calls a page): each key looked up once a build."""
        out = self._translations.get(key)
        if out is None:
            out = self._translations[key] = theirs(key) or fallback(key) or key
        return out

    # -- search: each record page goes to the index as the reader sees it (search.py) --

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._converted += 1
        if self._converted % SET_ASIDE_EVERY == 0 and self.config.prepared:
            self._set_aside()
        info = self.search_pages.get(page.file.src_uri)
        if info is None:
            return self._hold(html, page)
        doc = search.SearchDoc(
            url=page.url,
            lang=self.lang,
            title=str((page.meta or {}).get("title") or page.title or page.url),
            kind=info.kind,
            kind_label=search.kind_label(info.kind, self.lang),
            html="",
            names=info.names,
            related=info.related,
        )
        held = self._hold(html, page)
        offset, length, *_ = self._held_at[page.file.src_uri]
        self._to_index.append((doc, offset, length))
        return held

    # -- each page's HTML and JSON-LD wait on disk until the page's turn to be written --

    def _hold(self, html: str, page: Page) -> str:
        """Between converting a page and writing it, MkDocs converts every other page; what
        only this page's own template needs waits on disk meanwhile."""
        if self._held is None:
            raise PluginError(f"factsheet: {page.file.src_uri} was converted outside a build")
        page.markdown = ""  # converted: MkDocs reads it no more
        jsonld = (page.meta or {}).pop("jsonld", None)
        parts = [html.encode("utf-8")]
        if isinstance(jsonld, str):
            parts.append(jsonld.encode("utf-8"))
        offset = self._held.seek(0, 2)
        for part in parts:
            self._held.write(part)
        self._held_at[page.file.src_uri] = (offset, *(len(part) for part in parts))
        return ""

    @event_priority(100)  # first: the other plugins and the theme see the page whole
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        held = self._held_at.pop(page.file.src_uri, None)
        if held is None or self._held is None:
            return context
        offset, *lengths = held
        self._held.seek(offset)
        parts = [self._held.read(length).decode("utf-8") for length in lengths]
        page.content = parts[0]
        if len(parts) > 1:
            page.meta["jsonld"] = parts[1]
        return context

    @event_priority(-100)  # last: the page is written as it leaves here
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self._to_scan.append((page.file.dest_uri, page.file.abs_dest_path))
        # Written: only this page's template needed these.
        page.content = None
        (page.meta or {}).pop("jsonld", None)
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Every page is written: scanned beside the indexing, in a share of processes of
        # their own, one a core: when the other language's build has ended, the scan is
        # what is left, and it would otherwise keep one core only.
        pages, self._to_scan = self._to_scan, []
        shares = min(os.cpu_count() or 1, MAX_SCAN_PROCESSES, len(pages))
        self._scanning = [
            Child(scan.scan_files, pages[i::shares], self.allowed, self.site_files, label=self.lang)
            for i in range(shares)
        ]
        indexing, self._indexing = self._indexing, None
        if indexing is None:
            log.info("factsheet: no record pages, so no search index")
        else:
            try:
                indexing.result()
            except (search.SearchError, ChildError) as err:
                raise PluginError(f"factsheet: {err}") from err
        self._drop_spool()  # indexed, and every file copied into the site by now
        findings: list[scan.Finding] = []
        scanned: list[str] = []
        while self._scanning:
            try:
                found, share = self._scanning.pop(0).result()
            except (scan.ScanError, ChildError) as err:
                raise PluginError(f"factsheet: {err}") from err
            findings += found
            scanned += share
        if findings:
            shown = [f.format() for f in sorted(findings)[:MAX_FINDINGS_SHOWN]]
            if len(findings) > MAX_FINDINGS_SHOWN:
                shown.append(f"… and {len(findings) - MAX_FINDINGS_SHOWN} more like these")
            raise PluginError(
                "factsheet: the pages hold scripts, handlers or URLs that the theme did not "
                "put there:\n" + "\n".join(shown)
            )
        if self.config.scanned_list:
            Path(self.config.scanned_list).write_text(json.dumps(sorted(scanned)), encoding="utf-8")

    def _drop_spool(self) -> None:
        for name in ("_held", "_markdown"):
            if getattr(self, name, None) is not None:
                getattr(self, name).close()
                setattr(self, name, None)
        if getattr(self, "spool", None) is not None:
            shutil.rmtree(self.spool, ignore_errors=True)  # type: ignore[arg-type]
            self.spool = None

    def on_build_error(self, error: Exception) -> None:
        self._one_markdown = None
        self._to_index, self._to_scan = [], []
        if self._indexing is not None:
            self._indexing.close()
            self._indexing = None
        for scanning in self._scanning:
            scanning.close()
        self._scanning = []
        self._close_data_files_pipe()
        self._drop_spool()

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(str(self.content_dir))
        return server

"""The MkDocs plugin: the only place the generator meets MkDocs' events.

It validates the records, renders the pages of the build's language in memory
and hands them to MkDocs; with ``mkdocs serve`` it also watches the records.
All page logic lives in the MkDocs-free core (``render.py``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import exports, feeds, search
from .graph import build_graph
from .model import SITE_LANGUAGES
from .problems import ERROR, render_report
from .render import labels, nav, render_site
from .validate import validate_dir

log = logging.getLogger("mkdocs.plugins.factsheet")


class FactsheetConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """The records, relative to mkdocs.yml."""
    lang = c.Optional(c.Choice(SITE_LANGUAGES))
    """The language of this build; defaults to ``theme.language``."""


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


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        self.content_dir = (root / self.config.content_dir).resolve()
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
        self.search_index: search.IndexWriter | None = None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        content, problems = validate_dir(self.content_dir, self.root)
        for line in render_report(problems).splitlines():
            log.info(line) if " warning: " in line else log.error(line)
        if any(p.severity == ERROR for p in problems):
            raise PluginError("factsheet: the content has problems (listed above)")
        edit_prefix = config.edit_uri or ""
        content_prefix = self.content_dir.relative_to(self.root).as_posix()
        graph = build_graph(content)
        pages = render_site(
            content, self.lang, graph=graph, content_prefix=content_prefix, site=self.site
        )
        for page in pages:
            file = File.generated(config, page.path, content=page.markdown)
            file.edit_uri = f"{page.record_file}" if page.record_file and edit_prefix else None
            if file.src_uri in files.src_uris:
                files.remove(files.src_uris[file.src_uri])
            files.append(file)
        # The data downloads (identical in every language's site) and this language's feed.
        generated = {
            **exports.data_files(graph, self.site),
            exports.FEED_PATH: feeds.atom(graph, self.site, self.lang),
        }
        # Spooled to disk: the data files grow with the content (tens of MB at 10,000
        # sheets) and MkDocs would otherwise hold them in memory until it copies them.
        self._spool_dir()
        for path, data in sorted(generated.items()):
            spooled = self.spool / path
            spooled.parent.mkdir(parents=True, exist_ok=True)
            spooled.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            files.append(File.generated(config, path, abs_src_path=str(spooled)))
        del generated
        self.search_pages = search.record_pages(content)
        return files

    def _spool_dir(self) -> None:
        self._drop_spool()
        self.spool = Path(tempfile.mkdtemp(prefix=f"factsheet-data-{self.lang}-"))

    # -- search: each record page goes to the index as the reader sees it (search.py) --

    def on_env(self, env, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        env.globals["fs_search"] = search.ui_labels(self.lang)
        return env

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        info = self.search_pages.get(page.file.src_uri)
        if info is not None:
            if self.search_index is None:
                self.search_index = search.IndexWriter(self.lang)
            doc = search.SearchDoc(
                url=page.url,
                lang=self.lang,
                title=str((page.meta or {}).get("title") or page.title or page.url),
                kind=info.kind,
                kind_label=search.kind_label(info.kind, self.lang),
                html=html,
                names=info.names,
                related=info.related,
            )
            try:
                self.search_index.add(doc)
            except (search.SearchError, OSError) as err:
                raise PluginError(f"factsheet: search: {err}") from err
        return html

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._drop_spool()  # every file has been copied into the site by now
        index, self.search_index = self.search_index, None
        if index is None:
            log.info("factsheet: no record pages, so no search index")
            return
        try:
            index.finish(Path(config.site_dir) / search.BUNDLE_DIR)
        except search.SearchError as err:
            raise PluginError(f"factsheet: {err}") from err
        finally:
            index.close()

    def _drop_spool(self) -> None:
        if getattr(self, "spool", None) is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None

    def on_build_error(self, error: Exception) -> None:
        self._drop_spool()
        if self.search_index is not None:
            self.search_index.close()
            self.search_index = None

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(str(self.content_dir))
        return server

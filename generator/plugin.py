"""The MkDocs plugin: the only place the generator meets MkDocs' events.

It validates the records, renders the pages of the build's language in memory
and hands them to MkDocs; with ``mkdocs serve`` it also watches the records.
All page logic lives in the MkDocs-free core (``render.py``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .model import SITE_LANGUAGES
from .problems import ERROR, render_report
from .render import nav, render_site
from .validate import validate_dir

log = logging.getLogger("mkdocs.plugins.factsheet")


class FactsheetConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """The records, relative to mkdocs.yml."""
    lang = c.Optional(c.Choice(SITE_LANGUAGES))
    """The language of this build; defaults to ``theme.language``."""


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
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        content, problems = validate_dir(self.content_dir, self.root)
        for line in render_report(problems).splitlines():
            log.info(line) if " warning: " in line else log.error(line)
        if any(p.severity == ERROR for p in problems):
            raise PluginError("factsheet: the content has problems (listed above)")
        edit_prefix = config.edit_uri or ""
        content_prefix = self.content_dir.relative_to(self.root).as_posix()
        for page in render_site(content, self.lang, content_prefix=content_prefix):
            file = File.generated(config, page.path, content=page.markdown)
            file.edit_uri = f"{page.record_file}" if page.record_file and edit_prefix else None
            if file.src_uri in files.src_uris:
                files.remove(files.src_uris[file.src_uri])
            files.append(file)
        return files

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(str(self.content_dir))
        return server

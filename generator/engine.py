"""Drives MkDocs: one build per language, in parallel, into a temporary directory
that replaces the output only when every stage passed.

With the plugin, this is the only module that knows MkDocs. Everything it adds
per language (``theme.language``, ``site_dir``, ``site_url``, the language
selector) is derived from the one ``mkdocs.yml`` a site owner edits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import exports, prepare
from .model import SITE_LANGUAGES
from .problems import has_errors, render_report
from .render import labels, render_root
from .scan import scan_site, theme_allowance

#: A theme mistake repeats on every page: the first findings say enough.
MAX_FINDINGS_SHOWN = 50

#: The language build that also writes the data files (``prepare.write_data_files``): the
#: one that ends first without them (at 1,000 sheets the Persian build took 1.2 s longer).
DATA_FILES_WRITER = "en"

#: Record pages are reached through index pages, not the navigation.
NOT_IN_NAV = "\n".join(
    f"/{section}/*.md" for section in ("sheets", "parties", "places", "sources", "timeline")
)


def _raw_config(config_file: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as f:
        return yaml_load(f) or {}


def _base_url(raw: dict[str, Any]) -> str:
    url = raw.get("site_url") or "/"
    return url if url.endswith("/") else url + "/"


def _base_path(raw: dict[str, Any]) -> str:
    from urllib.parse import urlsplit

    path = urlsplit(_base_url(raw)).path or "/"
    return path if path.endswith("/") else path + "/"


def site_base_path(config_file: Path) -> str:
    """The path the site is served under, from ``site_url`` (e.g. ``/factsheet/``)."""
    return _base_path(_raw_config(config_file))


def _plugin_config(raw: dict[str, Any]) -> dict[str, Any]:
    for entry in raw.get("plugins") or []:
        if isinstance(entry, dict) and "factsheet" in entry:
            return dict(entry["factsheet"] or {})
    return {}


def _with_plugin_options(raw: dict[str, Any], options: dict[str, object]) -> list[Any]:
    """The site's plugin list, with ``options`` added to the factsheet plugin's."""
    plugins = []
    for entry in raw.get("plugins") or []:
        if entry == "factsheet":
            entry = {"factsheet": dict(options)}
        elif isinstance(entry, dict) and "factsheet" in entry:
            entry = {**entry, "factsheet": {**(entry["factsheet"] or {}), **options}}
        plugins.append(entry)
    return plugins


def site_of(raw: dict[str, Any]) -> exports.Site:
    """Where each language's pages live; the plugin derives the same from the overrides."""
    owner = (raw.get("extra") or {}).get("factsheet") or {}
    return exports.Site(
        roots={code: f"{_base_url(raw)}{code}/" for code in SITE_LANGUAGES},
        name=str(raw.get("site_name") or ""),
        licence=str(owner.get("licence") or "") if isinstance(owner, dict) else "",
        directory_urls=bool(raw.get("use_directory_urls", True)),
    )


def language_overrides(
    config_file: Path,
    lang: str,
    site_dir: Path,
    docs_dir: Path,
    *,
    plugin_options: dict[str, object] | None = None,
) -> dict[str, Any]:
    """What one language's build changes in ``mkdocs.yml``."""
    raw = _raw_config(config_file)
    lab = labels(lang)
    theme = dict(raw.get("theme") or {})
    theme["language"] = lang
    palette = []
    for entry in theme.get("palette") or []:
        entry = dict(entry)
        if "toggle" in entry:
            toggle = dict(entry["toggle"])
            scheme = entry.get("scheme", "default")
            # The toggle names the mode it switches *to*.
            toggle["name"] = lab["palette_dark" if scheme == "default" else "palette_light"]
            entry["toggle"] = toggle
        palette.append(entry)
    if palette:
        theme["palette"] = palette
    extra = dict(raw.get("extra") or {})
    base_path = _base_path(raw)
    extra["alternate"] = [
        {
            "name": labels(code)["language_name"],
            "link": f"{base_path}{code}/",
            "url": f"{_base_url(raw)}{code}/",
            "lang": code,
        }
        for code in SITE_LANGUAGES
    ]
    overrides = {
        "theme": theme,
        "extra": extra,
        "site_dir": str(site_dir),
        "docs_dir": str(docs_dir),
        "site_url": f"{_base_url(raw)}{lang}/",
        "not_in_nav": NOT_IN_NAV,
        "strict": True,
    }
    if plugin_options:
        overrides["plugins"] = _with_plugin_options(raw, plugin_options)
    return overrides


def _prepare(config_file: Path, work: Path, fmt: str) -> int:
    """Validate once for every language; the problems go to stdout. Run in its own process,
    so that the memory the records took is returned before the language builds start."""
    root = config_file.parent
    raw = _raw_config(config_file)
    content_dir = root / _plugin_config(raw).get("content_dir", "content")
    problems = prepare.prepare(content_dir, root, work, site_of(raw))
    report = render_report(problems, fmt)
    if report:
        sys.stdout.write(report)
    return 1 if has_errors(problems) else 0


def _build_one(
    config_file: Path,
    lang: str,
    site_dir: Path,
    docs_dir: Path,
    work: Path | None = None,
    graph_pipe: int | None = None,
    data_files_pipe: int | None = None,
) -> int:
    """One language's MkDocs build, strict; run in its own process."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"[{lang}] %(levelname)s %(message)s"))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    options: dict[str, object] | None = None
    if work is not None:
        options = {"prepared": str(work), "scanned_list": str(work / f"scanned-{lang}.json")}
        if graph_pipe is not None:
            options["graph_pipe"] = graph_pipe
        if data_files_pipe is not None:
            options["data_files_pipe"] = data_files_pipe
            options["writes_data_files"] = lang == DATA_FILES_WRITER
    try:
        config = load_config(
            str(config_file),
            **language_overrides(config_file, lang, site_dir, docs_dir, plugin_options=options),
        )
        build(config)
    except (Abort, ConfigurationError, PluginError) as err:
        print(f"[{lang}] build failed: {err}", file=sys.stderr)
        return 1
    return 0


def source_date_epoch(root: Path) -> str:
    """Dates in sitemaps come from the last commit, never the clock."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        if out.isdigit():
            return out
    except (OSError, subprocess.SubprocessError):
        pass
    return "315532800"  # 1980-01-01: fixed, so a build outside git is reproducible too


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator.engine", *args]


def build_site(config_file: Path, out: Path, *, fmt: str = "text") -> int:
    """Validate, then build every language; replace ``out`` only when all passed."""
    config_file = config_file.resolve()
    root = config_file.parent
    raw = _raw_config(config_file)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="factsheet-build-"))
    staging: Path | None = None
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(root), PYTHONHASHSEED="0")
    started: list[subprocess.Popen[bytes]] = []
    graph_ready: int | None = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
        docs = work / "docs"
        docs.mkdir()
        # Everything starts at once. The language builds (independent: one process each,
        # side by side on the cores) load MkDocs and the theme while the records are
        # validated, then wait for the graph on a pipe whose other end is closed here once
        # validation passed. One of them writes the data files and closes its end of a
        # second pipe when they are in place; the others wait on theirs before they copy
        # them.
        graph_wait, graph_ready = os.pipe()
        data_wait, data_ready = os.pipe()
        try:
            preparing = subprocess.Popen(
                _python("prepare", str(config_file), str(work), "--format", fmt), env=env, cwd=root
            )
            started.append(preparing)
            for lang in SITE_LANGUAGES:
                data = data_ready if lang == DATA_FILES_WRITER else data_wait
                args = (str(config_file), lang, str(staging / lang), str(docs), str(work))
                pipes = ("--graph-pipe", str(graph_wait), "--data-files-pipe", str(data))
                started.append(
                    subprocess.Popen(
                        _python("build", *args, *pipes),
                        env=env,
                        cwd=root,
                        pass_fds=(graph_wait, data),
                    )
                )
        finally:
            for fd in (graph_wait, data_wait, data_ready):
                os.close(fd)
        # Meanwhile, for the last check: the scripts the theme writes. (A theme MkDocs
        # does not know is for the language builds to report, as MkDocs does.)
        try:
            allowed = theme_allowance(theme_template_dirs(config_file), _base_path(raw))
        except (KeyError, OSError):
            allowed = None
        prepared = preparing.wait()
        if prepared != 0:
            print(
                "factsheet: build stopped: the content has problems; the site is unchanged"
                if prepared == 1
                else "factsheet: build failed; the site is unchanged",
                file=sys.stderr,
            )
            return 1
        os.close(graph_ready)
        graph_ready = None
        codes = [p.wait() for p in started[1:]]
        if any(codes):
            print("factsheet: build failed; the site is unchanged", file=sys.stderr)
            return 1
        (staging / "index.html").write_text(
            render_root(_base_path(raw), raw.get("site_name", "")), encoding="utf-8"
        )
        # The last stage, on the finished tree: nothing that the theme did not write may
        # execute in a reader's browser, whatever went wrong before. Each language's build
        # scanned every page it wrote; what remains is scanned here.
        scanned = frozenset(
            f"{lang}/{rel}"
            for lang in SITE_LANGUAGES
            for rel in json.loads((work / f"scanned-{lang}.json").read_text(encoding="utf-8"))
        )
        if allowed is None:
            allowed = theme_allowance(theme_template_dirs(config_file), _base_path(raw))
        findings = scan_site(staging, allowed, skip=scanned)
        if findings:
            for finding in findings[:MAX_FINDINGS_SHOWN]:
                print(f"factsheet: {finding.format()}", file=sys.stderr)
            if len(findings) > MAX_FINDINGS_SHOWN:
                more = len(findings) - MAX_FINDINGS_SHOWN
                print(f"factsheet: … and {more} more like these", file=sys.stderr)
            print(
                "factsheet: build failed: the pages hold scripts, handlers or URLs that the "
                "theme did not put there; the site is unchanged",
                file=sys.stderr,
            )
            return 1
        _replace(staging, out)
        staging = None
    finally:
        # Stopped before they are let go: a build that waits for the graph of content
        # with problems never starts.
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
        if graph_ready is not None:
            os.close(graph_ready)
        shutil.rmtree(work, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    print(f"factsheet: site built in {out}", file=sys.stderr)
    return 0


def theme_template_dirs(config_file: Path) -> list[Path]:
    """The template folders of the theme: the site's ``custom_dir``, then the theme's own."""
    from mkdocs.utils import get_theme_dir

    theme = _raw_config(config_file).get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    dirs = []
    if theme.get("custom_dir"):
        dirs.append(config_file.parent / theme["custom_dir"])
    if theme.get("name"):
        dirs.append(Path(get_theme_dir(theme["name"])))
    return dirs


def _replace(new: Path, out: Path) -> None:
    """Swap the finished site into place; the old one is removed only afterwards."""
    old = None
    if out.exists() or out.is_symlink():
        old = out.parent / f".{out.name}-old-{os.getpid()}"
        os.rename(out, old)
    os.rename(new, out)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()


def serve(config_file: Path, *, lang: str | None, dev_addr: str) -> int:
    import logging

    from mkdocs.commands.serve import serve as mkdocs_serve

    lang = lang or SITE_LANGUAGES[0]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if lang not in SITE_LANGUAGES:
        print(
            f"factsheet: error: --lang must be one of {', '.join(SITE_LANGUAGES)}", file=sys.stderr
        )
        return 2
    config_file = config_file.resolve()
    # Stopped the way CI and process managers stop a server, it cleans up as after Ctrl-C:
    # MkDocs shuts the server and the plugins down, and the folders below are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    with (
        tempfile.TemporaryDirectory(prefix="factsheet-docs-") as docs,
        tempfile.TemporaryDirectory(prefix="factsheet-serve-") as site,
    ):
        overrides = language_overrides(config_file, lang, Path(site), Path(docs))
        overrides.pop("site_dir")
        overrides["strict"] = False
        mkdocs_serve(str(config_file), livereload=True, dev_addr=dev_addr, **overrides)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.engine")
    sub = parser.add_subparsers(dest="stage", required=True)
    prep = sub.add_parser("prepare", help="validate once and write what every language shares")
    prep.add_argument("config_file", type=Path)
    prep.add_argument("work", type=Path)
    prep.add_argument("--format", default="text", choices=("text", "github", "json"))
    one = sub.add_parser("build", help="one language's MkDocs build")
    one.add_argument("config_file", type=Path)
    one.add_argument("lang", choices=SITE_LANGUAGES)
    one.add_argument("site_dir", type=Path)
    one.add_argument("docs_dir", type=Path)
    one.add_argument("work", type=Path, nargs="?")
    one.add_argument("--graph-pipe", type=int, help="(set by factsheet build)")
    one.add_argument("--data-files-pipe", type=int, help="(set by factsheet build)")
    args = parser.parse_args(argv)
    if args.stage == "prepare":
        return _prepare(args.config_file.resolve(), args.work, args.format)
    return _build_one(
        args.config_file,
        args.lang,
        args.site_dir,
        args.docs_dir,
        args.work,
        args.graph_pipe,
        args.data_files_pipe,
    )


if __name__ == "__main__":
    sys.exit(main())

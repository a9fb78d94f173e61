"""Times a few named functions inside every Python process of a benchmarked build.

``bench/run.py`` puts this folder on ``PYTHONPATH`` and names an output folder in
``FACTSHEET_BENCH_TIMES``; Python then imports this module at start-up in the ``factsheet
build`` process and in each language's MkDocs process. When one of the modules below is
imported, the listed functions are wrapped with a clock; at exit the totals go to
``<pid>.json``. Nothing else changes, so the build measured is the build contributors run:
the stages inside it can be told apart although they run in parallel processes.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.machinery
import json
import os
import sys
import time
from typing import Any

OUT = os.environ.get("FACTSHEET_BENCH_TIMES")

#: Module → the functions to time, looked up as module globals where they are called.
TIMED: dict[str, tuple[str, ...]] = {
    # The build's one validation, in its own process: records, graph, pickle; in the
    # language processes, the graph read back, and the waits for it and the data files.
    "generator.prepare": (
        "prepare",
        "validate_dir",
        "build_graph",
        "load",
        "wait_until_closed",
        "wait_for_data_files",
    ),
    "generator.exports": ("write_data_files", "data_files"),
    # Each language's process: the prepared graph read back (or validated, without
    # ``factsheet build``), then its pages rendered and spooled (on_files holds both,
    # and in one language the data files).
    # Its hooks inside MkDocs' Markdown and template phases (what the pages wait in, and
    # the bookkeeping for the index and the scan) are timed to be told apart from MkDocs'.
    "generator.plugin": (
        "validate_dir",
        "build_graph",
        "FactsheetPlugin.on_files",
        "FactsheetPlugin.on_page_content",
        "FactsheetPlugin.on_post_page",
    ),
    # The scan of every page once written (in processes started by the language
    # processes, which name their language), and of the rest of the site at the end (in
    # the build's own process).
    "generator.scan": ("scan_html",),
    # Search, as built now (IndexWriter) and as first built with Pagefind; absent names
    # are skipped, so the benchmark outlives a change of engine.
    "generator.search": (
        "record_pages",
        "IndexWriter.add",
        "IndexWriter.finish",
        "write_page",
        "build_index",
    ),
    # MkDocs' own phases: Markdown to HTML for one page, and one page through the theme's
    # templates (each with the plugin's hooks in it, timed above).
    "mkdocs.commands.build": ("_populate_page", "_build_page"),
}

totals: dict[str, list[float]] = {}


def _timed(key: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            entry = totals.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    return wrapper


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the functions right after their module has run."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in TIMED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        run = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            for dotted in TIMED[name]:
                owner_name, _, attr = dotted.rpartition(".")
                owner = getattr(module, owner_name, None) if owner_name else module
                if owner is not None and callable(getattr(owner, attr, None)):
                    setattr(owner, attr, _timed(f"{name}.{dotted}", getattr(owner, attr)))

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _dump() -> None:
    if totals and OUT:
        record = {"argv": sys.argv, "times": totals}
        with open(os.path.join(OUT, f"{os.getpid()}.json"), "w", encoding="utf-8") as f:
            json.dump(record, f)


if OUT:
    sys.meta_path.insert(0, _Finder())
    atexit.register(_dump)

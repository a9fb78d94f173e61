"""The language-independent half of a build, done once for every language.

Loading and validating the records and building the graph are the same work for every
language. ``factsheet build`` does them here, in a process of their own, and hands each
language's MkDocs build the graph as a pickle (read back in a tenth of the time validation
takes). The language builds start beside it, but only load MkDocs until it has exited, so
its memory is given back before theirs grows.

The data downloads are the same in every language's site too, but they are written by one
of the language builds, from the graph it has read anyway, while the other converts its
pages: done here, before the language builds start, they kept a core idle (6.5 s at
10,000 sheets). They are needed only when MkDocs copies the site's files, after every page
is converted; the other builds wait for them then, on a pipe that the writer closes
(``wait_for_data_files``).

The pickle is written into a private temporary folder by this package and read back by
this package in the same build; it never leaves that folder. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import exports
from .graph import Graph, build_graph
from .heap import cycles_collected_after
from .model import Record
from .problems import Problem, has_errors
from .validate import validate_dir

GRAPH_FILE = "graph.pickle"
DATA_DIR = "files"
#: Bumped when what is pickled changes shape, so a stale file is never read.
FORMAT = 2


@dataclass(frozen=True)
class Prepared:
    """What the language builds share: the validated graph, and the URLs it was prepared for."""

    graph: Graph
    site: exports.Site


def prepare(content_dir: Path, root: Path, work: Path, site: exports.Site) -> list[Problem]:
    """Validate; when nothing is wrong, write the graph into ``work``."""
    content, problems = validate_dir(content_dir, root)
    if has_errors(problems):
        return problems
    with cycles_collected_after():
        graph = build_graph(content)
        with (work / GRAPH_FILE).open("wb") as f:
            _WithoutMarks(f, protocol=pickle.HIGHEST_PROTOCOL).dump((FORMAT, graph, site))
    return problems


class _WithoutMarks(pickle.Pickler):
    """Records go without their line marks: they only place problems in files, which are
    all reported by now, and they are a third of what the language builds would read."""

    def reducer_override(self, obj: object) -> object:
        if type(obj) is Record:
            return Record, (obj.kind, obj.id, obj.path, obj.data)
        return NotImplemented


def load(work: Path) -> Prepared:
    """What ``prepare`` wrote; raises ``ValueError`` when it is missing or of another format."""
    try:
        with (work / GRAPH_FILE).open("rb") as f, cycles_collected_after():
            fmt, *rest = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        raise ValueError(f"no prepared content in {work}: {err}") from err
    if fmt != FORMAT:
        raise ValueError(f"prepared content in {work} is of format {fmt}, not {FORMAT}")
    graph, site = rest
    return Prepared(graph, site)


def data_files_in(work: Path) -> dict[str, Path]:
    """Where ``write_data_files`` puts each data file, by its path under a language's site
    root: known before they are written."""
    return {path: work / DATA_DIR / path for path in exports.data_file_paths()}


def write_data_files(graph: Graph, site: exports.Site, work: Path) -> dict[str, Path]:
    """The data files, written beside their final place and moved into it whole: a build
    that waits for them finds all of them or none."""
    partial = work / f"{DATA_DIR}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    exports.write_data_files(graph, site, partial)
    os.rename(partial, work / DATA_DIR)
    return data_files_in(work)


def wait_for_data_files(pipe: int, work: Path) -> dict[str, Path]:
    """Blocks until the other end of ``pipe`` is closed by every process that held it,
    which the writer does once the data files are in place (or, when it failed, by
    exiting); raises ``ValueError`` when they are not there then."""
    wait_until_closed(pipe)
    if not (work / DATA_DIR).is_dir():
        raise ValueError(
            "the data files were not written: the language build that writes them stopped"
        )
    return data_files_in(work)


def wait_until_closed(pipe: int) -> None:
    """Blocks until every process that holds the other end of ``pipe`` has closed it or
    exited; ``pipe`` is closed then."""
    with os.fdopen(pipe, "rb", buffering=0) as f:
        while f.read(4096):
            pass

"""The language-independent half of a build, done once before the language builds.

Loading and validating the records, building the graph and writing the data downloads
are the same work for every language. ``factsheet build`` does them here, in a process of
their own, and hands each language's MkDocs build the result: the graph as a pickle (read
back in a tenth of the time validation takes) and the data files on disk. The process
exits before the language builds start, so its memory is given back first.

The pickle is written into a private temporary folder by this package and read back by
this package in the same build; it never leaves that folder. Nothing here imports MkDocs.
"""

from __future__ import annotations

import pickle
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
FORMAT = 1


@dataclass(frozen=True)
class Prepared:
    """What the language builds share: the validated graph and the data files."""

    graph: Graph
    site: exports.Site  # the URLs the data files were written for
    data_files: dict[str, Path]  # site path -> file on disk


def prepare(content_dir: Path, root: Path, work: Path, site: exports.Site) -> list[Problem]:
    """Validate; when nothing is wrong, write the graph and the data files into ``work``."""
    content, problems = validate_dir(content_dir, root)
    if has_errors(problems):
        return problems
    with cycles_collected_after():
        graph = build_graph(content)
        written = exports.write_data_files(graph, site, work / DATA_DIR)
        files = {
            path: target.relative_to(work / DATA_DIR).as_posix() for path, target in written.items()
        }
        with (work / GRAPH_FILE).open("wb") as f:
            _WithoutMarks(f, protocol=pickle.HIGHEST_PROTOCOL).dump((FORMAT, graph, site, files))
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
            fmt, graph, site, files = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        raise ValueError(f"no prepared content in {work}: {err}") from err
    if fmt != FORMAT:
        raise ValueError(f"prepared content in {work} is of format {fmt}, not {FORMAT}")
    return Prepared(graph, site, {path: work / DATA_DIR / rel for path, rel in files.items()})

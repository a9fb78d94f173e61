"""Strict YAML loading with line marks.

Contributors' YAML is parsed into a small tree of nodes that keep every scalar
exactly as written (``NO``, ``010``, ``1:30``, ``2025-12-31`` all stay strings)
and the line and column of every node. The schema (``model.py``) decides types.

Refused, each as a reported Problem and never an exception: YAML syntax errors,
duplicate keys, anchors and aliases, merge keys (``<<``), explicit tags
(``!!python/...``, ``!foo``), non-UTF-8 bytes, control characters (also when
spelled as escapes), files over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH``,
several documents in one file, and symlinks.

The tree is built from PyYAML's event stream without recursion, so no PyYAML
constructor or resolver ever runs: nothing is executed, expanded or retyped.
``discover`` lists the record files under ``content/`` and reports anything else
found there, so no file is ever silently skipped.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .problems import Problem

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Scalar:
    value: str
    mark: Mark
    plain: bool  # False when quoted or a block scalar (| or >)

    @property
    def is_null(self) -> bool:
        """A plain empty value, ``~`` or ``null``: the contributor left it blank."""
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    mark: Mark


@dataclass(frozen=True)
class Map:
    # Keys are always scalars (a non-scalar key is reported by the loader).
    items: tuple[tuple[Scalar, Node], ...]
    mark: Mark

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.items]

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        for k, _ in self.items:
            if k.value == key:
                return k
        return None


Node = Union[Scalar, Seq, Map]  # noqa: UP007


# Only the parser half of these loaders is used (see _parse), so subclassing is enough to keep
# PyYAML's shared classes and resolver tables untouched.
class _PyEvents(yaml.SafeLoader):
    """Pure-Python event source: the fallback, and the one that streams very deep nesting."""


_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)

if _CSafeLoader is not None:

    class _CEvents(_CSafeLoader):
        """libyaml event source: several times faster when it is installed."""

    _FAST: type = _CEvents
else:
    _FAST = _PyEvents

# What PyYAML's reader and libyaml both refuse (YAML 1.1 "printable"). Checked up front so the
# contributor gets a position and a plain message instead of a reader error without a line.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Line breaks as YAML 1.1 counts them, so our positions agree with the parser's.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


def load_text(data: bytes | str, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document. ``path`` is only used to label problems.

    Returns the root node (None when the file is unusable) and every problem found.
    The root is kept when only single nodes were refused (a duplicate key keeps its first
    value, a merge key or a non-text key is dropped with its value, an alias becomes a blank
    value, anchors and tags are ignored), so the schema can still check the rest.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            return None, [_too_large(path, len(data))]
        text, problem = _decode(data, path)
        if problem is not None:
            return None, [problem]
    else:
        size = len(data.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            return None, [_too_large(path, size)]
        text = data.removeprefix("\ufeff")
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        return None, [_bad_character(path, text, bad.start())]
    return _parse(text, path, _FAST)


def load_file(file: Path, display_path: str) -> tuple[Node | None, list[Problem]]:
    """Read and parse one file, refusing symlinks and oversized files."""

    def refuse(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(display_path, 0, 0, "", message)]

    try:
        info = file.lstat()
    except OSError as error:
        return refuse(f"could not read file: {error.strerror or error}")
    if stat.S_ISLNK(info.st_mode):
        return refuse("symlinks are not allowed in content/")
    if not stat.S_ISREG(info.st_mode):
        return refuse("not a regular file")
    if info.st_size > MAX_BYTES:
        return refuse(_too_large_message(info.st_size))
    # O_NOFOLLOW closes the gap between the check above and the open; O_NONBLOCK keeps a FIFO
    # swapped in meanwhile from hanging the build. Reading one byte past the limit is enough to
    # know a file grew too large without ever holding a huge file in memory.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(file, flags)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return refuse(f"could not read file: {error.strerror or error}")
    return load_text(data, display_path)


# --- decoding ---------------------------------------------------------------------------------


def _too_large_message(size: int) -> str:
    return f"file is too large ({size} bytes; the limit is {MAX_BYTES}); split the record"


def _too_large(path: str, size: int) -> Problem:
    return Problem(path, 0, 0, "", _too_large_message(size))


def _position(text: str, index: int) -> Mark:
    """1-based line and column of ``text[index]``."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return Mark(line, index - start + 1)


def _decode(data: bytes, path: str) -> tuple[str, Problem | None]:
    """Strict UTF-8; a leading byte-order mark is dropped (some Windows editors add one)."""
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = skip + error.start
        # Everything before the first bad byte decodes; the column counts characters, not
        # bytes, as an editor does.
        before = data[skip:offset].decode("utf-8")
        mark = _position(before, len(before))
        message = f"file is not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset})"
        return "", Problem(path, mark.line, mark.column, "", message)


def _bad_character(path: str, text: str, index: int) -> Problem:
    code = ord(text[index])
    mark = _position(text, index)
    message = f"{_character_kind(code)} U+{code:04X} is not allowed; delete it"
    return Problem(path, mark.line, mark.column, "", message)


def _character_kind(code: int) -> str:
    return "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "character"


# --- parsing ----------------------------------------------------------------------------------


def _parse(text: str, path: str, loader: type) -> tuple[Node | None, list[Problem]]:
    tree = _TreeBuilder(path)
    try:
        with closing(yaml.parse(text, Loader=loader)) as events:
            for event in events:
                if not tree.feed(event):
                    break
    except yaml.MarkedYAMLError as error:
        if loader is not _PyEvents and "maximum nesting depth" in str(error.problem):
            # libyaml refuses nesting past 1000 levels while still looking ahead, before it has
            # handed over the events that locate the first level past MAX_DEPTH. The pure-Python
            # parser streams them, and the builder stops it at MAX_DEPTH.
            return _parse(text, path, _PyEvents)
        return None, [*tree.problems, _syntax_problem(path, error)]
    except yaml.YAMLError as error:
        return None, [*tree.problems, Problem(path, 0, 0, "", f"YAML syntax error: {error}")]
    except (ValueError, OverflowError):
        # PyYAML's pure-Python scanner passes a %YAML version number to int() and an escape such
        # as "\\UFFFFFFFF" to chr() unchecked; libyaml reports both as syntax errors.
        message = "YAML syntax error: a version number or escape code is out of range"
        return None, [*tree.problems, Problem(path, 0, 0, "", message)]
    return tree.result()


def _syntax_problem(path: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    if error.context == "while scanning a simple key" and error.context_mark is not None:
        # "could not find expected ':'" is noticed on a later line; the key that lacks its
        # colon is where the contributor has to look.
        mark = error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    message = error.problem or error.context or "the file could not be parsed"
    return Problem(path, line, column, "", f"YAML syntax error: {message}")


def _mark(event: yaml.Event) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _show_tag(tag: str) -> str:
    """Write a resolved tag back the way it is usually typed (``!!str``, not the full URI)."""
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag[len(_YAML_TAG_PREFIX) :]
    return tag


@dataclass
class _Open:
    """A mapping or sequence whose end event has not arrived yet (builder scratch state)."""

    is_map: bool
    mark: Mark
    field: str
    items: list[Any] = field(default_factory=list)
    # Mappings alternate key, value. The key waiting for its value, whether to keep the pair,
    # and the key text that names the value's field (None when the key itself was refused).
    awaiting_value: bool = False
    key: Scalar | None = None
    keep: bool = False
    value_key: str | None = None
    first_line: dict[str, int] = field(default_factory=dict)


_SCALAR = yaml.ScalarEvent
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _TreeBuilder:
    """Turns parser events into nodes with an explicit stack, so depth costs no recursion."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.root: Node | None = None
        self.documents = 0
        self.stopped = False

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False means stop reading the file."""
        # Exact type checks, most frequent first: this loop runs once per node of every file.
        kind = type(event)
        if kind is _SCALAR:
            mark = Mark(event.start_mark.line + 1, event.start_mark.column + 1)
            value = event.value
            if event.anchor is not None or event.tag is not None:
                self._check_properties(event, mark, self._next_field(value))
            if event.style == '"':
                value = self._check_escapes(value, mark)
            self._place(Scalar(value, mark, event.style in (None, "")))
        elif kind in _ENDS:
            done = self.stack.pop()
            items = tuple(done.items)
            self._place(Map(items, done.mark) if done.is_map else Seq(items, done.mark))
        elif kind in _STARTS:
            mark = _mark(event)
            where = self._next_field(None)
            self._check_properties(event, mark, where)
            if len(self.stack) >= MAX_DEPTH:
                self._report(mark, where, f"nesting is too deep (more than {MAX_DEPTH} levels)")
                return self._stop()
            self.stack.append(_Open(kind is yaml.MappingStartEvent, mark, where))
        elif kind is yaml.AliasEvent:
            mark = _mark(event)
            message = f"aliases (*{event.anchor}) are not allowed; write the value out"
            self._report(mark, self._next_field(None), message)
            # A blank stands in for the refused value so the rest of the file can be checked.
            self._place(Scalar("", mark, True))
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                message = "a file holds one record; remove the second document (---)"
                self._report(_mark(event), "", message)
                return self._stop()
        return True

    def result(self) -> tuple[Node | None, list[Problem]]:
        if self.stopped:
            return None, self.problems
        root = self.root
        if root is None or (isinstance(root, Scalar) and root.is_null):
            empty = Problem(self.path, 0, 0, "", "file is empty; expected a mapping of fields")
            return None, [*self.problems, empty]
        if not isinstance(root, Map):
            found = "a list" if isinstance(root, Seq) else "a single value"
            message = f"expected a mapping of fields (key: value) at the top level, found {found}"
            self._report(root.mark, "", message)
            return None, self.problems
        return root, self.problems

    def _stop(self) -> bool:
        self.stopped = True
        return False

    def _report(self, mark: Mark, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.column, where, message))

    def _next_field(self, key_text: str | None) -> str:
        """Field path of the node about to be placed (``key_text`` if it is a text key)."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if not top.is_map:
            return f"{top.field}[{len(top.items)}]"
        if top.awaiting_value:
            key_text = top.value_key
        return top.field if key_text is None else _join(top.field, key_text)

    def _check_properties(self, event: Any, mark: Mark, where: str) -> None:
        if event.anchor is not None:
            message = f"anchors (&{event.anchor}) are not allowed; write the value out"
            self._report(mark, where, message)
        if event.tag is not None:
            self._report(mark, where, f"tags ({_show_tag(event.tag)}) are not allowed")

    def _check_escapes(self, value: str, mark: Mark) -> str:
        """Escapes in double quotes (``"\\0"``, ``"\\ud800"``) can spell what the file may not
        contain literally; report them and hand on U+FFFD so later stages never see them."""
        bad = _NON_PRINTABLE.search(value)
        if bad is None:
            return value
        code = ord(bad.group())
        message = f"{_character_kind(code)} U+{code:04X} (written as an escape) is not allowed"
        self._report(mark, self._next_field(value), message)
        return _NON_PRINTABLE.sub("\ufffd", value)

    def _place(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if not top.is_map:
            top.items.append(node)
        elif top.awaiting_value:
            if top.keep:
                top.items.append((top.key, node))
            top.awaiting_value, top.key, top.keep = False, None, False
        else:
            self._take_key(top, node)

    def _take_key(self, top: _Open, node: Node) -> None:
        top.awaiting_value = True
        top.value_key = None
        if not isinstance(node, Scalar):
            found = "a mapping" if isinstance(node, Map) else "a list"
            self._report(node.mark, top.field, f"keys must be plain text, not {found}")
            return
        if node.plain and node.value == "<<":
            message = "merge keys (<<) are not allowed; write the fields out"
            self._report(node.mark, top.field, message)
            return
        top.value_key = node.value
        first = top.first_line.get(node.value)
        if first is not None:
            message = f'duplicate key "{node.value}" (first defined on line {first})'
            self._report(node.mark, _join(top.field, node.value), message)
            return
        top.first_line[node.value] = node.mark.line
        top.key, top.keep = node, True


# --- finding record files ---------------------------------------------------------------------

# Directory name under content/ -> record kind, in the order records are listed.
KIND_DIRS: tuple[tuple[str, str], ...] = (
    ("sheets", "sheet"),
    ("sources", "source"),
    ("parties", "party"),
    ("places", "place"),
)
_SYMLINK = "symlinks are not allowed in content/"


def discover(
    content_dir: Path, display_root: Path
) -> tuple[list[tuple[str, str, Path, str]], list[Problem]]:
    """List record files as ``(kind, id, path, display_path)``, sorted by kind then id.

    Never follows a symlink. Anything under ``content_dir`` that is not a record, a
    ``README.md`` at its root or a hidden dotfile is reported, never silently skipped.
    Ids are not checked here; the validator does that.
    """
    records: list[tuple[str, str, Path, str]] = []
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        problems.append(Problem(_display(path, display_root), 0, 0, "", message))

    if content_dir.is_symlink():
        report(content_dir, _SYMLINK)
        return records, problems
    if not content_dir.is_dir():
        report(content_dir, "content directory not found")
        return records, problems
    kinds = dict(KIND_DIRS)
    for entry in _entries(content_dir, report):
        path = Path(entry.path)
        if entry.is_symlink():
            report(path, _SYMLINK)
        elif entry.name.startswith("."):
            continue
        elif entry.name in kinds and entry.is_dir(follow_symlinks=False):
            records.extend(_records(path, kinds[entry.name], display_root, report))
        elif entry.name in kinds:
            report(path, f"unexpected file: {entry.name}/ must be a directory")
        elif entry.name == "README.md" and entry.is_file(follow_symlinks=False):
            continue
        elif entry.is_dir(follow_symlinks=False):
            report(
                path, "unexpected directory: content/ holds sheets/, sources/, parties/, places/"
            )
        else:
            report(path, "unexpected file: content/ holds only record folders and README.md")
    order = {kind: i for i, (_, kind) in enumerate(KIND_DIRS)}
    records.sort(key=lambda record: (order[record[0]], record[1]))
    problems.sort(key=lambda problem: (problem.path, problem.message))
    return records, problems


def _records(
    kind_dir: Path, kind: str, display_root: Path, report: Any
) -> list[tuple[str, str, Path, str]]:
    found = []
    for entry in _entries(kind_dir, report):
        path = Path(entry.path)
        if entry.is_symlink():
            report(path, _SYMLINK)
        elif entry.name.startswith("."):
            continue
        elif entry.is_dir(follow_symlinks=False):
            report(
                path, f"unexpected directory: records are .yaml files directly in {kind_dir.name}/"
            )
        elif not entry.name.endswith(".yaml"):
            report(path, "unexpected file: records are .yaml files")
        elif not entry.is_file(follow_symlinks=False):
            report(path, "unexpected file: not a regular file")
        else:
            found.append((kind, entry.name[: -len(".yaml")], path, _display(path, display_root)))
    return found


def _entries(directory: Path, report: Any) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        report(directory, f"could not read directory: {error.strerror or error}")
        return []


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

"""The post-build scanner: the last gate between a built site and its readers.

Escaping (``escape.py``) is what keeps contributor text inert; this module checks the result,
so that a mistake anywhere (a template, a filter, a theme upgrade, a Markdown extension) fails
the build instead of reaching a reader. It walks a built site, reads every HTML page as
``html.parser`` does (lines of a strict subset of HTML, which is nearly all that MkDocs and
Material write, by a stricter and faster reader that agrees with it; the rest by
``html.parser`` itself) and reports:

- a ``<script>`` that is not the theme's: an external script must load a ``.js`` file that
  exists inside the site; an inline script must be one of the theme's own (see below); a JSON
  data block must parse as JSON; any other script type is refused;
- an event-handler attribute (``on…``) and ``srcdoc``, on any element;
- a ``javascript:``, ``vbscript:`` or ``data:`` URL in a URL attribute (``href``, ``src``,
  ``action``, ``formaction``, ``xlink:href`` …), read the way a browser reads it (entities
  decoded, tabs and newlines dropped, leading controls and spaces stripped);
- ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, ``<frame>``, ``<frameset>``,
  ``<applet>``, and ``<meta http-equiv=refresh>`` anywhere but on the root redirect page;
- a ``<script`` in the raw text that the parser did not read as a tag (a parser disagreement
  is a finding, never a pass);
- the same elements and attributes inside Material's search index, whose entries the theme
  renders as HTML.

Which inline scripts are the theme's is derived from the theme's own templates, not from a
list kept here and not from a build of a clean fixture. Every ``<script>…</script>`` body in
Material's templates and in the site's ``custom_dir`` becomes a pattern: the literal text must
match exactly, and each ``{{ … }}`` slot may hold only a relative-URL-like value (letters,
digits, ``._/~-``) or, for ``| tojson``, one JSON string without ``<``. So the allow-list
follows a Material upgrade and the site's own overrides by itself, a slot can never carry code,
and a script that is not written in a template fails closed. (A fixture build would cost a
whole MkDocs build per check and would also allow whatever that fixture happened to contain.)

Nothing here imports MkDocs: the plugin scans every page MkDocs wrote (``scan_files``, in a
process of its own: ``child.py``), and ``engine.py`` scans the rest of the finished tree
(``scan_site``).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from itertools import compress, count
from operator import not_
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes whose value a browser follows or loads as a URL.
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "cite",
        "codebase",
        "lowsrc",
        "dynsrc",
        "manifest",
        "ping",
        "longdesc",
        "icon",
    }
)
#: Elements that embed or redirect to other documents: never in a generated page.
FORBIDDEN_ELEMENTS = frozenset(
    {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}
)
#: Attributes ``_PageScanner._check_attribute`` looks at, besides ``on…``.
_CHECKED_ATTRS = URL_ATTRS | {"srcdoc", "srcset", "imagesrcset", "style"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
#: Script types a browser runs; an absent or empty type is JavaScript too.
JS_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "text/ecmascript",
        "application/ecmascript",
    }
)
#: Script types a browser never runs; their content must still be well-formed JSON.
DATA_TYPES = frozenset({"application/json", "application/ld+json"})
SCRIPT_SUFFIXES = (".js", ".mjs")
#: The one page allowed to redirect: the root page that sends readers to a language.
REDIRECT_PAGE = "index.html"

# What a {{ … }} slot in a theme script may hold: a relative URL such as "../.." or "." ...
_SLOT = r"[A-Za-z0-9_./~-]*"
# ... or, when the template writes `| tojson`, one JSON string that cannot end the script.
_JSON_STRING_SLOT = r'"(?:[^"\\<\n]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
_TEMPLATE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_JINJA_EXPR = re.compile(r"(\s*)\{\{(-?)(.*?)(-?)\}\}(\s*)", re.S)
_TYPE_ATTR = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC_ATTR = re.compile(r"\bsrc\s*=", re.I)
_RAW_SCRIPT = re.compile(r"<script[\s/>]", re.I)
# Browsers drop these anywhere in a URL, and strip C0 controls and spaces at its ends.
_URL_IGNORED = str.maketrans("", "", "\t\n\r")
_URL_EDGE = "".join(chr(c) for c in range(0x21))
_STYLE_CODE = re.compile(r"javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:", re.I)

# The strict subset of HTML that MkDocs and Material write on nearly every line: text
# without "<", and tags whose attributes are all double-quoted (or bare) with ASCII spaces
# between them. On such a line html.parser and this reader see the same tags and the same
# attributes, so the line is read here, five times faster; any other line (a comment, a
# single quote, an unquoted value, a stray "<", a tag across lines, an element whose text
# a parser reads raw) goes to html.parser as before. So the fast reader can only ever
# decline; what it reads, it reads as the slow one would.
_WS = "[ \t\n\r\f]"
_NAME = "[a-zA-Z][a-zA-Z0-9]*"
_ATTR_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_ATTR = rf'{_WS}+{_ATTR_NAME}(?:="[^"]*")?'  # one attribute, with the space before it
_START = rf"<{_NAME}(?:{_ATTR})*{_WS}*/?>"
_END = rf"</{_NAME}{_WS}*>"
# Possessive, so that a line that is not in the subset fails at once, without backtracking.
_STRICT_LINE = re.compile(rf"(?:[^<]++|(?>{_START})|(?>{_END}))*+")
# Start tags with attributes (end tags and bare start tags carry nothing to check).
_STRICT_TAG = re.compile(rf"<({_NAME})((?:{_ATTR})+){_WS}*/?>")
#: Start tags that are checked whatever their attributes: their lines take the long way.
_SPECIAL_TAG = re.compile(
    r"<(?:iframe|object|embed|base|frame|frameset|applet|portal|meta)(?:[ \t\n\r\f]|/|>)", re.I
)
_STRICT_START = re.compile(rf"<({_NAME})((?:{_ATTR})*){_WS}*/?>")
_STRICT_ATTR = re.compile(rf'{_WS}+({_ATTR_NAME})(?:="([^"]*)")?')
#: Elements whose text some parser (a browser, or html.parser in some Python release) reads
#: raw or as RCDATA: their lines always go to html.parser.
_RAW_TEXT = re.compile(
    rf"</?(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)"
    rf"(?:{_WS}|/|>)",
    re.I,
)


def between_constructs(parser: HTMLParser) -> bool:
    """True when ``parser`` has nothing pending and no element with raw text open: it reads
    what follows as it would from the start (where ``strict_start_tags`` may read for it)."""
    return not getattr(parser, "rawdata", "x") and getattr(parser, "cdata_elem", "x") is None


def strict_start_tags(line: str) -> list[tuple[str, list[tuple[str, str | None]]]] | None:
    """The start tags in one line (without its line break) of the strict subset, each with
    its attributes, as html.parser reports them from a state with nothing pending: names in
    lower case, values unescaped, None for an attribute without one. None when the line is
    not in the subset: html.parser must read it."""
    if "<" not in line:
        return []
    return _start_tags(line) if _in_strict_subset(line) else None


def _in_strict_subset(line: str) -> bool:
    return bool(_STRICT_LINE.fullmatch(line)) and not _RAW_TEXT.search(line)


def _start_tags(line: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """``strict_start_tags`` of a line known to be in the subset."""
    return [
        (
            tag.lower(),
            [
                (m[1].lower(), None if m[2] is None else unescape(m[2]))
                for m in _STRICT_ATTR.finditer(attrs)
            ],
        )
        for tag, attrs in _STRICT_START.findall(line)
    ]


@dataclass(frozen=True, order=True)
class Finding:
    """One thing in the built site that the theme did not put there."""

    path: str  # relative to the site root, with forward slashes
    line: int
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Allowed:
    """What the theme may put in a page: its inline scripts, as patterns."""

    inline_scripts: tuple[re.Pattern[str], ...] = ()
    #: The path the site is served under (``site_url``'s path), for root-relative ``src``.
    base_path: str = "/"

    def is_theme_script(self, body: str) -> bool:
        text = body.strip()
        return any(p.fullmatch(text) for p in self.inline_scripts)


# --- the allow-list, from the theme's templates ---------------------------------------------


def template_scripts(template_text: str) -> list[re.Pattern[str]]:
    """Patterns for the inline, executable scripts written in one template file."""
    patterns = []
    for match in _TEMPLATE_SCRIPT.finditer(template_text):
        attrs, body = match.group(1), match.group(2).strip()
        type_match = _TYPE_ATTR.search(attrs)
        script_type = type_match.group(1).lower() if type_match else ""
        if not body or _SRC_ATTR.search(attrs) or script_type in DATA_TYPES:
            continue  # external scripts and data blocks have rules of their own
        if "{%" in body or "{#" in body:
            continue  # logic inside a script cannot be matched by structure: fail closed
        patterns.append(re.compile(_body_pattern(body), re.S))
    return patterns


def _body_pattern(body: str) -> str:
    out = []
    pos = 0
    for m in _JINJA_EXPR.finditer(body):
        lead, trim_left, expr, trim_right, trail = m.groups()
        out.append(re.escape(body[pos : m.start()]))
        out.append(r"\s*" if trim_left else re.escape(lead))
        out.append(_JSON_STRING_SLOT if "tojson" in expr else _SLOT)
        out.append(r"\s*" if trim_right else re.escape(trail))
        pos = m.end()
    out.append(re.escape(body[pos:]))
    return "".join(out)


def theme_allowance(template_dirs: Iterable[Path], base_path: str = "/") -> Allowed:
    """The inline scripts of every ``*.html`` template under ``template_dirs``."""
    seen: dict[str, re.Pattern[str]] = {}
    for directory in template_dirs:
        for rel in _walk(directory):
            if not rel.endswith(".html"):
                continue
            for pattern in template_scripts((directory / rel).read_text(encoding="utf-8")):
                seen.setdefault(pattern.pattern, pattern)
    patterns = tuple(seen[key] for key in sorted(seen))
    return Allowed(patterns, base_path if base_path.endswith("/") else base_path + "/")


# --- one page ---------------------------------------------------------------------------------


def dangerous_url(value: str) -> str | None:
    """The scheme (``javascript:`` …) a browser would see in ``value``, if it is a bad one."""
    first = value[:1]
    if first > " " and first not in "jJvVdD":
        return None  # what a browser reads starts with this character: no bad scheme
    normalized = value.translate(_URL_IGNORED).strip(_URL_EDGE).lower()
    return next((s for s in DANGEROUS_SCHEMES if normalized.startswith(s)), None)


class _PageScanner(HTMLParser):
    def __init__(self, rel: str, allowed: Allowed, site_files: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.allowed = allowed
        self.site_files = site_files
        self.findings: list[Finding] = []
        self.script_tags = 0
        self._script: tuple[int, dict[str, str]] | None = None
        self._script_text: list[str] = []
        self._style: tuple[int, list[str]] | None = None  # where a <style> opened, its text
        #: Set when a finding could depend on which page this is (``LineCache``).
        self.page_dependent = False

    def report(self, message: str, line: int | None = None) -> None:
        self.findings.append(Finding(self.rel, line or self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start(tag, attrs, self.getpos()[0])

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        for name, value in attrs:
            self._check_attribute(tag, name, value or "", line)
        if tag in FORBIDDEN_ELEMENTS:
            self.report(f"<{tag}> element", line)
        if tag not in ("meta", "script", "style"):
            return
        # A browser keeps the first of two attributes of the same name.
        values = {name: value or "" for name, value in reversed(attrs)}
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._check_refresh(values.get("content", ""), line)
        if tag == "script":
            self.script_tags += 1
            self._script = (line, values)
            self._script_text = []
        if tag == "style":
            self._style = (line, [])

    def read_strict(self, line: str) -> bool:
        """Read one line (without its line break) of the strict subset without html.parser;
        False, with nothing read, when it is not in it. Call only when ``is_clean``."""
        if "<" not in line:
            return True
        if not _in_strict_subset(line):
            return False
        number = self.lineno
        if _SPECIAL_TAG.search(line):
            for tag, attrs in _start_tags(line):
                self.start(tag, attrs, number)
            return True
        for tag, attr_text in _STRICT_TAG.findall(line):
            for name, value in _STRICT_ATTR.findall(attr_text):
                name = name.lower()
                if name in _CHECKED_ATTRS or name.startswith("on"):
                    self._check_attribute(tag.lower(), name, unescape(value), number)
        return True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            line, values = self._script
            self._script = None
            self._check_script(line, values, "".join(self._script_text))
        if tag == "style":
            self.end_style()

    def end_style(self) -> None:
        # The text is checked whole: the parser may hand it over in pieces.
        if self._style is not None:
            line, text = self._style
            self._style = None
            if _STYLE_CODE.search("".join(text)):
                self.report("script in a <style> element", line)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif self._style is not None:
            self._style[1].append(data)

    def is_clean(self) -> bool:
        """True between two constructs: nothing pending, no element with raw text open."""
        return between_constructs(self) and self._script is None and self._style is None

    def _check_attribute(self, tag: str, name: str, value: str, line: int) -> None:
        if name.startswith("on"):
            self.report(f"event handler attribute {name}= on <{tag}>", line)
        elif name == "srcdoc":
            self.report(f"srcdoc= on <{tag}>", line)
        elif name in URL_ATTRS and (scheme := dangerous_url(value)):
            self.report(f"{scheme} URL in {name}= on <{tag}>: {_short(value)}", line)
        elif name in ("srcset", "imagesrcset"):
            for candidate in value.split(","):
                if scheme := dangerous_url(candidate):
                    self.report(f"{scheme} URL in {name}= on <{tag}>", line)
        elif name == "style" and _STYLE_CODE.search(value):
            self.report(f"script in style= on <{tag}>", line)

    def _check_refresh(self, content: str, line: int) -> None:
        self.page_dependent = True
        if self.rel != REDIRECT_PAGE:
            self.report("<meta http-equiv=refresh> outside the root redirect page", line)
            return
        _, _, target = content.partition(";")
        target = target.strip()
        if target.lower().startswith("url="):
            target = target[4:].strip().strip("'\"")
        if dangerous_url(target) or urlsplit(target).netloc:
            self.report(f"the root page redirects away from the site: {_short(target)}", line)

    def _check_script(self, line: int, attrs: dict[str, str], body: str) -> None:
        script_type = attrs.get("type", "").strip().lower()
        if script_type in DATA_TYPES:
            if "src" in attrs:
                self.report("a JSON data block with src=", line)
            try:
                json.loads(body)
            except ValueError:
                self.report(f"a {script_type} block that is not JSON: {_short(body)}", line)
            return
        if script_type not in JS_TYPES:
            self.report(f"a script of type {script_type!r}", line)
            return
        if "src" in attrs:
            if body.strip():
                self.report("an external script with inline content", line)
            if not self._is_site_script(attrs["src"]):
                self.report(f"a script from outside the site: {_short(attrs['src'])}", line)
        elif not self.allowed.is_theme_script(body):
            self.report(f"an inline script that is not the theme's: {_short(body)}", line)

    def _is_site_script(self, src: str) -> bool:
        """True when ``src`` loads a script file that the build put inside the site."""
        self.page_dependent = True
        parts = urlsplit(src.translate(_URL_IGNORED).strip(_URL_EDGE))
        if parts.scheme or parts.netloc or not parts.path:
            return False
        path = unquote(parts.path)
        if path.startswith("/"):
            base = self.allowed.base_path
            if not path.startswith(base):
                return False
            target = posixpath.normpath(path[len(base) :])
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), path))
        if target.startswith("../") or target == "..":
            return False
        return target.endswith(SCRIPT_SUFFIXES) and target in self.site_files


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def scan_html(
    text: str,
    rel: str,
    allowed: Allowed,
    site_files: frozenset[str] = frozenset(),
    cache: LineCache | None = None,
    *,
    strict_lines: bool = True,
) -> list[Finding]:
    """Findings in one HTML document; ``rel`` is its path in the site. With a ``cache``,
    lines already read without a finding on another page are not read again. Lines of the
    strict subset are read without html.parser (``strict_lines=False`` reads every line
    with it: the tests compare the two)."""
    scanner = _PageScanner(rel, allowed, site_files)
    skipped_scripts = 0
    if cache is None and not strict_lines:
        scanner.feed(text)
    else:
        known = cache.lines if cache is not None else {}
        learn = cache is not None and cache.learning(rel)
        # html.parser counts lines by "\n" alone, and so does this.
        lines = text.split("\n")
        tail = lines.pop()
        # Only the lines not already known are visited one by one: the known ones in
        # between are skipped in a block, as long as the parser is clean before them.
        new = compress(count(), map(not_, map(known.__contains__, lines)))
        clean = True  # the parser can only stop being clean when html.parser reads a line
        done = 0
        for i in new:
            if done < i:
                done, clean, skipped = _skip_known(scanner, lines, known, done, i, clean)
                skipped_scripts += skipped
            line = lines[i]
            done = i + 1
            tags, found = scanner.script_tags, len(scanner.findings)
            scanner.page_dependent = False
            if clean and strict_lines and scanner.read_strict(line):
                scanner.lineno += 1
            else:
                was_clean = clean
                scanner.feed(line + "\n")
                clean = scanner.is_clean()
                if not was_clean:
                    continue
            if learn and clean and len(scanner.findings) == found and not scanner.page_dependent:
                known[line] = scanner.script_tags - tags
        if done < len(lines):
            _, _, skipped = _skip_known(scanner, lines, known, done, len(lines), clean)
            skipped_scripts += skipped
        if tail:
            scanner.feed(tail)
    scanner.close()
    if scanner._script is not None:
        line, values = scanner._script
        scanner._check_script(line, values, "".join(scanner._script_text))
    scanner.end_style()
    raw = len(_RAW_SCRIPT.findall(text))
    tags = scanner.script_tags + skipped_scripts
    if raw != tags:
        scanner.report(f"{raw} '<script' in the text but {tags} script tags", 1)
    return scanner.findings


def _skip_known(
    scanner: _PageScanner,
    lines: list[str],
    known: dict[str, int],
    start: int,
    stop: int,
    clean: bool,
) -> tuple[int, bool, int]:
    """Pass over ``lines[start:stop]``, all known clean: fed to html.parser while it is not
    clean, then skipped. Returns where it stopped, whether clean, and the scripts skipped."""
    i = start
    while not clean and i < stop:
        scanner.feed(lines[i] + "\n")
        clean = scanner.is_clean()
        i += 1
    if i < stop:
        scanner.lineno += stop - i
        return stop, clean, sum(map(known.__getitem__, lines[i:stop]))
    return stop, clean, 0


class LineCache:
    """The lines of a build's pages that were read without a finding, from a parser state
    with nothing pending, and left nothing pending: most of a page is the theme's, the
    same on every page (about half its text), and reading such a line again from the same
    state gives the same result. Lines whose result could depend on the page (a script's
    ``src``, a refresh) are never kept. It learns from the first pages of each section
    only, so it stays small however large the site."""

    def __init__(self, pages_per_section: int = 20) -> None:
        self.lines: dict[str, int] = {}  # line -> the script tags in it
        self._limit = pages_per_section
        self._seen: dict[str, int] = {}

    def learning(self, rel: str) -> bool:
        section = rel.split("/", 1)[0] if "/" in rel else ""
        count = self._seen.get(section, 0)
        self._seen[section] = count + 1
        return count < self._limit


def scan_search_index(text: str, rel: str) -> list[Finding]:
    """Material's ``search_index.json``: its titles and texts are shown as HTML."""
    try:
        docs = json.loads(text).get("docs", [])
    except (ValueError, AttributeError):
        return [Finding(rel, 1, "the search index is not a JSON object")]
    findings = []
    no_scripts = Allowed()
    for i, doc in enumerate(docs):
        for key in ("title", "text"):
            fragment = doc.get(key) if isinstance(doc, dict) else None
            if isinstance(fragment, str):
                for f in scan_html(fragment, rel, no_scripts):
                    findings.append(Finding(rel, 1, f"docs[{i}].{key}: {f.message}"))
    return findings


# --- the whole site ---------------------------------------------------------------------------


def _walk(root: Path) -> list[str]:
    """Every file under ``root``, as its path relative to ``root`` with forward slashes,
    sorted, never following a symlink. (Strings: a site holds tens of thousands of files.)"""
    found = []
    start = os.fspath(root)
    for folder, _, files in os.walk(start, followlinks=False):
        prefix = os.path.relpath(folder, start).replace(os.sep, "/") + "/"
        found.extend(prefix + name if prefix != "./" else name for name in files)
    return sorted(found)


def scan_file(
    path: Path,
    rel: str,
    allowed: Allowed,
    site_files: frozenset[str] = frozenset(),
    cache: LineCache | None = None,
) -> list[Finding]:
    """``scan_html`` of one written page, read as a browser takes it in: bytes that are not
    UTF-8 replaced, never an error, and every line break (CR LF, CR) made LF."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return scan_html(text, rel, allowed, site_files, cache)


class ScanError(Exception):
    """A page could not be scanned (unreadable, or the scanning process failed)."""


def scan_files(
    pages: Iterable[tuple[str, str]], allowed: Allowed, site_files: frozenset[str] = frozenset()
) -> tuple[list[Finding], list[str]]:
    """The findings in written pages, given as (path in the site, file), and the paths of
    those scanned: MkDocs writes no file for an empty page, and there is nothing to scan.
    (A language build runs this in a process of its own: ``child.py``.)"""
    cache = LineCache()
    findings: list[Finding] = []
    scanned: list[str] = []
    for rel, path in pages:
        try:
            findings.extend(scan_file(Path(path), rel, allowed, site_files, cache))
        except FileNotFoundError:
            continue
        except OSError as err:
            raise ScanError(f"cannot read {rel} to scan it: {err}") from err
        scanned.append(rel)
    return findings, scanned


def scan_site(site: Path, allowed: Allowed, skip: frozenset[str] = frozenset()) -> list[Finding]:
    """Every finding in a built site, sorted by file and line; ``skip`` names the files (as
    paths relative to ``site``) already scanned as they were written."""
    files = _walk(site)
    rels = frozenset(files)
    findings: list[Finding] = []
    for rel in files:
        if rel in skip:
            continue
        if rel.endswith(".html"):
            findings.extend(scan_file(site / rel, rel, allowed, rels))
        elif rel.rpartition("/")[2] == "search_index.json":
            findings.extend(scan_search_index((site / rel).read_text(encoding="utf-8"), rel))
    return sorted(findings)

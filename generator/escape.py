"""Escaping contributor text for every place it lands: Markdown, HTML, URLs, JSON, front matter.

MkDocs' Jinja never autoescapes and Python-Markdown passes raw HTML through, so every
contributor string is escaped here, explicitly, by the filter that fits where it goes.

The Markdown scheme is the one that survived thousands of hostile strings against
Python-Markdown and its common extensions: every ASCII punctuation character becomes a
numeric character reference and whitespace is collapsed. Markdown syntax and HTML are both
built from ASCII punctuation, so nothing is left to interpret; letters, digits and all
non-ASCII text (Persian included) stay readable in the Markdown file. Backslash escapes fail
under some extensions (``\\(`` is math for arithmatex) and ``html.escape`` leaves Markdown
links such as ``[x](javascript:…)`` alive.
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
import string
import unicodedata
from urllib.parse import quote, urlsplit

# Line-breaking whitespace; collapsed so no text can start a block construct on a new line.
_BREAKING_SPACE = re.compile(r"[ \t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")


def _char_ref(c: str) -> str:
    return f"&#{ord(c)};"


# What escaping changes, as tables: a Python call per character used to be most of the time
# it takes to render a site.
_ESCAPES: dict[int, str] = {ord(c): _char_ref(c) for c in string.punctuation}
# NBSP and the other fixed spaces are kept, but as references, since Markdown and
# str.strip() would otherwise eat them at the edges. (Every Zs character is in the BMP.)
_ESCAPES.update(
    {cp: f"&#{cp};" for cp in range(0x21, 0x10000) if unicodedata.category(chr(cp)) == "Zs"}
)
# Controls are not allowed in HTML, and \x02…\x03 are Python-Markdown's own placeholder
# markers; line-breaking ones are kept here and collapsed by _BREAKING_SPACE.
_VISIBLE: dict[int, str | None] = {
    cp: None for cp in (*range(0x20), *range(0x7F, 0xA0)) if not _BREAKING_SPACE.match(chr(cp))
}
# A lone surrogate cannot be written to a file.
_VISIBLE.update({cp: "\ufffd" for cp in range(0xD800, 0xE000)})

# str.translate still looks every character up in a table, which for text that is not all
# ASCII (Persian, or a "’" in English) cost more than the rest of a page. Most strings have
# nothing _VISIBLE changes and no whitespace to collapse, which one regex search tells, and
# only a few characters _ESCAPES changes, so only those are replaced. The patterns are made
# from the tables' own keys: the result is the same as translating with the tables.
_NEEDS_CLEANING = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_VISIBLE)) + "]"
    r"|[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]|  "  # what _BREAKING_SPACE would change
)
_ESCAPED_CHAR = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_ESCAPES)) + "]")
_ESCAPE_OF = {chr(cp): ref for cp, ref in _ESCAPES.items()}


def _visible(s: str) -> str:
    if _NEEDS_CLEANING.search(s) is None:
        return s
    return _BREAKING_SPACE.sub(" ", s.translate(_VISIBLE))


def _escape(s: str) -> str:
    return _ESCAPED_CHAR.sub(_escape_match, s)


def _escape_match(m: re.Match[str]) -> str:
    return _ESCAPE_OF[m.group()]


def clean_text(s: str) -> str:
    """The text a reader will see: controls dropped, line-breaking whitespace collapsed.

    Runs of spaces, tabs and line breaks become one space and the ends are stripped;
    NBSP and the other fixed-width spaces stay as they are.
    """
    return _visible(s).strip(" ")


def md_text(s: str) -> str:
    """A contributor string as inline Markdown that renders to exactly ``clean_text(s)``.

    Block starters (``#``, ``>``, ``-``, ``*``, ``+``, ``1.``, ``|``, ``!!!``) are all
    punctuation, so they are neutralised along with everything else, and no line break
    is left to start a block.
    """
    return _escape(clean_text(s))


def md_fragment(s: str) -> str:
    """Like ``md_text`` for a piece of a longer text: escaped the same way, but its edges are
    kept, so the spaces between the pieces of one sentence survive."""
    return _escape(_visible(s))


def md_multiline(s: str) -> str:
    """Like ``md_text``, but blank lines stay paragraph breaks (joined by a blank line)."""
    paragraphs = re.split(r"\n[ \t\v\f\r]*\n", s.replace("\r\n", "\n").replace("\r", "\n"))
    escaped = (md_text(p) for p in paragraphs)
    return "\n\n".join(p for p in escaped if p)


def html_attr(s: str) -> str:
    """A value for a quoted attribute in raw HTML (not for ``attr_list``'s ``{: …}``)."""
    # The Markdown scheme covers & < > " ' and `, and keeps attributes on one line.
    return md_text(s)


# --- URLs -------------------------------------------------------------------------------------

_ALLOWED_SCHEMES = frozenset(("http", "https"))
# Kept as typed; everything else (space, quotes, parentheses, <>, [], non-ASCII...) is
# percent-encoded so the URL is safe both in an attribute and in a Markdown ``(…)`` link.
_URL_SAFE = "!$&*+,/:;=?@~-._%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_LABEL = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
# Browsers drop tab and newlines anywhere in a URL (WHATWG URL parser), so must we.
_URL_IGNORED = str.maketrans("", "", "\t\n\r")


def url(s: str) -> str | None:
    """An http(s) URL made safe for ``href="…"`` and Markdown links, or None if refused.

    Refused: any other scheme (``javascript:``, ``data:``, ``vbscript:``...), relative and
    protocol-relative (``//x``) forms, user info (``https://bank.example@evil.example``),
    backslashes, hidden format or control characters inside, and anything unparseable.
    ``&`` comes back as ``&amp;``, which HTML and Python-Markdown both read as ``&``.
    """
    text = _strip_invisible_ends(s).translate(_URL_IGNORED)
    if not text or "\\" in text or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _ALLOWED_SCHEMES or "@" in parts.netloc:
        return None
    host = _ascii_host(parts.hostname or "")
    if host is None:
        return None
    netloc = host if port is None else f"{host}:{port}"
    built = f"{parts.scheme}://{netloc}{_quote(parts.path)}"
    if parts.query:
        built += "?" + _quote(parts.query)
    if parts.fragment:
        built += "#" + _quote(parts.fragment)
    return built.replace("&", "&amp;")


def _strip_invisible_ends(s: str) -> str:
    start, end = 0, len(s)
    while start < end and _is_blank(s[start]):
        start += 1
    while end > start and _is_blank(s[end - 1]):
        end -= 1
    return s[start:end]


def _is_blank(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs")


def _ascii_host(host: str) -> str | None:
    """The host in ASCII (IDNA for non-ASCII names), IPv6 in brackets; None if malformed."""
    if "%" in host:
        return None  # an IPv6 zone id or an encoded host: never in a public link
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            return None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return ascii_host if _HOST_LABEL.fullmatch(ascii_host) else None


def _quote(part: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", part), safe=_URL_SAFE)


# --- JSON-LD and front matter -----------------------------------------------------------------

# Only possible inside JSON strings, so replacing them keeps the JSON equal; without it a
# "</script>" in a title ends the script element.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(obj: object) -> str:
    """JSON for ``<script type="application/ld+json">``: sorted keys, nothing that ends it."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


_META_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def front_matter(d: dict[str, object], json_values: dict[str, object] | None = None) -> str:
    """A YAML front matter block (``---\\n…---\\n``) with every string HTML-escaped.

    Material writes ``page.meta.title`` and ``page.meta.description`` into ``<head>``
    unescaped, so they must arrive escaped. Strings are put on one line (MkDocs ends the
    block at the first line that is ``---`` or ``...``).

    ``json_values`` are the exception: each becomes ``json_for_script`` text, for a theme
    template to write as it is inside ``<script type="application/ld+json">`` (HTML-escaping
    would break the JSON; ``json_for_script`` already leaves nothing that ends a script).
    """
    values = _escape_values(d)
    assert isinstance(values, dict)
    for key, value in (json_values or {}).items():
        if not _META_KEY.fullmatch(key) or key in values:
            raise ValueError(f"front matter key {key!r} is not a plain, unused name")
        # NEL is a line break to YAML, which folds it into a space inside a quoted
        # scalar; as a JSON escape it survives (U+2028/9 already are escapes).
        values[key] = json_for_script(value).replace("\x85", "\\u0085")
    body = "".join(f"{_flow(key)}: {_flow(values[key])}\n" for key in sorted(values))
    return f"---\n{body}---\n"


# Written here rather than by a YAML emitter, which was a tenth of rendering: one line a
# key, every string (keys too) quoted, so nothing in a value can end the block, start a new
# key or be read as another type ("on", "null", "1e3"). Single quotes when the string has
# nothing YAML does not take as it is inside quotes (controls, C1, surrogates,
# non-characters) or would fold or drop (NEL, LS, PS, the byte order mark); otherwise double
# quotes, with those escaped, and the quote and the backslash.
_YAML_UNQUOTABLE = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
_YAML_UNQUOTABLE_RE = re.compile(f"[{_YAML_UNQUOTABLE}]")
_YAML_UNSAFE_RE = re.compile(f'["\\\\{_YAML_UNQUOTABLE}]')


def _yaml_escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in '"\\':
        return "\\" + c
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _flow(value: object) -> str:
    """``value`` as a YAML flow node that PyYAML (and MkDocs) read back as it is."""
    if isinstance(value, str):
        if _YAML_UNQUOTABLE_RE.search(value) is None:
            return "'" + value.replace("'", "''") + "'"
        return '"' + _YAML_UNSAFE_RE.sub(_yaml_escape, value) + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"front matter cannot hold a {type(value).__name__}")


def _escape_values(value: object) -> object:
    if isinstance(value, str):
        return html.escape(clean_text(value), quote=True)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str) or not _META_KEY.fullmatch(key):
                raise ValueError(f"front matter key {key!r} is not a plain name")
        return {k: _escape_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escape_values(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    raise TypeError(f"front matter cannot hold a {type(value).__name__}")

"""generator.escape: every escaped string renders as exactly its text, and nothing else.

Markdown is rendered with the extensions the site really uses (read from mkdocs.yml, plus
the ones MkDocs always adds), and the HTML is parsed rather than searched for strings.
"""

from __future__ import annotations

import ast
import html
import importlib
import json
import re
import string
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import get_data

from generator import escape
from generator.escape import (
    clean_text,
    front_matter,
    html_attr,
    json_for_script,
    md_multiline,
    md_text,
    url,
)

ROOT = Path(__file__).resolve().parent.parent

# --- rendering and parsing --------------------------------------------------------------------


class _MkDocsYamlLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does: ``!!python/name:`` resolves, ``!ENV`` and co. are None."""


def _python_name(loader: yaml.Loader, suffix: str, node: yaml.Node) -> object:
    module, _, attr = suffix.rpartition(".")
    return getattr(importlib.import_module(module), attr)


_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_MkDocsYamlLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def markdown_setup() -> tuple[list[str], dict[str, dict]]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _MkDocsYamlLoader)
    names = list(MkDocsConfig.markdown_extensions.builtins)  # MkDocs always adds these
    configs: dict[str, dict] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            configs[name] = options or {}
        else:
            name = item
        if name not in names:
            names.append(name)
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = markdown_setup()


def render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def tags(self) -> list[str]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                found += [child.tag, *child.tags()]
        return found

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


class _TreeBuilder(HTMLParser):
    VOID = frozenset(
        ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr")
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.oddities: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()
        else:
            self.oddities.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.oddities.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.oddities.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.oddities.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.oddities.append(f"<![{data}]>")


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert not builder.oddities, builder.oddities
    assert builder.stack == [builder.root], "unclosed element"
    return builder.root


def expected_text(s: str) -> str:
    """What a reader must see: written independently of the module's own clean_text."""
    kept = []
    for c in s:
        category = unicodedata.category(c)
        if c in " \t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029":
            kept.append(" ")
        elif category == "Cs":
            kept.append("\ufffd")
        elif category != "Cc":
            kept.append(c)
    return re.sub(" +", " ", "".join(kept)).strip(" ")


# --- hostile input ----------------------------------------------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "</p>",
    "<p>",
    "<!-- x -->",
    "<![CDATA[x]]>",
    "<?php x ?>",
    "<!DOCTYPE html>",
    "<svg/onload=alert(1)>",
    "</title><script>",
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![i](x.png)",
    '[a]: http://x "t"',
    "[a][b]",
    "[a]",
    "<http://x.example>",
    "<mailto:a@b.example>",
    "a@b.example",
    "*em*",
    "**strong**",
    "_u_",
    "__u__",
    "`code`",
    "``",
    "```",
    "~~~",
    "# h",
    "## h",
    "h\n===",
    "h\n---",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "1) item",
    "> quote",
    "    code",
    "\tcode",
    "| a | b |\n| --- | --- |\n| c | d |",
    "|",
    "---",
    "***",
    "  \n",
    "!!! note",
    '!!! warning "T"',
    "??? note",
    "{: .cls #id }",
    "{ #x }",
    '<div markdown="1">*x*</div>',
    "[TOC]",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&#x3C;",
    "&amp;",
    "&",
    "&#0;",
    "&#x110000;",
    "&#128;",
    "&notanentity;",
    "\\",
    "\\*",
    "\\(x\\)",
    "$x$",
    "$$\nx\n$$",
    "[^1]",
    "[^1]: x",
    '--8<-- ".git/config"',
    "{{ config }}",
    "{% raw %}",
    "++ins++",
    "==mark==",
    "~~del~~",
    "^sup^",
    ":smile:",
    "1st",
    "(c)",
    "-->",
    "<-",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200c",
    "\u200f",
    "\ufeff",
    "\x00",
    "\x02wzxhzdk:0\x03",
    "\x02klzzwxh:0\x03",
    "\x02amp\x03",
    "\r\n",
    "\n\n",
    "\u2028",
    "\u0085",
    "\u00a0",
    "\u3000",
    "سلام",
    "۱۴۰۴",
    "«نقل»",
    "می‌شود",
    "https://x.example/a_b*c",
    "javascript:alert(1)",
    "data:text/html,<script>",
]

HOSTILE = st.one_of(
    st.text(),
    st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.sampled_from(list(string.punctuation + " \n\t")),
            st.text(max_size=6),
        ),
        max_size=30,
    ).map("".join),
)


def _only_paragraph(tree: Node, expected: str) -> None:
    if expected == "":
        assert tree.tags() == [], tree.tags()
        return
    assert tree.tags() == ["p"], tree.tags()
    assert tree.elements()[0].attrs == {}


# --- md_text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("", ""),
        ("plain words 123", "plain words 123"),
        ("سلام، «دنیا» ۱۴۰۴ می‌شود", "سلام، «دنیا» ۱۴۰۴ می‌شود"),  # Persian stays readable
        ("# heading", "&#35; heading"),
        ("1. item", "1&#46; item"),
        ("- a\n- b", "&#45; a &#45; b"),
        ("<b>x</b>", "&#60;b&#62;x&#60;&#47;b&#62;"),
        ("[x](javascript:alert(1))", "&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"),
        ("&lt;", "&#38;lt&#59;"),
        ("  a \n\n\t b  ", "a b"),
        ("a\x00b\x02c\x7f", "abc"),
        ("\u00a0a\u00a0", "&#160;a&#160;"),
        ("a\u2028b\u0085c", "a b c"),
        ("\u202ex\u200c", "\u202ex\u200c"),  # validation rejects these, escaping keeps text
    ],
)
def test_md_text(s: str, expected: str) -> None:
    assert md_text(s) == expected


@pytest.mark.parametrize("s", [*FRAGMENTS, "".join(FRAGMENTS), "x" * 100_000 + "".join(FRAGMENTS)])
def test_md_text_renders_fragments_as_text(s: str) -> None:
    tree = parse(render(md_text(s)))
    _only_paragraph(tree, expected_text(s))
    assert tree.text() == expected_text(s)


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(HOSTILE)
def test_md_text_property(s: str) -> None:
    escaped = md_text(s)
    assert "\n" not in escaped and "<" not in escaped
    tree = parse(render(escaped))
    expected = expected_text(s)
    _only_paragraph(tree, expected)  # (a) no element but the <p> wrapper
    assert tree.text() == expected  # (b) the text comes back, entities decoded


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_md_text_in_table_cell(s: str) -> None:
    source = f"| h1 | h2 |\n| --- | --- |\n| a | {md_text(s)} |\n"
    tree = parse(render(source))
    assert tree.tags() == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    cells = tree.elements()[0].elements()[1].elements()[0].elements()
    assert [c.text() for c in cells] == ["a", expected_text(s)]
    assert all(c.elements() == [] for c in cells)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_md_text_as_link_text(s: str) -> None:
    tree = parse(render(f"[{md_text(s)}](x.md)"))
    assert tree.tags() == ["p", "a"]
    link = tree.elements()[0].elements()[0]
    assert link.attrs == {"href": "x.md"}
    assert tree.text() == link.text() == expected_text(s)


def test_md_text_in_a_list_item_and_heading() -> None:
    hostile = "# x\n- y\n<script>alert(1)</script> [z](javascript:alert(1))"
    tree = parse(render(f"- {md_text(hostile)}\n\n## {md_text(hostile)}\n"))
    assert tree.tags() == ["ul", "li", "h2", "a"]  # the toc permalink anchor
    assert tree.elements()[0].text().strip() == expected_text(hostile)


# --- md_multiline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("", ""),
        ("one", "one"),
        ("one\ntwo", "one two"),
        ("one\n\ntwo", "one\n\ntwo"),
        ("one\r\n\r\ntwo\r\rthree", "one\n\ntwo\n\nthree"),
        ("one\n  \t \n\n\ntwo", "one\n\ntwo"),
        ("\n\n# a\n\n\n> b\n\n", "&#35; a\n\n&#62; b"),
    ],
)
def test_md_multiline(s: str, expected: str) -> None:
    assert md_multiline(s) == expected


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, max_size=5))
def test_md_multiline_property(paragraphs: list[str]) -> None:
    s = "\n\n".join(paragraphs)
    tree = parse(render(md_multiline(s)))
    # Paragraphs are what remains between blank lines, each on its own.
    wanted = [expected_text(p) for p in re.split(r"\n[ \t\v\f\r]*\n", _unify_newlines(s))]
    wanted = [p for p in wanted if p]
    assert tree.tags() == ["p"] * len(wanted)
    assert [p.text() for p in tree.elements()] == wanted


def _unify_newlines(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


# --- html_attr --------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_html_attr_stays_in_its_attribute(s: str) -> None:
    value = html_attr(s)
    tree = parse(f"<span title=\"{value}\" data-x='{value}'>t</span>")
    assert tree.tags() == ["span"]
    assert tree.elements()[0].attrs == {"title": expected_text(s), "data-x": expected_text(s)}
    assert tree.text() == "t"


def test_html_attr_escapes_quotes_and_markup() -> None:
    assert html_attr('"><script>') == "&#34;&#62;&#60;script&#62;"
    assert html_attr("it's") == "it&#39;s"


# --- url --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("https://example.com", "https://example.com"),
        ("http://example.com/a/b?x=1&y=2#top", "http://example.com/a/b?x=1&amp;y=2#top"),
        ("  https://example.com/\n", "https://example.com/"),
        ("\x01\u200bhttps://example.com\u202e", "https://example.com"),
        ("HTTPS://EXAMPLE.COM/Path", "https://example.com/Path"),
        ("https://example.com:8443/", "https://example.com:8443/"),
        ("https://ex\tample.com/", "https://example.com/"),  # browsers drop tabs too
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a%20b%zz", "https://example.com/a%20b%25zz"),
        ("https://example.com/(x)'y'", "https://example.com/%28x%29%27y%27"),
        ('https://example.com/"><script>', "https://example.com/%22%3E%3Cscript%3E"),
        ("https://example.com/[x]*_`", "https://example.com/%5Bx%5D*_%60"),
        ("https://example.com/#a#b", "https://example.com/#a%23b"),
        (
            "https://fa.wikipedia.org/wiki/عین_الاسد",
            "https://fa.wikipedia.org/wiki/%D8%B9%DB%8C%D9%86_%D8%A7%D9%84%D8%A7%D8%B3%D8%AF",
        ),
        ("https://пример.рф/", "https://xn--e1afmkfd.xn--p1ai/"),
        ("http://[2001:db8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
        ("http://192.0.2.1/", "http://192.0.2.1/"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" \x00javascript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("java\u200bscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("ftp://example.com/", None),
        ("mailto:a@example.com", None),
        ("//evil.example/x", None),
        ("/relative/path", None),
        ("relative.html", None),
        ("#anchor", None),
        ("https:evil.example", None),
        ("https:/evil.example", None),
        ("https:\\\\evil.example", None),
        ("https://good.example\\@evil.example", None),
        ("https://user:pass@example.com/", None),
        ("https://good.example@evil.example/", None),
        ("https://example.com:99999/", None),
        ("https://example.com:port/", None),
        ("https://[::1/", None),
        ("https://[fe80::1%25eth0]/", None),
        ("https://exa mple.com/", None),
        ("https://exa<mple.com/", None),
        ("https://example.com/\u202egnp.exe", None),
        ("https:///path", None),
        ("https://", None),
        ("", None),
        ("   ", None),
        ("&#106;avascript:alert(1)", None),
    ],
)
def test_url(s: str, expected: str | None) -> None:
    assert url(s) == expected


URLISH = st.one_of(
    HOSTILE,
    st.builds(
        "".join,
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "http://",
                        "https://",
                        "HTTPS://",
                        "javascript:",
                        "//",
                        "@",
                        ":",
                        "/",
                        "\\",
                        "?",
                        "#",
                        "&",
                        "%",
                        "[",
                        "]",
                        "example.com",
                        "ایران",
                        "\t",
                        "\u200b",
                        " ",
                    ]
                ),
                st.text(max_size=5),
            ),
            max_size=12,
        ),
    ),
)
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.\-_~:/?#\[\]@!$&*+,;=%]+")


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(URLISH)
def test_url_property(s: str) -> None:
    result = url(s)
    if result is None:
        return
    assert _SAFE_URL.fullmatch(result), result
    assert re.fullmatch(r"(?:[^&]|&amp;)*", result), "a bare & in the result"
    # In an attribute, the browser's value is a http(s) URL, and stays in the attribute.
    tree = parse(f'<a href="{result}">t</a>')
    assert tree.tags() == ["a"]
    href = tree.elements()[0].attrs["href"]
    assert href == html.unescape(result) and href.split("://")[0] in ("http", "https")
    # In a Markdown link, likewise.
    tree = parse(render(f"[t]({result})"))
    assert tree.tags() == ["p", "a"]
    assert tree.elements()[0].elements()[0].attrs == {"href": href}


# --- json_for_script --------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"b": 1, "a": "x"}, '{"a": "x", "b": 1}'),
        ({"t": "</script><!--"}, '{"t": "\\u003c/script\\u003e\\u003c!--"}'),
        ({"t": "a & b"}, '{"t": "a \\u0026 b"}'),
        ({"t": "\u2028\u2029"}, '{"t": "\\u2028\\u2029"}'),
        ({"name": "تهران"}, '{"name": "تهران"}'),
    ],
)
def test_json_for_script(obj: object, expected: str) -> None:
    assert json_for_script(obj) == expected


def test_json_for_script_refuses_nan() -> None:
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
def test_json_for_script_property(obj: object) -> None:
    out = json_for_script(obj)
    assert json.loads(out) == obj
    assert not set(out) & set("<>&\u2028\u2029")
    # The whole script element holds one text node and nothing else.
    tree = parse(f'<script type="application/ld+json">{out}</script>')
    assert tree.tags() == ["script"]
    assert json.loads(tree.text()) == obj


# --- front_matter -----------------------------------------------------------------------------


def test_front_matter_shape() -> None:
    out = front_matter({"title": "</title><script>alert(1)</script>", "order": 3, "tags": ["a"]})
    assert out == (
        "---\n"
        "'order': 3\n"
        "'tags': ['a']\n"
        "'title': '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'\n"
        "---\n"
    )


@settings(max_examples=2000, deadline=None)
@given(
    st.text(st.characters(codec=None, exclude_categories=())),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=3),
)
def test_front_matter_values_read_back_exactly(text: str, key_tail: str) -> None:
    """The hand-written YAML: any string (controls, line breaks, lone surrogates, BOM,
    quotes, backslashes) and any word as a key come back as they went in, on one line."""
    from generator.escape import _flow

    key = "k" + "".join(c for c in key_tail if c.isascii() and c.isalnum())
    for value in (text, [text, None, True, 7], {"a": text}):
        line = f"{_flow(key)}: {_flow(value)}"
        assert "\n" not in line and "\r" not in line
        assert yaml.safe_load(line) == {key: value}
    for word in ("on", "no", "null", "true", "1e3", "0x10", "~", "'", '"', "\\", "a\x85b"):
        assert yaml.safe_load(f"{_flow(word)}: {_flow(word)}") == {word: word}


@pytest.mark.parametrize(
    ("meta", "error"),
    [
        ({"bad key": "x"}, ValueError),
        ({"": "x"}, ValueError),
        ({"nested": {"a-b": 1}}, ValueError),
        ({1: "x"}, ValueError),
        ({"when": object()}, TypeError),
    ],
)
def test_front_matter_refuses(meta: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        front_matter(meta)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE, HOSTILE, st.lists(HOSTILE, max_size=3))
def test_front_matter_round_trip(title: str, description: str, tags: list[str]) -> None:
    meta = {"title": title, "description": description, "tags": tags, "weight": 2}
    out = front_matter(meta)
    assert out.startswith("---\n") and out.endswith("---\n")
    assert "<" not in out and ">" not in out
    # MkDocs reads it back (its own regex and loader) and the rest of the page is untouched.
    body, read = get_data(out + "# Body\n")
    assert body == "# Body\n"
    assert read == yaml.safe_load(out[4:-4])
    assert read["weight"] == 2
    for key in ("title", "description"):
        assert html.unescape(read[key]) == expected_text(meta[key])
        assert html.escape(html.unescape(read[key])) == read[key]
    assert [html.unescape(t) for t in read["tags"]] == [expected_text(t) for t in tags]


def test_clean_text_is_what_readers_see() -> None:
    assert clean_text(" a\r\n\tb\x00\x07 \u00a0 ") == "a b \u00a0"


def test_module_never_imports_mkdocs_or_markdown() -> None:
    tree = ast.parse(Path(escape.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert not roots & {"mkdocs", "markdown", "material"}

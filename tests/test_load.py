"""Strict YAML loading: every refusal is one exact, located problem and never an exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load
from generator.load import (
    MAX_BYTES,
    MAX_DEPTH,
    Map,
    Mark,
    Scalar,
    Seq,
    discover,
    load_file,
    load_text,
)

# Both event sources must give the same tree and the same problems (except syntax-error wording,
# which is the parser's own). libyaml is optional, so its run is skipped where it is missing.
LOADERS = [
    pytest.param(load._PyEvents, id="python"),
    pytest.param(
        getattr(load, "_CEvents", None),
        id="libyaml",
        marks=pytest.mark.skipif(not hasattr(load, "_CEvents"), reason="no libyaml"),
    ),
]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(load, "_FAST", request.param)
    return request.param


def report(text: str | bytes) -> list[str]:
    _, problems = load_text(text, "x.yaml")
    return [p.format() for p in problems]


# --- refused input: one exact line each ---------------------------------------------------------

REFUSED = [
    (
        "duplicate key",
        "title: a\nkind: event\ntitle: b\n",
        ['x.yaml:3:1: error: title: duplicate key "title" (first defined on line 1)'],
    ),
    (
        "duplicate key, quoted spelling",
        "title: a\n'title': b\n",
        ['x.yaml:2:1: error: title: duplicate key "title" (first defined on line 1)'],
    ),
    (
        "duplicate key deep in a list",
        "facts:\n  - id: a\n  - id: b\n    text: x\n    id: c\n",
        ['x.yaml:5:5: error: facts[1].id: duplicate key "id" (first defined on line 3)'],
    ),
    (
        "duplicate key in a flow mapping",
        "text: {fa: a, en: b, fa: c}\n",
        ['x.yaml:1:22: error: text.fa: duplicate key "fa" (first defined on line 1)'],
    ),
    (
        "anchor",
        "a: &base x\n",
        ["x.yaml:1:4: error: a: anchors (&base) are not allowed; write the value out"],
    ),
    (
        "anchor and alias",
        "a: &x 1\nb: [*x]\n",
        [
            "x.yaml:1:4: error: a: anchors (&x) are not allowed; write the value out",
            "x.yaml:2:5: error: b[0]: aliases (*x) are not allowed; write the value out",
        ],
    ),
    (
        "merge key",
        "base: &b {a: 1}\nplace:\n  <<: *b\n  name: x\n",
        [
            "x.yaml:1:7: error: base: anchors (&b) are not allowed; write the value out",
            "x.yaml:3:3: error: place: merge keys (<<) are not allowed; write the fields out",
            "x.yaml:3:7: error: place: aliases (*b) are not allowed; write the value out",
        ],
    ),
    (
        "python tag",
        'x: !!python/object/apply:os.system ["touch /tmp/x"]\n',
        ["x.yaml:1:4: error: x: tags (!!python/object/apply:os.system) are not allowed"],
    ),
    ("str tag", "x: !!str 010\n", ["x.yaml:1:4: error: x: tags (!!str) are not allowed"]),
    ("local tag", "x: !foo bar\n", ["x.yaml:1:4: error: x: tags (!foo) are not allowed"]),
    ("non-specific tag", "x: ! bar\n", ["x.yaml:1:4: error: x: tags (!) are not allowed"]),
    (
        "tag on a key",
        "!!str title: x\n",
        ["x.yaml:1:1: error: title: tags (!!str) are not allowed"],
    ),
    (
        "tag on a collection",
        "facts: !!set {a: 1}\n",
        ["x.yaml:1:8: error: facts: tags (!!set) are not allowed"],
    ),
    (
        "list as a key",
        "a:\n  [x, y]: 1\n",
        ["x.yaml:2:3: error: a: keys must be plain text, not a list"],
    ),
    (
        "mapping as a key",
        "? {x: 1}\n: 2\n",
        ["x.yaml:1:3: error: keys must be plain text, not a mapping"],
    ),
    ("empty file", "", ["x.yaml: error: file is empty; expected a mapping of fields"]),
    ("blank lines", "\n\n  \n", ["x.yaml: error: file is empty; expected a mapping of fields"]),
    (
        "only comments",
        "# title: x\n# kind: y\n",
        ["x.yaml: error: file is empty; expected a mapping of fields"],
    ),
    ("only ---", "---\n", ["x.yaml: error: file is empty; expected a mapping of fields"]),
    ("only ~", "~\n", ["x.yaml: error: file is empty; expected a mapping of fields"]),
    (
        "top level list",
        "- a\n- b\n",
        [
            "x.yaml:1:1: error: expected a mapping of fields (key: value) at the top level,"
            " found a list"
        ],
    ),
    (
        "top level text",
        "just words\n",
        [
            "x.yaml:1:1: error: expected a mapping of fields (key: value) at the top level,"
            " found a single value"
        ],
    ),
    (
        "two documents",
        "a: 1\n---\nb: 2\n",
        ["x.yaml:2:1: error: a file holds one record; remove the second document (---)"],
    ),
    (
        "NUL byte",
        "a: 1\nb: x\x00y\n",
        ["x.yaml:2:5: error: control character U+0000 is not allowed; delete it"],
    ),
    (
        "escape character",
        "a: \x1b[31m\n",
        ["x.yaml:1:4: error: control character U+001B is not allowed; delete it"],
    ),
    (
        "C1 control",
        "a: \x9b\n",
        ["x.yaml:1:4: error: control character U+009B is not allowed; delete it"],
    ),
    (
        "non-character",
        "a: \ufffe\n",
        ["x.yaml:1:4: error: character U+FFFE is not allowed; delete it"],
    ),
    (
        "lone surrogate",
        "a: \ud800\n",
        ["x.yaml:1:4: error: character U+D800 is not allowed; delete it"],
    ),
    (
        "control character written as an escape",
        'a: ["ok", "\\e[31m"]\n',
        [
            "x.yaml:1:11: error: a[1]: control character U+001B (written as an escape)"
            " is not allowed"
        ],
    ),
    (
        "non-character written as an escape",
        'a: "x\\uFFFEy"\n',
        ["x.yaml:1:4: error: a: character U+FFFE (written as an escape) is not allowed"],
    ),
    (
        "nesting one level too deep",
        "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
        [
            "x.yaml:1:35: error: a" + "[0]" * (MAX_DEPTH - 1) + ": nesting is too deep"
            f" (more than {MAX_DEPTH} levels)"
        ],
    ),
    (
        "every problem in one pass",
        "a: &x 1\nb: !!int 2\na: 3\nc: *x\n",
        [
            "x.yaml:1:4: error: a: anchors (&x) are not allowed; write the value out",
            "x.yaml:2:4: error: b: tags (!!int) are not allowed",
            'x.yaml:3:1: error: a: duplicate key "a" (first defined on line 1)',
            "x.yaml:4:4: error: c: aliases (*x) are not allowed; write the value out",
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_refused_input_is_one_exact_problem(loader: type, text: str, expected: list[str]) -> None:
    assert report(text) == expected


# Syntax errors are worded by the parser; these read the same from PyYAML and libyaml.
SYNTAX = [
    ("missing colon", "title: x\nkind\nsummary: y\n", "2:1", "could not find expected ':'"),
    ("unclosed quote", 'title: "x\n', "2:1", "found unexpected end of stream"),
    ("tab indent", "a:\n\tb: 1\n", "2:1", "found character"),
]


@pytest.mark.parametrize(
    ("text", "where", "message"), [c[1:] for c in SYNTAX], ids=[c[0] for c in SYNTAX]
)
def test_syntax_error_is_located(loader: type, text: str, where: str, message: str) -> None:
    root, problems = load_text(text, "x.yaml")
    assert root is None
    [line] = [p.format() for p in problems]
    assert line.startswith(f"x.yaml:{where}: error: YAML syntax error: {message}")


def test_problems_before_a_syntax_error_are_kept(loader: type) -> None:
    assert report("a: 1\na: 2\nb: [\n") == [
        'x.yaml:2:1: error: a: duplicate key "a" (first defined on line 1)',
        "x.yaml:4:1: error: YAML syntax error: "
        + (
            "did not find expected node content"
            if loader is not load._PyEvents
            else "expected the node content, but found '<stream end>'"
        ),
    ]


# --- what survives a refusal ---------------------------------------------------------------------


def test_duplicate_key_keeps_the_first_value(loader: type) -> None:
    root, _ = load_text("title: first\ntitle: second\n", "x.yaml")
    assert isinstance(root, Map)
    assert root.keys() == ["title"]
    assert root.get("title") == Scalar("first", Mark(1, 8), True)


def test_refused_pairs_are_dropped_and_aliases_become_blank(loader: type) -> None:
    root, problems = load_text("a: &x 1\n<<: {b: 2}\n[c]: 3\nd: *x\n", "x.yaml")
    assert len(problems) == 4
    assert isinstance(root, Map)
    assert root.keys() == ["a", "d"]
    d = root.get("d")
    assert isinstance(d, Scalar) and d.is_null


def test_quoted_merge_key_is_only_a_text_key(loader: type) -> None:
    root, problems = load_text('"<<": x\n', "x.yaml")
    assert problems == []
    assert isinstance(root, Map) and root.keys() == ["<<"]


def test_unusable_files_have_no_root(loader: type) -> None:
    for text in ["", "- a\n", "a: 1\n---\nb: 2\n", "a: [\n", "[" * 50]:
        root, problems = load_text(text, "x.yaml")
        assert root is None and problems, text


# --- scalars stay the exact string written -------------------------------------------------------

STRINGS = [
    # (as written, value, plain)
    ("2025-12-31", "2025-12-31", True),
    ("1404-10-10", "1404-10-10", True),
    ("1404-02-31", "1404-02-31", True),
    ("NO", "NO", True),
    ("yes", "yes", True),
    ("off", "off", True),
    ("true", "true", True),
    ("010", "010", True),
    ("0x1F", "0x1F", True),
    ("1:30", "1:30", True),
    ("1e3", "1e3", True),
    (".inf", ".inf", True),
    ("3.10", "3.10", True),
    ("null", "null", True),
    ("'NO'", "NO", False),
    ('"1:30"', "1:30", False),
    ('"a\\tb"', "a\tb", False),
    ("''", "", False),
    ("نخست‌وزیر", "نخست‌وزیر", True),
    ("|\n  line one\n  line two", "line one\nline two\n", False),
    (">-\n  folded\n  text", "folded text", False),
]


@pytest.mark.parametrize(("written", "value", "plain"), STRINGS)
def test_scalars_stay_strings(loader: type, written: str, value: str, plain: bool) -> None:
    root, problems = load_text(f"field: {written}\n", "x.yaml")
    assert problems == []
    assert isinstance(root, Map)
    node = root.get("field")
    assert node == Scalar(value, Mark(1, 8), plain)


@pytest.mark.parametrize(
    ("written", "is_null"),
    [("", True), ("~", True), ("null", True), ("NULL", True), ("''", False), ('"~"', False)],
)
def test_blank_values(loader: type, written: str, is_null: bool) -> None:
    root, _ = load_text(f"field: {written}\nother: x\n", "x.yaml")
    assert isinstance(root, Map)
    node = root.get("field")
    assert isinstance(node, Scalar) and node.is_null is is_null


def test_tree_keeps_shape_and_marks(loader: type) -> None:
    text = "kind: event\nfacts:\n  - id: a\n    tags: [x, y]\n"
    root, problems = load_text(text, "x.yaml")
    assert problems == []
    assert root == Map(
        (
            (Scalar("kind", Mark(1, 1), True), Scalar("event", Mark(1, 7), True)),
            (
                Scalar("facts", Mark(2, 1), True),
                Seq(
                    (
                        Map(
                            (
                                (Scalar("id", Mark(3, 5), True), Scalar("a", Mark(3, 9), True)),
                                (
                                    Scalar("tags", Mark(4, 5), True),
                                    Seq(
                                        (
                                            Scalar("x", Mark(4, 12), True),
                                            Scalar("y", Mark(4, 15), True),
                                        ),
                                        Mark(4, 11),
                                    ),
                                ),
                            ),
                            Mark(3, 5),
                        ),
                    ),
                    Mark(3, 3),
                ),
            ),
        ),
        Mark(1, 1),
    )
    assert root.key_node("facts") == Scalar("facts", Mark(2, 1), True)
    assert root.get("missing") is None and root.key_node("missing") is None


# --- bytes: encoding and size --------------------------------------------------------------------


def test_utf8_bom_is_accepted_and_stripped(loader: type) -> None:
    for data in [b"\xef\xbb\xbftitle: x\n", "\ufefftitle: x\n"]:
        root, problems = load_text(data, "x.yaml")
        assert problems == []
        assert isinstance(root, Map)
        assert root.key_node("title") == Scalar("title", Mark(1, 1), True)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"title: x\nname: \xc3\xa9\xff\n",
            "x.yaml:2:8: error: file is not valid UTF-8 (byte 0xff at offset 17)",
        ),
        (
            b"\xef\xbb\xbfa: \xfe\n",
            "x.yaml:1:4: error: file is not valid UTF-8 (byte 0xfe at offset 6)",
        ),
        (
            b"\xff\xfea\x00:\x00",  # UTF-16 with its byte-order mark
            "x.yaml:1:1: error: file is not valid UTF-8 (byte 0xff at offset 0)",
        ),
        (
            b"a: \xed\xa0\x80\n",  # an encoded surrogate is not UTF-8
            "x.yaml:1:4: error: file is not valid UTF-8 (byte 0xed at offset 3)",
        ),
    ],
)
def test_invalid_utf8_is_located(data: bytes, expected: str) -> None:
    assert report(data) == [expected]


def test_oversized_input_is_refused_before_parsing() -> None:
    big = "a: " + "x" * MAX_BYTES + "\n"
    message = f"x.yaml: error: file is too large ({len(big)} bytes; the limit is {MAX_BYTES});"
    assert report(big) == [message + " split the record"]
    assert report(big.encode()) == [message + " split the record"]
    # The limit counts bytes: Persian letters take two each.
    assert report("a: " + "ب" * (MAX_BYTES // 2)) != []
    assert report("a: " + "x" * (MAX_BYTES - 10)) == []


# --- hostile input -------------------------------------------------------------------------------


def test_python_tag_is_reported_and_never_run(tmp_path: Path, loader: type) -> None:
    target = tmp_path / "pwned"
    hostile = f'x: !!python/object/apply:os.system ["touch {target}"]\n'
    record = tmp_path / "hostile.yaml"
    record.write_text(hostile, encoding="utf-8")
    for _, problems in [load_text(hostile, "x.yaml"), load_file(record, "x.yaml")]:
        assert [p.format() for p in problems] == [
            "x.yaml:1:4: error: x: tags (!!python/object/apply:os.system) are not allowed"
        ]
    assert not target.exists()


def test_billion_laughs_is_not_expanded(loader: type) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    root, problems = load_text("\n".join(lines) + "\n", "x.yaml")
    assert sum("anchors" in p.message for p in problems) == 9
    assert sum("aliases" in p.message for p in problems) == 8 * 9
    # Each alias is one blank, so the tree stays as small as the text.
    assert isinstance(root, Map)
    last = root.get("i")
    assert isinstance(last, Seq) and len(last.items) == 9
    assert all(isinstance(item, Scalar) and item.is_null for item in last.items)


DEEP = [
    ("50,000 [", "[" * 50_000, 1, MAX_DEPTH + 1),
    ("50,000 [ on their own lines", "[\n" * 50_000, MAX_DEPTH + 1, 1),
    ("50,000 {a:", "{a: " * 50_000, 1, 4 * MAX_DEPTH + 1),
    ("50,000 - on one line", "- " * 50_000 + "x\n", 1, 2 * MAX_DEPTH + 1),
    ("1,000 block mappings", "".join(" " * i + "a:\n" for i in range(1000)), MAX_DEPTH + 1, 33),
]


@pytest.mark.parametrize(
    ("text", "line", "column"), [c[1:] for c in DEEP], ids=[c[0] for c in DEEP]
)
def test_deep_nesting_is_one_problem(loader: type, text: str, line: int, column: int) -> None:
    root, problems = load_text(text, "x.yaml")
    assert root is None
    [problem] = problems
    assert (problem.line, problem.column) == (line, column)
    assert problem.message == f"nesting is too deep (more than {MAX_DEPTH} levels)"


def test_nesting_up_to_the_limit_is_fine(loader: type) -> None:
    depth = MAX_DEPTH - 1  # plus the top-level mapping
    root, problems = load_text("a: " + "[" * depth + "x" + "]" * depth + "\n", "x.yaml")
    assert problems == [] and isinstance(root, Map)


@pytest.mark.parametrize(
    "text",
    ["%YAML 1" + "1" * 5000 + ".1\n---\na: 1\n", 'a: "\\UFFFFFFFF"\n', 'a: "\\U00110000"\n'],
    ids=["long version number", "huge escape", "escape past U+10FFFF"],
)
def test_out_of_range_numbers_do_not_raise(loader: type, text: str) -> None:
    # PyYAML's own scanner raises bare ValueError/OverflowError on these.
    root, problems = load_text(text, "x.yaml")
    assert root is None
    [problem] = problems
    assert problem.message.startswith("YAML syntax error: ")


def test_escaped_characters_never_reach_later_stages(loader: type) -> None:
    root, problems = load_text('a: "x\\0y"\n', "x.yaml")
    assert len(problems) == 1
    assert isinstance(root, Map) and root.get("a") == Scalar("x\ufffdy", Mark(1, 4), False)


def test_pyyaml_shared_tables_are_untouched(loader: type) -> None:
    tables = [
        yaml.SafeLoader.yaml_implicit_resolvers,
        yaml.SafeLoader.yaml_constructors,
        yaml.Loader.yaml_constructors,
    ]
    before = [{k: list(v) if isinstance(v, list) else v for k, v in t.items()} for t in tables]
    load_text("a: NO\nb: 2025-12-31\nc: !!str x\n<<: {d: 1}\n", "x.yaml")
    after = [{k: list(v) if isinstance(v, list) else v for k, v in t.items()} for t in tables]
    assert before == after
    assert yaml.safe_load("a: NO") == {"a": False}


def assert_only_problems(data: str | bytes) -> None:
    """Both event sources: a root mapping or at least one problem, and never an exception."""
    for source in [p.values[0] for p in LOADERS if p.values[0] is not None]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(load, "_FAST", source)
            root, problems = load_text(data, "x.yaml")
        assert isinstance(root, Map) or (root is None and problems)
        for problem in problems:
            assert problem.line >= 0 and problem.column >= 0 and problem.message


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_gives_problems_not_exceptions(text: str) -> None:
    assert_only_problems(text)


@settings(max_examples=500, deadline=None)
@given(st.binary())
def test_any_bytes_give_problems_not_exceptions(data: bytes) -> None:
    assert_only_problems(data)


# Random text rarely gets past the first YAML token; these pieces reach the parser's corners.
YAMLISH = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            ":",
            " ",
            "\n",
            "  ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&x",
            "*x",
            "!!str",
            "!",
            "<<",
            "?",
            "'",
            '"',
            "|",
            ">",
            "#",
            "---",
            "...",
            "%YAML 1.1",
            "\t",
            "\ufeff",
        ]
    )
).map("".join)


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_yaml_like_text_gives_problems_not_exceptions(text: str) -> None:
    assert_only_problems(text)


# --- files ---------------------------------------------------------------------------------------


def test_load_file_reads_a_record(tmp_path: Path) -> None:
    record = tmp_path / "a.yaml"
    record.write_bytes("\ufefftitle: عین‌الاسد\n".encode())
    root, problems = load_file(record, "content/sheets/a.yaml")
    assert problems == []
    assert isinstance(root, Map) and root.get("title") == Scalar("عین‌الاسد", Mark(1, 8), True)


def test_load_file_refuses_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "secret.yaml"
    target.write_text("token: x\n", encoding="utf-8")
    link = tmp_path / "a.yaml"
    link.symlink_to(target)
    assert load_file(link, "content/sheets/a.yaml") == (
        None,
        [load.Problem("content/sheets/a.yaml", 0, 0, "", "symlinks are not allowed in content/")],
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: os.mkfifo(p), "not a regular file"),
        (
            lambda p: p.write_bytes(b"a: " + b"x" * MAX_BYTES),
            f"file is too large ({MAX_BYTES + 3} bytes; the limit is {MAX_BYTES});"
            " split the record",
        ),
        (lambda p: None, "could not read file: No such file or directory"),
    ],
    ids=["directory", "fifo", "too large", "missing"],
)
def test_load_file_refusals(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "a.yaml"
    make(path)
    root, problems = load_file(path, "a.yaml")
    assert root is None
    assert [p.format() for p in problems] == [f"a.yaml: error: {message}"]


def test_discover_lists_records_and_reports_everything_else(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for name in [
        "sheets/b-sheet.yaml",
        "sheets/a-sheet.yaml",
        "sheets/notes.md",
        "sheets/old.yml",
        "sheets/.gitkeep",
        "sheets/nested/c.yaml",
        "parties/hussein-allawi.yaml",
        "places/Bad_Id.yaml",
        "sources/src.yaml",
        "README.md",
        ".gitkeep",
        "stray.yaml",
        "drafts/x.yaml",
        "outside/secret.yaml",
    ]:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n", encoding="utf-8")
    outside = content / "outside"
    outside.rename(tmp_path / "outside")
    (content / "sheets" / "linked.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    (content / "sources" / "linked-dir").symlink_to(tmp_path / "outside")
    (content / "linked-root").symlink_to(tmp_path / "outside")

    records, problems = discover(content, tmp_path)

    assert [(kind, id_, display) for kind, id_, _, display in records] == [
        ("sheet", "a-sheet", "content/sheets/a-sheet.yaml"),
        ("sheet", "b-sheet", "content/sheets/b-sheet.yaml"),
        ("source", "src", "content/sources/src.yaml"),
        ("party", "hussein-allawi", "content/parties/hussein-allawi.yaml"),
        ("place", "Bad_Id", "content/places/Bad_Id.yaml"),
    ]
    assert all(path == tmp_path / display for _, _, path, display in records)
    assert [p.format() for p in problems] == [
        "content/drafts: error: unexpected directory:"
        " content/ holds sheets/, sources/, parties/, places/",
        "content/linked-root: error: symlinks are not allowed in content/",
        "content/sheets/linked.yaml: error: symlinks are not allowed in content/",
        "content/sheets/nested: error: unexpected directory:"
        " records are .yaml files directly in sheets/",
        "content/sheets/notes.md: error: unexpected file: records are .yaml files",
        "content/sheets/old.yml: error: unexpected file: records are .yaml files",
        "content/sources/linked-dir: error: symlinks are not allowed in content/",
        "content/stray.yaml: error: unexpected file:"
        " content/ holds only record folders and README.md",
    ]


def test_discover_tolerates_missing_kind_dirs_and_refuses_odd_roots(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert discover(content, tmp_path) == (
        [],
        [load.Problem("content", 0, 0, "", "content directory not found")],
    )
    content.mkdir()
    assert discover(content, tmp_path) == ([], [])
    (content / "places").write_text("", encoding="utf-8")
    assert [p.format() for p in discover(content, tmp_path)[1]] == [
        "content/places: error: unexpected file: places/ must be a directory"
    ]
    link = tmp_path / "link"
    link.symlink_to(content)
    assert [p.format() for p in discover(link, tmp_path)[1]] == [
        "link: error: symlinks are not allowed in content/"
    ]

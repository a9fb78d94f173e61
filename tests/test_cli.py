"""The `factsheet` command as contributors and CI use it: exit codes, output formats, skeletons.

Most tests call ``main`` in-process; a few run the real command in its own process, where exit
codes and the absence of tracebacks are what a contributor or a CI job actually sees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import Map, load_text
from generator.model import KIND_DIRS, RECORD_CLASSES, specs
from generator.validate import validate_dir
from tests.conftest import run_factsheet
from tests.test_validate import OUTLET, SHEET_PATH, replace, report, write_tree

JALALI_LINE = (
    'facts[0].date_jalali: "1404-12-30" is not a day of the Solar Hijri calendar '
    "(1404 is not a leap year)"
)
FOO_LINE = (
    'bad file name: id "Foo" is not kebab-case; '
    "ids are lowercase ASCII letters, digits and single hyphens"
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The small valid tree of test_validate, under tmp_path/content."""
    root = tmp_path / "content"
    write_tree(root)
    return root


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A tree with one error with a position, one without, and one warning."""
    root = tmp_path / "content"
    write_tree(
        root,
        {
            "sheets/handover.yaml": replace('date: "2026-01~"', 'date_jalali: "1404-12-30"'),
            "parties/Foo.yaml": OUTLET,
        },
    )
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- validate: exit codes and formats ---------------------------------------------------------


def test_validate_clean_content_exits_0_with_a_summary(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(content))
    assert (code, out) == (0, "")
    assert err == "1 sheet, 1 source, 2 parties, 1 place, 1 fact; 0 errors, 0 warnings\n"


def test_validate_defaults_to_content_in_the_working_directory(
    content: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (content / "parties" / "Foo.yaml").write_text(OUTLET, encoding="utf-8")
    monkeypatch.chdir(content.parent)
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert out == f"content/parties/Foo.yaml: error: {FOO_LINE}\n"


def test_validate_text_format_prints_one_line_per_problem(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(broken))
    assert code == 1
    assert out.splitlines() == [
        f"content/parties/Foo.yaml: error: {FOO_LINE}",
        f"{SHEET_PATH}:17:18: error: {JALALI_LINE}",
    ]
    assert err == "1 sheet, 1 source, 3 parties, 1 place, 1 fact; 2 errors, 0 warnings\n"


def test_validate_warnings_alone_exit_0(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = content / "sheets" / "handover.yaml"
    text = sheet.read_text(encoding="utf-8").replace("main_fact: takeover\n", "")
    sheet.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(content))
    assert code == 0
    assert out == (
        f"{SHEET_PATH}:1:1: warning: event sheets need a main_fact for the key-facts box\n"
    )
    assert err.endswith("; 0 errors, 1 warning\n")
    code, out, _ = run(capsys, "validate", str(content), "--format", "github")
    assert code == 0
    assert out == (
        f"::warning file={SHEET_PATH},line=1,col=1::"
        "event sheets need a main_fact for the key-facts box\n"
    )


def test_validate_github_format_prints_annotations(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(broken), "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        f"::error file=content/parties/Foo.yaml::{FOO_LINE}",
        f"::error file={SHEET_PATH},line=17,col=18::{JALALI_LINE}",
    ]
    assert err == ""


def test_validate_json_format_is_a_list_of_problems(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(broken), "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "content/parties/Foo.yaml",
            "line": 0,
            "column": 0,
            "field": "",
            "message": FOO_LINE,
            "severity": "error",
        },
        {
            "path": SHEET_PATH,
            "line": 17,
            "column": 18,
            "field": "facts[0].date_jalali",
            "message": JALALI_LINE.removeprefix("facts[0].date_jalali: "),
            "severity": "error",
        },
    ]
    assert err == ""


def test_validate_json_format_of_clean_content_is_an_empty_list(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "validate", str(content), "--format", "json")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["validate", "--no-such-option"], id="unknown-option"),
        pytest.param(["validate", "--format", "xml"], id="unknown-format"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param([], id="no-command"),
    ],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage: factsheet" in capsys.readouterr().err


def test_missing_content_dir_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "validate", str(missing))
    assert (code, out) == (2, "")
    assert err == f"factsheet: error: no content directory at {missing}\n"


# --- the real command, in its own process -----------------------------------------------------


def test_exit_codes_of_the_real_command(content: Path) -> None:
    cwd = content.parent
    ok = run_factsheet("validate", cwd=cwd)
    assert (ok.returncode, ok.stdout) == (0, ""), ok.stderr

    (content / "parties" / "Foo.yaml").write_text(OUTLET, encoding="utf-8")
    bad = run_factsheet("validate", "--format", "github", cwd=cwd)
    assert (bad.returncode, bad.stdout) == (
        1,
        f"::error file=content/parties/Foo.yaml::{FOO_LINE}\n",
    )

    usage = run_factsheet("validate", "--bogus", cwd=cwd)
    assert usage.returncode == 2
    assert "unrecognized arguments: --bogus" in usage.stderr

    missing = run_factsheet("validate", "no-such-dir", cwd=cwd)
    assert (missing.returncode, missing.stderr) == (
        2,
        "factsheet: error: no content directory at no-such-dir\n",
    )


def test_broken_content_never_gives_a_traceback(content: Path) -> None:
    marker = content.parent / "pwned"
    (content / "parties" / "junk.yaml").write_bytes(bytes(range(256)) * 4)
    (content / "places" / "evil.yaml").write_text(
        f'!!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    (content / "sources" / "deep.yaml").write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    (content / "sheets" / "empty.yaml").write_text("", encoding="utf-8")
    (content / "sheets" / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    (content / "sheets" / "dir.yaml").mkdir()
    (content / "notes.txt").write_text("stray", encoding="utf-8")

    for fmt in ("text", "github", "json"):
        result = run_factsheet("validate", "--format", fmt, cwd=content.parent)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert "junk.yaml" in result.stdout and "evil.yaml" in result.stdout
    assert not marker.exists()


# --- new: skeletons ---------------------------------------------------------------------------


def test_new_writes_a_skeleton_and_prints_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    code, out, err = run(capsys, "new", "party", "foo-bar", "--content-dir", str(content))
    target = content / "parties" / "foo-bar.yaml"
    assert (code, out, err) == (0, f"{target}\n", "")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/party.schema.json\n")
    assert "\ntype:\n" in text


def test_new_refuses_to_overwrite(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = content / "parties" / "outlet.yaml"
    before = target.read_bytes()
    code, out, err = run(capsys, "new", "party", "outlet", "--content-dir", str(content))
    assert (code, out) == (1, "")
    assert err == f"factsheet: error: {target} already exists; not overwriting\n"
    assert target.read_bytes() == before


def test_new_refuses_an_id_used_by_another_kind(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "new", "place", "outlet", "--content-dir", str(content))
    assert code == 1
    assert err == (
        f"factsheet: error: {content / 'parties' / 'outlet.yaml'} already uses the id "
        '"outlet"; ids are unique across all kinds\n'
    )
    assert not (content / "places" / "outlet.yaml").exists()


@pytest.mark.parametrize(
    ("bad_id", "message"),
    [
        ("Foo", 'id "Foo" is not kebab-case'),
        ("../escape", "id \"../escape\" contains a path separator or '..'"),
        ("a/b", "id \"a/b\" contains a path separator or '..'"),
        ("ain-ål", 'id "ain-ål" contains U+00E5 (LATIN SMALL LETTER A WITH RING ABOVE)'),
        ("a" * 65, "is longer than 64 characters"),
    ],
)
def test_new_refuses_a_bad_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_id: str, message: str
) -> None:
    content = tmp_path / "content"
    code, out, err = run(capsys, "new", "party", bad_id, "--content-dir", str(content))
    assert (code, out) == (2, "")
    assert err.startswith("factsheet: error: ") and message in err
    assert not content.exists()


def fill(text: str, steps: list[tuple[str, str]]) -> str:
    """Replace whole lines in order: each step changes the first line equal to its ``old`` that
    comes after the line the previous step changed, as a contributor fills a skeleton top down."""
    lines = text.split("\n")
    at = 0
    for old, new in steps:
        at = lines.index(old, at)
        lines[at] = new
    return "\n".join(lines)


SKELETON_FILLS: dict[str, list[tuple[str, str]]] = {
    "party": [
        ("type:", "type: person"),
        ("  fa:", '  fa: "شخص تازه"'),
        ("  en:", '  en: "A New Person"'),
    ],
    "place": [
        ("kind:", "kind: city"),
        ("  fa:", '  fa: "شهر تازه"'),
        ("  en:", '  en: "A New City"'),
        ("country:", "country: IQ"),
    ],
    "source": [
        ("kind:", "kind: news_article"),
        ("  fa:", '  fa: "گزارش تازه"'),
        ("  en:", '  en: "A new report"'),
        ("publisher:", "publisher: outlet"),
        ("language:", "language: en"),
        ("published:", 'published: "2026-01-02"'),
        ("# url:", 'url: "https://example.org/new"'),
    ],
    "sheet": [
        ("kind:", "kind: topic"),
        ("status:", "status: published"),
        ("  fa:", '  fa: "برگهٔ تازه"'),
        ("  en:", '  en: "A new sheet"'),
        ("  fa:", '  fa: "خلاصه."'),
        ("  en:", '  en: "Summary."'),
        ("    id:", "    id: first"),
        ("    kind:", "    kind: statement"),
        ("      fa:", '      fa: "متن."'),
        ("      en:", '      en: "Text."'),
        ('    # date: "2025-12-31"', '    date: "2026-01-02"'),
        ("        source:", "        source: src-one"),
        # Published sheets need the quote and its translation: uncomment them.
        ("        # quote:", '        quote: "نقل قول"'),
        ("        # translation:", "        translation:"),
        ("        #   en:", '          en: "A quote"'),
    ],
}


@pytest.mark.parametrize("kind", sorted(SKELETON_FILLS))
def test_filled_skeleton_validates(
    kind: str, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id = f"new-{kind}"
    assert run(capsys, "new", kind, record_id, "--content-dir", str(content))[0] == 0
    target = content / KIND_DIRS[kind] / f"{record_id}.yaml"
    target.write_text(fill(target.read_text(encoding="utf-8"), SKELETON_FILLS[kind]))
    assert report(content) == []


def test_unfilled_skeleton_says_what_to_fill_in(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "new", "party", "new-party", "--content-dir", str(content))
    assert report(content) == [
        "content/parties/new-party.yaml:7:1: error: type: "
        "required field is empty: Person, state, organization or armed group",
        "content/parties/new-party.yaml:10:6: error: name.fa: is empty",
        "content/parties/new-party.yaml:11:6: error: name.en: is empty",
    ]


def _uncomment_fields(text: str) -> str:
    """Uncomment every optional field line (not the help lines, which end in "(optional)" or
    "(required)", nor the header), the way a contributor switches one on."""
    body = text.split("\n\n", 1)[1]
    out = []
    for line in body.split("\n"):
        stripped = line.lstrip(" ")
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("# ") and not stripped.endswith(("(optional)", "(required)")):
            line = indent + stripped[2:]
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("kind", sorted(KIND_DIRS))
def test_every_field_of_a_skeleton_uncomments_to_valid_yaml(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "new", kind, "x", "--content-dir", str(tmp_path))
    target = tmp_path / KIND_DIRS[kind] / "x.yaml"
    text = _uncomment_fields(target.read_text(encoding="utf-8"))
    node, problems = load_text(text, "x.yaml")
    assert problems == []
    assert isinstance(node, Map)
    assert node.keys() == [name for name, _ in specs(RECORD_CLASSES[kind])]
    target.write_text(text, encoding="utf-8")
    _, problems = validate_dir(tmp_path, tmp_path.parent)
    assert not [p.format() for p in problems if "unknown field" in p.message]


def test_new_refuses_an_id_that_clashes_after_case_folding(tmp_path: Path, capsys) -> None:
    content = tmp_path / "content"
    (content / "places").mkdir(parents=True)
    (content / "places" / "Iraq.yaml").write_text("kind: country\n", "utf-8")
    assert main(["new", "party", "iraq", "--content-dir", str(content)]) == 1
    assert "ids are unique across all kinds" in capsys.readouterr().err
    assert not (content / "parties" / "iraq.yaml").exists()

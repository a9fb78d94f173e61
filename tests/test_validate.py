"""The contributor contract of `factsheet validate`: one bad snippet gives one exact problem line.

Each case starts from a small content tree that validates cleanly, changes or adds one file, and
expects the complete list of problems, formatted as contributors see them
(``path:line:col: severity: field: message``). Exact lines are the point: a moved column, a
changed field path or a reworded message is a change to the contract and must show up here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.problems import sort_problems
from generator.validate import validate_dir

ROOT = Path(__file__).resolve().parent.parent

# The smallest tree that exercises every record kind and every cross-reference the cases break.
# Line numbers in the expected problems below refer to these texts.
SOURCE = """\
kind: news_article
title:
  fa: "گزارش خبرگزاری"
  en: "The outlet's report"
publisher: outlet
language: fa
published: "2025-12-31"
url: "https://example.org/report"
"""

OUTLET = """\
type: organization
name:
  fa: "خبرگزاری"
  en: "The Outlet"
"""

SPEAKER = """\
type: person
name:
  fa: "گوینده"
  en: "The Speaker"
"""

PLACE = """\
kind: base
name:
  fa: "پایگاه"
  en: "The Base"
country: IQ
"""

SHEET = """\
kind: event
status: published
title:
  fa: "تحویل پایگاه"
  en: "Handover of the base"
summary:
  fa: "نیروها پایگاه را تحویل می‌گیرند."
  en: "Forces take over the base."
main_fact: takeover
facts:
  - id: takeover
    kind: event
    status: planned
    text:
      fa: "نیروها پایگاه را تحویل می‌گیرند."
      en: "Forces will take over the base."
    date: "2026-01~"
    place: base
    said_by: speaker
    cite:
      - source: src-one
        quote: "نیروها پایگاه را تحویل خواهند گرفت"
        translation:
          en: "Forces will take over the base"
        paragraph: 1
"""

# A second sheet, for references between sheets (updates cycles).
LATER = """\
kind: topic
status: draft
title:
  fa: "پس از تحویل"
  en: "After the handover"
summary:
  fa: "پیامد تحویل."
  en: "What followed."
facts:
  - id: outcome
    kind: statement
    text:
      fa: "گوینده گفت تحویل انجام شد."
      en: "The speaker said the handover took place."
    updates: handover#takeover
    cite:
      - source: src-one
"""

FILES: dict[str, str] = {
    "sources/src-one.yaml": SOURCE,
    "parties/outlet.yaml": OUTLET,
    "parties/speaker.yaml": SPEAKER,
    "places/base.yaml": PLACE,
    "sheets/handover.yaml": SHEET,
}

S = "sheets/handover.yaml"
SHEET_PATH = "content/sheets/handover.yaml"
SRC = "sources/src-one.yaml"
SRC_PATH = "content/sources/src-one.yaml"
KEBAB = "ids are lowercase ASCII letters, digits and single hyphens"

Edit = str | Callable[[str], str]


def replace(old: str, new: str) -> Callable[[str], str]:
    """An edit of an existing fixture file; fails loudly if the fixture no longer has ``old``."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, f"fixture text not found exactly once: {old!r}"
        return text.replace(old, new)

    return edit


def write_tree(content: Path, edits: dict[str, Edit] | None = None) -> None:
    files = dict(FILES)
    for rel, edit in (edits or {}).items():
        files[rel] = edit(files[rel]) if callable(edit) else edit
    for rel, text in files.items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def report(content: Path) -> list[str]:
    _, problems = validate_dir(content, content.parent)
    return [p.format() for p in sort_problems(problems)]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write_tree(root)
    return root


def test_fixture_is_valid(content: Path) -> None:
    assert report(content) == []


def test_shipped_content_has_no_problems() -> None:
    _, problems = validate_dir(ROOT / "content", ROOT)
    assert [p.format() for p in sort_problems(problems)] == []


# --- one bad snippet, one exact line ---------------------------------------------------------

CITE = """\
    cite:
      - source: src-one
        quote: "نیروها پایگاه را تحویل خواهند گرفت"
        translation:
          en: "Forces will take over the base"
        paragraph: 1
"""

CASES = [
    # The loader: syntax and duplicate keys.
    pytest.param(
        {S: replace("main_fact: takeover", "main_fact takeover")},
        [f"{SHEET_PATH}:9:1: error: YAML syntax error: could not find expected ':'"],
        id="yaml-syntax",
    ),
    pytest.param(
        {S: replace("status: published\n", "status: published\nkind: topic\n")},
        [f'{SHEET_PATH}:3:1: error: kind: duplicate key "kind" (first defined on line 1)'],
        id="duplicate-key",
    ),
    # Fields: unknown, missing, blank, wrong type.
    pytest.param(
        {SRC: replace("language: fa\n", 'language: fa\nauther: "A. Writer"\n')},
        [f'{SRC_PATH}:7:1: error: auther: unknown field "auther" (did you mean "author"?)'],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        {SRC: replace("language: fa\n", 'language: fa\nwhatever: "x"\n')},
        [f'{SRC_PATH}:7:1: error: whatever: unknown field "whatever"'],
        id="unknown-field-no-hint",
    ),
    pytest.param(
        # A misspelt required field is said once, where it was written.
        {S: replace("title:", "titel:")},
        [
            f'{SHEET_PATH}:3:1: error: titel: unknown field "titel" (did you mean "title"?)',
        ],
        id="unknown-field-misspelt-required",
    ),
    pytest.param(
        {"parties/speaker.yaml": replace("type: person\n", "")},
        [
            "content/parties/speaker.yaml:1:1: error: type: "
            "missing required field: Person, state, organization or armed group"
        ],
        id="missing-required-field",
    ),
    pytest.param(
        {"places/base.yaml": replace("country: IQ", "country:")},
        [
            "content/places/base.yaml:5:1: error: country: "
            "required field is empty: ISO 3166-1 alpha-2 code"
        ],
        id="blank-required-field",
    ),
    pytest.param(
        {
            S: replace(
                'title:\n  fa: "تحویل پایگاه"\n  en: "Handover of the base"', "title: Handover"
            )
        },
        [
            f"{SHEET_PATH}:3:8: error: title: "
            "expected a map of languages like {fa: …, en: …}, got a value"
        ],
        id="wrong-type-text",
    ),
    pytest.param(
        {S: replace("main_fact: takeover", "main_fact: takeover\ntags: coalition")},
        [f"{SHEET_PATH}:10:7: error: tags: expected a list, got a value"],
        id="wrong-type-list",
    ),
    pytest.param(
        {S: replace("        paragraph: 1", "        paragraph: first")},
        [f'{SHEET_PATH}:25:20: error: facts[0].cite[0].paragraph: "first" is not a whole number'],
        id="wrong-type-number",
    ),
    pytest.param(
        {S: replace("status: planned", "status: plannd")},
        [
            f'{SHEET_PATH}:13:13: error: facts[0].status: "plannd" is not one of: '
            'planned, underway, happened, postponed, cancelled, unclear (did you mean "planned"?)'
        ],
        id="bad-enum-value",
    ),
    # Bad ids: file names, and references (where / and .. can be written).
    pytest.param(
        {"parties/Foo.yaml": OUTLET},
        [f'content/parties/Foo.yaml: error: bad file name: id "Foo" is not kebab-case; {KEBAB}'],
        id="id-uppercase",
    ),
    pytest.param(
        {"parties/ain-ål.yaml": OUTLET},
        [
            'content/parties/ain-ål.yaml: error: bad file name: id "ain-ål" contains '
            f"U+00E5 (LATIN SMALL LETTER A WITH RING ABOVE); {KEBAB}"
        ],
        id="id-non-ascii",
    ),
    pytest.param(
        {"parties/ain\u200bal.yaml": OUTLET},
        [
            # The invisible character is spelled out in the message (the path is the real name).
            'content/parties/ain\u200bal.yaml: error: bad file name: id "ain\\u200bal" contains '
            f"U+200B (ZERO WIDTH SPACE); {KEBAB}"
        ],
        id="id-invisible",
    ),
    pytest.param(
        {"parties/ain\u202eal.yaml": OUTLET},
        [
            'content/parties/ain\u202eal.yaml: error: bad file name: id "ain\\u202eal" contains '
            f"U+202E (RIGHT-TO-LEFT OVERRIDE); {KEBAB}"
        ],
        id="id-bidi-control",
    ),
    pytest.param(
        {"parties/a..b.yaml": OUTLET},
        [
            "content/parties/a..b.yaml: error: bad file name: "
            "id \"a..b\" contains a path separator or '..'"
        ],
        id="id-dot-dot",
    ),
    pytest.param(
        {"parties/a--b.yaml": OUTLET},
        [f'content/parties/a--b.yaml: error: bad file name: id "a--b" is not kebab-case; {KEBAB}'],
        id="id-double-hyphen",
    ),
    pytest.param(
        {"parties/" + "a" * 65 + ".yaml": OUTLET},
        [
            f"content/parties/{'a' * 65}.yaml: error: bad file name: "
            f'id "{"a" * 57}…" is longer than 64 characters'
        ],
        id="id-too-long",
    ),
    pytest.param(
        {S: replace("place: base", "place: ../etc/passwd")},
        [
            f"{SHEET_PATH}:18:12: error: facts[0].place: "
            "reference \"../etc/passwd\" contains a path separator or '..'"
        ],
        id="ref-dot-dot",
    ),
    pytest.param(
        {S: replace("place: base", "place: places/base")},
        [
            f"{SHEET_PATH}:18:12: error: facts[0].place: "
            "reference \"places/base\" contains a path separator or '..'"
        ],
        id="ref-slash",
    ),
    pytest.param(
        {S: replace("place: base", "place: Base")},
        [f'{SHEET_PATH}:18:12: error: facts[0].place: reference "Base" is not kebab-case; {KEBAB}'],
        id="ref-uppercase",
    ),
    # Id clashes across kinds.
    pytest.param(
        {"places/speaker.yaml": PLACE},
        [
            "content/places/speaker.yaml:1:1: error: "
            'id "speaker" is already used by content/parties/speaker.yaml'
        ],
        id="id-clash-across-kinds",
    ),
    pytest.param(
        # Iraq.yaml is the one to rename: it carries both problems, iraq.yaml none.
        {"parties/Iraq.yaml": OUTLET, "places/iraq.yaml": PLACE},
        [
            "content/parties/Iraq.yaml: error: bad file name: "
            f'id "Iraq" is not kebab-case; {KEBAB}',
            "content/parties/Iraq.yaml:1:1: error: "
            'id "Iraq" clashes with content/places/iraq.yaml after case-folding',
        ],
        id="id-clash-case-folded",
    ),
    # References between records.
    pytest.param(
        {S: replace("place: base", "place: bse")},
        [f'{SHEET_PATH}:18:12: error: facts[0].place: unknown place "bse" (did you mean "base"?)'],
        id="ref-missing-record",
    ),
    pytest.param(
        {SRC: replace("publisher: outlet", "publisher: nobody")},
        [f'{SRC_PATH}:5:12: error: publisher: unknown party "nobody"'],
        id="ref-missing-record-no-hint",
    ),
    pytest.param(
        {S: replace("place: base", "place: speaker")},
        [f'{SHEET_PATH}:18:12: error: facts[0].place: "speaker" is a party, not a place'],
        id="ref-wrong-kind",
    ),
    pytest.param(
        {S: replace("said_by: speaker", "said_by: speaker\n    updates: handover#nope")},
        [f'{SHEET_PATH}:20:14: error: facts[0].updates: sheet "handover" has no fact "nope"'],
        id="factref-missing-fact",
    ),
    pytest.param(
        {S: replace("said_by: speaker", "said_by: speaker\n    updates: handoff#takeover")},
        [
            f"{SHEET_PATH}:20:14: error: facts[0].updates: "
            'unknown sheet "handoff" in "handoff#takeover"'
        ],
        id="factref-missing-sheet",
    ),
    pytest.param(
        {S: replace("said_by: speaker", "said_by: speaker\n    updates: handover")},
        [
            f"{SHEET_PATH}:20:14: error: facts[0].updates: "
            '"handover" is not a fact reference; write sheet-id#fact-id'
        ],
        id="factref-malformed",
    ),
    pytest.param(
        {S: replace("said_by: speaker", "said_by: speaker\n    updates: handover#takeover")},
        [
            f"{SHEET_PATH}:20:14: error: facts[0].updates: "
            "updates form a cycle: handover#takeover → handover#takeover"
        ],
        id="updates-cycle-self",
    ),
    pytest.param(
        {
            S: replace("said_by: speaker", "said_by: speaker\n    updates: later#outcome"),
            "sheets/later.yaml": LATER,
        },
        [
            f"{SHEET_PATH}:20:14: error: facts[0].updates: "
            "updates form a cycle: handover#takeover → later#outcome → handover#takeover"
        ],
        id="updates-cycle-two-sheets",
    ),
    # Dates.
    pytest.param(
        {S: replace('"2026-01~"', '"2025-12-31T10:30"')},
        [
            f'{SHEET_PATH}:17:11: error: facts[0].date: "2025-12-31T10:30" is not a date in the '
            "accepted forms (YYYY, YYYY-MM, YYYY-MM-DD, with ~ ? %, A/B intervals, [..X] and [X..])"
        ],
        id="date-outside-profile",
    ),
    pytest.param(
        {S: replace('"2026-01~"', '"۲۰۲۵-۱۲-۳۱"')},
        [
            f'{SHEET_PATH}:17:11: error: facts[0].date: "۲۰۲۵-۱۲-۳۱" uses Persian digits; '
            "write dates with ASCII digits 0-9"
        ],
        id="date-persian-digits",
    ),
    pytest.param(
        {S: replace('date: "2026-01~"', 'date: "2025-02-29"')},
        [
            f'{SHEET_PATH}:17:11: error: facts[0].date: "2025-02-29" is not a day of the '
            "Gregorian calendar (February 2025 has 28 days)"
        ],
        id="date-impossible-gregorian",
    ),
    pytest.param(
        {S: replace('date: "2026-01~"', 'date_jalali: "1404-12-30"')},
        [
            f'{SHEET_PATH}:17:18: error: facts[0].date_jalali: "1404-12-30" is not a day of the '
            "Solar Hijri calendar (1404 is not a leap year)"
        ],
        id="date-impossible-jalali",
    ),
    pytest.param(
        {S: replace('date: "2026-01~"', 'date: "2025-12-31"\n    date_jalali: "1404-10-11"')},
        [
            f"{SHEET_PATH}:18:18: error: facts[0].date_jalali: "
            'Gregorian "2025-12-31" and Solar Hijri "1404-10-11" disagree: 1404-10-11 is 2026-01-01'
        ],
        id="date-calendars-disagree",
    ),
    # Citations.
    pytest.param(
        {S: replace(CITE, "    cite: []\n")},
        [f"{SHEET_PATH}:20:11: error: facts[0].cite: at least 1 citation is required"],
        id="fact-empty-cite",
    ),
    pytest.param(
        {S: replace(CITE, "")},
        [f"{SHEET_PATH}:11:5: error: facts[0].cite: missing required field: At least one citation"],
        id="fact-without-cite",
    ),
    pytest.param(
        {S: replace("source: src-one", "source: src-two")},
        [
            f"{SHEET_PATH}:21:17: error: facts[0].cite[0].source: "
            'unknown source "src-two" (did you mean "src-one"?)'
        ],
        id="cite-missing-source",
    ),
    pytest.param(
        {S: replace("source: src-one", "source: outlet")},
        [f'{SHEET_PATH}:21:17: error: facts[0].cite[0].source: "outlet" is a party, not a source'],
        id="cite-wrong-kind",
    ),
    pytest.param(
        {S: replace('        quote: "نیروها پایگاه را تحویل خواهند گرفت"\n', "")},
        [
            f"{SHEET_PATH}:21:9: error: facts[0].cite[0].quote: "
            "a quote is required on published sheets"
        ],
        id="quote-missing-published",
    ),
    pytest.param(
        {
            S: lambda text: replace('        quote: "نیروها پایگاه را تحویل خواهند گرفت"\n', "")(
                text
            ).replace("status: published", "status: draft")
        },
        [
            f"{SHEET_PATH}:23:11: warning: facts[0].cite[0].translation: "
            "a translation without the quote it translates; add the quote"
        ],
        id="quote-missing-draft-is-fine",
    ),
    # Translations.
    pytest.param(
        {S: replace('  en: "Handover of the base"\n', "")},
        [f"{SHEET_PATH}:4:3: error: title: missing translation: en (English)"],
        id="translation-missing-title",
    ),
    pytest.param(
        {S: replace('          en: "Forces will take over the base"\n', '          en: ""\n')},
        [f"{SHEET_PATH}:24:15: error: facts[0].cite[0].translation.en: is empty"],
        id="translation-empty-quote",
    ),
    pytest.param(
        {S: replace('        translation:\n          en: "Forces will take over the base"\n', "")},
        [
            f"{SHEET_PATH}:21:9: error: facts[0].cite[0].translation: "
            "missing translation: en (English) of the Persian quote"
        ],
        id="translation-missing-quote-published",
    ),
    pytest.param(
        {
            S: lambda text: replace(
                '        translation:\n          en: "Forces will take over the base"\n', ""
            )(text).replace("status: published", "status: draft")
        },
        [
            f"{SHEET_PATH}:21:9: warning: facts[0].cite[0].translation: "
            "missing translation: en (English) of the Persian quote"
        ],
        id="translation-missing-quote-draft-warns",
    ),
    pytest.param(
        {S: replace('          en: "Forces', '          fa: "نیروها"\n          en: "Forces')},
        [
            f"{SHEET_PATH}:24:15: error: facts[0].cite[0].translation.fa: "
            "the source is in Persian; the quote itself is that text"
        ],
        id="translation-into-source-language",
    ),
    # URLs.
    pytest.param(
        {SRC: replace('"https://example.org/report"', '"javascript:alert(1)"')},
        [f'{SRC_PATH}:8:6: error: url: "javascript:alert(1)" is not an http(s) URL'],
        id="url-javascript",
    ),
    pytest.param(
        {SRC: replace('"https://example.org/report"', '"ftp://example.org/r"')},
        [f'{SRC_PATH}:8:6: error: url: "ftp://example.org/r" is not an http(s) URL'],
        id="url-ftp",
    ),
    pytest.param(
        {SRC: replace('"https://example.org/report"', "example.org/report")},
        [f'{SRC_PATH}:8:6: error: url: "example.org/report" is not an http(s) URL'],
        id="url-no-scheme",
    ),
    # Bidi embeddings and overrides (U+202A-U+202E), in language maps and in plain text fields.
    pytest.param(
        {
            S: replace(
                'en: "Forces will take over the base."',
                'en: "Forces will \u202etake over the base."',
            )
        },
        [
            f"{SHEET_PATH}:16:11: error: facts[0].text.en: "
            "contains the bidi control U+202E (RIGHT-TO-LEFT OVERRIDE); remove it"
        ],
        id="bidi-override-in-text",
    ),
    pytest.param(
        {S: replace('quote: "نیروها', 'quote: "\u202aنیروها')},
        [
            f"{SHEET_PATH}:22:16: error: facts[0].cite[0].quote: "
            "contains the bidi control U+202A (LEFT-TO-RIGHT EMBEDDING); remove it"
        ],
        id="bidi-embedding-in-quote",
    ),
    pytest.param(
        {"parties/speaker.yaml": replace('en: "The Speaker"', 'en: "The \u202cSpeaker"')},
        [
            "content/parties/speaker.yaml:4:7: error: name.en: "
            "contains the bidi control U+202C (POP DIRECTIONAL FORMATTING); remove it"
        ],
        id="bidi-pop-in-name",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_one_snippet_one_problem(
    tmp_path: Path, edits: dict[str, Edit], expected: list[str]
) -> None:
    content = tmp_path / "content"
    write_tree(content, edits)
    assert report(content) == expected


# --- many problems, one run ------------------------------------------------------------------


def test_several_bad_files_give_all_problems_in_one_sorted_run(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(
        content,
        {
            "parties/Foo.yaml": OUTLET,
            "parties/speaker.yaml": replace("type: person", "type: person\ntype: state"),
            "places/base.yaml": replace("country: IQ", "country: iq"),
            SRC: replace('"https://example.org/report"', '"file:///etc/passwd"'),
            S: replace('date: "2026-01~"', 'date_jalali: "1404-12-30"'),
        },
    )
    assert report(content) == [
        f'content/parties/Foo.yaml: error: bad file name: id "Foo" is not kebab-case; {KEBAB}',
        "content/parties/speaker.yaml:2:1: error: type: "
        'duplicate key "type" (first defined on line 1)',
        "content/places/base.yaml:5:10: error: country: "
        '"iq" is not an ISO 3166-1 alpha-2 code like IQ',
        f'{SHEET_PATH}:17:18: error: facts[0].date_jalali: "1404-12-30" is not a day of the '
        "Solar Hijri calendar (1404 is not a leap year)",
        f'{SRC_PATH}:8:6: error: url: "file:///etc/passwd" is not an http(s) URL',
    ]


def test_problem_after_a_refused_list_item_keeps_its_own_index(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(
        content,
        {
            S: replace(
                "main_fact: takeover\n", "main_fact: takeover\nrelated:\n  - Bad-Id\n  - gone\n"
            )
        },
    )
    assert report(content) == [
        f'{SHEET_PATH}:11:5: error: related[0]: reference "Bad-Id" is not kebab-case; {KEBAB}',
        f'{SHEET_PATH}:12:5: error: related[1]: unknown sheet "gone"',
    ]


def test_problems_within_one_file_are_all_reported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(
        content,
        {
            S: lambda text: replace("place: base", "place: nowhere")(
                replace("said_by: speaker", "said_by: base")(
                    replace('date: "2026-01~"', 'date: "2026-13"')(text)
                )
            )
        },
    )
    assert report(content) == [
        f"{SHEET_PATH}:17:11: error: facts[0].date: "
        '"2026-13" is not a date: month 13 does not exist',
        f'{SHEET_PATH}:18:12: error: facts[0].place: unknown place "nowhere"',
        f'{SHEET_PATH}:19:14: error: facts[0].said_by: "base" is a place, not a party',
    ]


# --- hostile input ---------------------------------------------------------------------------


def test_python_tag_is_reported_and_never_executed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    marker = tmp_path / "pwned"
    write_tree(
        content,
        {
            "parties/evil.yaml": (
                f'type: !!python/object/apply:os.system ["touch {marker}"]\n'
                'name:\n  fa: "بد"\n  en: "Evil"\n'
            ),
            "places/evil-root.yaml": f'!!python/object/apply:os.system ["touch {marker}"]\n',
        },
    )
    assert report(content) == [
        "content/parties/evil.yaml:1:7: error: type: expected a single value, got a list",
        "content/parties/evil.yaml:1:7: error: type: "
        "tags (!!python/object/apply:os.system) are not allowed",
        "content/places/evil-root.yaml:1:1: error: "
        "expected a mapping of fields (key: value) at the top level, found a list",
        "content/places/evil-root.yaml:1:1: error: "
        "tags (!!python/object/apply:os.system) are not allowed",
    ]
    assert not marker.exists()


def test_binary_garbage_is_one_problem(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(content)
    (content / "parties" / "junk.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert report(content) == [
        "content/parties/junk.yaml:1:1: error: file is not valid UTF-8 (byte 0x89 at offset 0)"
    ]


def test_reading_in_several_processes_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PARALLEL_FILES files, forked workers read them: the same records and the same
    problems as reading them one by one. (The suite's own threads would keep it serial.)"""
    from generator import validate

    content = tmp_path / "content"
    write_tree(
        content,
        {
            "parties/Foo.yaml": OUTLET,
            "places/base.yaml": replace("country: IQ", "country: iq"),
            SRC: replace('"https://example.org/report"', '"file:///etc/passwd"'),
        },
    )
    serial_content, serial = validate_dir(content, tmp_path)
    monkeypatch.setattr(validate, "PARALLEL_FILES", 2)
    monkeypatch.setattr(validate.threading, "active_count", lambda: 1)
    monkeypatch.setattr(validate.os, "cpu_count", lambda: 3)
    forked = []
    real = validate.ProcessPoolExecutor

    def spy(*args: object, **kwargs: object) -> object:
        forked.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "ProcessPoolExecutor", spy)
    parallel_content, parallel = validate_dir(content, tmp_path)
    assert forked, "the files were not read in workers"
    assert [p.format() for p in sort_problems(parallel)] == [
        p.format() for p in sort_problems(serial)
    ]
    assert len(serial) == 3
    assert parallel_content.records == serial_content.records
    assert [r.marks for r in parallel_content.records.values()] == [
        r.marks for r in serial_content.records.values()
    ]

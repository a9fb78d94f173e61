"""generator.text: search folding (on the shared fixture list), digits, numbers, bidi."""

from __future__ import annotations

import ast
import json
import re
import string
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import text
from generator.text import (
    bidi_control_problem,
    fold,
    folding_table,
    format_number,
    has_persian,
    invisible_chars,
    is_rtl_text,
    isolate,
    search_terms,
    search_terms_of_each,
    table_from_json,
    to_persian_digits,
)

ROOT = Path(__file__).resolve().parent.parent
TABLE_DOC = json.loads((ROOT / "generator" / "data" / "folding.json").read_text(encoding="utf-8"))
CASES = json.loads((ROOT / "tests" / "fixtures" / "folding_cases.json").read_text(encoding="utf-8"))
ALL_CHARS = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]


# --- the table and its fixtures ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[repr(c["input"])[:40] for c in CASES])
def test_fold_fixture(case: dict[str, str]) -> None:
    assert fold(case["input"]) == case["folded"]


def test_fixtures_are_pairs_of_strings() -> None:
    # The browser-side tests read the same file: keep its shape exactly this.
    assert all(set(c) == {"input", "folded"} for c in CASES)
    assert all(isinstance(v, str) for c in CASES for v in c.values())


@pytest.mark.parametrize(
    "row", TABLE_DOC["rows"], ids=[r["comment"][:40] for r in TABLE_DOC["rows"]]
)
def test_every_table_row_has_a_fixture(row: dict) -> None:
    mapped = {chr(int(code[2:], 16)) for code in row["from"]}
    inputs = (unicodedata.normalize("NFKC", c["input"]) for c in CASES)
    assert any(mapped & set(s) for s in inputs), f"no fixture exercises: {row['comment']}"


def test_table_rows_are_well_formed() -> None:
    assert TABLE_DOC["order"] and TABLE_DOC["unicode_version"]
    for row in TABLE_DOC["rows"]:
        assert set(row) == {"comment", "to", "from"}
        assert row["comment"] and row["from"]
        assert all(code.startswith("U+") and code == code.upper() for code in row["from"])


def test_table_is_applied_in_one_pass() -> None:
    # The browser maps each character once; a target that is itself mapped would need two.
    table = folding_table()
    for target in set(table.values()):
        assert not any(ord(c) in table for c in target), target
        assert unicodedata.normalize("NFKC", target).casefold() == target


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"rows": [{"to": "", "from": ["U+0640", "U+0640"]}]}, "lists U+0640 twice"),
        ({"rows": [{"to": "", "from": ["0640"]}]}, "'0640' is not written U+XXXX"),
        ({"rows": [{"to": "", "from": ["U+-640"]}]}, "'U+-640' is not written U+XXXX"),
        ({"rows": [{"to": "", "from": ["U+110000"]}]}, "'U+110000' is not written U+XXXX"),
    ],
)
def test_table_from_json_refuses_bad_rows(doc: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        table_from_json(doc)


def _current_unicode() -> None:
    if unicodedata.unidata_version != TABLE_DOC["unicode_version"]:
        pytest.skip(
            f"folding.json lists Unicode {TABLE_DOC['unicode_version']}, this Python has "
            f"{unicodedata.unidata_version}: regenerate the rows that say 'every'"
        )


@pytest.mark.parametrize(
    ("label", "wanted", "target"),
    [
        ("non-ASCII digits", lambda c: unicodedata.category(c) == "Nd" and not c.isascii(), None),
        ("whitespace", lambda c: c.isspace() and c != " ", " "),
        ("punctuation", lambda c: unicodedata.category(c)[0] == "P", " "),
        ("ASCII symbols", lambda c: c in string.punctuation, " "),
        (
            "format characters",
            lambda c: unicodedata.category(c) == "Cf" and c not in "\u200b\u200c",
            "",
        ),
        ("controls", lambda c: unicodedata.category(c) == "Cc" and not c.isspace(), ""),
    ],
)
def test_table_covers_whole_categories(label: str, wanted, target: str | None) -> None:
    _current_unicode()
    table = folding_table()
    missing = [f"U+{ord(c):04X}" for c in ALL_CHARS if wanted(c) and ord(c) not in table]
    assert not missing, f"{label} missing from folding.json: {missing[:20]}"
    if target is None:  # digits: each to its own value
        wrong = [c for c in ALL_CHARS if wanted(c) and table[ord(c)] != str(unicodedata.decimal(c))]
    else:
        wrong = [c for c in ALL_CHARS if wanted(c) and table[ord(c)] != target]
    assert not wrong, f"{label} folded wrongly: {[f'U+{ord(c):04X}' for c in wrong[:20]]}"


# --- fold and search_terms properties ---------------------------------------------------------

PERSIANISH = st.text(
    alphabet=st.sampled_from(
        list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإآؤئء۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
        + list("\u200c\u200d\u064b\u064e\u0650\u0640 ،؛؟«»\u00a0\n.-abcABC123")
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), PERSIANISH))
def test_fold_output_is_normal(s: str) -> None:
    folded = fold(s)
    table = folding_table()
    assert folded == folded.strip(" ") and "  " not in folded
    assert not any(ord(c) in table for c in folded)


@settings(max_examples=500, deadline=None)
@given(PERSIANISH)
def test_fold_is_idempotent_on_persian_text(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@pytest.mark.parametrize(
    "forms",
    [
        ["عین الاسد", "عین‌الأسد", "عینالاسد", "عين الأسد"],
        ["می‌گیرد", "میگیرد", "می گیرد", "مي‌گيرد"],
        ["نخست‌وزیر", "نخست وزیر", "نخستوزیر"],
    ],
)
def test_written_forms_meet(forms: list[str]) -> None:
    term_sets = [set(search_terms(f)) for f in forms]
    shared = set.intersection(*term_sets)
    assert fold(forms[0]).replace(" ", "") in shared


@pytest.mark.parametrize(
    ("s", "terms"),
    [
        ("", []),
        ("  ،  ", []),
        ("نفت", ["نفت"]),
        ("قیمت نفت خام", ["قیمت", "نفت", "خام", "قیمتنفت", "نفتخام"]),
        ("Oil, OIL", ["oil", "oil", "oiloil"]),
        ("۲۰۲۵-۱۲-۳۱", ["2025", "12", "31", "202512", "1231"]),
    ],
)
def test_search_terms(s: str, terms: list[str]) -> None:
    assert search_terms(s) == terms


# Texts that start or end with what normalisation or case folding could join across them:
# combining marks, Hangul jamo, final sigma, ß, the separator itself.
EDGES = st.text(
    alphabet=st.sampled_from(
        list("\u0301\u0327\u064b\u0654\u1100\u1161\u11a8\u03a3\u03c2ßﬁ\ue000 \u200c")
        + list("aAeEΣσ가یيکكه")
    ),
    max_size=8,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), PERSIANISH, EDGES), max_size=8))
def test_search_terms_of_each_is_search_terms_of_each_text(texts: list[str]) -> None:
    assert search_terms_of_each(texts) == [search_terms(t) for t in texts]


# --- digits and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("1404", "۱۴۰۴"),
        ("٢٠٢٥", "۲۰۲۵"),
        ("ساعت 10:30 و ٥ دقیقه", "ساعت ۱۰:۳۰ و ۵ دقیقه"),
        ("۱۲", "۱۲"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_to_persian_digits(s: str, expected: str) -> None:
    assert to_persian_digits(s) == expected


@pytest.mark.parametrize(
    ("n", "lang", "kwargs", "expected"),
    [
        (1234567, "fa", {}, "۱٬۲۳۴٬۵۶۷"),
        (1234567, "en", {}, "1,234,567"),
        (1234.5, "fa", {}, "۱٬۲۳۴٫۵"),
        (1234.5, "en", {}, "1,234.5"),
        (0.1, "en", {}, "0.1"),
        (1e20, "en", {}, "100,000,000,000,000,000,000"),
        (-42, "fa", {}, "-۴۲"),
        (Decimal("3.50"), "fa", {}, "۳٫۵۰"),
        (0, "fa", {}, "۰"),
        (1404, "fa", {"grouping": False}, "۱۴۰۴"),
        (2025, "en", {"grouping": False}, "2025"),
    ],
)
def test_format_number(n, lang: str, kwargs: dict, expected: str) -> None:
    assert format_number(n, lang, **kwargs) == expected


@pytest.mark.parametrize(
    ("n", "lang", "error"),
    [
        (True, "fa", TypeError),
        ("12", "en", TypeError),
        (None, "en", TypeError),
        (float("nan"), "en", ValueError),
        (float("inf"), "fa", ValueError),
        (12, "de", ValueError),
    ],
)
def test_format_number_refuses(n, lang: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        format_number(n, lang)


# --- bidi and invisible characters ------------------------------------------------------------

UNBALANCED = "has an unbalanced bidi isolate (U+2066 … U+2069)"


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("سلام دنیا", None),
        ("می‌شود", None),
        ("", None),
        ("x\u202ey", "contains the bidi control U+202E (RIGHT-TO-LEFT OVERRIDE); remove it"),
        ("\u202ax", "contains the bidi control U+202A (LEFT-TO-RIGHT EMBEDDING); remove it"),
        ("\u202bx", "contains the bidi control U+202B (RIGHT-TO-LEFT EMBEDDING); remove it"),
        ("x\u202c", "contains the bidi control U+202C (POP DIRECTIONAL FORMATTING); remove it"),
        ("\u202dx", "contains the bidi control U+202D (LEFT-TO-RIGHT OVERRIDE); remove it"),
        ("\u2066abc\u2069 و \u2067x\u2069 و \u2068y\u2069", None),
        ("\u2066a\u2067b\u2069c\u2069", None),
        ("\u2066abc", UNBALANCED),
        ("abc\u2069", UNBALANCED),
        ("\u2069\u2066", UNBALANCED),
        ("\u2066a\u2067b\u2069", UNBALANCED),
        ("\u2068a\nb\u2069", UNBALANCED),  # a paragraph break ends the isolate
        ("\u2068a\u2069\n\u2068b\u2069", None),
    ],
)
def test_bidi_control_problem(s: str, expected: str | None) -> None:
    assert bidi_control_problem(s) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("سلام hello 123", []),
        ("tab\tline\nreturn\r", []),
        ("a\u200bb", ["U+200B (ZERO WIDTH SPACE)"]),
        ("می‌شود", ["U+200C (ZERO WIDTH NON-JOINER)"]),
        (
            "\ufeffa\u200eb\u200f\u202e\u2066c\u2069",
            [
                "U+FEFF (ZERO WIDTH NO-BREAK SPACE)",
                "U+200E (LEFT-TO-RIGHT MARK)",
                "U+200F (RIGHT-TO-LEFT MARK)",
                "U+202E (RIGHT-TO-LEFT OVERRIDE)",
                "U+2066 (LEFT-TO-RIGHT ISOLATE)",
                "U+2069 (POP DIRECTIONAL ISOLATE)",
            ],
        ),
        ("a\x00b\x00", ["U+0000 (NULL)"]),
        (
            "\x1b[31m\x7f\x85\x9b",
            [
                "U+001B (ESCAPE)",
                "U+007F (DELETE)",
                "U+0085 (NEXT LINE)",
                "U+009B (CONTROL)",
            ],
        ),
        (
            "\u00ad\u061c\u2060\U000e0041",
            [
                "U+00AD (SOFT HYPHEN)",
                "U+061C (ARABIC LETTER MARK)",
                "U+2060 (WORD JOINER)",
                "U+E0041 (TAG LATIN CAPITAL LETTER A)",
            ],
        ),
        (
            "\u3164\u2800\u034f\u2028",
            [
                "U+3164 (HANGUL FILLER)",
                "U+2800 (BRAILLE PATTERN BLANK)",
                "U+034F (COMBINING GRAPHEME JOINER)",
                "U+2028 (LINE SEPARATOR)",
            ],
        ),
        ("\u00a0 نیم‌فاصله", ["U+200C (ZERO WIDTH NON-JOINER)"]),  # NBSP is visible space
        ("❤\ufe0f", []),  # emoji presentation is not hidden text
    ],
)
def test_invisible_chars(s: str, expected: list[str]) -> None:
    assert invisible_chars(s) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("سلام", True),
        ("عربي", True),
        ("۱۴۰۴", True),
        ("ﻛﺘﺎﺏ", True),
        ("hello ١٢", False),  # Arabic-Indic digits alone are not Persian text
        ("Tehran 2025", False),
        ("", False),
        ("שלום", False),
        ("،؛؟", False),
    ],
)
def test_has_persian(s: str, expected: bool) -> None:
    assert has_persian(s) is expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("سلام world", True),
        ("world سلام", False),
        ("2025 سلام", True),
        ("«سلام»", True),
        ("שלום", True),
        ("123 - !", False),
        ("", False),
        ("\u2066abc\u2069 سلام", True),  # isolated text does not decide
        ("\u2067سلام\u2069 abc", False),
        ("\u2066abc", False),  # unclosed isolate hides the rest
    ],
)
def test_is_rtl_text(s: str, expected: bool) -> None:
    assert is_rtl_text(s) is expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("Tehran", "\u2068Tehran\u2069"),
        ("تهران", "\u2068تهران\u2069"),
        ("", ""),
        ("a\u202eb", "\u2068ab\u2069"),
        ("a\u2069b", "\u2068ab\u2069"),
        ("\u2066a\u2069b", "\u2068\u2066a\u2069b\u2069"),
        ("\u2067a", "\u2068a\u2069"),
    ],
)
def test_isolate(s: str, expected: str) -> None:
    assert isolate(s) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab س\u2066\u2067\u2068\u2069\u202a\u202e"))))
def test_isolate_never_leaks(s: str) -> None:
    # Whatever one line of s holds, the wrapped text is balanced and free of overrides.
    wrapped = isolate(s)
    assert bidi_control_problem(wrapped) is None
    assert wrapped == "" or (wrapped[0], wrapped[-1]) == ("\u2068", "\u2069")


def test_module_never_imports_mkdocs() -> None:
    tree = ast.parse(Path(text.__file__).read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert "mkdocs" not in imported and "markdown" not in imported

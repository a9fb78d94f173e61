"""Persian-aware text helpers: search folding, digits, numbers and bidi checks.

Everything here is pure. The folding table lives in ``data/folding.json`` so the
browser's search script folds readers' queries with exactly the same data that
folds the index here; ``fold`` is for search only and never for displayed text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from itertools import pairwise

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_ISOLATE_OPENERS = frozenset((LRI, RLI, FSI))
# Embeddings and overrides (LRE RLE PDF LRO RLO): the Trojan Source characters.
_EMBEDDINGS = frozenset(chr(c) for c in range(0x202A, 0x202F))
# Bidi class B: a paragraph break ends every open isolate (UAX #9, X8).
_PARAGRAPH_BREAKS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_PERSIAN_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", _PERSIAN_DIGITS * 2)
# CLDR's Persian separators: U+066C ARABIC THOUSANDS SEPARATOR, U+066B ARABIC DECIMAL SEPARATOR.
_FA_NUMBER = str.maketrans({",": "\u066c", ".": "\u066b"})

# Arabic-script blocks (Arabic, Supplement, Extended-B/-A, Presentation Forms A and B).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

# Invisible characters outside Cf/Cc that are used to hide text or fake blanks.
_OTHER_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2028\u2029\u2800\u3164\uffa0"
)
_LAYOUT_CONTROLS = frozenset("\t\n\r")
# unicodedata has no names for controls; these are their Unicode name aliases.
_C0_NAMES = (
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "ALERT",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
_CONTROL_NAMES = {
    **{chr(i): name for i, name in enumerate(_C0_NAMES)},
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}


_CODEPOINT = re.compile(r"U\+[0-9A-F]{4,6}")

# --- search folding ---------------------------------------------------------------------------


@cache
def folding_table() -> dict[int, str]:
    """The ``str.translate`` table built from ``data/folding.json``."""
    raw = resources.files("generator").joinpath("data/folding.json").read_text(encoding="utf-8")
    return table_from_json(json.loads(raw))


def table_from_json(doc: dict) -> dict[int, str]:
    """Turn the JSON rows into a translate table; a character in two rows is an error."""
    table: dict[int, str] = {}
    for row in doc["rows"]:
        for code in row["from"]:
            point = _parse_codepoint(code)
            if point in table:
                raise ValueError(f"folding table lists {code} twice")
            table[point] = row["to"]
    return table


def _parse_codepoint(code: str) -> int:
    if not _CODEPOINT.fullmatch(code) or int(code[2:], 16) > 0x10FFFF:
        raise ValueError(f"folding table: {code!r} is not written U+XXXX")
    return int(code[2:], 16)


def fold(s: str) -> str:
    """Fold text for search: NFKC, the table, casefold, single spaces (the order in the JSON)."""
    folded = unicodedata.normalize("NFKC", s).translate(folding_table()).casefold()
    # Split on U+0020 only: the table already turned every other blank into it, and the
    # browser side must collapse exactly the same characters.
    return " ".join(piece for piece in folded.split(" ") if piece)


#: Folded texts are joined with this to fold them in one call: NFKC, the table and casefold
#: all leave it alone, and as a starter it stops normalisation from reaching across it.
_SEPARATOR = "\ue000"


def search_terms_of_each(texts: Sequence[str]) -> list[list[str]]:
    """``search_terms`` of each text, as if called on each: the texts are folded in one pass
    (a page's forty blocks cost one call to NFKC, the table and casefold instead of forty)."""
    if not texts:
        return []
    if ord(_SEPARATOR) in folding_table() or any(_SEPARATOR in t for t in texts):
        return [search_terms(t) for t in texts]
    joined = unicodedata.normalize("NFKC", _SEPARATOR.join(texts))
    out = []
    for folded in joined.translate(folding_table()).casefold().split(_SEPARATOR):
        tokens = list(filter(None, folded.split(" ")))
        out.append(tokens + [a + b for a, b in pairwise(tokens)])
    return out


def search_terms(s: str) -> list[str]:
    """Tokens of ``fold(s)``, then every two adjacent tokens joined with nothing.

    A word may be written with a ZWNJ, a space or nothing («عین‌الأسد», «عین الاسد»,
    «عینالاسد»); joining neighbours makes all three forms share a term. Duplicates are
    kept so an indexer can still count them.
    """
    tokens = [t for t in fold(s).split(" ") if t]
    return tokens + [a + b for a, b in pairwise(tokens)]


# --- digits and numbers -----------------------------------------------------------------------


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits to Persian digits (U+06F0–U+06F9); nothing else changes."""
    return s.translate(_TO_PERSIAN_DIGITS)


def format_number(n: int | float | Decimal, lang: str, *, grouping: bool = True) -> str:
    """A quantity for display: «۱٬۲۳۴٫۵» in Persian, «1,234.5» in English.

    Never in exponent notation. Years and ids are not quantities: pass ``grouping=False``.
    """
    if isinstance(n, bool) or not isinstance(n, int | float | Decimal):
        raise TypeError(f"format_number expects a number, not {type(n).__name__}")
    # Through str() so a float prints its shortest form (0.1, not 0.1000000000000000055...).
    value = Decimal(str(n)) if isinstance(n, float) else Decimal(n)
    if not value.is_finite():
        raise ValueError(f"cannot display {n!r} as a number")
    text = format(value, ",f" if grouping else "f")
    if lang == "en":
        return text
    if lang == "fa":
        return to_persian_digits(text.translate(_FA_NUMBER))
    raise ValueError(f"unknown language {lang!r}")


# --- script and direction ---------------------------------------------------------------------


def has_persian(s: str) -> bool:
    """True when ``s`` has an Arabic-script letter or a Persian digit (the site's RTL script)."""
    return any(_is_arabic_letter(c) or c in _PERSIAN_DIGITS for c in s)


def _is_arabic_letter(c: str) -> bool:
    point = ord(c)
    in_block = any(lo <= point <= hi for lo, hi in _ARABIC_BLOCKS)
    return in_block and unicodedata.category(c).startswith("L")


def is_rtl_text(s: str) -> bool:
    """True when the first strong character is right-to-left (UAX #9 rules P2 and P3).

    As in P2, text inside isolates is skipped; no strong character at all means LTR.
    """
    depth = 0
    for c in s:
        if c in _ISOLATE_OPENERS:
            depth += 1
        elif c == PDI:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kind = unicodedata.bidirectional(c)
            if kind == "L":
                return False
            if kind in ("R", "AL"):
                return True
    return False


def isolate(s: str) -> str:
    """Wrap ``s`` in FSI…PDI for places where no markup is possible (<title>, attributes).

    Embedding and override controls and unmatched isolates inside ``s`` are dropped first:
    they would otherwise leak out of the isolate and reorder the text around it.
    """
    inner = _balance_isolates("".join(c for c in s if c not in _EMBEDDINGS))
    return f"{FSI}{inner}{PDI}" if inner else ""


def _balance_isolates(s: str) -> str:
    """Drop every isolate initiator without its PDI and every PDI without its initiator."""
    keep = [True] * len(s)
    open_at: list[int] = []
    for i, c in enumerate(s):
        if c in _ISOLATE_OPENERS:
            open_at.append(i)
        elif c == PDI:
            if open_at:
                open_at.pop()
            else:
                keep[i] = False
        elif c in _PARAGRAPH_BREAKS:
            for j in open_at:
                keep[j] = False
            open_at.clear()
    for j in open_at:
        keep[j] = False
    return "".join(c for c, k in zip(s, keep, strict=True) if k)


# --- problems in contributor text -------------------------------------------------------------


_ANY_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_control_problem(s: str) -> str | None:
    """A message when ``s`` holds an embedding/override control or an unbalanced isolate."""
    if not _ANY_BIDI_CONTROL.search(s):
        return None  # the common case, checked in one pass for every string of every record
    for c in s:
        if c in _EMBEDDINGS:
            return f"contains the bidi control {describe_char(c)}; remove it"
    if _balance_isolates(s) != s:
        return "has an unbalanced bidi isolate (U+2066 … U+2069)"
    return None


def invisible_chars(s: str) -> list[str]:
    """Each distinct invisible character in ``s``, described, in order of first appearance.

    Every format character (category Cf: ZWNJ, ZWJ, bidi marks, BOM...) counts, so ZWNJ,
    correct inside Persian words, is reported too: the caller decides where it is allowed.
    Controls other than tab, newline and carriage return count as well.
    """
    seen = dict.fromkeys(c for c in s if _is_invisible(c))
    return [describe_char(c) for c in seen]


def _is_invisible(c: str) -> bool:
    category = unicodedata.category(c)
    if category == "Cc":
        return c not in _LAYOUT_CONTROLS
    return category == "Cf" or c in _OTHER_INVISIBLE


def describe_char(c: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``: how problems name a character."""
    name = unicodedata.name(c, "") or _CONTROL_NAMES.get(c, "")
    if not name:
        name = "CONTROL" if unicodedata.category(c) == "Cc" else "UNNAMED CHARACTER"
    return f"U+{ord(c):04X} ({name})"

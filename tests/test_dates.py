"""Dates: the EDTF profile in both calendars, their agreement, and their display."""

from __future__ import annotations

import random
import re
from datetime import date

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import (
    DateError,
    EDate,
    Point,
    combine,
    format_date,
    parse_date,
    to_persian_digits,
)

G, J = "gregorian", "jalali"
ASCII_DIGIT = re.compile("[0-9]")
PERSIAN_DIGIT = re.compile("[۰-۹]")


def d(iso: str) -> date:
    return date.fromisoformat(iso)


# --- parsing -------------------------------------------------------------------------------

# (text, calendar, form, first Gregorian day, last Gregorian day)
PARSE_CASES = [
    ("2025-12-31", G, "point", "2025-12-31", "2025-12-31"),
    ("2024-09", G, "point", "2024-09-01", "2024-09-30"),
    ("2024-02", G, "point", "2024-02-01", "2024-02-29"),
    ("2026", G, "point", "2026-01-01", "2026-12-31"),
    ("2026-01~", G, "point", "2026-01-01", "2026-01-31"),
    ("2025-12-31?", G, "point", "2025-12-31", "2025-12-31"),
    ("2025%", G, "point", "2025-01-01", "2025-12-31"),
    ("2014/2017", G, "interval", "2014-01-01", "2017-12-31"),
    ("2025-09/2025-12", G, "interval", "2025-09-01", "2025-12-31"),
    ("2025-09/..", G, "interval", "2025-09-01", None),
    ("../2026", G, "interval", None, "2026-12-31"),
    ("2025/2025", G, "interval", "2025-01-01", "2025-12-31"),
    ("[..2026-09]", G, "before", None, "2026-09-30"),
    ("[2026-01..]", G, "after", "2026-01-01", None),
    ("[..2026-09~]", G, "before", None, "2026-09-30"),
    ("1404-10-10", J, "point", "2025-12-31", "2025-12-31"),
    ("1403-12-30", J, "point", "2025-03-20", "2025-03-20"),
    ("1404-12-29", J, "point", "2026-03-20", "2026-03-20"),
    ("1404-10", J, "point", "2025-12-22", "2026-01-20"),
    ("1403-12", J, "point", "2025-02-19", "2025-03-20"),
    ("1404", J, "point", "2025-03-21", "2026-03-20"),
    ("1404-10~", J, "point", "2025-12-22", "2026-01-20"),
    ("1393/1396", J, "interval", "2014-03-21", "2018-03-20"),
    ("1404-07/..", J, "interval", "2025-09-23", None),
    ("../1405", J, "interval", None, "2027-03-20"),
    ("[..1405-06]", J, "before", None, "2026-09-22"),
    ("[1404-11..]", J, "after", "2026-01-21", None),
]


@pytest.mark.parametrize(("text", "cal", "form", "first", "last"), PARSE_CASES)
def test_parse_forms_and_gregorian_days(text, cal, form, first, last):
    e = parse_date(text, cal)
    assert e.form == form
    assert e.text == text
    assert e.calendar == cal
    assert e.first() == (d(first) if first else None)
    assert e.last() == (d(last) if last else None)


@pytest.mark.parametrize(
    ("text", "cal", "start", "end"),
    [
        ("2025-12-31", G, Point(G, 2025, 12, 31), None),
        ("2026-01~", G, Point(G, 2026, 1, None, approximate=True), None),
        ("2025-12-31?", G, Point(G, 2025, 12, 31, uncertain=True), None),
        ("2025%", G, Point(G, 2025, None, None, approximate=True, uncertain=True), None),
        ("2025-09/..", G, Point(G, 2025, 9), None),
        ("../2026", G, None, Point(G, 2026)),
        ("[..2026-09]", G, None, Point(G, 2026, 9)),
        ("[2026-01..]", G, Point(G, 2026, 1), None),
        (
            "1404-10-10~/1404-11?",
            J,
            Point(J, 1404, 10, 10, True),
            Point(J, 1404, 11, None, False, True),
        ),
    ],
)
def test_parse_points(text, cal, start, end):
    e = parse_date(text, cal)
    assert (e.start, e.end) == (start, end)


@pytest.mark.parametrize(
    ("point", "precision", "edtf", "iso"),
    [
        (Point(G, 2024, 9), "month", "2024-09", "2024-09"),
        (Point(G, 2026), "year", "2026", "2026"),
        (Point(G, 2025, 12, 31, approximate=True), "day", "2025-12-31~", "2025-12-31"),
        (Point(J, 1404, 10, 10, uncertain=True), "day", "1404-10-10?", "2025-12-31"),
        (Point(J, 1404, 10, None, True, True), "month", "1404-10%", "2025-12-22/2026-01-20"),
        (Point(J, 1404), "year", "1404", "2025-03-21/2026-03-20"),
    ],
)
def test_point_precision_edtf_and_iso(point, precision, edtf, iso):
    assert point.precision == precision
    assert point.edtf() == edtf
    assert point.iso() == iso


# --- errors --------------------------------------------------------------------------------

OUTSIDE = (
    "is not a date in the accepted forms"
    " (YYYY, YYYY-MM, YYYY-MM-DD, with ~ ? %, A/B intervals, [..X] and [X..])"
)

ERROR_CASES = [
    (
        "1404-12-30",
        J,
        '"1404-12-30" is not a day of the Solar Hijri calendar (1404 is not a leap year)',
    ),
    ("1404-07-31", J, '"1404-07-31" is not a day of the Solar Hijri calendar (Mehr has 30 days)'),
    (
        "1403-12-31",
        J,
        '"1403-12-31" is not a day of the Solar Hijri calendar (Esfand 1403 has 30 days)',
    ),
    (
        "1404-01-32",
        J,
        '"1404-01-32" is not a day of the Solar Hijri calendar (Farvardin has 31 days)',
    ),
    (
        "2025-02-29",
        G,
        '"2025-02-29" is not a day of the Gregorian calendar (February 2025 has 28 days)',
    ),
    (
        "2024-02-30",
        G,
        '"2024-02-30" is not a day of the Gregorian calendar (February 2024 has 29 days)',
    ),
    (
        "2025-04-31",
        G,
        '"2025-04-31" is not a day of the Gregorian calendar (April 2025 has 30 days)',
    ),
    (
        "1900-02-29",
        G,
        '"1900-02-29" is not a day of the Gregorian calendar (February 1900 has 28 days)',
    ),
    (
        "2025-02-29~",
        G,
        '"2025-02-29" is not a day of the Gregorian calendar (February 2025 has 28 days)',
    ),
    ("2025-13", G, '"2025-13" is not a date: month 13 does not exist'),
    ("1404-13", J, '"1404-13" is not a date: month 13 does not exist'),
    ("2025-00", G, '"2025-00" is not a date: month 0 does not exist'),
    ("2025-01-00", G, '"2025-01-00" is not a date: day 0 does not exist'),
    ("2024/2025-13", G, '"2025-13" is not a date: month 13 does not exist'),
    ("0025-01-01", G, '"0025-01-01" is outside the supported years'),
    ("3000", G, '"3000" is outside the supported years'),
    ("2025-12-31", J, '"2025-12-31" is outside the supported years'),
    ("0999", J, '"0999" is outside the supported years'),
    ("۱۴۰۴-۱۰-۱۰", J, '"۱۴۰۴-۱۰-۱۰" uses Persian digits; write dates with ASCII digits 0-9'),
    ("۲۰۲۵-12-31", G, '"۲۰۲۵-12-31" uses Persian digits; write dates with ASCII digits 0-9'),
    ("٢٠٢٥", G, '"٢٠٢٥" uses Arabic-Indic digits; write dates with ASCII digits 0-9'),
    ("2017/2014", G, '"2017/2014" ends before it starts'),
    ("2025-12-31/2025-12-30", G, '"2025-12-31/2025-12-30" ends before it starts'),
    ("1404/1403-12", J, '"1404/1403-12" ends before it starts'),
    ("../..", G, '"../.." is open at both ends; give at least one of the two dates'),
    ("31/12/2025", G, f'"31/12/2025" {OUTSIDE}'),
    ("", G, f'"" {OUTSIDE}'),
    ("2025-1-5", G, f'"2025-1-5" {OUTSIDE}'),
    ("25", G, f'"25" {OUTSIDE}'),
    ("20250", G, f'"20250" {OUTSIDE}'),
    ("20251231", G, f'"20251231" {OUTSIDE}'),
    (" 2025", G, f'" 2025" {OUTSIDE}'),
    ("2025\n", G, f'"2025\n" {OUTSIDE}'),
    ("2025~?", G, f'"2025~?" {OUTSIDE}'),
    ("~2025", G, f'"~2025" {OUTSIDE}'),
    ("2025-12-31T10:00", G, f'"2025-12-31T10:00" {OUTSIDE}'),
    ("2014/2015/2016", G, f'"2014/2015/2016" {OUTSIDE}'),
    ("2014/", G, f'"2014/" {OUTSIDE}'),
    ("[..]", G, f'"[..]" {OUTSIDE}'),
    ("[..2025/2026]", G, f'"[..2025/2026]" {OUTSIDE}'),
    ("[2025]", G, f'"[2025]" {OUTSIDE}'),
    ("[..2025", G, f'"[..2025" {OUTSIDE}'),
    ("2025-21", G, '"2025-21" is not a date: month 21 does not exist'),
    ("2025-XX", G, f'"2025-XX" {OUTSIDE}'),
]


@pytest.mark.parametrize(("text", "cal", "message"), ERROR_CASES)
def test_error_messages(text, cal, message):
    with pytest.raises(DateError) as caught:
        parse_date(text, cal)
    assert str(caught.value) == message


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize("value", [2025, 2025.0, date(2025, 12, 31), None])
def test_non_string_is_a_date_error(value):
    with pytest.raises(DateError, match="is not a date string"):
        parse_date(value)


def test_unknown_calendar_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown calendar") as caught:
        parse_date("2025", "julian")
    assert not isinstance(caught.value, DateError)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"calendar": G, "year": 2025, "month": 2, "day": 29}, DateError),
        ({"calendar": J, "year": 2025}, DateError),
        ({"calendar": "julian", "year": 2025}, ValueError),
        ({"calendar": G, "year": 2025, "month": None, "day": 3}, ValueError),
    ],
)
def test_point_constructor_refuses_impossible_points(kwargs, error):
    with pytest.raises(error):
        Point(**kwargs)


@pytest.mark.parametrize(
    ("form", "start", "end"),
    [
        ("point", None, None),
        ("point", Point(G, 2025), Point(G, 2026)),
        ("before", Point(G, 2025), None),
        ("after", None, Point(G, 2025)),
        ("interval", None, None),
        ("range", Point(G, 2025), None),
    ],
)
def test_edate_refuses_inconsistent_shapes(form, start, end):
    with pytest.raises(ValueError):
        EDate(form, start, end, "x")


# --- combine -------------------------------------------------------------------------------

AGREEING = [
    ("2025-12-31", "1404-10-10"),
    ("2025-03-20", "1403-12-30"),
    ("2025-12-31~", "1404-10-10~"),
    ("2025-12-31%", "1404-10-10%"),
    ("2025-09-23/2026-01-20", "1404-07-01/1404-10-30"),
    ("2025-09-23/..", "1404-07-01/.."),
    ("../2026-01-20", "../1404-10-30"),
    ("[..2026-01-20]", "[..1404-10-30]"),
    ("[2025-12-31..]", "[1404-10-10..]"),
]


@pytest.mark.parametrize(("greg", "jal"), AGREEING)
def test_combine_agreeing_returns_gregorian_remembering_jalali(greg, jal):
    g, j = parse_date(greg), parse_date(jal, J)
    both = combine(g, j)
    assert both is not None
    assert both.text == greg
    assert both.calendar == G
    assert both.jalali == j
    assert (both.first(), both.last()) == (j.first(), j.last())


DISAGREEING = [
    ("2025-12-30", "1404-10-10", "1404-10-10 is 2025-12-31"),
    ("2025-12", "1404-10", "1404-10 is 2025-12-22/2026-01-20"),
    ("2025", "1404", "1404 is 2025-03-21/2026-03-20"),
    (
        "2025-12-31~",
        "1404-10-10~/..",
        "the Gregorian date is a single date but the Solar Hijri one is an interval",
    ),
    (
        "[..2025-12-31]",
        "1404-10-10",
        "the Gregorian date is an on-or-before date [..X] but the Solar Hijri one is a single date",
    ),
    (
        "2025-12-31",
        "1404-10-10~",
        "the Gregorian date is unqualified but the Solar Hijri one is approximate (~)",
    ),
    (
        "2025-12-31?",
        "1404-10-10%",
        "the Gregorian date is uncertain (?)"
        " but the Solar Hijri one is approximate and uncertain (%)",
    ),
    ("2025-12-31/..", "1404-10-10/1404-10-11", "only the Gregorian interval is open at the end"),
    ("../2025-12-31", "1404-10-09/1404-10-10", "only the Gregorian interval is open at the start"),
    ("2025-12-30/2025-12-31", "1404-10-09/1404-10-11", "1404-10-11 is 2026-01-01"),
]


@pytest.mark.parametrize(("greg", "jal", "why"), DISAGREEING)
def test_combine_disagreeing_says_why(greg, jal, why):
    with pytest.raises(DateError) as caught:
        combine(parse_date(greg), parse_date(jal, J))
    assert str(caught.value) == f'Gregorian "{greg}" and Solar Hijri "{jal}" disagree: {why}'


def test_combine_one_side_only():
    g, j = parse_date("2025-12-31"), parse_date("1404-10", J)
    assert combine(g, None) == g
    assert combine(None, j) == j
    assert combine(None, None) is None


def test_combine_refuses_swapped_calendars():
    g, j = parse_date("2025-12-31"), parse_date("1404-10-10", J)
    with pytest.raises(ValueError, match="Gregorian date first"):
        combine(j, g)
    with pytest.raises(ValueError, match="Solar Hijri date second"):
        combine(g, g)


# --- display -------------------------------------------------------------------------------

# (text, calendar, lang, with_jalali, expected)
FORMAT_CASES = [
    # Gregorian, Persian
    ("2025-12-31", G, "fa", False, "۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵)"),
    ("2024-09", G, "fa", False, "سپتامبر ۲۰۲۴"),
    ("2026", G, "fa", False, "۲۰۲۶"),
    ("2026-01~", G, "fa", False, "حدود ژانویه ۲۰۲۶"),
    ("2025-12-31?", G, "fa", False, "۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵) (نامطمئن)"),
    ("2026%", G, "fa", False, "حدود ۲۰۲۶ (نامطمئن)"),
    ("2014/2017", G, "fa", False, "۲۰۱۴ تا ۲۰۱۷"),
    ("2025-09/2025-12", G, "fa", False, "سپتامبر ۲۰۲۵ تا دسامبر ۲۰۲۵"),
    ("2025-09/..", G, "fa", False, "از سپتامبر ۲۰۲۵ تاکنون"),
    ("../2026", G, "fa", False, "تا ۲۰۲۶"),
    ("[..2026-09]", G, "fa", False, "تا سپتامبر ۲۰۲۶"),
    ("[2026-01..]", G, "fa", False, "از ژانویه ۲۰۲۶ به بعد"),
    ("2025-05", G, "fa", True, "مه ۲۰۲۵"),
    # Jalali, Persian
    ("1404-10-10", J, "fa", False, "۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵)"),
    ("1404-10", J, "fa", False, "دی ۱۴۰۴"),
    ("1404", J, "fa", False, "۱۴۰۴"),
    ("1403-06~", J, "fa", False, "حدود شهریور ۱۴۰۳"),
    ("1404-10-10%", J, "fa", False, "حدود ۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵) (نامطمئن)"),
    ("1393/1396", J, "fa", False, "۱۳۹۳ تا ۱۳۹۶"),
    ("1404-07/..", J, "fa", False, "از مهر ۱۴۰۴ تاکنون"),
    ("../1405", J, "fa", False, "تا ۱۴۰۵"),
    ("[..1405-06]", J, "fa", False, "تا شهریور ۱۴۰۵"),
    ("[1404-11..]", J, "fa", False, "از بهمن ۱۴۰۴ به بعد"),
    # Gregorian, English
    ("2025-12-31", G, "en", False, "31 December 2025"),
    ("2025-12-31", G, "en", True, "31 December 2025 (10 Dey 1404)"),
    ("2025-03-05", G, "en", False, "5 March 2025"),
    ("2024-09", G, "en", False, "September 2024"),
    ("2024-09", G, "en", True, "September 2024"),
    ("2026", G, "en", False, "2026"),
    ("2026-01~", G, "en", False, "c. January 2026"),
    ("2025-12-31?", G, "en", False, "31 December 2025 (?)"),
    ("2026%", G, "en", False, "c. 2026 (?)"),
    ("2014/2017", G, "en", False, "2014–2017"),
    ("2014~/2017", G, "en", False, "c. 2014 – 2017"),
    ("2025-09/2025-12", G, "en", False, "September 2025 – December 2025"),
    (
        "2025-12-31/2026-01-02",
        G,
        "en",
        True,
        "31 December 2025 (10 Dey 1404) – 2 January 2026 (12 Dey 1404)",
    ),
    ("2025-09/..", G, "en", False, "since September 2025"),
    ("../2026", G, "en", False, "until 2026"),
    ("[..2026-09]", G, "en", False, "by September 2026"),
    ("[2026-01..]", G, "en", False, "January 2026 or later"),
    # Jalali, English
    ("1404-10-10", J, "en", False, "31 December 2025"),
    ("1404-10-10", J, "en", True, "31 December 2025 (10 Dey 1404)"),
    ("1404-10", J, "en", False, "Dey 1404 (December 2025 – January 2026)"),
    ("1404", J, "en", False, "1404 (March 2025 – March 2026)"),
    ("1404-10~", J, "en", False, "c. Dey 1404 (December 2025 – January 2026)"),
    ("1404-10-10?", J, "en", True, "31 December 2025 (10 Dey 1404) (?)"),
    ("1393/1396", J, "en", False, "1393–1396 (March 2014 – March 2018)"),
    ("1404-07/1404-10", J, "en", False, "Mehr 1404 – Dey 1404 (September 2025 – January 2026)"),
    ("1404-07-01/1404-10-10", J, "en", False, "23 September 2025 – 31 December 2025"),
    ("1404-07/..", J, "en", False, "since Mehr 1404 (September 2025 – October 2025)"),
    ("../1405", J, "en", False, "until 1405 (March 2026 – March 2027)"),
    ("[..1405-06]", J, "en", False, "by Shahrivar 1405 (August 2026 – September 2026)"),
    ("[1404-11..]", J, "en", False, "Bahman 1404 (January 2026 – February 2026) or later"),
]


@pytest.mark.parametrize(("text", "cal", "lang", "with_jalali", "expected"), FORMAT_CASES)
def test_format_date(text, cal, lang, with_jalali, expected):
    assert format_date(parse_date(text, cal), lang, with_jalali=with_jalali) == expected


@pytest.mark.parametrize(("text", "cal", "lang", "with_jalali", "expected"), FORMAT_CASES)
def test_format_date_digits_match_language(text, cal, lang, with_jalali, expected):
    out = format_date(parse_date(text, cal), lang, with_jalali=with_jalali)
    wrong = ASCII_DIGIT if lang == "fa" else PERSIAN_DIGIT
    assert not wrong.search(out)


def test_combined_date_displays_like_its_gregorian_side():
    both = combine(parse_date("2025-12-31"), parse_date("1404-10-10", J))
    assert both is not None
    assert format_date(both, "fa") == "۱۰ دی ۱۴۰۴ (۳۱ دسامبر ۲۰۲۵)"
    assert format_date(both, "en", with_jalali=True) == "31 December 2025 (10 Dey 1404)"


def test_format_date_unknown_language():
    with pytest.raises(ValueError, match="unknown language"):
        format_date(parse_date("2025"), "ar")


def test_format_date_ignores_jdatetime_global_locale():
    dates = [parse_date(text, cal) for text, cal, *_ in FORMAT_CASES]
    before = [format_date(e, lang, with_jalali=True) for e in dates for lang in ("fa", "en")]
    previous = jdatetime.set_locale("fa_IR")
    try:
        after = [format_date(e, lang, with_jalali=True) for e in dates for lang in ("fa", "en")]
    finally:
        jdatetime.set_locale(previous)
    assert after == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-31", "۲۰۲۵-۱۲-۳۱"),
        ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"),
        ("۰۱۲۳۴۵۶۷۸۹", "۰۱۲۳۴۵۶۷۸۹"),
        ("دی ۱۴۰۴ and 5", "دی ۱۴۰۴ and ۵"),
        ("no digits", "no digits"),
    ],
)
def test_to_persian_digits(text, expected):
    assert to_persian_digits(text) == expected


# --- ordering ------------------------------------------------------------------------------


def test_sort_key_orders_a_timeline():
    expected = [
        ("2014/2017", G),
        ("1404", J),  # starts 2025-03-21
        ("2025-09", G),
        ("2025-09/..", G),  # same start as the month, but open: after it
        ("2025-12-31", G),
        ("1404-10-10", J),  # the same day: the calendar breaks the tie deterministically
        ("2026", G),
        ("[2026-01..]", G),
        ("[..2026-09]", G),  # placed at its deadline
        ("../2026", G),  # placed at its end
    ]
    dates = [parse_date(text, cal) for text, cal in expected]
    shuffled = dates[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=EDate.sort_key) == dates


# --- properties ----------------------------------------------------------------------------

GREGORIAN_DAYS = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))
# Gregorian days whose Jalali year lies in the supported 1000-1999.
JALALI_DAYS = st.dates(min_value=date(1621, 3, 21), max_value=date(2621, 3, 20))


@settings(deadline=None)  # no timing in tests: a slow machine is not a failure
@given(GREGORIAN_DAYS)
def test_any_gregorian_day_formats_in_persian_digits_only(day):
    e = parse_date(day.isoformat())
    assert e.first() == e.last() == day
    assert not ASCII_DIGIT.search(format_date(e, "fa"))
    assert not PERSIAN_DIGIT.search(format_date(e, "en", with_jalali=True))


@settings(deadline=None)  # no timing in tests: a slow machine is not a failure
@given(JALALI_DAYS)
def test_gregorian_jalali_gregorian_round_trip_agrees(day):
    j = jdatetime.date.fromgregorian(date=day)
    jalali_text = f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
    both = combine(parse_date(day.isoformat()), parse_date(jalali_text, J))
    assert both is not None
    assert both.first() == day
    assert both.jalali is not None and both.jalali.text == jalali_text


@st.composite
def points(draw, cal: str) -> Point:
    day = draw(GREGORIAN_DAYS if cal == G else JALALI_DAYS)
    if cal == J:
        j = jdatetime.date.fromgregorian(date=day)
        year, month, dom = j.year, j.month, j.day
    else:
        year, month, dom = day.year, day.month, day.day
    precision = draw(st.sampled_from(["year", "month", "day"]))
    mark = draw(st.sampled_from(["", "~", "?", "%"]))
    return Point(
        cal,
        year,
        month if precision != "year" else None,
        dom if precision == "day" else None,
        approximate=mark in ("~", "%"),
        uncertain=mark in ("?", "%"),
    )


@st.composite
def profile_texts(draw) -> tuple[str, str]:
    cal = draw(st.sampled_from([G, J]))
    a, b = draw(points(cal)), draw(points(cal))
    if b.last() < a.first():
        a, b = b, a
    form = draw(st.sampled_from(["point", "interval", "open-end", "open-start", "before", "after"]))
    text = {
        "point": a.edtf(),
        "interval": f"{a.edtf()}/{b.edtf()}",
        "open-end": f"{a.edtf()}/..",
        "open-start": f"../{b.edtf()}",
        "before": f"[..{b.edtf()}]",
        "after": f"[{a.edtf()}..]",
    }[form]
    return text, cal


@settings(deadline=None)  # no timing in tests: a slow machine is not a failure
@given(profile_texts())
def test_every_profile_date_parses_and_formats(case):
    text, cal = case
    e = parse_date(text, cal)
    assert e.text == text
    start = e.start.edtf() if e.start else ".."
    end = e.end.edtf() if e.end else ".."
    rebuilt = {
        "point": start,
        "interval": f"{start}/{end}",
        "before": f"[..{end}]",
        "after": f"[{start}..]",
    }[e.form]
    assert rebuilt == text
    first, last = e.first(), e.last()
    if first and last:
        assert first <= last
    assert not ASCII_DIGIT.search(format_date(e, "fa"))
    for with_jalali in (False, True):
        out = format_date(e, "en", with_jalali=with_jalali)
        assert out and not PERSIAN_DIGIT.search(out)
    assert isinstance(e.sort_key(), tuple)

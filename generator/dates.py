"""Dates in a small EDTF profile, Gregorian or Solar Hijri (Jalali), and their display.

The profile, the same for both calendars:

* a point ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, optionally suffixed ``~`` (approximate),
  ``?`` (uncertain) or ``%`` (both);
* an interval ``A/B`` where either side (not both) may be ``..`` for an open end;
* a deadline ``[..X]`` (on or before X) and ``[X..]`` (on or after X).

Gregorian dates come from a record's ``date`` field, Jalali ones from ``date_jalali``; a Jalali
month or year is a range of Gregorian days. Precision is never invented: a month stays a month.

jdatetime is used only for its calendar arithmetic and its month-name lists. Its ``strftime``
prints ASCII digits and its ``set_locale`` is per-thread global state, so formatting here is our
own pure code with an explicit language argument.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, replace
from datetime import date

import jdatetime

GREGORIAN = "gregorian"
JALALI = "jalali"
CALENDARS = (GREGORIAN, JALALI)

# A sanity range, not a calendar limit: a four-digit year outside it is far likelier a typo
# (or the other calendar's year) than a fact from a news article.
YEAR_RANGE = {GREGORIAN: (1000, 2999), JALALI: (1000, 1999)}

ACCEPTED_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, with ~ ? %, A/B intervals, [..X] and [X..]"

# English month names are spelled out rather than taken from ``calendar.month_name``, which
# follows the process locale.
_GREGORIAN_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_GREGORIAN_MONTHS_FA = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
# Class-level lists: reading them does not depend on jdatetime's thread-local locale.
_JALALI_MONTHS_FA = tuple(jdatetime.date.j_months_fa)
_JALALI_MONTHS_EN = tuple(jdatetime.date.j_months_en)

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_PERSIAN = str.maketrans("0123456789" + _ARABIC_INDIC_DIGITS, _PERSIAN_DIGITS * 2)

# [0-9], never \d: \d (like int()) also accepts Persian and Arabic-Indic digits.
_POINT_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)")
_BEFORE_RE = re.compile(r"\[\.\.([^\[\]]*)\]")
_AFTER_RE = re.compile(r"\[([^\[\]]*)\.\.\]")
_OPEN = ".."

_FORMS = ("point", "interval", "before", "after")
_FORM_ORDER = {form: i for i, form in enumerate(("before", "interval", "point", "after"))}


class DateError(ValueError):
    """A date that is not in the profile or not a real day; ``str(err)`` is the message."""


@dataclass(frozen=True)
class Point:
    """One year, month or day, in the calendar it was written in."""

    calendar: str
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __post_init__(self) -> None:
        # Checked here so that every Point that exists is a real span of days.
        _check_point(self)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def ymd(self) -> str:
        """The date as written, without its qualifier: ``"1404-10"``."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def edtf(self) -> str:
        """The point in the profile's syntax, qualifier included: ``"2026-01~"``."""
        return self.ymd() + _qualifier_mark(self.approximate, self.uncertain)

    def first(self) -> date:
        """The first Gregorian day covered."""
        month = self.month or 1
        day = self.day or 1
        if self.calendar == GREGORIAN:
            return date(self.year, month, day)
        return jdatetime.date(self.year, month, day).togregorian()

    def last(self) -> date:
        """The last Gregorian day covered."""
        month = self.month or 12
        day = self.day or _days_in_month(self.calendar, self.year, month)
        if self.calendar == GREGORIAN:
            return date(self.year, month, day)
        return jdatetime.date(self.year, month, day).togregorian()

    def iso(self) -> str:
        """Gregorian ISO 8601 at the real precision; a Jalali month or year is an interval.

        Qualifiers are not part of it: this is the value for machine-readable markup.
        """
        if self.calendar == GREGORIAN:
            return self.ymd()
        first, last = self.first(), self.last()
        if first == last:
            return first.isoformat()
        return f"{first.isoformat()}/{last.isoformat()}"


@dataclass(frozen=True)
class EDate:
    """A parsed date field.

    ``point``: ``start`` is the point, ``end`` is None. ``before``: ``end`` only. ``after``:
    ``start`` only. ``interval``: either may be None for an open end, not both.
    ``jalali`` remembers the Solar Hijri date a contributor gave beside a Gregorian one.
    """

    form: str
    start: Point | None
    end: Point | None
    text: str
    jalali: EDate | None = None

    def __post_init__(self) -> None:
        shape = (self.start is not None, self.end is not None)
        allowed = {
            "point": {(True, False)},
            "before": {(False, True)},
            "after": {(True, False)},
            "interval": {(True, True), (True, False), (False, True)},
        }
        if self.form not in allowed:
            raise ValueError(f"unknown date form {self.form!r}; expected one of {_FORMS}")
        if shape not in allowed[self.form]:
            raise ValueError(f"a {self.form} date cannot have start={self.start}, end={self.end}")

    @property
    def calendar(self) -> str:
        point = self.start or self.end
        assert point is not None  # guaranteed by __post_init__
        return point.calendar

    def first(self) -> date | None:
        """The first Gregorian day covered, or None when the start is open."""
        return self.start.first() if self.start is not None else None

    def last(self) -> date | None:
        """The last Gregorian day covered, or None when the end is open."""
        if self.form == "point":
            assert self.start is not None
            return self.start.last()
        return self.end.last() if self.end is not None else None

    def sort_key(self) -> tuple[int, int, int, str, str]:
        """A total order for timelines.

        A date sorts by its first day; one with an open start ("until 2026", "by September
        2026") sorts by its last day, where a reader would look for it. Among dates starting
        the same day the shorter span comes first and an ongoing one last.
        """
        first, last = self.first(), self.last()
        anchor = first or last
        assert anchor is not None  # never open at both ends
        return (
            anchor.toordinal(),
            (last or date.max).toordinal(),
            _FORM_ORDER[self.form],
            self.calendar,
            self.text,
        )


# --- parsing -------------------------------------------------------------------------------


def parse_date(text: str, calendar: str = GREGORIAN) -> EDate:
    """Parse one date field written in the profile; raises DateError with a friendly message."""
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}; expected one of {CALENDARS}")
    if not isinstance(text, str):
        raise DateError(f'{text!r} is not a date string; write dates in quotes, e.g. "2025-12-31"')
    _check_digits(text)

    if match := _BEFORE_RE.fullmatch(text):
        return EDate("before", None, _parse_point(match[1], calendar, text), text)
    if match := _AFTER_RE.fullmatch(text):
        return EDate("after", _parse_point(match[1], calendar, text), None, text)
    if "/" in text:
        return _parse_interval(text, calendar)
    return EDate("point", _parse_point(text, calendar, text), None, text)


def _parse_interval(text: str, calendar: str) -> EDate:
    parts = text.split("/")
    if len(parts) != 2:
        raise _outside_profile(text)
    left, right = parts
    if left == _OPEN and right == _OPEN:
        raise DateError(f'"{text}" is open at both ends; give at least one of the two dates')
    start = None if left == _OPEN else _parse_point(left, calendar, text)
    end = None if right == _OPEN else _parse_point(right, calendar, text)
    if start is not None and end is not None and end.last() < start.first():
        raise DateError(f'"{text}" ends before it starts')
    return EDate("interval", start, end, text)


def _parse_point(part: str, calendar: str, text: str) -> Point:
    match = _POINT_RE.fullmatch(part)
    if match is None:
        raise _outside_profile(text)
    year, month, day, mark = match.groups()
    return Point(
        calendar=calendar,
        year=int(year),
        month=int(month) if month is not None else None,
        day=int(day) if day is not None else None,
        approximate=mark in ("~", "%"),
        uncertain=mark in ("?", "%"),
    )


def _check_digits(text: str) -> None:
    if any(ch in _PERSIAN_DIGITS for ch in text):
        raise DateError(f'"{text}" uses Persian digits; write dates with ASCII digits 0-9')
    if any(ch in _ARABIC_INDIC_DIGITS for ch in text):
        raise DateError(f'"{text}" uses Arabic-Indic digits; write dates with ASCII digits 0-9')


def _outside_profile(text: str) -> DateError:
    return DateError(f'"{text}" is not a date in the accepted forms ({ACCEPTED_FORMS})')


def _check_point(p: Point) -> None:
    if p.calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {p.calendar!r}; expected one of {CALENDARS}")
    if p.day is not None and p.month is None:
        raise ValueError("a point with a day needs a month")
    written = p.ymd()
    low, high = YEAR_RANGE[p.calendar]
    if not low <= p.year <= high:
        raise DateError(f'"{written}" is outside the supported years')
    if p.month is not None and not 1 <= p.month <= 12:
        raise DateError(f'"{written}" is not a date: month {p.month} does not exist')
    if p.day is None:
        return
    if p.day < 1:
        raise DateError(f'"{written}" is not a date: day {p.day} does not exist')
    assert p.month is not None
    days = _days_in_month(p.calendar, p.year, p.month)
    if p.day <= days:
        return
    if p.calendar == GREGORIAN:
        month = _GREGORIAN_MONTHS_EN[p.month - 1]
        why = f"{month} {p.year} has {days} days"
        raise DateError(f'"{written}" is not a day of the Gregorian calendar ({why})')
    if p.month == 12 and p.day == 30:
        why = f"{p.year} is not a leap year"
    elif p.month == 12:
        why = f"Esfand {p.year} has {days} days"
    else:
        why = f"{_JALALI_MONTHS_EN[p.month - 1]} has {days} days"
    raise DateError(f'"{written}" is not a day of the Solar Hijri calendar ({why})')


def _days_in_month(calendar: str, year: int, month: int) -> int:
    if calendar == GREGORIAN:
        return _calendar.monthrange(year, month)[1]
    days = jdatetime.j_days_in_month[month - 1]
    if month == 12 and jdatetime.date(year, 1, 1).isleap():
        days += 1
    return days


def _qualifier_mark(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    if approximate:
        return "~"
    return "?" if uncertain else ""


# --- both calendars given ------------------------------------------------------------------


def combine(gregorian: EDate | None, jalali: EDate | None) -> EDate | None:
    """The date to display for a record's ``date`` and ``date_jalali``.

    When both are given they must agree (same form, same Gregorian days, same qualifiers); the
    Gregorian one is returned, remembering the Jalali one. Raises DateError when they disagree.
    """
    if gregorian is not None and gregorian.calendar != GREGORIAN:
        raise ValueError("combine() takes the Gregorian date first")
    if jalali is not None and jalali.calendar != JALALI:
        raise ValueError("combine() takes the Solar Hijri date second")
    if gregorian is None or jalali is None:
        return gregorian or jalali
    why = _disagreement(gregorian, jalali)
    if why:
        raise DateError(
            f'Gregorian "{gregorian.text}" and Solar Hijri "{jalali.text}" disagree: {why}'
        )
    return replace(gregorian, jalali=jalali)


_FORM_WORDS = {
    "point": "a single date",
    "interval": "an interval",
    "before": "an on-or-before date [..X]",
    "after": "an on-or-after date [X..]",
}


def _disagreement(g: EDate, j: EDate) -> str:
    """Why the two dates differ, or "" when they agree."""
    if g.form != j.form:
        words_g, words_j = _FORM_WORDS[g.form], _FORM_WORDS[j.form]
        return f"the Gregorian date is {words_g} but the Solar Hijri one is {words_j}"
    for side, gp, jp in (("start", g.start, j.start), ("end", g.end, j.end)):
        if (gp is None) != (jp is None):
            open_one = "Gregorian" if gp is None else "Solar Hijri"
            return f"only the {open_one} interval is open at the {side}"
        if gp is None or jp is None:
            continue
        if (gp.first(), gp.last()) != (jp.first(), jp.last()):
            return f"{jp.ymd()} is {jp.iso()}"
        if (gp.approximate, gp.uncertain) != (jp.approximate, jp.uncertain):
            words_g, words_j = _qualifier_words(gp), _qualifier_words(jp)
            return f"the Gregorian date is {words_g} but the Solar Hijri one is {words_j}"
    return ""


def _qualifier_words(p: Point) -> str:
    if p.approximate and p.uncertain:
        return "approximate and uncertain (%)"
    if p.approximate:
        return "approximate (~)"
    if p.uncertain:
        return "uncertain (?)"
    return "unqualified"


# --- display -------------------------------------------------------------------------------


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits to Persian digits (U+06F0-06F9)."""
    return s.translate(_TO_PERSIAN)


def format_date(d: EDate, lang: str, *, with_jalali: bool = False) -> str:
    """Plain display text for a date in ``lang`` ("fa" or "en").

    ``with_jalali`` adds the Solar Hijri day to English day-precision dates (for Persian
    sources); Persian text always shows a day in both calendars, Jalali first.
    """
    if lang == "fa":
        return to_persian_digits(_format_fa(d))
    if lang == "en":
        return _format_en(d, with_jalali)
    raise ValueError(f"unknown language {lang!r}; expected 'fa' or 'en'")


def _format_fa(d: EDate) -> str:
    start = _point_fa(d.start) if d.start is not None else None
    end = _point_fa(d.end) if d.end is not None else None
    if d.form == "point":
        return str(start)
    if d.form == "before":
        return f"تا {end}"
    if d.form == "after":
        return f"از {start} به بعد"
    if end is None:
        return f"از {start} تاکنون"
    if start is None:
        return f"تا {end}"
    return f"{start} تا {end}"


def _point_fa(p: Point) -> str:
    if p.precision == "day":
        g = p.first()
        j = jdatetime.date.fromgregorian(date=g)
        jalali = f"{j.day} {_JALALI_MONTHS_FA[j.month - 1]} {j.year}"
        label = f"{jalali} ({g.day} {_GREGORIAN_MONTHS_FA[g.month - 1]} {g.year})"
    elif p.precision == "month":
        assert p.month is not None
        months = _GREGORIAN_MONTHS_FA if p.calendar == GREGORIAN else _JALALI_MONTHS_FA
        label = f"{months[p.month - 1]} {p.year}"
    else:
        label = str(p.year)
    if p.approximate:
        label = f"حدود {label}"
    if p.uncertain:
        label = f"{label} (نامطمئن)"
    return label


def _format_en(d: EDate, with_jalali: bool) -> str:
    # A closed interval of Jalali months or years gets one Gregorian span for the whole, not
    # one per side: "Mehr 1404 – Dey 1404 (September 2025 – January 2026)".
    span_whole = (
        d.form == "interval"
        and d.start is not None
        and d.end is not None
        and d.calendar == JALALI
        and (d.start.precision != "day" or d.end.precision != "day")
    )
    span_points = not span_whole
    start = _point_en(d.start, with_jalali, span_points) if d.start is not None else None
    end = _point_en(d.end, with_jalali, span_points) if d.end is not None else None
    if d.form == "point":
        return str(start)
    if d.form == "before":
        return f"by {end}"
    if d.form == "after":
        return f"{start} or later"
    if end is None:
        return f"since {start}"
    if start is None:
        return f"until {end}"
    # "2014–2017" closed up, as style guides do for bare years; spaced once a side has words.
    dash = " – " if " " in start or " " in end else "–"
    label = f"{start}{dash}{end}"
    if span_whole:
        label += f" ({_span_en(d.start, d.end)})"
    return label


def _point_en(p: Point, with_jalali: bool, span: bool) -> str:
    if p.precision == "day":
        g = p.first()
        label = f"{g.day} {_GREGORIAN_MONTHS_EN[g.month - 1]} {g.year}"
        if with_jalali:
            j = jdatetime.date.fromgregorian(date=g)
            label += f" ({j.day} {_JALALI_MONTHS_EN[j.month - 1]} {j.year})"
    elif p.calendar == JALALI:
        # An English reader cannot place a Solar Hijri month or year: give its Gregorian span,
        # at month precision so that no day is invented.
        label = f"{_JALALI_MONTHS_EN[p.month - 1]} {p.year}" if p.month else str(p.year)
        if span:
            label += f" ({_span_en(p, p)})"
    elif p.month is not None:
        label = f"{_GREGORIAN_MONTHS_EN[p.month - 1]} {p.year}"
    else:
        label = str(p.year)
    if p.approximate:
        label = f"c. {label}"
    if p.uncertain:
        label = f"{label} (?)"
    return label


def _span_en(start: Point, end: Point) -> str:
    return f"{_month_year_en(start.first())} – {_month_year_en(end.last())}"


def _month_year_en(g: date) -> str:
    return f"{_GREGORIAN_MONTHS_EN[g.month - 1]} {g.year}"

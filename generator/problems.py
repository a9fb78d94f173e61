"""Problems are values: collected everywhere, reported together at the edge."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    ``field`` is a path into the record such as ``facts[2].date`` ("" for the file).
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: str = ERROR

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity}: {field}{self.message}"

    def github(self) -> str:
        kind = "error" if self.severity == ERROR else "warning"
        loc = f"file={_gh_prop(self.path)}"
        if self.line:
            loc += f",line={self.line},col={self.column or 1}"
        field = f"{self.field}: " if self.field else ""
        return f"::{kind} {loc}::{_gh_data(field + self.message)}"


def _gh_prop(value: str) -> str:
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable, deterministic order: by file, then position, then text."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.field, p.message))


def render_report(problems: Iterable[Problem], fmt: str = "text") -> str:
    items = sort_problems(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in items], ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(p.github() + "\n" for p in items)
    return "".join(p.format() + "\n" for p in items)

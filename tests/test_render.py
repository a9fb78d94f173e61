"""The Markdown we generate: goldens for the shipped content, and its invariants."""

from __future__ import annotations

import re

import pytest

from generator.render import labels, runs

from .goldens import GOLDENS, shipped_pages

PAGES = shipped_pages()


def test_goldens_match() -> None:
    """Run `make goldens` after an intended change and review the diff."""
    expected = {
        (p.relative_to(GOLDENS).parts[0], "/".join(p.relative_to(GOLDENS).parts[1:])): p
        for p in GOLDENS.rglob("*.md")
    }
    actual = {(lang, page.path): page for lang, pages in PAGES.items() for page in pages}
    assert sorted(actual) == sorted(expected), "page set changed: run `make goldens`"
    for key, page in sorted(actual.items()):
        assert page.markdown == expected[key].read_text("utf-8"), (
            f"{key} changed: run `make goldens`"
        )


def test_same_paths_in_both_languages() -> None:
    assert [p.path for p in PAGES["fa"]] == [p.path for p in PAGES["en"]]


def test_record_pages_know_their_yaml() -> None:
    by_path = {p.path: p for p in PAGES["fa"]}
    assert by_path["sheets/ain-al-asad-handover.md"].record_file == (
        "content/sheets/ain-al-asad-handover.yaml"
    )
    assert by_path["sheets/index.md"].record_file is None


def test_labels_have_the_same_keys() -> None:
    assert sorted(labels("fa")) == sorted(labels("en"))
    for lang in ("fa", "en"):
        assert all(isinstance(v, str) for v in labels(lang).values()), lang


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "پایگاه Ain al-Asad در انبار",
            "fa",
            [("پایگاه ", False), ("Ain al-Asad", True), (" در انبار", False)],
        ),
        ("سال 2025 و C++", "fa", [("سال ", False), ("2025", True), (" و ", False), ("C++", True)]),
        (
            "The base «عین‌الأسد» in Anbar",
            "en",
            [("The base «", False), ("عین‌الأسد", True), ("» in Anbar", False)],
        ),
        ("بدون لاتین", "fa", [("بدون لاتین", False)]),
        (
            "خبرگزاری عراق (INA) گفت",
            "fa",
            [("خبرگزاری عراق (", False), ("INA", True), (") گفت", False)],
        ),
        (
            "پایگاه Ain (Anbar) در",
            "fa",
            [("پایگاه ", False), ("Ain (Anbar)", True), (" در", False)],
        ),
    ],
)
def test_runs_isolate_the_other_direction(text: str, lang: str, expected: list) -> None:
    assert runs(text, lang) == expected


def test_persian_pages_use_persian_digits_in_our_text() -> None:
    for page in PAGES["fa"]:
        if page.path == "contribute.md":
            continue  # field names and date syntax are ASCII on purpose
        body = page.markdown.split("\n---\n", 1)[-1]
        # Strip link targets, HTML attributes, entities and isolated Latin runs.
        body = re.sub(r"\]\([^)]*\)|<[^>]+>|&#[0-9]+;|\{[^}]*\}", "", body)
        assert not re.search("[0-9]", body), page.path

"""`factsheet status`: the maintainers' view of what the content still needs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator import status
from generator.graph import Graph

from .conftest import ROOT, run_factsheet
from .test_exports import extra_content, graph_of

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("status")
    extra_content(repo)
    return repo


@pytest.fixture(scope="module")
def extra(repo: Path) -> Graph:
    return graph_of(repo / "content")


def test_translation_coverage_per_language(extra: Graph) -> None:
    report = status.report(extra, TODAY)
    by_lang = {c.lang: c for c in report.coverage}
    assert set(by_lang) == {"fa", "en"}
    fa, en = by_lang["fa"], by_lang["en"]
    assert fa.total == en.total > 0
    # The hostile person has only an English name; everything else is in both.
    assert [(w.file, w.field) for w in fa.missing] == [
        ("content/parties/test-hostile-person.yaml", "name")
    ]
    assert (fa.missing[0].line, fa.missing[0].column) == (3, 3)  # where the map starts
    assert en.missing == [] and en.percent == 100.0
    assert fa.translated == fa.total - 1
    assert 0 < fa.percent < 100


def test_quotes_count_for_their_own_language_and_need_the_others(repo: Path) -> None:
    sheet = repo / "content/sheets/test-sheet.yaml"
    original = sheet.read_text("utf-8")
    try:
        sheet.write_text(original.replace('          fa: "برنامهٔ باز"\n', "", 1), "utf-8")
        sheet.write_text(
            sheet.read_text("utf-8").replace("status: published", "status: draft", 1), "utf-8"
        )
        graph = graph_of(repo / "content")
    finally:
        sheet.write_text(original, "utf-8")
    fa = next(c for c in status.coverage(graph) if c.lang == "fa")
    fields = {w.field for w in fa.missing if w.file.endswith("test-sheet.yaml")}
    assert fields == {"facts[3].cite[0].translation"}


def test_plans_past_their_window_with_no_later_report(extra: Graph) -> None:
    overdue = status.overdue_plans(extra, TODAY)
    assert [p.ref for p in overdue] == [
        "ain-al-asad-handover#ain-al-asad-takeover",
        "test-sheet#later-plan",
    ]
    later = overdue[1]
    assert (later.date, later.window_end) == ("2026-03", "2026-03-31")
    assert later.where.file == "content/sheets/test-sheet.yaml" and later.where.line > 0
    # "test-sheet#visit" has an outcome; "open-plan" never runs out; the Erbil deadline
    # (by September 2026) is still open on 1 June 2026, and not on 1 October.
    assert "ain-al-asad-handover#erbil-mission-end" in [
        p.ref for p in status.overdue_plans(extra, date(2026, 10, 1))
    ]
    assert status.overdue_plans(extra, date(2025, 1, 1)) == []


def test_sources_drafts_and_adapted_quotes(extra: Graph) -> None:
    report = status.report(extra, TODAY)
    assert [(s.source, s.has_url) for s in report.unarchived_sources] == [
        ("2025-12-31-abna-ain-al-asad", False)
    ]
    assert [d.sheet for d in report.drafts] == ["test-draft"]
    assert report.drafts[0].where.field == "status"
    (quote,) = report.not_verbatim
    assert (quote.ref, quote.source, quote.locator) == (
        "test-sheet#visit",
        "test-article",
        "second paragraph, shortened",
    )
    assert quote.where.field == "facts[0].cite[0].not_verbatim"


def test_cli_json(repo: Path) -> None:
    result = run_factsheet(
        "status", "content", "--format", "json", "--today", TODAY.isoformat(), cwd=repo
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["today"] == "2026-06-01"
    assert data["translation"]["fa"]["missing"][0]["file"] == (
        "content/parties/test-hostile-person.yaml"
    )
    assert data["translation"]["en"]["percent"] == 100.0
    assert [p["ref"] for p in data["overdue_plans"]] == [
        "ain-al-asad-handover#ain-al-asad-takeover",
        "test-sheet#later-plan",
    ]
    assert [s["source"] for s in data["sources_without_archive"]] == ["2025-12-31-abna-ain-al-asad"]
    assert [d["sheet"] for d in data["draft_sheets"]] == ["test-draft"]
    assert [q["ref"] for q in data["not_verbatim_quotes"]] == ["test-sheet#visit"]


def test_cli_text(repo: Path) -> None:
    result = run_factsheet("status", "content", "--today", TODAY.isoformat(), cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fa: " in out and "en: " in out
    assert "content/parties/test-hostile-person.yaml:3:3: name: no fa text" in out
    assert "Plans past their date with no later report: 2" in out
    assert "test-sheet#later-plan planned for 2026-03, window ended 2026-03-31" in out
    assert "Draft sheets: 1" in out
    assert "Quotes marked as not verbatim: 1" in out


def test_cli_on_the_shipped_content() -> None:
    result = run_factsheet("status", "--format", "json", "--today", "2026-01-01", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["translation"]["fa"]["percent"] == data["translation"]["en"]["percent"] == 100.0
    assert data["overdue_plans"] == []


@pytest.mark.parametrize("args", [("--today", "2026-13-01"), ("no-such-dir",), ("--format", "xml")])
def test_cli_bad_usage(args: tuple[str, ...]) -> None:
    result = run_factsheet("status", *args, cwd=ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr

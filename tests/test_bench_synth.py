"""The benchmark's synthetic content is valid, varied and the same for the same seed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from bench import synth
from generator.dates import parse_date
from generator.validate import count_by_kind, validate_dir

SHEETS = 20


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "content"
    synth.generate(SHEETS, out, seed=7)
    return out


def test_valid_with_zero_problems(content: Path) -> None:
    validated, problems = validate_dir(content)
    assert problems == []
    counts = count_by_kind(validated)
    assert counts["sheet"] == SHEETS
    # Proportional: about one source a sheet, and at least the fixed core of parties/places.
    assert counts["source"] == SHEETS
    assert counts["party"] >= len(synth.HUB_PARTIES) + 20
    assert counts["place"] >= len(synth.HUB_PLACES) + 10
    assert counts["fact"] >= 2 * SHEETS


def test_same_seed_same_bytes_other_seed_other_content(content: Path, tmp_path: Path) -> None:
    synth.generate(SHEETS, tmp_path / "again", seed=7)
    synth.generate(SHEETS, tmp_path / "other", seed=8)
    assert _digest(tmp_path / "again") == _digest(content)
    assert _digest(tmp_path / "other") != _digest(content)


def test_text_is_realistic(content: Path) -> None:
    text = "\n".join(p.read_text("utf-8") for p in sorted(content.rglob("*.yaml")))
    assert synth.ZWNJ in text  # Persian compounds
    assert re.search(r"[۰-۹]", text)  # Persian digits
    assert re.search(r'fa: "[^"\n]*[\u0600-\u06ff][^"\n]*[A-Za-z0-9][^"\n]*"', text)  # mixed runs
    assert re.search(r'en: "[^"\n]*«[\u0600-\u06ff]', text)  # Persian inside English
    assert re.search(r'quote: "[^"\n]*[يك]', text)  # Arabic quotes, Arabic letters
    for field in ("updates", "related", "said_by", "based_on", "within", "rank_reason"):
        assert f"{field}:" in text, field


def test_every_date_form(tmp_path: Path) -> None:
    # Forms are drawn at random: a few hundred facts meet every one of them.
    synth.generate(60, tmp_path / "c", seed=1)
    values = re.findall(r'^\s*(date|date_jalali): "([^"]+)"', _all(tmp_path / "c"), re.M)
    forms = {_form(field, value) for field, value in values}
    assert forms >= {
        "gregorian day",
        "gregorian month",
        "gregorian year",
        "gregorian ~",
        "gregorian ?",
        "gregorian %",
        "gregorian interval",
        "gregorian open end",
        "gregorian open start",
        "gregorian before",
        "gregorian after",
        "jalali day",
        "jalali month",
    }
    for field, value in values:
        parse_date(value, "jalali" if field == "date_jalali" else "gregorian")


def _all(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((folder / "sheets").glob("*.yaml")))


def _form(field: str, value: str) -> str:
    calendar = "jalali" if field == "date_jalali" else "gregorian"
    if value.startswith("[.."):
        return f"{calendar} before"
    if value.endswith("..]"):
        return f"{calendar} after"
    if value.endswith("/.."):
        return f"{calendar} open end"
    if value.startswith("../"):
        return f"{calendar} open start"
    if "/" in value:
        return f"{calendar} interval"
    if value[-1] in "~?%":
        return f"{calendar} {value[-1]}"
    return f"{calendar} " + {4: "year", 7: "month", 10: "day"}[len(value)]


def test_the_benchmark_runs_with_any_python_from_the_clone() -> None:
    """`python bench/run.py` after the README's set-up: an interpreter without the project's
    packages hands over to the project's venv (whose python is a symlink to that very
    interpreter, so the check is by prefix)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    base = getattr(sys, "_base_executable", sys.executable)
    result = subprocess.run(
        [base, "bench/run.py", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "--sheets" in result.stdout


def test_each_stage_is_judged_by_its_median_round() -> None:
    """Three rounds: the ratio is the median build over the median floor, each round's ratio
    is shown, and one slow or fast round moves neither median."""
    from bench import run

    assert run._median_by([3.0, 9.0, 1.0], float) == 3.0
    assert run._median_by([4.0, 2.0], float) == 2.0  # of two, the lower
    rounds = [(60.0, 30.0, 36.0), (50.0, 30.0, 40.0), (55.0, 31.0, 35.0)]
    row = run.Row(1000, pages=10, rounds=rounds)
    row.floor_s = {"fa": 28.0, "en": 27.0}  # the median round's floor: 55 s
    row.build_s = run._median_by([b for _, _, b in rounds], float)  # 36 s
    row.floor_side_s = 30.0
    table = run.table([row], ["fa", "en"])
    assert "| whole build ÷ floor | 0.65× |" in table
    assert "0.60× (0.50×) / 0.80× (0.60×) / 0.64× (0.56×)" in table
    assert any(line.startswith("MISSED: n=1,000: whole build 0.65×") for line in run.goals([row]))

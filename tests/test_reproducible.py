"""Builds are reproducible and atomic.

Reproducible: two builds of the same commit, in different folders, with different hash
seeds and time zones, are byte-identical, sitemaps included, and their dates are the last
commit's, never the clock's.

Atomic and strict: after a good build, a build that fails in the MkDocs stage (a
configuration error, a strict warning, a template that crashes) or in the post-build scan
exits non-zero and leaves the good site exactly as it was, with no half-written folder
beside it. (A content problem stopping the build is tests/test_site.py's
test_failed_content_leaves_previous_site.)

Every build runs in a copy of the repository: the real one is never written.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.engine import source_date_epoch

from .conftest import ROOT

pytestmark = pytest.mark.site

#: The commit date of the copies: far from today, so a date from the clock would show.
COMMIT_DATE = "2025-12-31T12:00:00+00:00"
COMMIT_EPOCH = int(datetime.fromisoformat(COMMIT_DATE).timestamp())


def copy_repo(target: Path, *, commit: bool = True) -> Path:
    """What a build reads, copied; with ``commit``, a git repository of one commit."""
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    if commit:
        env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
        git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
        git += ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "content"]):
            subprocess.run([*git, *args], cwd=target, env=env, check=True, capture_output=True)
    return target


def build(repo: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`factsheet build`, as CI runs it, with no SOURCE_DATE_EPOCH from outside."""
    base = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "-o", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=600,
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by path, with its bytes (a sorted walk)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def leftovers(parent: Path, name: str = "site") -> list[str]:
    """Half-written or half-swapped folders a deploy might pick up."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}-"))


# --- reproducible -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same commit built twice: other folders, hash seeds and time zones."""
    root = tmp_path_factory.mktemp("twice")
    repo = copy_repo(root / "repo")
    one, two = root / "one" / "site", root / "two" / "public"
    for out, seed, zone in ((one, "1", "Asia/Tehran"), (two, "2", "America/Lima")):
        result = build(repo, out, PYTHONHASHSEED=seed, TZ=zone)
        assert result.returncode == 0, result.stderr
    return one, two


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    a, b = (tree(site) for site in two_builds)
    assert sorted(a) == sorted(b)
    assert [path for path in sorted(a) if a[path] != b[path]] == []
    for lang in ("fa", "en"):
        assert f"{lang}/sitemap.xml" in a and f"{lang}/sitemap.xml.gz" in a


def test_sitemap_dates_come_from_the_last_commit(two_builds: tuple[Path, Path]) -> None:
    out = two_builds[0]
    day = COMMIT_DATE[:10]
    for lang in ("fa", "en"):
        sitemap = (out / lang / "sitemap.xml").read_text("utf-8")
        assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {day}
        packed = (out / lang / "sitemap.xml.gz").read_bytes()
        assert gzip.decompress(packed).decode("utf-8") == sitemap
        # The gzip header's own time (bytes 4-8, little-endian): the commit's day too.
        mtime = int.from_bytes(packed[4:8], "little")
        assert datetime.fromtimestamp(mtime, UTC).date().isoformat() == day


def test_nothing_carries_the_day_of_the_build(two_builds: tuple[Path, Path]) -> None:
    today = datetime.now(UTC).date()
    if today.isoformat() == COMMIT_DATE[:10]:
        pytest.skip("today is the commit's day")
    spellings = {today.isoformat(), today.strftime("%B %d, %Y"), today.strftime("%d %B %Y")}
    hits = [
        (path, day)
        for path, data in tree(two_builds[0]).items()
        for day in spellings
        if day.encode() in data
    ]
    assert hits == []


def test_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = copy_repo(tmp_path / "repo")
    assert source_date_epoch(repo) == str(COMMIT_EPOCH)
    # Outside git: a fixed date, still never the clock.
    plain = copy_repo(tmp_path / "plain", commit=False)
    assert source_date_epoch(plain) == "315532800"
    # A date set from outside (a packager's) wins.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch(repo) == "1700000000"
    # The real repository: its last commit.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    last = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    if last.returncode == 0 and last.stdout.strip():
        assert source_date_epoch(ROOT) == last.stdout.strip()


# --- atomic and strict ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good build, kept aside: each test below starts from a copy of it."""
    repo = copy_repo(tmp_path_factory.mktemp("good") / "repo", commit=False)
    result = build(repo, repo / "site")
    assert result.returncode == 0, result.stderr
    return repo / "site"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


BREAKAGES = {
    # MkDocs refuses the configuration: nothing is built at all.
    "config error": (
        lambda repo: (repo / "mkdocs.yml").write_text(
            (repo / "mkdocs.yml").read_text("utf-8").replace("name: material", "name: nowhere")
        ),
        "build failed",
    ),
    # A warning, so --strict aborts, but only after MkDocs has written every page.
    "strict warning": (
        lambda repo: _append(repo / "mkdocs.yml", "\nextra_templates:\n  - missing.html\n"),
        "strict mode",
    ),
    # The theme crashes half-way through the pages (a Jinja error, not a MkDocs one).
    "template crash": (
        lambda repo: _append(
            repo / "overrides" / "main.html",
            "\n{% block announce %}{{ no_such_thing.attribute.deeper }}{% endblock %}\n",
        ),
        "build failed",
    ),
    # The records have a problem: the language builds, started meanwhile, never go on.
    "content problem": (
        lambda repo: (repo / "content" / "parties" / "zz-broken.yaml").write_text(
            "id: zz-broken\nname: {en: X}\ntype: nonsense\n", encoding="utf-8"
        ),
        "the content has problems",
    ),
    # MkDocs succeeds, but the post-build scan finds a script the theme did not write.
    "script in the pages": (
        lambda repo: _append(repo / "mkdocs.yml", '\ncopyright: "<script>alert(1)</script>"\n'),
        "not the theme's",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_failed_build_leaves_previous_site(good_site: Path, tmp_path: Path, breakage: str) -> None:
    repo = copy_repo(tmp_path / "repo", commit=False)
    out = repo / "site"
    shutil.copytree(good_site, out)
    before, inode = tree(out), out.stat().st_ino
    damage, message = BREAKAGES[breakage]
    damage(repo)
    result = build(repo, out)
    assert result.returncode != 0, result.stderr[-2000:]
    assert message in result.stderr, result.stderr[-2000:]
    assert "the site is unchanged" in result.stderr
    if breakage == "content problem":
        assert "Traceback" not in result.stderr
        # Reported once, by the validation, not again by each language build.
        assert "zz-broken.yaml:3" in result.stdout + result.stderr
        assert "[fa]" not in result.stderr and "[en]" not in result.stderr
    # The very same folder, byte for byte, and nothing half-written beside it.
    assert out.stat().st_ino == inode
    assert tree(out) == before
    assert leftovers(repo) == []
    assert sorted(p.name for p in repo.iterdir()) == ["content", "mkdocs.yml", "overrides", "site"]


def test_good_build_replaces_the_site_whole(good_site: Path, tmp_path: Path) -> None:
    """The swap itself: a stale file from the old site never survives into the new one."""
    repo = copy_repo(tmp_path / "repo", commit=False)
    out = repo / "site"
    shutil.copytree(good_site, out)
    (out / "stale.html").write_text("from an older build")
    result = build(repo, out)
    assert result.returncode == 0, result.stderr
    assert not (out / "stale.html").exists()
    assert tree(out) == tree(good_site)
    assert leftovers(repo) == []

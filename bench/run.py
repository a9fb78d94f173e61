"""The cost of the whole pipeline at N sheets, against MkDocs' own floor: one command, one table.

    python bench/run.py                      # --sheets 100,1000
    python bench/run.py --sheets 10000       # about half an hour on 2 cores
    python bench/run.py --sheets 1000 --profile

For each N, in one run: synthetic content (``bench/synth.py``), then each stage in its own
process so its time and peak memory are its own:

* load+validate and render (graph + both languages, in memory), timed inside the process;
* the floor: ``factsheet render`` of the same content, then plain ``mkdocs build`` of each
  language's Markdown with the configuration ``factsheet build`` uses (the language overrides
  of ``generator.engine``, the ``factsheet`` plugin dropped, the same nav), one after the other
  (the floor the goals are measured against), and then side by side, as the build runs its
  languages (the least a build in two processes can take here, with nothing of ours in it);
* the floor, the floor side by side and the whole build run in rounds, one of each in turn
  (``--rounds``; three up to 1,000 sheets, one above), and the table shows each one's median
  round, with every round's ratios on a line of their own: two runs of the same code on a
  shared machine differ by more than what a change of ours is worth;
* the whole ``factsheet build``, watched from outside: its wall time, each language's MkDocs
  process and any search indexing process (lifetimes seen in /proc), and the peak memory of the
  whole process tree (the sum of the resident sets of every process in it, sampled every 50 ms;
  shared pages count once per process, so the figure errs high);
* site size, bytes per page, and the bytes a first search query fetches (headless Chromium
  against the built site on 127.0.0.1, counting every response of the search files).

It prints the table, the machine, the goals met or missed, and last ``overhead_ratio: X``
(whole build ÷ floor at the largest N). The table also goes into ``bench/RESULTS.md``, in a
block named after the ``--sheets`` value, with the command that made it (``--no-record`` to
skip). Work files live in ``--work`` (default: a directory under the system temp dir) and are
removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import functools
import http.server
import json
import os
import platform
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
MB = 1024 * 1024

# Goals of issue 6; each is checked where the table has the numbers for it.
GOAL_PREP_SHARE = 0.10  # load+validate+render ÷ floor, at 1,000 and 10,000
GOAL_BUILD_RATIO = 0.65  # whole factsheet build ÷ floor, at 1,000 and 10,000
GOAL_FLAT_BYTES = 0.20  # bytes per page, 1,000 → 10,000
GOAL_PEAK_MB = 1536  # at 10,000
GOAL_QUERY_KB = 300  # at 10,000
GOAL_SIZES = (1000, 10000)
#: Rounds of the timed builds at up to SMALL_SITE sheets; larger sites run one round.
SMALL_ROUNDS, SMALL_SITE = 3, 1000

# Typical first queries on the Persian site: a place name and a broad two-word phrase.
QUERIES = ("اربیل", "نیروهای مسلح")


def _reexec_in_venv() -> None:
    """`python bench/run.py` from a fresh clone: use the project's venv when this one lacks it."""
    try:
        import mkdocs  # noqa: F401

        import generator  # noqa: F401
    except ImportError:
        venv = ROOT / ".venv"
        venv_python = venv / "bin" / "python"
        # By prefix, not by interpreter: a venv's python is a symlink to the one it came from.
        if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        raise
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# -- watching a process tree ---------------------------------------------------------------------


@dataclass
class Proc:
    cmdline: str
    first: float
    last: float
    peak_rss: int = 0


@dataclass
class Watched:
    seconds: float
    returncode: int
    peak_tree_rss: int  # the largest sum of RSS over the tree at one moment
    max_rss: int  # ru_maxrss of the largest single process (kernel's own count)
    cpu: float  # user + system seconds of the whole tree: less sensitive to a busy machine
    foreign_cpu: float  # CPU seconds other processes used meanwhile: how shared the run was
    procs: dict[int, Proc]
    output: str
    start: float

    def spans(self, pattern: str) -> list[tuple[float, float, Proc]]:
        """(start, end) offsets of the watched processes whose command line matches."""
        rx = re.compile(pattern)
        return [
            (p.first - self.start, p.last - self.start, p)
            for p in self.procs.values()
            if rx.search(p.cmdline)
        ]


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    text = _read(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in text.split()] if text else []


def _tree(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(_children(pid))
    return out


def _busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = (_read("/proc/stat") or "cpu 0").splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    idle = sum(ticks[3:5])  # idle, iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> int:
    statm = _read(f"/proc/{pid}/statm")
    return int(statm.split()[1]) * _PAGE if statm else 0


def watch(cmd: Sequence[str], *, cwd: Path, env: dict[str, str], interval: float = 0.05) -> Watched:
    """Run ``cmd`` and sample its whole process tree until it exits."""
    with tempfile.TemporaryFile(mode="w+b") as out_file:
        busy_before = _busy_cpu()
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out_file, stderr=subprocess.STDOUT)
        procs, peak, result = _sample_until_exit(child, interval)
        foreign = max(0.0, _busy_cpu() - busy_before - result["cpu"])
        out_file.seek(0)
        output = out_file.read().decode("utf-8", "replace")
    return Watched(
        result["end"] - start,
        result["code"],
        peak,
        result["maxrss"],
        result["cpu"],
        foreign,
        procs,
        output,
        start,
    )


def _sample_until_exit(
    child: subprocess.Popen[bytes], interval: float
) -> tuple[dict[int, Proc], int, dict[str, Any]]:
    """Sample the tree under ``child`` until it exits; reap it with its resource usage."""
    procs: dict[int, Proc] = {}
    peak = 0
    result: dict[str, Any] = {}

    def reap() -> None:
        _, status, usage = os.wait4(child.pid, 0)
        result["end"] = time.perf_counter()
        result["code"] = os.waitstatus_to_exitcode(status)
        result["maxrss"] = usage.ru_maxrss * 1024
        result["cpu"] = usage.ru_utime + usage.ru_stime
        child.returncode = result["code"]  # so Popen does not wait on a reaped pid

    reaper = threading.Thread(target=reap, daemon=True)
    reaper.start()
    while reaper.is_alive():
        now = time.perf_counter()
        total = 0
        for pid in _tree(child.pid):
            rss = _rss(pid)
            if not rss:
                continue
            # Read every time: a child first seen between fork and exec still shows its
            # parent's command line.
            cmdline = (_read(f"/proc/{pid}/cmdline") or "").replace("\0", " ").strip()
            proc = procs.get(pid)
            if proc is None:
                proc = procs[pid] = Proc(cmdline, now, now)
            proc.cmdline = cmdline or proc.cmdline
            proc.last = now
            proc.peak_rss = max(proc.peak_rss, rss)
            total += rss
        peak = max(peak, total)
        reaper.join(interval)
    return procs, peak, result


# -- one N -----------------------------------------------------------------------------------------


@dataclass
class Row:
    """Everything measured at one N; None where a stage was not measured."""

    sheets: int
    counts: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    validate_s: float | None = None
    validate_rss: int = 0
    graph_s: float | None = None
    render_s: dict[str, float] = field(default_factory=dict)
    render_rss: int = 0
    floor_s: dict[str, float] = field(default_factory=dict)
    floor_rss: int = 0
    floor_side_s: float | None = None  # both languages' plain builds at once
    build_s: float | None = None
    build_pre_s: float | None = None  # until the build's own validation has the graph ready
    build_lang_s: dict[str, float] = field(default_factory=dict)
    search_s: dict[str, float] = field(default_factory=dict)  # Python side + Pagefind
    build_inner: dict[str, dict[str, float]] = field(default_factory=dict)
    floor_inner: dict[str, dict[str, float]] = field(default_factory=dict)
    build_peak: int = 0
    build_maxrss: int = 0
    build_cpu: float | None = None
    floor_cpu: dict[str, float] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load average before each stage
    foreign: list[float] = field(default_factory=list)  # other processes' CPU s, per MkDocs run
    site_bytes: int = 0
    html_bytes: int = 0
    html_pages: int = 0
    search_bytes: int | None = None
    query_bytes: dict[str, int | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Each round's (floor, floor side by side, whole build) wall times; the medians are above.
    rounds: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def render_total(self) -> float | None:
        if self.graph_s is None:
            return None
        return self.graph_s + sum(self.render_s.values())

    @property
    def prep(self) -> float | None:
        if self.validate_s is None or self.render_total is None:
            return None
        return self.validate_s + self.render_total

    @property
    def floor(self) -> float | None:
        return sum(self.floor_s.values()) if self.floor_s else None


def _env(times: Path | None = None) -> dict[str, str]:
    """The build pins SOURCE_DATE_EPOCH and PYTHONHASHSEED itself; the floor and the stages
    get the same. With ``times``, every Python process loads ``bench/timing/sitecustomize.py``,
    which times the stages inside it and writes the totals there."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767139200", PYTHONHASHSEED="0")
    if times is not None:
        times.mkdir(parents=True, exist_ok=True)
        paths = [str(BENCH / "timing"), *filter(None, [env.get("PYTHONPATH")])]
        env.update(PYTHONPATH=os.pathsep.join(paths), FACTSHEET_BENCH_TIMES=str(times))
    return env


def _short(key: str) -> str:
    """``generator.search.IndexWriter.add`` → ``IndexWriter.add``; functions by their name."""
    parts = key.split(".")
    return ".".join(parts[-2:]) if parts[-2][:1].isupper() else parts[-1]


def read_times(times: Path, langs: Sequence[str]) -> dict[str, dict[str, float]]:
    """The timing hook's totals, by language (the process whose argv names it) or "main"."""
    out: dict[str, dict[str, float]] = {}
    for path in sorted(times.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lang = next((a for a in data["argv"][1:] if a in langs), "main")
        into = out.setdefault(lang, {})
        for key, (_, seconds) in data["times"].items():
            short = _short(key)
            into[short] = into.get(short, 0.0) + seconds
    shutil.rmtree(times, ignore_errors=True)
    return out


def make_project(work: Path, sheets: int, seed: int) -> tuple[Path, dict[str, int]]:
    """A copy of the site project around synthetic content: the same mkdocs.yml and theme
    overrides (symlinked), its own content/."""
    from bench import synth

    project = work / f"n{sheets}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    skip = {"content", "site", "build", "bench", "tests", "generator", "mkdocs.yml"}
    for entry in ROOT.iterdir():
        if entry.name.startswith(".") or entry.name in skip:
            continue
        (project / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    counts = synth.generate(sheets, project / "content", seed)
    return project, counts


def _stage(name: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "_stage", name, *args]


def run_stage(cmd: list[str], project: Path) -> tuple[dict[str, Any], int]:
    watched = watch(cmd, cwd=project, env=_env())
    if watched.returncode != 0:
        raise SystemExit(f"bench: stage failed: {' '.join(cmd)}\n{watched.output}")
    last = watched.output.strip().splitlines()[-1]
    return json.loads(last), watched.max_rss


def floor_config(project: Path, lang: str, docs: Path, site: Path) -> Path:
    """The build's configuration for one language, as a plain MkDocs file without our plugin."""
    import yaml
    from mkdocs.utils.yaml import yaml_load

    from generator.engine import language_overrides
    from generator.render import nav

    config_file = project / "mkdocs.yml"
    with config_file.open("rb") as f:
        raw = yaml_load(f) or {}
    config = {**raw, **language_overrides(config_file, lang, site, docs)}
    config["plugins"] = [
        p
        for p in raw.get("plugins") or []
        if p != "factsheet" and not (isinstance(p, dict) and "factsheet" in p)
    ]
    config["nav"] = nav(lang)  # what the plugin sets in on_config
    path = project / f"floor-{lang}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _dir_bytes(path: Path, suffix: str = "") -> tuple[int, int]:
    total = count = 0
    for folder, _, files in os.walk(path):
        for name in files:
            if suffix and not name.endswith(suffix):
                continue
            total += os.lstat(os.path.join(folder, name)).st_size
            count += 1
    return total, count


def measure(
    sheets: int,
    work: Path,
    *,
    seed: int,
    langs: Sequence[str],
    profile: bool,
    log: Callable[[str], None],
    wait_load: float | None = None,
    rounds: int = 1,
) -> Row:
    row = Row(sheets)

    def settle() -> None:
        """Wait for a quiet machine when asked to; remember how busy it was."""
        if wait_load is not None:
            waited = time.perf_counter()
            while os.getloadavg()[0] > wait_load and time.perf_counter() - waited < 600:
                time.sleep(5)
        row.load.append(os.getloadavg()[0])

    t0 = time.perf_counter()
    project, row.counts = make_project(work, sheets, seed)
    log(f"n={sheets}: content written in {time.perf_counter() - t0:.1f} s: {row.counts}")

    settle()
    data, row.validate_rss = run_stage(
        _stage("validate", str(project), *_prof(profile, work, sheets, "validate")), project
    )
    row.validate_s = data["seconds"]
    log(f"n={sheets}: load+validate {row.validate_s:.2f} s")

    docs = project / "docs"
    settle()
    data, row.render_rss = run_stage(
        _stage("render", str(project), str(docs), *_prof(profile, work, sheets, "render")), project
    )
    row.graph_s, row.render_s, row.pages = data["graph"], data["render"], data["pages"]
    log(
        f"n={sheets}: render {row.render_total:.2f} s ({row.pages} pages), "
        f"Markdown written in {data['write']:.1f} s"
    )

    # The floor, the floor side by side and the whole build, in rounds: one of each in turn,
    # so that a slower stretch of a shared machine falls on all three alike.
    configs = {
        lang: floor_config(project, lang, docs / lang, project / "floor" / lang) for lang in langs
    }
    site = project / "site"
    floors: list[Floor] = []
    sides: list[tuple[float, float]] = []
    builds: list[Build] = []
    for round_ in range(1, rounds + 1):
        say = f"n={sheets}" + (f", round {round_}/{rounds}" if rounds > 1 else "")
        profiled = profile and round_ == 1
        floors.append(run_floor(project, configs, langs, work, sheets, profiled, settle, say, log))
        sides.append(run_side_by_side(project, configs, settle, say, log))
        shutil.rmtree(site, ignore_errors=True)  # each round builds a new site, as the first
        builds.append(run_build(project, site, work, langs, settle, say, log))
    shutil.rmtree(docs, ignore_errors=True)
    row.rounds = [
        (f.total, side, b.seconds) for f, (side, _), b in zip(floors, sides, builds, strict=True)
    ]
    # Each stage's median round; memory is the largest of any round.
    floor = _median_by(floors, lambda f: f.total)
    row.floor_s, row.floor_cpu, row.floor_inner = floor.seconds, floor.cpu, floor.inner
    row.floor_rss = max(f.max_rss for f in floors)
    row.floor_side_s, side_foreign = _median_by(sides, lambda s: s[0])
    build = _median_by(builds, lambda b: b.seconds)
    row.build_s, row.build_cpu, row.build_inner = build.seconds, build.cpu, build.inner
    row.build_lang_s, row.build_pre_s, row.search_s = build.lang_s, build.pre_s, build.search_s
    row.build_peak = max(b.peak for b in builds)
    row.build_maxrss = max(b.max_rss for b in builds)
    row.foreign = [*floor.foreign, side_foreign, build.foreign]

    row.site_bytes, _ = _dir_bytes(site)
    row.html_bytes, row.html_pages = _dir_bytes(site, ".html")
    bundles = [
        site / lang / d for lang in langs for d in _search_dirs() if (site / lang / d).is_dir()
    ]
    row.search_bytes = sum(_dir_bytes(b)[0] for b in bundles) if bundles else None
    row.query_bytes = first_query_bytes(site, project, langs[0], log)
    if not row.query_bytes and row.search_bytes is None:
        row.notes.append("no search index in the built site")
    if not _KEEP:
        shutil.rmtree(project, ignore_errors=True)
    return row


@dataclass
class Floor:
    """One round of the floor: plain ``mkdocs build`` of each language, one after the other."""

    seconds: dict[str, float]
    cpu: dict[str, float]
    inner: dict[str, dict[str, float]]
    foreign: list[float]
    max_rss: int

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


@dataclass
class Build:
    """One round of the whole ``factsheet build``."""

    seconds: float
    cpu: float
    inner: dict[str, dict[str, float]]
    lang_s: dict[str, float]
    pre_s: float | None
    search_s: dict[str, float]
    foreign: float
    peak: int
    max_rss: int


def _median_by(items: Sequence[Any], key: Callable[[Any], float]) -> Any:
    """The middle item by ``key`` (of an even number, the lower of the two middle ones)."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


def run_floor(
    project: Path,
    configs: dict[str, Path],
    langs: Sequence[str],
    work: Path,
    sheets: int,
    profile: bool,
    settle: Callable[[], None],
    say: str,
    log: Callable[[str], None],
) -> Floor:
    floor = Floor({}, {}, {}, [], 0)
    for lang in langs:
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(configs[lang])]
        if profile and lang == langs[0]:
            out = str(work / f"prof-{sheets}-floor-{lang}.out")
            cmd = [sys.executable, "-m", "cProfile", "-o", out, *cmd[1:]]
        times = work / f"times-floor-{lang}"
        settle()
        watched = watch(cmd, cwd=project, env=_env(None if profile else times))
        if watched.returncode != 0:
            raise SystemExit(f"bench: the floor's mkdocs build failed ({lang}):\n{watched.output}")
        floor.seconds[lang] = watched.seconds
        floor.cpu[lang] = watched.cpu
        floor.foreign.append(watched.foreign_cpu)
        floor.inner[lang] = read_times(times, langs).get("main", {})
        floor.max_rss = max(floor.max_rss, watched.max_rss)
        log(f"{say}: floor mkdocs build {lang} {watched.seconds:.1f} s")
    shutil.rmtree(project / "floor", ignore_errors=True)
    return floor


def run_side_by_side(
    project: Path,
    configs: dict[str, Path],
    settle: Callable[[], None],
    say: str,
    log: Callable[[str], None],
) -> tuple[float, float]:
    """The same plain builds side by side, one process each, as factsheet build runs its
    languages: the least a two-process build can take on this machine, with nothing of
    ours. Returns its wall time and the CPU other processes used meanwhile."""
    settle()
    watched = watch(_stage("side_by_side", *map(str, configs.values())), cwd=project, env=_env())
    if watched.returncode != 0:
        raise SystemExit(f"bench: the floor's side-by-side builds failed:\n{watched.output}")
    log(f"{say}: floor, both side by side {watched.seconds:.1f} s")
    shutil.rmtree(project / "floor", ignore_errors=True)
    return watched.seconds, watched.foreign_cpu


def run_build(
    project: Path,
    site: Path,
    work: Path,
    langs: Sequence[str],
    settle: Callable[[], None],
    say: str,
    log: Callable[[str], None],
) -> Build:
    """The whole factsheet build, as a contributor runs it."""
    cmd = [
        sys.executable,
        "-m",
        "generator.cli",
        "build",
        "-o",
        str(site),
        "-f",
        str(project / "mkdocs.yml"),
    ]
    times = work / "times-build"
    settle()
    watched = watch(cmd, cwd=project, env=_env(times))
    if watched.returncode != 0:
        raise SystemExit(f"bench: factsheet build failed:\n{watched.output}")
    inner = read_times(times, langs)
    lang_s = {}
    for lang in langs:
        spans = watched.spans(rf"generator\.engine .* {lang} ")
        if spans:
            lang_s[lang] = spans[0][1] - spans[0][0]
    # The language builds start at once and wait for the graph that prepare writes.
    prepares = watched.spans(r"generator\.engine prepare ")
    pre_s = max(end for _, end, _ in prepares) if prepares else None
    search_s = {}
    for lang in langs:
        mine = inner.get(lang, {})
        parts = [mine.get(k) for k in (*SEARCH_ADD, *SEARCH_FINISH, "record_pages")]
        if any(x is not None for x in parts):
            search_s[lang] = sum(x or 0.0 for x in parts)
    log(f"{say}: factsheet build {watched.seconds:.1f} s, peak {watched.peak_tree_rss / MB:.0f} MB")
    return Build(
        watched.seconds,
        watched.cpu,
        inner,
        lang_s,
        pre_s,
        search_s,
        watched.foreign_cpu,
        watched.peak_tree_rss,
        watched.max_rss,
    )


_KEEP = False


def _prof(profile: bool, work: Path, sheets: int, name: str) -> list[str]:
    return [str(work / f"prof-{sheets}-{name}.out")] if profile else []


# -- the first search query -----------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path, prefix: str) -> Iterator[str]:
    """The built site on 127.0.0.1 under the path of site_url, as it will be published."""
    root = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    target = root / prefix if prefix else root
    target.parent.mkdir(parents=True, exist_ok=True)
    if prefix:
        target.symlink_to(site, target_is_directory=True)
    else:
        root.rmdir()
        root = site
    handler = functools.partial(_Quiet, directory=str(root))
    try:
        with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
            thread = threading.Thread(target=httpd.serve_forever, daemon=True)
            thread.start()
            port = httpd.server_address[1]
            yield f"http://127.0.0.1:{port}/{prefix + '/' if prefix else ''}"
            httpd.shutdown()
    finally:
        if root != site:
            shutil.rmtree(root, ignore_errors=True)


def _search_dirs() -> list[str]:
    """Where a language's search files live: the engine's own folder, else Pagefind's."""
    try:
        from generator.search import BUNDLE_DIR
    except ImportError:
        BUNDLE_DIR = "search"
    return list(dict.fromkeys([BUNDLE_DIR, "pagefind"]))


# The site's own search (overrides/assets/javascripts/search.js exposes it for tests and
# benchmarks): everything a first query needs (the engine's script, tables, the index chunks
# of the query's words, the results shown). Pagefind's API for a site that only has that.
_QUERY_JS = """
async ([module, query]) => {
  if (window.factsheetSearch) {
    const found = await window.factsheetSearch.search(query);
    return {how: "site", results: found.count, shown: found.results.length};
  }
  const pagefind = await import(module);
  await pagefind.init();
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
  return {how: "pagefind", results: search.results.length, shown: shown.length};
}
"""


def _browser_missing() -> str | None:
    """What the first-query measurement lacks, if anything: it drives Debian's Chromium
    with Playwright, both installed by the test set-up (``make test``)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make test installs it)"
    if not Path(_chromium()).exists():
        return "chromium is not installed (make browser)"
    return None


def _chromium() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def first_query_bytes(
    site: Path, project: Path, lang: str, log: Callable[[str], None]
) -> dict[str, int | None]:
    """Bytes of every response a first query needs, in a fresh browser, per query: the home
    page is loaded first and not counted."""
    if (site / lang / "search" / "search_index.json").is_file():
        # Material's lunr search: every query first downloads the whole index.
        size = (site / lang / "search" / "search_index.json").stat().st_size
        return {q: size for q in QUERIES}
    if not any((site / lang / d).is_dir() for d in _search_dirs()):
        return {}
    missing = _browser_missing()
    if missing:
        log(f"bench: {missing}: first-query bytes not measured")
        return {q: None for q in QUERIES}
    from playwright.sync_api import sync_playwright

    from generator.engine import site_base_path

    prefix = site_base_path(project / "mkdocs.yml").strip("/")
    out: dict[str, int | None] = {}
    with serve(site, prefix) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for query in QUERIES:
                context = browser.new_context()  # a cold cache for every query
                page = context.new_page()
                page.goto(f"{base}{lang}/")
                page.wait_for_load_state("networkidle")
                requests: list[Any] = []
                # A partial, not the bound method: Playwright tags its handlers with an attribute.
                page.on("requestfinished", functools.partial(list.append, requests))
                found = page.evaluate(_QUERY_JS, [f"{base}{lang}/pagefind/pagefind.js", query])
                page.wait_for_load_state("networkidle")
                total = 0
                for request in requests:
                    sizes = request.sizes()
                    total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                out[query] = total
                log(
                    f"  query «{query}» ({found['how']}): {found['results']} results, "
                    f"{found['shown']} shown, {len(requests)} requests, {total / 1024:.0f} KB"
                )
                context.close()
        finally:
            browser.close()
    return out


# -- stages run in their own process --------------------------------------------------------------


def _profiled(out: str | None, fn: Callable[[], Any]) -> Any:
    if not out:
        return fn()
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(fn)
    finally:
        profiler.dump_stats(out)


def stage_main(argv: list[str]) -> int:
    """``_stage validate PROJECT [PROF]``, ``_stage render PROJECT DOCS [PROF]``: JSON out;
    ``_stage side_by_side CONFIG…``: plain MkDocs builds at once, one process each."""
    from generator.problems import has_errors
    from generator.validate import validate_dir

    if argv[0] == "side_by_side":
        procs = [
            subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config])
            for config in argv[1:]
        ]
        return max(p.wait() for p in procs)
    name, project = argv[0], Path(argv[1])
    content_dir = project / "content"
    if name == "validate":
        prof = argv[2] if len(argv) > 2 else None
        t = time.perf_counter()
        _, problems = _profiled(prof, lambda: validate_dir(content_dir, project))
        seconds = time.perf_counter() - t
        if problems:
            print(f"{len(problems)} problems, e.g. {problems[0]}", file=sys.stderr)
            return 1
        print(json.dumps({"seconds": seconds}))
        return 0
    if name == "render":
        from generator.graph import build_graph
        from generator.model import SITE_LANGUAGES
        from generator.render import render_site, write_pages

        docs, prof = Path(argv[2]), (argv[3] if len(argv) > 3 else None)
        content, problems = validate_dir(content_dir, project)
        if has_errors(problems):
            return 1
        times: dict[str, Any] = {}

        def render() -> dict[str, Any]:
            t = time.perf_counter()
            graph = build_graph(content)
            times["graph"] = time.perf_counter() - t
            pages = {}
            for lang in SITE_LANGUAGES:
                t = time.perf_counter()
                pages[lang] = render_site(content, lang, graph=graph)
                times.setdefault("render", {})[lang] = time.perf_counter() - t
            return pages

        pages = _profiled(prof, render)
        t = time.perf_counter()
        for lang, lang_pages in pages.items():
            write_pages(lang_pages, docs / lang)
        times["write"] = time.perf_counter() - t
        times["pages"] = sum(len(p) for p in pages.values())
        print(json.dumps(times))
        return 0
    print(f"unknown stage {name}", file=sys.stderr)
    return 2


# -- the table ------------------------------------------------------------------------------------


def _s(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _mb(x: int | None) -> str:
    return "n/a" if not x else f"{x / MB:.0f}" if x >= 10 * MB else f"{x / MB:.1f}"


def _wall_cpu(wall: float | None, cpu: float | None) -> str:
    return _s(wall) if cpu is None else f"{_s(wall)} ({_s(cpu)})"


def _kb(x: int | None) -> str:
    return "n/a" if x is None else f"{x / 1024:.0f}"


def _ratio(a: float | None, b: float | None, pct: bool = False) -> str:
    if a is None or not b:
        return "n/a"
    return f"{100 * a / b:.1f}%" if pct else f"{a / b:.2f}×"


_INNER_SHOWN = (
    "load records / render+spool / data files / Markdown / templates / search add / scan / "
    "search write (s)"
)
# The timing hook's names for search's two phases: each page as MkDocs renders it, then the
# index files at the end (the Pagefind names are those of the first search engine).
SEARCH_ADD = ("IndexWriter.add", "write_page")
SEARCH_FINISH = ("IndexWriter.finish", "build_index")


def _inner(t: dict[str, float] | None, floor: bool = False) -> str:
    """The stages inside one MkDocs process, from the timing hook. MkDocs' Markdown phase
    and template phase fire the plugin's on_page_content and on_post_page: what those take
    is ours and is taken out of them. The search index (from on_env) and the scan (from
    on_post_build) are written by processes of their own (child.py), whose times count
    for their language: the template phase shares the cores with the index."""
    if not t:
        return "n/a"
    add = _first(t, SEARCH_ADD)
    markdown = t.get("_populate_page", 0.0) - t.get("FactsheetPlugin.on_page_content", 0.0)
    templates = t.get("_build_page")
    if floor:
        return f"{_s(markdown)} / {_s(templates)}"
    # The plugin's on_files holds the wait for the graph, its loading, the rendering and,
    # in one language, the data files.
    load = t.get("load", 0.0) + t.get("validate_dir", 0.0) + t.get("build_graph", 0.0)
    data = t.get("write_data_files")
    graph_wait = t.get("wait_until_closed", 0.0) - t.get("wait_for_data_files", 0.0)
    on_files = t.get("FactsheetPlugin.on_files")
    render = on_files - load - graph_wait - (data or 0.0) if on_files is not None else None
    if templates is not None:
        templates -= t.get("FactsheetPlugin.on_post_page", 0.0)
    parts = [_s(load), _s(render), _s(data) if data else "–", _s(markdown), _s(templates)]
    parts += [_s(add), _s(t.get("scan_html")), _s(_first(t, SEARCH_FINISH))]
    return " / ".join(parts)


def _prepare_inner(t: dict[str, float] | None) -> str:
    """The build's one validation (``generator.prepare``), from the timing hook."""
    if not t or "prepare" not in t:
        return "n/a"
    parts = [t.get("validate_dir"), t.get("build_graph"), t.get("prepare")]
    return " / ".join(_s(x) for x in parts)


def _first(t: dict[str, float], keys: Sequence[str]) -> float | None:
    return next((t[k] for k in keys if k in t), None)


def table(rows: list[Row], langs: Sequence[str]) -> str:
    lines: list[tuple[str, list[str], str]] = [
        (
            "records: sheets / facts / sources / parties / places",
            [
                f"{r.counts.get('sheets')} / {r.counts.get('facts')} / {r.counts.get('sources')} / "
                f"{r.counts.get('parties')} / {r.counts.get('places')}"
                for r in rows
            ],
            "",
        ),
        ("pages (both languages)", [str(r.pages) for r in rows], ""),
        ("load+validate (s)", [_s(r.validate_s) for r in rows], ""),
        ("render: graph + " + " + ".join(langs) + " (s)", [_s(r.render_total) for r in rows], ""),
        (
            "load+validate+render ÷ floor",
            [_ratio(r.prep, r.floor, pct=True) for r in rows],
            f"< {GOAL_PREP_SHARE:.0%}",
        ),
    ]
    for lang in langs:
        lines.append(
            (
                f"floor: plain mkdocs build {lang}, wall (CPU) s",
                [_wall_cpu(r.floor_s.get(lang), r.floor_cpu.get(lang)) for r in rows],
                "",
            )
        )
    lines += [
        ("floor: both, one after the other (s)", [_s(r.floor) for r in rows], ""),
        (
            "floor side by side: both at once, one process each (s; ÷ floor)",
            [
                f"{_s(r.floor_side_s)} ({_ratio(r.floor_side_s, r.floor)})"
                if r.floor_side_s
                else "n/a"
                for r in rows
            ],
            "",
        ),
        (
            "build: until the graph is ready for the languages (s)",
            [_s(r.build_pre_s) for r in rows],
            "",
        ),
        (
            "  of which prepare: validate / graph / all with pickle (s)",
            [_prepare_inner(r.build_inner.get("main")) for r in rows],
            "",
        ),
    ]
    for lang in langs:
        lines.append(
            (
                f"build: MkDocs {lang} with the plugin, in parallel (s)",
                [_s(r.build_lang_s.get(lang)) for r in rows],
                "",
            )
        )
    for lang in langs:
        lines.append(
            (
                f"  inside {lang}: {_INNER_SHOWN}",
                [_inner(r.build_inner.get(lang)) for r in rows],
                "",
            )
        )
    for lang in langs:
        lines.append(
            (
                f"  floor {lang}: Markdown / templates (s)",
                [_inner(r.floor_inner.get(lang), floor=True) for r in rows],
                "",
            )
        )
    lines += [
        (
            "build: search indexing, " + " + ".join(langs) + " (s)",
            [
                " + ".join(_s(r.search_s.get(lang)) for lang in langs) if r.search_s else "n/a"
                for r in rows
            ],
            "",
        ),
        (
            "whole `factsheet build`, wall (CPU) s",
            [_wall_cpu(r.build_s, r.build_cpu) for r in rows],
            "",
        ),
        (
            "whole build ÷ floor",
            [_ratio(r.build_s, r.floor) for r in rows],
            f"< {GOAL_BUILD_RATIO}×",
        ),
        (
            "rounds: whole build ÷ floor (side by side ÷ floor) in each",
            [
                " / ".join(f"{b / f:.2f}× ({side / f:.2f}×)" for f, side, b in r.rounds)
                for r in rows
            ],
            "",
        ),
        (
            "whole build − floor side by side: all of ours, wall (s)",
            [
                _s(r.build_s - r.floor_side_s) if r.build_s and r.floor_side_s else "n/a"
                for r in rows
            ],
            "",
        ),
        (
            "peak memory, whole build, process tree (MB)",
            [_mb(r.build_peak) for r in rows],
            f"< {GOAL_PEAK_MB} at 10,000",
        ),
        (
            "peak memory, largest single process of the build (MB)",
            [_mb(r.build_maxrss) for r in rows],
            "",
        ),
        ("peak memory, floor mkdocs (MB)", [_mb(r.floor_rss) for r in rows], ""),
        ("site size (MB)", [_mb(r.site_bytes) for r in rows], ""),
        (
            "bytes per page: site ÷ pages (KB)",
            [_kb(r.site_bytes // r.pages if r.pages else None) for r in rows],
            "flat ±20%",
        ),
        (
            "HTML bytes per HTML page (KB)",
            [_kb(r.html_bytes // r.html_pages if r.html_pages else None) for r in rows],
            "",
        ),
        ("search index, both languages (MB)", [_mb(r.search_bytes) for r in rows], ""),
    ]
    for query in QUERIES:
        lines.append(
            (
                f"first search query «{query}», {langs[0]} (KB)",
                [_kb(r.query_bytes.get(query)) for r in rows],
                f"< {GOAL_QUERY_KB} at 10,000",
            )
        )
    lines.append(
        (
            "busiest 1-min load average before a stage",
            [f"{max(r.load):.1f}" if r.load else "n/a" for r in rows],
            "",
        )
    )
    lines.append(
        (
            "CPU s other processes used during floor "
            + " / ".join(langs)
            + " / side by side / build",
            [" / ".join(_s(x) for x in r.foreign) if r.foreign else "n/a" for r in rows],
            "0 on a quiet machine",
        )
    )
    header = ["sheets", *[f"{r.sheets:,}" for r in rows], "goal"]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, cells, goal in lines:
        out.append("| " + " | ".join([name, *cells, goal]) + " |")
    return "\n".join(out)


def goals(rows: list[Row]) -> list[str]:
    """One line per goal that the run has numbers for: met, or missed by how much."""
    out = []
    by_n = {r.sheets: r for r in rows}
    for r in rows:
        if r.sheets not in GOAL_SIZES:
            continue
        if r.prep is not None and r.floor:
            share = r.prep / r.floor
            out.append(
                _verdict(
                    f"n={r.sheets:,}: load+validate+render {share:.1%} of the floor",
                    share,
                    GOAL_PREP_SHARE,
                    f"{GOAL_PREP_SHARE:.0%}",
                    pct=True,
                )
            )
        if r.build_s is not None and r.floor:
            ratio = r.build_s / r.floor
            out.append(
                _verdict(
                    f"n={r.sheets:,}: whole build {ratio:.2f}× the floor",
                    ratio,
                    GOAL_BUILD_RATIO,
                    f"{GOAL_BUILD_RATIO}×",
                )
                + (
                    f"; the floor's own builds side by side take {r.floor_side_s / r.floor:.2f}×"
                    if r.floor_side_s
                    else ""
                )
            )
    if 10000 in by_n:
        r = by_n[10000]
        out.append(
            _verdict(
                f"n=10,000: peak memory {r.build_peak / MB:.0f} MB",
                r.build_peak / MB,
                GOAL_PEAK_MB,
                f"{GOAL_PEAK_MB} MB",
            )
        )
        sizes = [v for v in r.query_bytes.values() if v is not None]
        if sizes:
            kb = max(sizes) / 1024
            out.append(
                _verdict(
                    f"n=10,000: first search query {kb:.0f} KB (largest of {len(sizes)})",
                    kb,
                    GOAL_QUERY_KB,
                    f"{GOAL_QUERY_KB} KB",
                )
            )
        else:
            out.append("n=10,000: first search query: not measured (no search index in the site)")
    if 1000 in by_n and 10000 in by_n and by_n[1000].pages and by_n[10000].pages:
        a = by_n[1000].site_bytes / by_n[1000].pages
        b = by_n[10000].site_bytes / by_n[10000].pages
        change = b / a - 1
        out.append(
            _verdict(
                f"bytes per page 1,000 → 10,000: {a / 1024:.1f} → {b / 1024:.1f} KB "
                f"({change:+.0%})",
                abs(change),
                GOAL_FLAT_BYTES,
                f"±{GOAL_FLAT_BYTES:.0%}",
                pct=True,
            )
        )
    return out


def _verdict(what: str, value: float, limit: float, shown: str, pct: bool = False) -> str:
    if value < limit:
        return f"met: {what} (goal < {shown})"
    over = f"{100 * (value - limit):.1f} points" if pct else f"{value / limit - 1:.0%}"
    return f"MISSED: {what} (goal < {shown}; over by {over})"


def machine() -> str:
    cpu = "unknown CPU"
    info = _read("/proc/cpuinfo") or ""
    if m := re.search(r"^model name\s*:\s*(.+)$", info, re.M):
        cpu = m.group(1).strip()
    mem = ""
    if m := re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo") or "", re.M):
        mem = f", {int(m.group(1)) / 1024 / 1024:.0f} GB RAM"
    versions = []
    for dist in ("mkdocs", "mkdocs-material", "pagefind"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions.append(f"{dist} {version(dist)}")
    return (
        f"{os.cpu_count()} × {cpu}{mem}; {platform.platform()}; "
        f"Python {platform.python_version()}; {', '.join(versions)}"
    )


def record(block: str, key: str) -> None:
    """Put the run's block into RESULTS.md, replacing an earlier block of the same --sheets."""
    begin, end = f"<!-- bench: --sheets {key} -->", "<!-- /bench -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    new = f"{begin}\n{block}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: new, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + new + "\n"
    )
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _reexec_in_venv()
    if argv[:1] == ["_stage"]:
        return stage_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sheets", default="100,1000", help="comma-separated sizes (default 100,1000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "factsheet-bench"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work files (content, site)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile validate, render and the floor's first build",
    )
    parser.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument(
        "--rounds",
        type=int,
        metavar="R",
        help="run the floor, the floor side by side and the whole build R times each, in "
        f"turn, and take each one's median (default: {SMALL_ROUNDS} up to "
        f"{SMALL_SITE:,} sheets, where a run takes a minute and two runs of the same code "
        "differ by up to 5%%; 1 above)",
    )
    parser.add_argument(
        "--wait-load",
        type=float,
        metavar="L",
        help="on a shared machine: before each stage, wait (up to 10 min) for a 1-minute "
        "load average below L",
    )
    args = parser.parse_args(argv)
    sizes = [int(x.replace("_", "")) for x in args.sheets.split(",") if x.strip()]
    global _KEEP
    _KEEP = args.keep

    from generator.model import SITE_LANGUAGES

    langs = list(SITE_LANGUAGES)
    args.work.mkdir(parents=True, exist_ok=True)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    missing = _browser_missing()
    if missing:  # said now, not after the builds
        log(f"bench: {missing}: the first search query will not be measured")
    started = time.perf_counter()
    rows = [
        measure(
            n,
            args.work,
            seed=args.seed,
            langs=langs,
            profile=args.profile,
            log=log,
            wait_load=args.wait_load,
            rounds=args.rounds or (SMALL_ROUNDS if n <= SMALL_SITE else 1),
        )
        for n in sizes
    ]
    if args.profile:
        print_profiles(args.work, log)
    command = "python bench/run.py " + " ".join(argv) if argv else "python bench/run.py"
    lines = [
        f"command: `{command}`  ",
        f"date: {_dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, seed {args.seed}, "
        f"run took {time.perf_counter() - started:.0f} s  ",
        f"machine: {machine()}",
        "",
        table(rows, langs),
        "",
        *[f"- {g}" for g in goals(rows)],
        *[f"- n={r.sheets:,}: {note}" for r in rows for note in r.notes],
    ]
    ratio = (
        rows[-1].build_s / rows[-1].floor if rows[-1].build_s and rows[-1].floor else float("nan")
    )
    lines += ["", f"overhead_ratio: {ratio:.2f}"]
    block = "\n".join(lines)
    if not args.no_record:
        record(block, ",".join(str(n) for n in sizes))
    print(block)
    return 0


def print_profiles(work: Path, log: Callable[[str], None]) -> None:
    import pstats

    for path in sorted(work.glob("prof-*.out")):
        log(f"\n== {path.name}: top 25 by cumulative time")
        stats = pstats.Stats(str(path), stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())

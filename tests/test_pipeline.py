"""How `factsheet build` splits the work: one validation for every language (prepare.py),
one MkDocs process per language, each page's HTML held on disk until it is written, each
page scanned once written. The result must be what the plugin alone builds."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import exports, prepare
from generator.engine import _raw_config, site_of, source_date_epoch
from generator.graph import build_graph
from generator.scan import LineCache, scan_html, theme_allowance
from generator.validate import validate_dir

from .conftest import ROOT


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_prepare_writes_the_graph_once(tmp_path: Path) -> None:
    site = site_of(_raw_config(ROOT / "mkdocs.yml"))
    assert prepare.prepare(ROOT / "content", ROOT, tmp_path, site) == []
    ready = prepare.load(tmp_path)
    content, _ = validate_dir(ROOT / "content", ROOT)
    assert ready.site == site
    assert sorted(ready.graph.content.records) == sorted(content.records)
    assert [f.key for f in ready.graph.facts] == [f.key for f in build_graph(content).facts]
    assert [p.name for p in tmp_path.iterdir()] == [prepare.GRAPH_FILE]


def test_the_data_files_are_listed_before_they_are_written(tmp_path: Path) -> None:
    """The language builds that wait for the data files list them in MkDocs' files first:
    the list must be what is then written, byte for byte what ``exports`` makes."""
    site = site_of(_raw_config(ROOT / "mkdocs.yml"))
    content, _ = validate_dir(ROOT / "content", ROOT)
    graph = build_graph(content)
    listed = prepare.data_files_in(tmp_path)
    assert not (tmp_path / prepare.DATA_DIR).exists()
    (tmp_path / f"{prepare.DATA_DIR}.partial").mkdir()  # left by a writer that was stopped
    written = prepare.write_data_files(graph, site, tmp_path)
    assert written == listed
    assert {path: file.read_bytes() for path, file in written.items()} == exports.data_files(
        graph, site
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [prepare.DATA_DIR]


def test_waiting_for_the_data_files_ends_when_the_writer_closes(tmp_path: Path) -> None:
    import threading

    site = site_of(_raw_config(ROOT / "mkdocs.yml"))
    content, _ = validate_dir(ROOT / "content", ROOT)
    wait_end, done_end = os.pipe()
    got: list[object] = []
    waiter = threading.Thread(
        target=lambda: got.append(prepare.wait_for_data_files(wait_end, tmp_path))
    )
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # nothing written, the writer still holds its end
    written = prepare.write_data_files(build_graph(content), site, tmp_path)
    os.close(done_end)
    waiter.join(60)
    assert got == [written]
    # A writer that stops before the files are in place closes its end too, by exiting.
    wait_end, done_end = os.pipe()
    os.close(done_end)
    with pytest.raises(ValueError, match="data files were not written"):
        prepare.wait_for_data_files(wait_end, tmp_path / "elsewhere")


def test_a_language_build_stops_when_the_data_files_never_come(tmp_path: Path) -> None:
    """The build that waits for the data files fails plainly when their writer stopped:
    no hanging, no site without them."""
    site = site_of(_raw_config(ROOT / "mkdocs.yml"))
    work = tmp_path / "work"
    work.mkdir()
    assert prepare.prepare(ROOT / "content", ROOT, work, site) == []
    (tmp_path / "docs").mkdir()
    wait_end, done_end = os.pipe()
    os.close(done_end)
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(ROOT), "PYTHONHASHSEED": "0"}
    args = [str(ROOT / "mkdocs.yml"), "fa", str(tmp_path / "fa"), str(tmp_path / "docs")]
    args += [str(work), "--data-files-pipe", str(wait_end)]
    result = subprocess.run(
        [sys.executable, "-m", "generator.engine", "build", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        pass_fds=(wait_end,),
    )
    os.close(wait_end)
    assert result.returncode == 1
    assert "the data files were not written" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_language_serves_the_same_data_files(built_site: Path) -> None:
    """Written once, by one language's build, and copied by each into its site."""
    content, _ = validate_dir(ROOT / "content", ROOT)
    expected = exports.data_files(build_graph(content), site_of(_raw_config(ROOT / "mkdocs.yml")))
    for lang in ("fa", "en"):
        served = {path: (built_site / lang / path).read_bytes() for path in expected}
        assert served == expected, lang


def test_prepare_stops_at_the_first_error_and_writes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content" / "parties"
    content.mkdir(parents=True)
    (content / "x.yaml").write_text("id: x\nname: {en: X}\ntype: nonsense\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    problems = prepare.prepare(tmp_path / "content", tmp_path, work, exports.Site())
    assert any(p.severity == "error" for p in problems)
    assert list(work.iterdir()) == []
    with pytest.raises(ValueError, match="no prepared content"):
        prepare.load(work)


def test_a_prepared_file_of_another_format_is_refused(tmp_path: Path) -> None:
    with (tmp_path / prepare.GRAPH_FILE).open("wb") as f:
        pickle.dump((prepare.FORMAT + 1, None, None, {}), f)
    with pytest.raises(ValueError, match="format"):
        prepare.load(tmp_path)


def _build_alone(tmp_path: Path, lang: str, *python: str) -> subprocess.CompletedProcess[str]:
    """One language built by the plugin alone into ``tmp_path / lang``, the way
    ``factsheet build`` starts each language (``python`` names the module or code to run)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(ROOT), "PYTHONHASHSEED": "0"}
    docs = tmp_path / "docs"
    docs.mkdir()
    config, out = str(ROOT / "mkdocs.yml"), str(tmp_path / lang)
    result = subprocess.run(
        [sys.executable, *python, "build", config, lang, out, str(docs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_the_plugin_alone_builds_the_same_pages(built_site: Path, tmp_path: Path) -> None:
    """Without `factsheet build` (no prepared graph) the plugin validates by itself: the
    language's pages must come out byte for byte the same."""
    _build_alone(tmp_path, "en", "-m", "generator.engine")
    alone, built = _files(tmp_path / "en"), _files(built_site / "en")
    assert sorted(alone) == sorted(built)
    different = [path for path in built if alone[path] != built[path]]
    assert different == []


def test_no_page_keeps_the_stand_in_for_its_content(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        assert "factsheet-content" not in page.read_text(encoding="utf-8"), page


@pytest.fixture(scope="module")
def allowed():  # type: ignore[no-untyped-def]
    from generator.engine import site_base_path, theme_template_dirs

    config = ROOT / "mkdocs.yml"
    return theme_allowance(theme_template_dirs(config), site_base_path(config) + "fa/")


PLANTED = (
    ("</article>", '<img src="x" onerror="alert(1)"></article>'),
    ("</body>", "<script>alert(1)</script></body>"),
    ("</body>", "<style>a{b:expression\n(1)}</style></body>"),
    ('<div class="md-content"', '<div class="md-content" onclick="x()"'),
    ("</article>", '<a href="java\nscript:alert(1)">x</a></article>'),
)


def test_the_line_cache_never_changes_a_finding(built_site: Path, allowed) -> None:  # type: ignore[no-untyped-def]
    """Lines already read clean on other pages are skipped: what is found, and where, must
    be the same as reading every line."""
    site = built_site / "fa"
    files = frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    cache = LineCache(pages_per_section=3)
    pages = sorted(site.rglob("*.html"))
    for page in pages:  # learn first, from every section
        rel = page.relative_to(site).as_posix()
        assert scan_html(page.read_text(encoding="utf-8"), rel, allowed, files, cache) == []
    assert len(cache.lines) > 100
    for page in pages[::3]:
        rel = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        for marker, planted in PLANTED:
            if marker not in text:
                continue
            tampered = text.replace(marker, planted, 1)
            found = scan_html(tampered, rel, allowed, files, cache)
            assert found, (rel, planted)
            assert found == scan_html(tampered, rel, allowed, files), (rel, planted)
            assert found == scan_html(tampered, rel, allowed, files, strict_lines=False)


def test_the_plugin_and_the_build_agree_on_the_site_urls(tmp_path: Path) -> None:
    """The graph is prepared once with the engine's idea of the URLs; the plugin shares
    the data files between the languages only when its own idea is the same, which it
    must be."""
    from mkdocs.config import load_config

    from generator.engine import language_overrides
    from generator.plugin import site_of as plugin_site_of

    config_file = ROOT / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    for lang in ("fa", "en"):
        overrides = language_overrides(config_file, lang, tmp_path / lang, tmp_path / "docs")
        config = load_config(str(config_file), **overrides)
        assert plugin_site_of(config) == site_of(_raw_config(config_file))


def test_the_cycle_collector_comes_back_as_it_was() -> None:
    """Loading pauses the cycle collector; afterwards it is as it was, error or not."""
    import gc

    from generator.heap import cycles_collected_after

    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycles_collected_after():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cycles_collected_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rendering_sets_the_records_aside_and_gives_them_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While pages are rendered the loaded records are out of the collector's passes;
    after the last page, or an abandoned render, everything is collectable again, and a
    caller's own freeze is left alone."""
    import gc

    from generator.heap import loaded_data_set_aside
    from generator.render import Renderer

    content, _ = validate_dir(ROOT / "content", ROOT)
    renderer = Renderer(build_graph(content), "fa")
    assert gc.get_freeze_count() == 0
    pages = renderer.pages()
    next(pages)
    assert gc.get_freeze_count() > 0
    assert len(list(pages)) > 20
    assert gc.get_freeze_count() == 0
    abandoned = Renderer(build_graph(content), "en").pages()
    next(abandoned)
    abandoned.close()
    assert gc.get_freeze_count() == 0
    # A caller's own freeze: neither frozen again nor undone. (Counted by the calls: the
    # frozen count itself drops whenever a frozen object is freed by its last reference.)
    gc.freeze()
    try:
        calls: list[str] = []
        monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
        monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        with loaded_data_set_aside():
            pass
        assert calls == []
    finally:
        monkeypatch.undo()
        gc.unfreeze()


def test_spooled_pages_read_their_own_slice(tmp_path: Path) -> None:
    """Every page's Markdown waits in one spool file; each page reads back its own bytes,
    in any order, and a plugin that sets a page's content gets MkDocs' behaviour."""
    from generator.plugin import SpooledPage

    spool_path = tmp_path / "pages.md"
    texts = {"a.md": "# الف\n\nمتن‌ها\n", "b/c.md": "---\ntitle: 'x'\n---\n# B\n", "d.md": ""}
    pages = []
    with spool_path.open("w+b") as spool:
        for path, text in texts.items():
            data = text.encode("utf-8")
            page = SpooledPage(path, None, str(tmp_path / "site"), True)
            page.abs_src_path = str(spool_path)
            page.spooled_at(spool, (spool.tell(), len(data)))
            spool.write(data)
            pages.append(page)
        spool.flush()
        for page in reversed(pages):
            assert page.content_string == texts[page.src_uri]
            assert page.content_bytes == texts[page.src_uri].encode("utf-8")
        pages[0].content_string = "replaced"
        assert pages[0].content_string == "replaced" and pages[0].abs_src_path is None
        pages[1].content_bytes = b"bytes"
        assert pages[1].content_string == "bytes"
        assert pages[2].content_string == ""


_ONCE_CHECK = """
import json, runpy, sys
from generator.plugin import FactsheetPlugin
once, seen = FactsheetPlugin._once_per_folder, []
def checked(self, part, page, render):
    out = once(self, part, page, render)
    seen.append((part, page and page.url, out == render(), len(self._kept)))
    return out
FactsheetPlugin._once_per_folder = checked
sys.argv = ["generator.engine", *sys.argv[1:]]
try:
    runpy.run_module("generator.engine", run_name="__main__")
finally:
    print(json.dumps(seen))
"""


def test_the_theme_pieces_given_back_are_what_the_theme_renders(tmp_path: Path) -> None:
    """plugin._once_per_folder renders pieces of the theme (navigation, tabs, search box…)
    once per folder for the pages outside the navigation: on every page of a real build, what it
    gives back must be what the theme renders for that page, and it must have rendered
    each piece fewer times than there are pages."""
    result = _build_alone(tmp_path, "fa", "-c", _ONCE_CHECK)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    parts = {"nav", "tabs", "search", "palette", "source", "config", "styles", "analytics"}
    parts |= {"footer", "scripts", "logo"}
    assert {part for part, *_ in seen} == parts
    assert [(part, url) for part, url, same, _ in seen if not same] == []
    pages = len(seen) / len(parts)
    assert pages > 20
    assert 0 < seen[-1][3] / len(parts) < pages  # each kept once a folder, not once a page


def _plugin_for(site_dir: Path, content_dir: str):  # type: ignore[no-untyped-def]
    from mkdocs.config import load_config

    config_file = site_dir / "mkdocs.yml"
    config_file.write_text(
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("content_dir: content", f"content_dir: {content_dir}"),
        encoding="utf-8",
    )
    (site_dir / "overrides").symlink_to(ROOT / "overrides")
    (site_dir / "docs").mkdir()
    config = load_config(str(config_file))
    return config.plugins["factsheet"], config


def test_a_linked_content_folder_keeps_its_edit_links(tmp_path: Path) -> None:
    """content/ may be a link to a folder elsewhere: edit links still name content/…."""
    (tmp_path / "content").symlink_to(ROOT / "content")
    plugin, config = _plugin_for(tmp_path, "content")
    plugin.on_config(config)
    assert plugin.content_prefix == "content"
    assert plugin.content_dir == (ROOT / "content").resolve()


def test_a_content_folder_outside_the_site_is_refused_plainly(tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    site = tmp_path / "site"
    site.mkdir()
    plugin, config = _plugin_for(site, "../elsewhere")
    with pytest.raises(
        PluginError, match=re.escape("content_dir '../elsewhere' is outside the folder")
    ):
        plugin.on_config(config)


# --- converting the pages: one Markdown instance, and links kept (plugin.OneMarkdown) ---------

_CONVERT_CHECK = """
import json, runpy, sys
from mkdocs.structure.pages import Page
from generator.plugin import Links, OneMarkdown

def toc(items):
    return [(i.id, i.title, i.level, toc(i.children)) for i in items]

def converted(page):
    anchors = {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()}
    ids = sorted(page.present_anchor_ids)
    return [page.content, toc(page.toc), page._title_from_render, ids, anchors]

fast, pages = OneMarkdown.render, []
def checked(self, page, config, files):
    Page.render(page, config, files)  # MkDocs' own, first: the fast one goes on as in a build
    theirs = converted(page)
    fast(self, page, config, files)
    pages.append((page.file.src_uri, converted(page) == theirs))
OneMarkdown.render = checked

links = {"asked": 0, "rewritten": 0}
ask, rewrite = Links.path_to_url, Links._page_linked
def asked(self, url):
    links["asked"] += 1
    return ask(self, url)
def rewritten(self, url):
    links["rewritten"] += 1
    return rewrite(self, url)
Links.path_to_url, Links._page_linked = asked, rewritten

sys.argv = ["generator.engine", *sys.argv[1:]]
try:
    runpy.run_module("generator.engine", run_name="__main__")
finally:
    print(json.dumps({"pages": pages, **links}))
"""


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_one_markdown_converts_every_page_as_mkdocs_does(tmp_path: Path, lang: str) -> None:
    """Every page of a real build of synthetic content (cross-references, quotes, every
    date form) converted both ways: the fast conversion must give MkDocs' own HTML, table of
    contents, title, anchors and links to anchors, and must have rewritten most links
    from what it kept."""
    from bench import synth

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "overrides").symlink_to(ROOT / "overrides")
    synth.generate(40, project / "content", seed=3)
    (project / "docs").mkdir()
    config = str(project / "mkdocs.yml")
    sites = (str(tmp_path / "site"), str(project / "docs"))
    result = subprocess.run(
        [sys.executable, "-c", _CONVERT_CHECK, "build", config, lang, *sites],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(seen["pages"]) > 100
    assert [path for path, same in seen["pages"] if not same] == []
    assert seen["asked"] > 20 * len(seen["pages"])
    assert seen["rewritten"] < seen["asked"] / 2


_LINKED_FILES = [
    "index.md",
    "about.md",
    "sheets/index.md",
    "sheets/one.md",
    "sheets/two.md",
    "sheets/v1.2.md",
    "sheets/one/deep.md",
    "parties/index.md",
    "parties/x.md",
    "img/p.png",
    "drafts/hidden.md",
]
_LINKS = [
    "one.md",
    "two.md",
    "two.md#part",
    "two.md?q=1#part",
    "v1.2.md",
    "index.md",
    "../index.md",
    "one/deep.md",
    "../sheets/one.md",
    "../sheets/one.md#top",
    "../parties/x.md#a",
    "../parties/",
    "../parties/index.md",
    "../img/p.png",
    "../about.md",
    "../drafts/hidden.md",
    "missing.md",
    "../parties/nowhere",
    "/about.md",
    "https://example.org/x.md",
    "mailto:a@example.org",
    "#top",
    "",
    "sheets/one.md",
    "parties/x.md",
    "deep.md",
    "../one.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_kept_are_rewritten_as_mkdocs_does(
    tmp_path: Path, directory_urls: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Every link from every page, the pages taken in two orders (so that what is kept comes
    from different pages): plugin.Links gives MkDocs' URL, records the same links to anchors
    and logs the same warnings, and rewrites links from what it kept."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files, InclusionLevel
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    from generator.plugin import Links

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict(
        {"site_name": "t", "docs_dir": str(tmp_path / "docs"), "use_directory_urls": directory_urls}
    )
    assert config.validate() == ([], [])
    files = Files(
        [
            File(path, str(tmp_path / "docs"), str(tmp_path / "site"), directory_urls)
            for path in _LINKED_FILES
        ]
    )
    files.get_file_from_path("drafts/hidden.md").inclusion = InclusionLevel.EXCLUDED
    pages = [f for f in files if f.is_documentation_page()]

    def anchors(found: dict) -> dict:  # type: ignore[type-arg]
        return {f.src_uri: dict(a) for f, a in found.items()}

    for order in (pages, pages[::-1]):
        links = Links(files, config)
        kept = 0
        for file in order:
            for url in _LINKS:
                caplog.clear()
                theirs = _RelativePathTreeprocessor(file, files, config)
                expected = theirs.path_to_url(url), anchors(theirs.links_to_anchors)
                warned = [r.getMessage() for r in caplog.records]
                caplog.clear()
                kept += (links._where, url) in links._kept
                mine = links.for_page(file)
                assert (mine.path_to_url(url), anchors(mine.links_to_anchors)) == expected, (
                    file.src_uri,
                    url,
                )
                assert [r.getMessage() for r in caplog.records] == warned, (file.src_uri, url)
        assert kept > 10


@pytest.mark.parametrize("one_markdown", [True, False])
def test_one_markdown_can_be_turned_off(tmp_path: Path, one_markdown: bool) -> None:
    """`one_markdown: false` in mkdocs.yml gives the pages MkDocs' own conversion back."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    (tmp_path / "content").symlink_to(ROOT / "content")
    option = "content_dir: content" + ("" if one_markdown else "\n      one_markdown: false")
    plugin, config = _plugin_for(tmp_path, option.removeprefix("content_dir: "))
    plugin.on_config(config)
    file = File("a.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    plugin.on_pre_page(page, config, Files([file]))
    assert ("render" in vars(page)) is one_markdown


_HTML_PIECES = [
    "<div>",
    '<div id="a">',
    '<p ID="B" class="x y">',
    '<a name="n">',
    "<a name>",
    '<a href="#x" name="m">',
    '<span id="&amp;x&#41;">',
    '<span id="">',
    "<div id>",
    "<br/>",
    '<img id="i" />',
    "</div>",
    "</p >",
    "<!-- ",
    " -->",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "<![CDATA[",
    "]]>",
    "<?pi ?>",
    "<!DOCTYPE html>",
    "<div id='q'>",
    "<div id=u>",
    '<x-y id="c">',
    '<div\nid="m">',
    '`<div id="code">`',
    ' id="t"',
    "<",
    ">",
    "&",
    "&amp",
    '"',
    "'",
    "/",
    "=",
    " ",
    "\n",
    "\n\n",
    "متن‌ها",
    "text",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=40))
def test_anchors_finds_the_ids_mkdocs_finds(pieces: list[str]) -> None:
    """plugin.Anchors reads most lines without html.parser: whatever the raw HTML (comments,
    raw text elements, tags across lines, stray '<', unquoted values), it must find the
    ids and anchor names MkDocs' own reading finds."""
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    from generator.plugin import Anchors

    lines = "".join(pieces).split("\n")
    theirs, mine = _RawHTMLPreprocessor(), Anchors()
    assert mine.run(lines) == theirs.run(lines) == lines
    assert mine.present_anchor_ids == theirs.present_anchor_ids

"""Regenerate the golden Markdown files: `make goldens` (python -m tests.goldens).

The goldens are the Markdown *we* produce for the shipped content, per language;
tests/test_render.py fails when a change alters them, so every change to a page is
reviewed as a diff. What the theme makes of them is checked structurally instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.graph import build_graph
from generator.model import SITE_LANGUAGES
from generator.render import Page, render_site
from generator.validate import validate_dir

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "tests" / "goldens"


def shipped_pages() -> dict[str, list[Page]]:
    content, problems = validate_dir(ROOT / "content", ROOT)
    assert not problems, [p.format() for p in problems]
    graph = build_graph(content)
    return {lang: render_site(content, lang, graph=graph) for lang in SITE_LANGUAGES}


def main() -> None:
    shutil.rmtree(GOLDENS, ignore_errors=True)
    for lang, pages in shipped_pages().items():
        for page in pages:
            target = GOLDENS / lang / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
    print(f"wrote {GOLDENS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

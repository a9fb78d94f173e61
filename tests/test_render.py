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


def test_the_shorter_call_path_keeps_what_jinja_passes() -> None:
    """render.CallContext calls plain functions directly; whatever asks Jinja for its context,
    environment or evaluation context must still get it, inside loops too."""
    import jinja2

    from generator.render import _environment

    env = _environment()
    seen: dict[str, object] = {}

    @jinja2.pass_context
    def with_context(ctx: jinja2.runtime.Context, x: int) -> str:
        return f"{x}:{ctx.get('i', '-')}:{ctx['word']}"

    @jinja2.pass_environment
    def with_env(e: jinja2.Environment) -> str:
        seen["env"] = e
        return "env"

    class Callable:
        @jinja2.pass_eval_context
        def __call__(self, eval_ctx: jinja2.nodes.EvalContext) -> str:
            return f"eval:{eval_ctx.autoescape}"

    class Plain:
        def method(self, a: int, b: int = 0) -> int:
            return a + b

    def stops() -> None:
        raise StopIteration

    source = (
        "{% macro twice(s) %}{{ s }}{{ s }}{% endmacro %}"
        "{% for i in [1, 2] %}{% set k = i * 3 %}{{ with_context(i) }} "
        "{{ plain.method(k, b=10) }} {{ twice(i) }} {{ with_env() }} {{ callable() }} "
        "{{ len('abc') }} {{ stops() is undefined }}|{% endfor %}"
    )
    values = {
        "with_context": with_context,
        "with_env": with_env,
        "callable": Callable(),
        "plain": Plain(),
        "len": len,
        "stops": stops,
        "word": "w",
    }
    template = env.from_string(source)
    assert type(template.new_context()).__name__ == "CallContext"
    out = template.render(values)
    assert out == "1:-:w 13 11 env eval:False 3 True|2:-:w 16 22 env eval:False 3 True|"
    assert seen["env"] is env
    # Jinja's own Context gives the same for the same template.
    stock = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True
    )
    assert stock.from_string(source).render(values) == out

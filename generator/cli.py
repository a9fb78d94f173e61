"""The ``factsheet`` command: validate, new, render, build, serve, schemas, status.

Exit codes: 0 fine (warnings may be printed), 1 content problems or a failed
build, 2 bad usage. A content mistake never produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .model import KIND_DIRS, KINDS
from .problems import has_errors, render_report

FORMATS = ("text", "github", "json")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet",
        description="Bilingual fact sheets from YAML records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every record and cross-reference")
    p.add_argument("content_dir", nargs="?", default="content", help="default: ./content")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("new", help="write a commented skeleton for a new record")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("id")
    p.add_argument("--content-dir", default="content")

    p = sub.add_parser("render", help="write the generated Markdown of both languages")
    p.add_argument("-o", "--out", default="build/docs", help="default: build/docs")
    p.add_argument("--content-dir", default="content")

    p = sub.add_parser("build", help="validate, render and build the bilingual site")
    p.add_argument("-o", "--out", default="site", help="default: ./site")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("serve", help="live preview that re-renders when a record changes")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.add_argument("--lang", default=None, help="language to preview (default: the first)")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")

    p = sub.add_parser("schemas", help="write the JSON Schemas for editors")
    p.add_argument("-o", "--out", default="schemas")

    p = sub.add_parser("status", help="what the content still needs: translations, plans…")
    p.add_argument("content_dir", nargs="?", default="content", help="default: ./content")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--today", type=_day, default=None, help="the day plans are judged on (YYYY-MM-DD)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command.replace("-", "_")
    return int(globals()[f"cmd_{command}"](args) or 0)


def _validated(content_dir: Path):  # type: ignore[no-untyped-def]
    """The validated content and its problems, or None (reported) with no content directory.
    Paths in problems are relative to the working directory when the content is below it."""
    from .validate import validate_dir

    if not content_dir.is_dir():
        print(f"factsheet: error: no content directory at {content_dir}", file=sys.stderr)
        return None
    return validate_dir(content_dir, Path.cwd() if _inside_cwd(content_dir) else content_dir.parent)


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import count_by_kind

    loaded = _validated(Path(args.content_dir))
    if loaded is None:
        return 2
    content, problems = loaded
    sys.stdout.write(render_report(problems, args.format))
    if args.format == "text":
        counts = count_by_kind(content)
        summary = ", ".join(_count(counts.get(k, 0), k) for k in (*KINDS, "fact"))
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        totals = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        print(f"{summary}; {totals}", file=sys.stderr)
    return 1 if has_errors(problems) else 0


_PLURALS = {"party": "parties"}


def _count(n: int, noun: str) -> str:
    """``1 party``, ``2 parties``, ``0 errors``."""
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"


def _inside_cwd(path: Path) -> bool:
    try:
        path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return True


def cmd_new(args: argparse.Namespace) -> int:
    from .decode import id_problem
    from .schema import skeleton

    if problem := id_problem(args.id):
        print(f"factsheet: error: {problem}", file=sys.stderr)
        return 2
    target = Path(args.content_dir) / KIND_DIRS[args.kind] / f"{args.id}.yaml"
    # Case-folded, as the validator compares ids (case-insensitive file systems).
    existing = sorted(
        p for p in Path(args.content_dir).glob("*/*.yaml") if p.stem.casefold() == args.id
    )
    if existing:
        # The same id in another kind is a clash too: ids are unique across all kinds.
        why = (
            "already exists; not overwriting"
            if existing[0] == target
            else f'already uses the id "{args.id}"; ids are unique across all kinds'
        )
        print(f"factsheet: error: {existing[0]} {why}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(skeleton(args.kind, args.id))
    except FileExistsError:
        print(f"factsheet: error: {target} already exists; not overwriting", file=sys.stderr)
        return 1
    print(target)
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .schema import json_schema_text

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        (out / f"{kind}.schema.json").write_text(json_schema_text(kind), encoding="utf-8")
        print(out / f"{kind}.schema.json")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .graph import build_graph
    from .model import SITE_LANGUAGES
    from .render import render_site, write_pages
    from .validate import validate_dir

    content, problems = validate_dir(Path(args.content_dir), Path.cwd())
    sys.stdout.write(render_report(problems))
    if has_errors(problems):
        return 1
    graph = build_graph(content)
    out = Path(args.out)
    for lang in SITE_LANGUAGES:
        write_pages(render_site(content, lang, graph=graph), out / lang)
    print(out, file=sys.stderr)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def cmd_status(args: argparse.Namespace) -> int:
    from .graph import build_graph
    from .status import report, to_json, to_text

    loaded = _validated(Path(args.content_dir))
    if loaded is None:
        return 2
    content, problems = loaded
    # The one command that reads the clock, and only when not told the day: a maintainer
    # asks "what is overdue now?".
    today = args.today or date.today()
    result = report(build_graph(content), today)
    sys.stdout.write(to_json(result) if args.format == "json" else to_text(result))
    if has_errors(problems):
        print(
            "factsheet: the content has problems; `factsheet validate` lists them",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .engine import build_site

    return build_site(Path(args.config_file), Path(args.out), fmt=args.format)


def cmd_serve(args: argparse.Namespace) -> int:
    from .engine import serve

    return serve(Path(args.config_file), lang=args.lang, dev_addr=args.dev_addr)


if __name__ == "__main__":
    sys.exit(main())

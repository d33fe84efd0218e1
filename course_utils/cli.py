"""The ``course`` command: build, run (and later assign, grade) the course."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm.auto import tqdm

from course_utils import build, run
from course_utils.data import REPO_ROOT
from course_utils.i18n import LANGUAGES

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _lessons(names: list[str]) -> list[Path]:
    return [build.find_source(name) for name in names] if names else build.sources()


def cmd_build(args: argparse.Namespace) -> int:
    """Rebuild notebooks, exercises and solutions from the lesson sources."""
    jobs = [(source, lang) for source in _lessons(args.lessons) for lang in args.lang]
    for source, lang in tqdm(jobs, desc="build", unit="notebook"):
        for path in build.build(source, lang, run=not args.no_execute):
            tqdm.write(f"wrote {path.relative_to(REPO_ROOT)}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Execute lessons headless and write a Markdown report."""
    paths = [
        build.target(s, "solutions", lang) for s in _lessons(args.lessons) for lang in args.lang
    ]
    outcomes = [
        run.run_notebook(path, args.profile) for path in tqdm(paths, desc="run", unit="notebook")
    ]
    text = run.markdown(outcomes, args.profile)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text)
    print(text)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILED


def parser() -> argparse.ArgumentParser:
    """The command-line interface, with plain-words help."""
    main = argparse.ArgumentParser(prog="course", description="Build and run the PyTorch course.")
    sub = main.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild notebooks, exercises and solutions from lessons/")
    b.add_argument("lessons", nargs="*", help="lesson numbers or names (default: all)")
    b.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    b.add_argument(
        "--no-execute", action="store_true", help="write the notebooks without running them"
    )
    b.set_defaults(func=cmd_build)
    r = sub.add_parser("run", help="execute lessons headless and write a report")
    r.add_argument("lessons", nargs="*", help="lesson numbers or names (default: all)")
    r.add_argument("--profile", choices=run.PROFILES, default="quick")
    r.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    r.add_argument("--report", type=Path, default=REPO_ROOT / "reports" / "course.md")
    r.set_defaults(func=cmd_run)
    return main


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console script."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ValueError as error:
        print(f"course: {error}", file=sys.stderr)
        return EXIT_USAGE

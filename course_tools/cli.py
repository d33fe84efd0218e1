"""The ``course`` command: build, run, hand out and grade the course.

The options live here; what each command does lives in
:mod:`course_tools.commands`, which imports the heavy modules (PyTorch takes
seconds) only when a command runs, so ``course --help`` answers at once.

Longer than 200 lines because every command's options live here: the whole interface
reads in one place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_tools import REPO_ROOT, cli_lms, commands
from course_tools.cli_text import (
    AUTOGRADER_HELP,
    EPILOG,
    GRADE_HELP,
    LANG_HELP,
    LESSONS_HELP,
    STUDENT_FROM_HELP,
)
from course_utils.i18n import LANGUAGES

PROFILES = ("quick", "full")  # = run.PROFILES; tests/test_cli.py keeps these two equal
STUDENT_FROM = ("name", "folder", "moodle", "canvas")  # = collect.STUDENT_FROM
VISIBILITY = ("visible", "after_due_date", "after_published", "hidden")  # = autograder_run's


def _add_build(sub) -> None:
    b = sub.add_parser(
        "build",
        help="rebuild notebooks/, exercises/ and solutions/ from lessons/",
        description="Rebuild each lesson's three notebooks (student, exercise, solution) in "
        "each language from its source in lessons/, running them with the full profile.",
        epilog="Example: course build 01 --lang es",
    )
    b.add_argument("lessons", nargs="*", metavar="LESSON", help=LESSONS_HELP)
    b.add_argument("--lang", action="append", choices=LANGUAGES, help=LANG_HELP)
    b.add_argument("--no-execute", action="store_true", help="write without running them")
    b.set_defaults(handler="build")


def _add_run(sub) -> None:
    r = sub.add_parser(
        "run",
        help="run lessons headless and write a report (seconds, metrics, claims)",
        description="Run the built solution notebooks in fresh kernels and write a Markdown "
        "report: seconds and final metrics per lesson and language, and whether the "
        "lesson's stated claims and checks hold. Exit status 1 if any does not.",
        epilog="Example: course run --profile quick --lang en 01 02",
    )
    r.add_argument("lessons", nargs="*", metavar="LESSON", help=LESSONS_HELP)
    r.add_argument(
        "--profile", choices=PROFILES, default="quick", help="quick: seconds; full: the real lesson"
    )
    r.add_argument("--lang", action="append", choices=LANGUAGES, help=LANG_HELP)
    r.add_argument("--report", type=Path, default=REPO_ROOT / "reports" / "course.md")
    r.set_defaults(handler="run")


def _add_assign(sub) -> None:
    a = sub.add_parser(
        "assign",
        help="write a student pack: exercise notebooks and a README, no solutions",
        description="Write a folder to hand out: the lessons' exercise notebooks in one "
        "language, the course helpers they import, requirements.txt and a README in that "
        "language (how to install, open and hand in). Nothing from solutions/; the pack "
        "is refused if it would contain any solution code.",
        epilog="Example: course assign --lang es 01 02 --out pack-es",
    )
    a.add_argument("lessons", nargs="+", metavar="LESSON", help="lesson numbers or names")
    a.add_argument("--lang", required=True, choices=LANGUAGES, help="the pack's language")
    a.add_argument("--out", required=True, type=Path, metavar="DIR", help="a new or empty folder")
    a.add_argument("--force", action="store_true", help="write into a folder that has files")
    a.add_argument(
        "--reveal",
        action="append",
        metavar="LESSON",
        help="an earlier, already graded lesson whose answers the pack may show (repeat "
        "for more); without it a pack never shows any exercise's solution",
    )
    a.set_defaults(handler="assign")


def _add_grade(sub) -> None:
    g = sub.add_parser(
        "grade",
        help="grade students' notebooks into a gradebook CSV and feedback files",
        description=GRADE_HELP,
        epilog="Examples: course grade --lesson 01 hand-ins/*.ipynb --out grades/01.csv\n"
        "          course grade --student-from folder moodle-export/ --jobs 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g.add_argument(
        "submissions",
        nargs="+",
        type=Path,
        metavar="SUBMISSION",
        help="notebooks (.ipynb) or folders to search for them",
    )
    g.add_argument("--out", type=Path, default=Path("gradebook.csv"), help="the gradebook CSV")
    g.add_argument(
        "--feedback",
        type=Path,
        metavar="DIR",
        help="folder for the feedback files (default: feedback/NAME/ beside --out NAME.csv)",
    )
    g.add_argument(
        "--lesson",
        action="append",
        metavar="LESSON",
        help="a lesson of this assignment (repeat for more); notebooks of other lessons "
        "get a wrong_lesson row",
    )
    g.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="time limit per notebook (default: 300)",
    )
    g.add_argument(
        "--student-from",
        choices=STUDENT_FROM,
        default="name",
        help=STUDENT_FROM_HELP,
    )
    g.add_argument(
        "--profile",
        choices=PROFILES,
        default="quick",
        help="run the lesson with its quick (default) or full parameters",
    )
    g.add_argument("--jobs", type=int, default=1, help="notebooks graded at the same time")
    g.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="the class list (a 'student' column, else the first): a missing row for each "
        "student without a notebook",
    )
    g.add_argument(
        "--sandbox",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run each submission in bubblewrap: no network, repo read-only, no solutions/ "
        "(default: on where bubblewrap works)",
    )
    g.add_argument(
        "--shard",
        type=_share,
        default=(1, 1),
        metavar="K/N",
        help="grade only the K-th of N shares of the students (the same student always in "
        "the same share); join the gradebooks with course merge",
    )
    g.add_argument("--force", action="store_true", help="overwrite an existing gradebook")
    cli_lms.add(g)
    g.set_defaults(handler="grade")


def _share(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N with 1 <= K <= N, e.g. 2/3")
    return int(k), int(n)


def _add_merge(sub) -> None:
    m = sub.add_parser(
        "merge",
        help="join the gradebooks of a batch graded in shares (course grade --shard K/N)",
        epilog="Example: course merge grades/01-part*.csv --out grades/01.csv",
    )
    m.add_argument("parts", nargs="+", type=Path, metavar="PART", help="the shares' gradebooks")
    m.add_argument("--out", type=Path, required=True, help="the joined gradebook CSV")
    m.add_argument("--force", action="store_true", help="overwrite an existing gradebook")
    cli_lms.add(m, roster=True)
    m.set_defaults(handler="merge", feedback=None)


def _add_autograder(sub) -> None:
    a = sub.add_parser(
        "autograder",
        help="write a Gradescope autograder zip for one lesson",
        description=AUTOGRADER_HELP,
        epilog="Example: course autograder --lesson 01 --lang es --out gradescope/",
    )
    a.add_argument("--lesson", required=True, metavar="LESSON", help="a lesson number or name")
    a.add_argument(
        "--lang",
        required=True,
        choices=LANGUAGES,
        help="the assignment's language (a notebook in the other one is graded in its own)",
    )
    a.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="where to write it")
    a.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="time limit per notebook (default: 300)",
    )
    a.add_argument(
        "--visibility",
        choices=VISIBILITY,
        default="visible",
        help="when students see each exercise's result (Gradescope's visibility; default: visible)",
    )
    a.add_argument("--force", action="store_true", help="overwrite an existing zip")
    a.set_defaults(handler="autograder")


def parser() -> argparse.ArgumentParser:
    """The command-line interface, with plain-words help."""
    main = argparse.ArgumentParser(
        prog="course",
        description="Build, run, hand out and grade the bilingual PyTorch course.",
        epilog=EPILOG,
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    adders = (_add_build, _add_run, _add_assign, _add_grade, _add_merge, _add_autograder)
    for add in adders:
        add(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console script; returns the exit status."""
    try:
        args = parser().parse_args(argv)
        return getattr(commands, f"cmd_{args.handler}")(args)
    except SystemExit as stop:  # argparse: --help (0) or bad usage (2)
        return stop.code if isinstance(stop.code, int) else commands.EXIT_USAGE
    except ValueError as error:
        print(f"course: {error}", file=sys.stderr)
        return commands.EXIT_USAGE
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return commands.EXIT_INTERRUPTED

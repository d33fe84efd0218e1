"""What each ``course`` subcommand does (the options are in :mod:`course_tools.cli`).

The heavy modules (PyTorch, papermill) are imported inside each command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from course_tools import REPO_ROOT
from course_utils.i18n import LANGUAGES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MOST_FREQUENT = 10  # the mistakes `course grade` prints (all of them are in the CSV)


def _lessons(names: list[str]) -> list[Path]:
    from course_tools import build

    return [build.find_source(name) for name in names] if names else build.sources()


def _langs(args: argparse.Namespace) -> list[str]:
    return list(dict.fromkeys(args.lang)) if args.lang else list(LANGUAGES)


def cmd_build(args: argparse.Namespace) -> int:
    """Rebuild notebooks, exercises and solutions from the lesson sources."""
    from tqdm.auto import tqdm

    from course_tools import build

    jobs = [(source, lang) for source in _lessons(args.lessons) for lang in _langs(args)]
    failed = []
    for source, lang in tqdm(jobs, desc="build", unit="lesson"):
        try:
            for path in build.build(source, lang, run=not args.no_execute):
                tqdm.write(f"wrote {path.relative_to(REPO_ROOT)}")
        except Exception as error:  # report it, build the others, exit with 1
            failed.append(f"{source.stem} ({lang}): {type(error).__name__}: {str(error)[-600:]}")
    for failure in failed:
        print(f"course build: FAILED {failure}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Execute lessons headless and write a Markdown report."""
    from tqdm.auto import tqdm

    from course_tools import build, run

    paths = [
        build.target(s, "solutions", lang) for s in _lessons(args.lessons) for lang in _langs(args)
    ]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise ValueError(f"not built yet: {', '.join(missing)}; run `course build` first")
    outcomes = [
        run.run_notebook(path, args.profile) for path in tqdm(paths, desc="run", unit="notebook")
    ]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(run.markdown(outcomes, args.profile))
    print(run.summary(outcomes))
    for outcome in (o for o in outcomes if not o.ok):
        print(f"{outcome.lesson} ({outcome.lang}): " + "; ".join(outcome.failures), file=sys.stderr)
    print(f"every metric and claim: {args.report}")
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILED


def cmd_assign(args: argparse.Namespace) -> int:
    """Write a student pack: exercise notebooks, helpers, requirements and a README."""
    from course_tools import assign

    written = assign.assign(args.lessons, args.lang, args.out, args.force, args.reveal or [])
    notebooks = [p.name for p in written if p.suffix == ".ipynb"]
    print(f"wrote {len(written)} files to {args.out}: {', '.join(notebooks)}, README.md")
    return EXIT_OK


def cmd_autograder(args: argparse.Namespace) -> int:
    """Write a Gradescope autograder zip for one lesson."""
    from course_tools.grading import autograder

    options = (args.timeout, args.visibility, args.force)
    path = autograder.write_zip(args.lesson, args.lang, args.out, *options)
    print(f"wrote {path}: upload it in the Gradescope assignment's Configure Autograder page")
    return EXIT_OK


def _gradebook_paths(args: argparse.Namespace) -> tuple[Path, Path, Path, Path]:
    """The gradebook, its summary, its mistakes and its feedback folder, refused before any
    grading."""
    from course_tools.grading import feedback, gradebook

    out = args.out
    if out.suffix.lower() != ".csv" or out.is_dir():
        raise ValueError(f"--out {out}: name a .csv file, e.g. grades/01.csv")
    parent = next((p for p in [out.parent, *out.parent.parents] if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise ValueError(f"--out {out}: {parent} is not a folder you can write to")
    summary, mistakes = gradebook.summary_path(out), gradebook.mistakes_path(out)
    if not args.force and (existing := [p for p in (out, summary, mistakes) if p.exists()]):
        raise ValueError(f"{existing[0]} exists: choose another --out, or add --force")
    return out, summary, mistakes, args.feedback or feedback.feedback_folder(out)


def _sandbox(wanted: bool | None) -> bool:
    from course_tools.grading import sandbox

    works = sandbox.available()
    if wanted and not works:
        raise ValueError("--sandbox needs bubblewrap (Debian: apt-get install bubblewrap)")
    if wanted is None and not works:
        print(
            "course grade: bubblewrap is not available, so submissions run without a sandbox "
            "(with your rights); install the Debian package bubblewrap, or see the README",
            file=sys.stderr,
        )
    return works if wanted is None else wanted


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade submitted notebooks into a gradebook, a summary and one feedback file per student."""
    from course_tools import build
    from course_tools.grading import collect, gradebook, lms_command, prediction_report
    from course_tools.grading import feedback as feedback_files

    if args.timeout <= 0 or args.jobs < 1:
        raise ValueError("--timeout must be more than 0 seconds and --jobs at least 1")
    out, summary, mistakes, feedback = _gradebook_paths(args)
    lms_command.check(args)
    if args.roster and not args.roster.is_file():
        raise ValueError(f"--roster {args.roster} does not exist")
    directory = lms_command.directory(args) if args.student_from in lms_command.SYSTEMS else None
    if directory is not None:
        roster = directory if args.roster else None
    else:
        roster = collect.read_roster(args.roster) if args.roster else None
    assignment = [build.find_source(name).stem for name in args.lesson or []]
    jail = _sandbox(args.sandbox)
    graded = gradebook.grade_all(
        args.submissions,
        assignment,
        args.timeout,
        args.student_from,
        args.profile,
        args.jobs,
        jail,
        roster,
        args.shard,
        directory,
    )
    gradebook.write_gradebook(graded, out)
    said = prediction_report.write_all(graded, summary, out, feedback_files.batch_language(graded))
    found = gradebook.write_mistakes(graded, mistakes)
    files = feedback_files.write_feedback(graded, feedback)
    rows = [row for one in graded for row in one.rows]
    passed = sum(row.passed for row in rows)
    print(f"graded {len(graded)} submissions of {len(files)} students; {passed}/{len(rows)} passed")
    if found:
        print("most frequent mistakes (students with it as their main mistake / graded):")
    for m in sorted(found, key=lambda m: -m["students"])[:MOST_FREQUENT]:
        print(f"  {m['lesson']} {m['exercise']}: {m['diagnosis']} {m['students']}/{m['graded']}")
    print(f"gradebook: {out}; per student: {summary}; mistakes: {mistakes}; feedback: {feedback}/")
    if said:  # the class's predictions (formative)
        print("\n".join(said))
    if args.lms:
        lms_command.write(args, graded, directory)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    """Join the gradebooks of a batch's shares into one, as if it had been graded whole."""
    from course_tools.grading import lms_command, merge

    missing = [str(p) for p in args.parts if not p.is_file()]
    if missing:
        raise ValueError(f"no gradebook at {', '.join(missing)}")
    out, summary, mistakes, feedback = _gradebook_paths(args)
    lms_command.check(args)
    directory = lms_command.directory(args) if args.lms else None
    graded, said = merge.write(args.parts, out, summary, mistakes, feedback)
    merged = f"merged {len(args.parts)} gradebooks: {out}; per student: {summary}"
    print("\n".join([f"{merged}; feedback: {feedback}/", *said]))
    if args.lms:
        lms_command.write(args, graded, directory)
    return EXIT_OK

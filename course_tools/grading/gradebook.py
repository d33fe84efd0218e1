"""``course grade``: grade a batch of submitted notebooks into a gradebook and feedback files.

Which notebooks and whose: :mod:`course_tools.grading.collect`. How one is
graded: :mod:`course_tools.grading.submission` (the threat model is in
:mod:`course_tools.grading.isolate` and the README). Written here: the
gradebook (one row per student and exercise), a summary beside it (one row
per student: points, max_points, status, for an LMS import), the mistakes the
checks diagnosed, counted over the class (one row per diagnosis id), and one feedback
file per student in a folder of its own per gradebook (``feedback/01/``
beside ``01.csv``), so grading another lesson never overwrites it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from tqdm.auto import tqdm

from course_tools.grading import collect, submission
from course_tools.grading import key as lesson_key
from course_tools.grading.collect import STUDENT_FROM, student_of  # noqa: F401 - the API
from course_tools.grading.feedback import batch_language
from course_tools.grading.rows import Graded, by_student, totals
from course_tools.grading.text import say
from course_utils import checks
from course_utils.i18n import LANGUAGES

MISSING, SEVERAL, GRADED = "missing", "several", "graded"
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
FIELDS = [
    *("student", "lesson", "lang", "exercise", "status", "passed", "points", "max_points"),
    *("message", "diagnosis", "also", "note", "instructor_note", "submission"),
]
SUMMARY = ["student", "points", "max_points", "status", "lessons", "submissions"]
MISTAKES = ["lesson", "exercise", "diagnosis", "students", "also", "graded", "example"]


def max_points(assignment: list[str]) -> float:
    """What the assignment's lessons are worth together."""
    keys = [lesson_key.load_key(lesson, LANGUAGES[0]) for lesson in assignment]
    return sum(check.points for key in keys if key for check in key.checks)


def _missing(why: tuple[str, str, str], assignment: list[str], worth: float, lang: str) -> Graded:
    student, reason, path = why
    graded = Graded(student, path, ", ".join(assignment))
    graded.add("", MISSING, say(reason, lang, path=path), max_points=worth)
    return graded


def _finish(graded: Graded, batch: collect.Batch, worth: float) -> Graded:
    """Exercise-less rows keep the lesson's worth; flagged students get an instructor note."""
    lang = graded.lang or None
    notes = [say("several", lang)] if graded.student in batch.several else []
    notes += [say("unlisted", lang)] if graded.student in batch.unlisted else []
    for row in graded.rows:
        if not row.exercise and not row.max_points:
            row.max_points = worth
        row.instructor_note = "; ".join(filter(None, [*notes, row.instructor_note]))
    return graded


def grade_all(
    paths: list[Path],
    assignment: list[str] = (),
    limit: float = 300,
    student_from: str = "name",
    profile: str = "quick",
    jobs: int = 1,
    sandbox: bool = False,
    roster: list[str] | None = None,
    share: tuple[int, int] = (1, 1),
    directory=None,
) -> list[Graded]:
    """Grade every notebook, ``jobs`` at a time, with a progress bar; then who is missing.

    ``share`` (k, n) grades the k-th of n shares of the students; ``directory``: :mod:`.lms`.
    """
    batch = collect.shard(collect.collect(paths, student_from, roster, directory), share)
    worth = max_points(list(assignment))
    args = [(p, s, list(assignment), limit, profile, sandbox) for p, s in batch.found]
    bar = tqdm(total=len(args), desc="grade", unit="notebook")
    with bar, ThreadPoolExecutor(max(1, jobs)) as pool:  # the work happens in subprocesses
        futures = [pool.submit(submission.grade, *a) for a in args]
        for future in futures:
            future.add_done_callback(lambda _: bar.update())
        graded = [future.result() for future in futures]
    lang = batch_language(graded)
    graded += [_missing(why, list(assignment), worth, lang) for why in batch.missing]
    return ordered([_finish(one, batch, worth) for one in graded])


def ordered(graded: list[Graded]) -> list[Graded]:
    """In the gradebook's order: by student, then submission."""
    return sorted(graded, key=lambda one: (one.student, one.submission))


def _csv_row(row) -> dict:
    values = asdict(row)
    values.update(passed="yes" if row.passed else "no")
    values.update(points=f"{row.points:g}", max_points=f"{row.max_points:g}")
    return {name: values[name] for name in FIELDS}


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, quoted so it reads as text."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA) else value


def _write(path: Path, fields: list[str], rows) -> None:
    """A CSV in UTF-8 with a BOM, so spreadsheets show accents; no cell runs as a formula."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.DictWriter(file, fields)
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)


def write_gradebook(graded: list[Graded], path: Path) -> None:
    """One CSV row per student and exercise."""
    _write(path, FIELDS, (_csv_row(row) for one in graded for row in one.rows))


def summary_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-students.csv")


def _status(theirs: list[Graded]) -> str:
    statuses = {row.status for g in theirs for row in g.rows}
    if statuses == {MISSING}:
        return MISSING
    if len([g for g in theirs if g.rows and g.rows[0].status != MISSING]) > 1:
        return SEVERAL
    known = {checks.PASSED, checks.FAILED, checks.TODO}
    return GRADED if statuses <= known else sorted(statuses - known)[0]


def write_summary(graded: list[Graded], path: Path, predictions: dict | None = None) -> None:
    """One CSV row per student: points, max_points and status (graded, missing, ...).

    A student with several notebooks gets the points of the best one (``several``: the
    instructor chooses), never more than the maximum. ``predictions`` (student -> text, see
    :mod:`.prediction_report`) adds a formative last column when the batch asked any.
    """
    fields = [*SUMMARY, "predictions"] if predictions else SUMMARY
    rows = []
    for student, theirs in by_student(graded):
        points, worth = totals(theirs)
        lessons = ", ".join(dict.fromkeys(g.lesson for g in theirs if g.lesson))
        files = ", ".join(g.submission for g in theirs if g.submission)
        values = [student, f"{points:g}", f"{worth:g}", _status(theirs), lessons, files]
        values += [predictions.get(student, "")] if predictions else []
        rows.append(dict(zip(fields, values, strict=True)))
    _write(path, fields, rows)


def mistakes_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-mistakes.csv")


def mistakes(graded: list[Graded]) -> list[dict]:
    """Per lesson, exercise and diagnosis id: the students it was the main mistake of, the
    others who had it besides another, how many were graded, and one message as an example."""
    main, also, example, graded_of = defaultdict(set), defaultdict(set), {}, defaultdict(set)
    for row in (row for one in graded for row in one.rows if row.exercise):
        exercise = (row.lesson, row.exercise)
        graded_of[exercise].add(row.student)
        for diagnosis in filter(None, [row.diagnosis, *row.also.split("; ")]):
            (main if diagnosis == row.diagnosis else also)[(*exercise, diagnosis)].add(row.student)
            example.setdefault((*exercise, diagnosis), row.message)
    found = []
    for key in main.keys() | also.keys():
        counts = [len(main[key]), len(also[key] - main[key]), len(graded_of[key[:2]])]
        found.append(dict(zip(MISTAKES, [*key, *counts, example[key]], strict=True)))
    return sorted(found, key=lambda m: (m["lesson"], m["exercise"], -m["students"], -m["also"]))


def write_mistakes(graded: list[Graded], path: Path) -> list[dict]:
    """One CSV row per mistake the checks diagnosed, most frequent first; returns the rows."""
    found = mistakes(graded)
    _write(path, MISTAKES, found)
    return found

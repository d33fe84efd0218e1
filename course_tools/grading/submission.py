"""Grade one submitted exercise notebook with the course's own checks.

The notebook runs in a fresh kernel with one time limit: the student's cells
as handed in, then, wherever a check cell stood, the course's check code from
the repo (see :mod:`course_tools.grading.key`). Only the results those trusted
cells return count; nothing the student printed or stored does. The lesson
and language come from the notebook's metadata. A bad submission yields a row
saying why, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_tools.grading import execute
from course_tools.grading import key as lesson_key
from course_tools.grading.key import STUDENT, TRUSTED, Key, Role
from course_tools.grading.text import say
from course_utils import checks
from course_utils.i18n import LANGUAGES

UNREADABLE, NOT_COURSE, UNKNOWN = "unreadable", "not_course", "unknown_lesson"
WRONG = "wrong_lesson"
STATUSES = (checks.PASSED, checks.FAILED, checks.TODO)
CELL_FILE = re.compile(r"\(\d+\.py, line (\d+)\)")


@dataclass
class Row:
    """One line of the gradebook: a student's exercise, or a submission's problem."""

    student: str
    submission: str
    lesson: str = ""
    lang: str = ""
    exercise: str = ""
    status: str = ""
    points: float = 0.0
    max_points: float = 0.0
    message: str = ""
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status == checks.PASSED


@dataclass
class Graded:
    """Everything grading one notebook produced."""

    student: str
    submission: str
    lesson: str = ""
    lang: str = ""
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, exercise: str, status: str, message: str, **values: object) -> None:
        """Append a gradebook row for this notebook."""
        identity = (self.student, self.submission, self.lesson, self.lang)
        self.rows.append(Row(*identity, exercise, status, message=message, **values))


class Rejected(Exception):
    """A submission that cannot be graded: its status and the message's key and values."""

    def __init__(self, status: str, key: str, **values: object):
        super().__init__(status)
        self.status, self.key, self.values = status, key, values


def _identify(graded: Graded, path: Path, assignment: list[str]) -> nbformat.NotebookNode:
    """Read the notebook and set its lesson and language, or raise :class:`Rejected`."""
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # not JSON, not a notebook, unreadable file
        reason = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
        raise Rejected(UNREADABLE, "unreadable", file=path.name, error=reason) from error
    meta = nb.metadata.get("course")
    meta = meta if isinstance(meta, dict) else {}
    lesson, lang = str(meta.get("lesson", "")), str(meta.get("lang", ""))
    if not lesson or lang not in LANGUAGES:
        raise Rejected(NOT_COURSE, "not_course", file=path.name)
    graded.lesson, graded.lang = lesson, lang
    if assignment and lesson not in assignment:
        raise Rejected(WRONG, "wrong_lesson", lesson=lesson, expected=", ".join(assignment))
    return nb


def _cell_errors(execution: execute.Execution, roles: list[Role], lang: str) -> dict[int, str]:
    """Grading-cell index -> what the student's cell raised, for those that raised."""
    found = {}
    for i, (cell, role) in enumerate(zip(execution.nb.cells, roles, strict=True)):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if role.kind == STUDENT and errors:
            evalue = CELL_FILE.sub(  # "(line 5)" in the student's language, not IPython's file
                lambda found: say("line", lang, line=found[1]), errors[0].evalue
            )
            error = f"{errors[0].ename}: {evalue}"[:200]
            found[i] = say("cell_error", lang, cell=role.number, line=role.line, error=error)
    return found


def _check_outcome(cell, exercise: str, lang: str) -> tuple[str, str]:
    """Status and message of one trusted check cell, read from its result only."""
    outputs = cell.get("outputs", [])
    results = [
        o.data[checks.MIME]
        for o in outputs
        if o.output_type == "execute_result" and checks.MIME in o.get("data", {})
    ]
    if len(results) == 1 and results[0].get("status") in STATUSES:
        return results[0]["status"], str(results[0].get("message", ""))
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    if errors:
        return checks.FAILED, say("check_error", lang, exercise=exercise, error=errors[0][:200])
    return checks.FAILED, say("no_result", lang, exercise=exercise)


def _stopped(execution: execute.Execution, roles: list[Role], exercise: str, lang: str):
    """Status and message of a check the run never finished (time limit, dead kernel)."""
    role = roles[execution.stopped_at] if execution.stopped_at >= 0 else Role(STUDENT, 0)
    where = {"exercise": exercise, "cell": role.number, "line": role.line}
    if execution.end == execute.TIMEOUT:
        return execution.end, say("timeout", lang, seconds=f"{execution.limit:g}", **where)
    if execution.end == execute.DIED:
        return execution.end, say("died", lang, **where)
    return execution.end, say("crashed", lang, exercise=exercise, error=execution.detail)


def _rows(graded: Graded, key: Key, execution: execute.Execution, roles: list[Role], note: str):
    """One row per check, in the key's order, with the errors of the cells before it."""
    errors = _cell_errors(execution, roles, key.lang)
    graded.errors = list(errors.values())
    section: list[str] = []
    for i, (cell, role) in enumerate(zip(execution.nb.cells, roles, strict=True)):
        section += [errors[i]] if i in errors else []
        if role.kind != TRUSTED:
            continue
        check = key.checks[role.check]
        if execution.end == execute.DONE or i < execution.stopped_at:
            status, message = _check_outcome(cell, check.exercise, key.lang)
        else:
            status, message = _stopped(execution, roles, check.exercise, key.lang)
        points = check.points if status == checks.PASSED else 0.0
        notes = "; ".join(([note] if note else []) + section)
        graded.add(
            check.exercise, status, message, points=points, max_points=check.points, note=notes
        )
        section = []


def _grade_key(graded: Graded, submission, key: Key, limit: float, profile: str) -> None:
    """Run the submission with the key's checks and add one row per check."""
    layout = lesson_key.layout(submission, key)
    notes = [say(layout, key.lang)] if layout != lesson_key.OK else []
    if submission.metadata["course"].get("variant") == "solutions":
        notes.append(say("solution", key.lang))
    nb, roles = lesson_key.grading_notebook(submission, key, profile)
    if not roles:  # a lesson without exercises: nothing to grade
        return
    _rows(graded, key, execute.execute(nb, limit), roles, "; ".join(notes))


def grade(
    path: Path, student: str, assignment: list[str], limit: float, profile: str = "quick"
) -> Graded:
    """Grade one submitted notebook; a bad submission gets a row saying why, never an exception."""
    graded = Graded(student, str(path))
    try:
        submission = _identify(graded, path, assignment)
        key = lesson_key.load_key(graded.lesson, graded.lang)
        if key is None:
            raise Rejected(UNKNOWN, "unknown_lesson", lesson=graded.lesson)
        _grade_key(graded, submission, key, limit, profile)
    except Rejected as rejected:
        graded.add("", rejected.status, say(rejected.key, graded.lang, **rejected.values))
    except Exception as error:  # a failure of the grader itself must not stop the batch
        error = f"{type(error).__name__}: {error}"
        graded.rows = []
        graded.add("", execute.CRASHED, say("crashed", graded.lang, exercise="*", error=error))
    return graded

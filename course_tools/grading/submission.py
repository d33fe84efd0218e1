"""Grade one submitted exercise notebook with the course's own checks.

Two processes run at once, each with the time limit. One executes the
notebook in a fresh kernel (the student's cells, and the course's check cells
where theirs stood, see :mod:`course_tools.grading.key`): it gives the cells'
errors, and where a run that did not finish stopped. The other, a fresh
Python the submission never ran in, runs each exercise's probe on the
student's definitions; the judges then decide here from what the probes
recorded (:mod:`course_tools.grading.isolate`): only their results count.
The lesson and language come from the notebook's metadata. A bad submission
yields a row saying why, never an exception.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from course_tools.grading import execute, isolate
from course_tools.grading import key as lesson_key
from course_tools.grading.key import STUDENT, TRUSTED, Key, Role
from course_tools.grading.rows import Graded
from course_tools.grading.text import say
from course_utils import checks
from course_utils.i18n import LANGUAGES

UNREADABLE, NOT_COURSE, UNKNOWN = "unreadable", "not_course", "unknown_lesson"
WRONG, TAMPERED = "wrong_lesson", "tampered"
STATUSES = (checks.PASSED, checks.FAILED, checks.TODO)
CELL_FILE = re.compile(r"\(\d+\.py, line (\d+)\)")


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
        # only the kind of error: its text may quote the file's bytes
        reason = type(error).__name__
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
            # "(line 5)" in the student's language, not IPython's file name
            evalue = CELL_FILE.sub(say("line", lang, line=r"\1"), errors[0].evalue)
            error = f"{errors[0].ename}: {evalue}"[:200]
            found[i] = say("cell_error", lang, cell=role.number, line=role.line, error=error)
    return found


def _check_outcome(verdict: isolate.Verdict, index: int, exercise: str, lang: str):
    """Status and message of one check, from the judge's word only."""
    if verdict.tampered:
        return TAMPERED, say("tampered", lang, exercise=exercise, what=verdict.tampered)
    if index in verdict.results:
        return verdict.results[index].status, verdict.results[index].message
    if index in verdict.missing:
        return checks.FAILED, say(
            "no_definition", lang, exercise=exercise, name=verdict.missing[index]
        )
    if index in verdict.errors:
        error = verdict.errors[index]
        return checks.FAILED, say("check_error", lang, exercise=exercise, error=error)
    if verdict.end == execute.TIMEOUT:
        return verdict.end, say("check_timeout", lang, exercise=exercise, seconds=verdict.seconds)
    if verdict.end == execute.DIED:
        return verdict.end, say("check_died", lang, exercise=exercise)
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


def _rows(graded: Graded, key: Key, runs: tuple, roles: list[Role], notes: tuple) -> None:
    """One row per check, in the key's order; a row not passed notes the errors of the cells
    before it. ``notes``: for the student, for the instructor."""
    execution, verdict = runs
    errors = _cell_errors(execution, roles, key.lang)
    graded.errors = list(errors.values())
    section: list[str] = []
    for i, role in enumerate(roles):
        section += [errors[i]] if i in errors else []
        if role.kind != TRUSTED:
            continue
        check = key.checks[role.check]
        if execution.end == execute.DONE or i < execution.stopped_at or verdict.tampered:
            status, message = _check_outcome(verdict, role.check, check.exercise, key.lang)
        else:
            status, message = _stopped(execution, roles, check.exercise, key.lang)
        result = verdict.results.get(role.check)
        found = result.diagnoses if result and status in STATUSES else ()
        points = check.points if status == checks.PASSED else 0.0
        mine = [notes[0], *(section if status != checks.PASSED else [])]
        values = {"points": points, "max_points": check.points, "instructor_note": notes[1]}
        values["note"] = "; ".join(filter(None, mine))
        values.update(diagnosis=found[0] if found else "", also="; ".join(found[1:]))
        graded.add(check.exercise, status, message, **values)
        section = []


def _grade_key(graded: Graded, submission, key: Key, limit: float, profile: str, jail: bool):
    """Run the submission with the key's checks and add one row per check."""
    layout = lesson_key.layout(submission, key)
    notes = [say(layout, key.lang)] if layout != lesson_key.OK else []
    solution = submission.metadata["course"].get("variant") == "solutions"
    instructor = say("solution", key.lang) if solution else ""
    nb, roles = lesson_key.grading_notebook(submission, key, profile)
    if not roles:  # a lesson without exercises: nothing to grade
        return
    with ThreadPoolExecutor(1) as pool:  # the two processes run at the same time
        ran = pool.submit(execute.execute, nb, limit, jail)
        verdict = isolate.grade(submission, key, profile, limit, jail)
        execution = ran.result()
    notes += [say("outputs_cut", key.lang)] if execution.cut or verdict.cut else []
    _rows(graded, key, (execution, verdict), roles, ("; ".join(notes), instructor))


def grade(
    path: Path,
    student: str,
    assignment: list[str],
    limit: float,
    profile: str = "quick",
    sandbox: bool = False,
) -> Graded:
    """Grade one submitted notebook; a bad submission gets a row saying why, never an exception."""
    graded = Graded(student, str(path))
    try:
        submission = _identify(graded, path, assignment)
        key = lesson_key.load_key(graded.lesson, graded.lang)
        if key is None:
            raise Rejected(UNKNOWN, "unknown_lesson", lesson=graded.lesson)
        _grade_key(graded, submission, key, limit, profile, sandbox)
    except Rejected as rejected:
        graded.add("", rejected.status, say(rejected.key, graded.lang, **rejected.values))
    except Exception as error:  # a failure of the grader itself must not stop the batch
        error = f"{type(error).__name__}: {error}"
        graded.rows = []
        graded.add("", execute.CRASHED, say("crashed", graded.lang, exercise="*", error=error))
    return graded

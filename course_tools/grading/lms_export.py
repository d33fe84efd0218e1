"""Files to import into Moodle or Canvas, written beside the gradebook (``--lms``).

Moodle (both read their columns and names as Moodle 4.x's code does):

- ``<out>-moodle.csv``, the assignment's offline grading worksheet, for "Upload grading
  worksheet" (feedback type "Offline grading worksheet" on).
  ``mod/assign/feedback/offline/importgradeslib.php`` finds its columns by their English
  names: ``Identifier`` (``Participant 123456``), ``Grade`` and ``Last modified (grade)`` are
  required (a grade changed in Moodle after that time is kept, unless the upload form's
  "Allow updating records that have been modified more recently..." is ticked), and each
  enabled feedback plugin reads its own column (``Feedback comments``, HTML). ``Full name``,
  ``Email address`` and ``Maximum Grade`` are for you, as in the worksheet Moodle gives.
- ``<out>-moodle-feedback.zip``, each student's feedback file for "Upload multiple feedback
  files in a zip" (feedback type "Feedback files" on): ``mod/assign/feedback/file/importziplib.php``
  takes the participant id from the second ``_`` field of a folder named as the download names
  it, ``Full Name_123456_assignsubmission_file/feedback.md``.

Canvas: ``<out>-canvas.csv`` for Grades > Import (Canvas guide "How do I import grades in the
Gradebook?"; ``app/models/gradebook_importer.rb``): ``Student``, ``ID`` (matched first),
``SIS User ID``, ``SIS Login ID``, ``Section``, then the assignment's column, ``Name (id)`` for an
existing assignment, or ``Name`` with a ``Points Possible`` row to have Canvas create it.

Only students with an LMS id (from the download's names or the roster) can be imported; the
writers return the others. Plain UTF-8 without a byte-order mark, which Moodle would read as
part of ``Identifier``.
"""

from __future__ import annotations

import csv
import html
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from course_tools.grading.feedback import batch_language, feedback
from course_tools.grading.gradebook import _cell
from course_tools.grading.lms import Directory, Person
from course_tools.grading.rows import Graded, by_student, totals
from course_tools.grading.text import say

MOODLE = [
    *("Identifier", "Full name", "Email address", "Grade", "Maximum Grade"),
    *("Last modified (grade)", "Feedback comments"),
]
CANVAS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def paths(out: Path, system: str) -> list[Path]:
    """The files ``--lms system`` writes beside the gradebook ``out``."""
    names = ["moodle.csv", "moodle-feedback.zip"] if system == "moodle" else ["canvas.csv"]
    return [out.with_name(f"{out.stem}-{name}") for name in names]


def _people(graded: list[Graded], directory: Directory):
    """Each student's person and notebooks, and the labels of those without an LMS id."""
    found, left_out = [], []
    for student, theirs in by_student(graded):
        person = directory.find(student)
        if person.id:
            found.append((person, theirs))
        else:
            left_out.append(student)
    return found, left_out


def _write_csv(path: Path, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([[_cell(v) for v in row] for row in rows])


def comment(theirs: list[Graded], lang: str) -> str:
    """A student's short feedback, as HTML: each notebook's score and its checks' messages."""
    lines = []
    for one in theirs:
        points, worth = (
            f"{sum(getattr(r, k) for r in one.rows):g}" for k in ("points", "max_points")
        )
        here = one.lang or lang
        lines.append(say("score", here, lesson=one.lesson or "?", points=points, max_points=worth))
        lines += [r.message + (f" ({r.note})" if r.note else "") for r in one.rows]
    return "<br>".join(html.escape(line.lstrip("# ")) for line in lines)


def _folder(person: Person) -> str:
    """The submission folder Moodle's download gives ``person`` (no ``_`` nor ``/`` in names)."""
    name = person.name.replace("_", " ").replace("/", " ")
    return f"{name}_{person.id}_assignsubmission_file"


def write_moodle(graded: list[Graded], out: Path, directory: Directory) -> list[str]:
    """The grading worksheet and the feedback zip; returns the students left out."""
    people, left_out = _people(graded, directory)
    lang = batch_language(graded)
    when = datetime.now(UTC).replace(microsecond=0).isoformat()  # PHP's strtotime reads it
    rows = [MOODLE]
    worksheet, archive = paths(out, "moodle")
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for person, theirs in people:
            points, worth = totals(theirs)
            summary = comment(theirs, lang)
            rows.append([f"Participant {person.id}", person.name, person.email, f"{points:g}"])
            rows[-1] += [f"{worth:g}", when, summary]
            text = feedback(person.label, theirs, lang)
            zipped.writestr(f"{_folder(person)}/feedback.md", text.encode())
    _write_csv(worksheet, rows)
    return left_out


def write_canvas(
    graded: list[Graded], out: Path, directory: Directory, assignment: str, assignment_id: str = ""
) -> list[str]:
    """The gradebook import CSV with one assignment column; returns the students left out."""
    people, left_out = _people(graded, directory)
    column = f"{assignment} ({assignment_id})" if assignment_id else assignment
    rows = [[*CANVAS, column]]
    if not assignment_id and people:  # Canvas creates the assignment, worth this
        worth = max(totals(theirs)[1] for _, theirs in people)
        rows.append(["Points Possible", "", "", "", "", f"{worth:g}"])
    for person, theirs in people:
        ids = [person.id, person.sis_user_id, person.sis_login_id, person.section]
        rows.append([person.name, *ids, f"{totals(theirs)[0]:g}"])
    _write_csv(paths(out, "canvas")[0], rows)
    return left_out

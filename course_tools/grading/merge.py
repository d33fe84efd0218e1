"""Join the gradebooks of a batch graded in shares (``course grade --shard K/N``).

Each share's gradebook is read back into graded notebooks; :mod:`.gradebook` then
writes the joined gradebook, summary and mistakes as grading the whole batch would, and
the class's predictions are read again from the hand-ins the gradebooks name.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from course_tools.grading import feedback as feedback_files
from course_tools.grading import gradebook, prediction_report
from course_tools.grading.gradebook import FIELDS, FORMULA
from course_tools.grading.rows import Graded


def _uncell(value: str) -> str:
    """A cell as :func:`_cell` was given it."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA) else value


def read_gradebook(path: Path) -> list[Graded]:
    """The graded notebooks a gradebook CSV holds (to merge the shares of a split batch)."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    if rows and set(FIELDS) - set(rows[0]):
        raise ValueError(f"{path} is not a gradebook of course grade: it lacks {FIELDS}")
    graded: dict[tuple[str, str], Graded] = {}
    for values in rows:
        values = {k: _uncell(v) for k, v in values.items()}
        who = (values["student"], values["submission"])
        one = graded.setdefault(who, Graded(*who, values["lesson"], values["lang"]))
        points = {k: float(values[k]) for k in ("points", "max_points")}
        kept = ("message", "note", "instructor_note", "diagnosis", "also")
        one.add(values["exercise"], values["status"], **{k: values[k] for k in kept}, **points)
    return list(graded.values())


def write(
    parts: list[Path], out: Path, summary: Path, mistakes: Path, feedback: Path
) -> tuple[list[Graded], list[str]]:
    """Write the joined gradebook, summary, mistakes, feedback and predictions report; return
    the graded notebooks and what ``course merge`` prints about the predictions."""
    graded = gradebook.ordered([g for part in parts for g in read_gradebook(part)])
    gradebook.write_gradebook(graded, out)
    lang = feedback_files.batch_language(graded)
    said = prediction_report.write_all(graded, summary, out, lang)
    gradebook.write_mistakes(graded, mistakes)
    feedback.mkdir(parents=True, exist_ok=True)
    for part in parts:
        for file in sorted(feedback_files.feedback_folder(part).glob("*.md")):
            shutil.copy2(file, feedback / file.name)
    return graded, said

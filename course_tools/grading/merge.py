"""Join the gradebooks of a batch graded in shares (``course grade --shard K/N``).

Each share's gradebook is read back into graded notebooks; :mod:`.gradebook` then
writes the joined gradebook, summary and mistakes as grading the whole batch would.
"""

from __future__ import annotations

import csv
from pathlib import Path

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

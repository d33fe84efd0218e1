"""A submitted notebook's predictions, read from its cells without running anything.

Each question's code cell (metadata ``course: prediction: <id>``) counts only as the plain
assignment the build wrote, ``prediction = "b"``, read with :mod:`ast`: anything else is
``unreadable``, an empty string ``no_answer``, a missing cell ``missing``. The order: an
answer whose cell ran after the demonstration (the code cell before the question's reveal,
``course: reveal: <id>``; execution counts compared) was given after seeing the result.
The questions come from the lesson's source, never from the notebook.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_tools import build
from course_tools import predictions as lesson_predictions

ANSWERED, NO_ANSWER, UNREADABLE, MISSING = "answered", "no_answer", "unreadable", "missing"
LONGEST = 500  # characters: a longer cell is no plain assignment
NAME = "prediction"


@dataclass(frozen=True)
class Answer:
    """One student's answer to one question of one lesson."""

    student: str
    lesson: str
    question: str
    status: str
    letter: str = ""
    after: bool = False  # given after the demonstration ran


def letter_of(source: str) -> str | None:
    """The text of ``prediction = "<text>"``, stripped and lowercase; None for anything else."""
    if len(source) > LONGEST:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
        return None
    node = tree.body[0]
    named = [isinstance(t, ast.Name) and t.id == NAME for t in node.targets]
    literal = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    return node.value.value.strip().lower().rstrip(").") if named == [True] and literal else None


def _marked(cell, role: str) -> str | None:
    course = cell.get("metadata", {}).get("course")
    value = course.get(role) if isinstance(course, dict) else None
    return value if isinstance(value, str) else None


def _count(cell) -> int | None:
    count = cell.get("execution_count")
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _demonstration_count(cells: list, key: str) -> int | None:
    """The execution count of the code cell nearest before the question's reveal."""
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown" and _marked(cell, lesson_predictions.REVEAL) == key:
            code = [c for c in cells[:index] if c.get("cell_type") == "code"]
            return _count(code[-1]) if code else None
    return None


def answer(cells: list, key: str, options: dict) -> tuple[str, str, bool]:
    """Status, letter and whether it came after the demonstration, for question ``key``."""
    asked = [c for c in cells if c.get("cell_type") == "code" and _marked(c, NAME) == key]
    if not asked:
        return MISSING, "", False
    letter = letter_of(str(asked[0].get("source", "")))
    if letter is None or (letter and letter not in options):
        return UNREADABLE, "", False
    if not letter:
        return NO_ANSWER, "", False
    mine, shown = _count(asked[0]), _demonstration_count(cells, key)
    return ANSWERED, letter, mine is not None and shown is not None and mine > shown


def questions(lesson: str) -> tuple[dict, dict]:
    """The questions and misconceptions of the lesson named exactly ``lesson`` (else none)."""
    source = next((s for s in build.sources() if s.stem == lesson), None)
    return lesson_predictions.from_source(source) if source else ({}, {})


def read(path: Path, student: str, lesson: str, asked: dict) -> list[Answer]:
    """Every question's answer in one notebook (``asked``: the lesson's questions)."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:  # not a notebook: grading already reported it
        return []
    found = []
    for key, question in asked.items():
        status, letter, after = answer(cells, key, question["options"])
        found.append(Answer(student, lesson, key, status, letter, after))
    return found

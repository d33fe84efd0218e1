"""What grading one notebook produces: its gradebook rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from course_utils import checks


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
    note: str = ""  # for the student (and their feedback)
    instructor_note: str = ""  # for the instructor only (never in the feedback)
    diagnosis: str = ""  # the check's id for the main mistake ("" when none)
    also: str = ""  # the ids of the other mistakes it found, "; " between them

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


def by_student(graded: list[Graded]) -> Iterator[tuple[str, list[Graded]]]:
    """Each student with their graded notebooks, in the order they first appear."""
    students = dict.fromkeys(g.student for g in graded)
    for student in students:
        yield student, [g for g in graded if g.student == student]


def totals(theirs: list[Graded]) -> tuple[float, float]:
    """A student's points and maximum: their best notebook's (``several``: the instructor
    chooses), never more than the maximum."""
    points = max(sum(r.points for r in g.rows) for g in theirs)
    return points, max(sum(r.max_points for r in g.rows) for g in theirs)

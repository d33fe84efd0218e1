"""``course grade``: grade a batch of submitted notebooks into a gradebook and feedback files.

Submissions are notebooks or folders of notebooks. The student is the file's
name without ``.ipynb`` (``student_from="name"``: ``ana.ipynb``), or the name
of the folder that holds it (``"folder"``: ``ana/01_training_loop.ipynb``).
The lesson is always read from the notebook's metadata, never from a name.

What grading trusts: only the repo (its built notebooks' check cells and the
course modules, imported afresh before each check). It does not trust the
submission's outputs, its check cells' text, or the course modules as the
student's code left them; so printing or displaying a fake result, editing,
deleting or moving a check cell, or patching a check function earns nothing.
It is not a sandbox: a submission runs with the grader's rights and could
attack the kernel itself (IPython's internals, PyTorch). Grade untrusted
submissions inside a container or a throwaway account, as with any autograder.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from tqdm.auto import tqdm

from course_tools.grading import submission
from course_tools.grading.submission import Graded
from course_tools.grading.text import feedback

STUDENT_FROM = ("name", "folder")
SAFE = re.compile(r"[^\w.-]+")  # what may not be in a feedback file's name
FIELDS = [
    "student",
    "lesson",
    "lang",
    "exercise",
    "status",
    "passed",
    "points",
    "max_points",
    "message",
    "note",
    "submission",
]


def notebooks(paths: list[Path]) -> list[Path]:
    """The notebooks to grade: each file given, and every ``.ipynb`` inside each folder."""
    found = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if not inside:
                raise ValueError(f"no .ipynb files in {path}")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise ValueError(f"{path} does not exist")
    return found


def student_of(path: Path, student_from: str) -> str:
    """Who handed in ``path``: its file name, or its folder's name."""
    if student_from not in STUDENT_FROM:
        raise ValueError(f"student_from must be one of {STUDENT_FROM}, not {student_from!r}")
    return path.resolve().parent.name if student_from == "folder" else path.stem


def grade_all(
    paths: list[Path],
    assignment: list[str] = (),
    limit: float = 300,
    student_from: str = "name",
    profile: str = "quick",
    jobs: int = 1,
    sandbox: bool = False,
) -> list[Graded]:
    """Grade every notebook, ``jobs`` at a time, in the order given, with a progress bar."""
    found = notebooks(paths)
    args = [
        (p, student_of(p, student_from), list(assignment), limit, profile, sandbox) for p in found
    ]
    with tqdm(total=len(args), desc="grade", unit="notebook") as bar:
        if jobs <= 1:
            results = []
            for a in args:
                results.append(submission.grade(*a))
                bar.update()
            return results
        with ThreadPoolExecutor(jobs) as pool:  # the work happens in the kernels' processes
            futures = [pool.submit(submission.grade, *a) for a in args]
            for future in futures:
                future.add_done_callback(lambda _: bar.update())
            return [future.result() for future in futures]


def _csv_row(row) -> dict:
    values = asdict(row)
    values.update(passed="yes" if row.passed else "no")
    values.update(points=f"{row.points:g}", max_points=f"{row.max_points:g}")
    return {name: values[name] for name in FIELDS}


def write_gradebook(graded: list[Graded], path: Path) -> None:
    """One CSV row per student and exercise (UTF-8 with a BOM, so spreadsheets show accents)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.DictWriter(file, FIELDS)
        writer.writeheader()
        writer.writerows(_csv_row(row) for one in graded for row in one.rows)


def _by_student(graded: list[Graded]) -> Iterator[tuple[str, list[Graded]]]:
    students = dict.fromkeys(g.student for g in graded)
    for student in students:
        yield student, [g for g in graded if g.student == student]


def write_feedback(graded: list[Graded], folder: Path) -> list[Path]:
    """One Markdown feedback file per student, named after them."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student, theirs in _by_student(graded):
        path = folder / f"{SAFE.sub('_', student) or 'student'}.md"
        path.write_text(feedback(student, theirs), encoding="utf-8")
        written.append(path)
    return written

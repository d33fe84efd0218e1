"""Which notebooks to grade, whose they are, and who handed in nothing.

The student is the file's name without ``.ipynb`` (``student_from="name"``),
the name of the folder that holds it (``"folder"``), or the name and id that
Moodle's or Canvas's download gives it (``"moodle"``, ``"canvas"``: see
:mod:`course_tools.grading.lms`), in Unicode's composed
form (NFC: a folder name from a macOS zip matches the roster). A path that
does not exist, a student folder without a notebook, a notebook that is not a
regular file inside the folder handed in (a symlink, a device) and a roster
name without a submission each become a ``missing`` entry, never an error
that stops the batch. Two different files that would give one student in
``name`` mode are refused; several notebooks in one student's folder are
flagged.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from course_tools.grading import lms

STUDENT_FROM = ("name", "folder", *lms.SYSTEMS)
NO_PATH, NO_NOTEBOOK, NOT_HANDED_IN = "no_path", "no_notebook", "not_handed_in"
NOT_A_FILE = "not_a_file"


@dataclass
class Batch:
    """The notebooks to grade with their students, and the students with nothing to grade."""

    found: list[tuple[Path, str]] = field(default_factory=list)
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # student, why, path
    several: set[str] = field(default_factory=set)
    unlisted: set[str] = field(default_factory=set)  # graded, but not on the roster


def student_of(path: Path, student_from: str, directory: lms.Directory | None = None) -> str:
    """Who handed in ``path``: its file name, its folder's name, or as the LMS named it."""
    if student_from not in STUDENT_FROM:
        raise ValueError(f"student_from must be one of {STUDENT_FROM}, not {student_from!r}")
    if student_from in lms.SYSTEMS:
        return lms.student_of(path, student_from, directory)
    name = path.absolute().parent.name if student_from == "folder" else path.stem
    return unicodedata.normalize("NFC", name)


def _plain_file(path: Path, folder: Path) -> bool:
    """A regular file inside ``folder``, reached through no symlink."""
    literal = folder.resolve() / path.relative_to(folder)
    return path.is_file() and not path.is_symlink() and path.resolve() == literal


def _inside(folder: Path) -> list[Path]:
    found = folder.rglob("*.ipynb")
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def read_roster(path: Path) -> list[str]:
    """The students of a roster CSV: its ``student`` column, else its first one."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("student") if "student" in header else 0
    body = rows[1:] if "student" in header else rows
    names = (unicodedata.normalize("NFC", r[column].strip()) for r in body if len(r) > column)
    return list(dict.fromkeys(name for name in names if name))


def collect(
    paths: list[Path],
    student_from: str,
    roster: list[str] | lms.Directory | None = None,
    directory: lms.Directory | None = None,
) -> Batch:
    """Every notebook under ``paths`` with its student; and who is missing, and why.

    In ``moodle`` and ``canvas`` modes, ``directory`` (the roster export, else empty) names
    the students, and a submission without a notebook is ``missing``.
    """
    batch, directory = Batch(), directory or lms.Directory()
    name_of = lambda path: student_of(path, student_from, directory)  # noqa: E731
    for path in paths:
        if path.is_symlink() or (path.exists() and not path.is_dir() and not path.is_file()):
            batch.missing.append((name_of(path), NOT_A_FILE, str(path)))
        elif path.is_file():
            batch.found.append((path, name_of(path)))
        elif not path.is_dir():
            who = name_of(path) if path.suffix == ".ipynb" else path.name
            batch.missing.append((who, NO_PATH, str(path)))
        elif notebooks := _inside(path):
            for notebook in notebooks:
                who = name_of(notebook)
                if _plain_file(notebook, path):
                    batch.found.append((notebook, who))
                else:
                    batch.missing.append((who, NOT_A_FILE, str(notebook)))
            if student_from == "folder":
                empty = [d for d in sorted(path.iterdir()) if d.is_dir() and not _inside(d)]
                empty = [d for d in empty if d.name != ".ipynb_checkpoints"]
                batch.missing += [(d.name, NO_NOTEBOOK, str(d)) for d in empty]
        elif not (student_from in lms.SYSTEMS and lms.named_in(path, student_from)):
            batch.missing.append((path.resolve().name, NO_NOTEBOOK, str(path)))
        if path.is_dir() and student_from in lms.SYSTEMS:  # submissions, with or without notebook
            named = lms.named_in(path, student_from)
            batch.missing += [(name_of(p), NO_NOTEBOOK, str(p)) for p in named]
    if student_from in lms.SYSTEMS:  # an online text, a PDF: missing if no notebook besides
        handed_in, first = {s for _, s in batch.found}, {}
        for m in batch.missing:
            if not (m[1] == NO_NOTEBOOK and m[0] in handed_in):
                first.setdefault(m[:2], m)
        batch.missing = list(first.values())
    files: dict[str, set[Path]] = {}
    for notebook, student in batch.found:
        files.setdefault(student, set()).add(notebook.resolve())
    clashes = {s: sorted(map(str, f)) for s, f in files.items() if len(f) > 1}
    if clashes and student_from == "name":
        named = "; ".join(f"{s}: {', '.join(f)}" for s, f in sorted(clashes.items()))
        raise ValueError(f"two different files give the same student ({named}): rename them")
    batch.several = set(clashes)
    unique: dict[Path, tuple[Path, str]] = {}
    for notebook, student in batch.found:  # the same file given twice is graded once
        unique.setdefault(notebook.resolve(), (notebook, student))
    batch.found = list(unique.values())
    if roster is not None:
        seen = {s for _, s in batch.found} | {s for s, _, _ in batch.missing}
        batch.missing += [(s, NOT_HANDED_IN, "") for s in roster if s not in seen]
        batch.unlisted = {s for _, s in batch.found} - set(roster)
    return batch


def in_shard(student: str, shard: tuple[int, int]) -> bool:
    """Whether ``student`` falls in share ``k`` of ``n`` (``shard == (k, n)``, k from 1): the
    same student always lands in the same share, whatever else the batch holds."""
    k, n = shard
    return int(hashlib.sha256(student.encode()).hexdigest(), 16) % n == k - 1


def shard(batch: Batch, share: tuple[int, int]) -> Batch:
    """The part of ``batch`` whose students fall in ``share``."""

    def keep(student: str) -> bool:
        return in_shard(student, share)

    return Batch(
        [(p, s) for p, s in batch.found if keep(s)],
        [m for m in batch.missing if keep(m[0])],
        {s for s in batch.several if keep(s)},
        {s for s in batch.unlisted if keep(s)},
    )

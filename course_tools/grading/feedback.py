"""The feedback files: one Markdown file per student, in their notebook's language.

A student with nothing graded gets the batch's language; file names are safe and
unique (``ana maria`` and ``ana_maria`` get two files). Notes meant for the
instructor never reach these files.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from course_tools.grading.rows import Graded, by_student
from course_tools.grading.text import say
from course_utils.i18n import LANGUAGES

SAFE = re.compile(r"[^\w.-]+")  # what may not be in a feedback file's name


def _score(value: float) -> str:
    return f"{value:g}"


def _section(graded, lang: str | None) -> list[str]:
    """One notebook's part of the feedback: score, file, each check, the cells that failed."""
    points = _score(sum(r.points for r in graded.rows))
    total = _score(sum(r.max_points for r in graded.rows))
    lines = [say("score", lang, lesson=graded.lesson or "?", points=points, max_points=total)]
    lines += ["", say("file", lang, file=graded.submission)] if graded.lang else []
    lines += [""]
    lines += [f"- {r.message}" + (f" ({r.note})" if r.note else "") for r in graded.rows]
    others = [e for e in graded.errors if not any(e in r.note for r in graded.rows)]
    if others:
        lines += ["", say("errors", lang), ""] + [f"- {error}" for error in others]
    return [*lines, ""]


def feedback(student: str, graded: list, default: str = LANGUAGES[0]) -> str:
    """One student's feedback (Markdown), in their notebooks' language (else ``default``)."""
    lang = next((g.lang for g in graded if g.lang in LANGUAGES), default)
    lines = [say("title", lang, student=student), ""]
    for one in graded:
        lines += _section(one, one.lang if one.lang in LANGUAGES else lang)
    return "\n".join(lines)


def feedback_folder(out: Path) -> Path:
    """Where a gradebook's feedback goes: ``feedback/<its name>/`` beside it."""
    return out.parent / "feedback" / out.stem


def batch_language(graded: list[Graded]) -> str:
    """The language most of the batch's notebooks are in (for students with none)."""
    found = Counter(g.lang for g in graded if g.lang in LANGUAGES)
    return found.most_common(1)[0][0] if found else LANGUAGES[0]


def _file_name(student: str, taken: set[str]) -> str:
    """A safe file name for ``student``, unique among ``taken`` (``ana maria``, ``ana_maria``)."""
    name = SAFE.sub("_", student) or "student"
    if name.lower() in taken:
        name = f"{name}-{hashlib.sha1(student.encode()).hexdigest()[:6]}"
    taken.add(name.lower())
    return f"{name}.md"


def write_feedback(graded: list[Graded], folder: Path) -> list[Path]:
    """One Markdown feedback file per student, named after them."""
    folder.mkdir(parents=True, exist_ok=True)
    written, taken, lang = [], set(), batch_language(graded)
    for student, theirs in by_student(graded):
        path = folder / _file_name(student, taken)
        path.write_text(feedback(student, theirs, lang), encoding="utf-8")
        written.append(path)
    return written

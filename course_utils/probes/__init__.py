"""Probes: run a student's code on a problem and record what it did, as plain data.

Every exercise's check is split in two. Its *probe* (a module here, one per
check) builds a problem from a seed, runs the student's function or class on
it and returns a record of plain data (numbers, strings, lists, dicts,
tensors: :mod:`course_utils.probes.record`). Its *judge* (in
:mod:`course_utils.checks`) rebuilds the problem from the same seed, computes
the reference and decides from the record alone. In a notebook both run in
the kernel; when grading, the probe runs beside the student's code and the
judge in the grader's own process, which never runs any of it.

Nothing here knows an answer: no probe module may import
:mod:`course_utils.checks` or the course code that implements an exercise.
"""

from __future__ import annotations

import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path

from course_utils.probes.crash_text import explain

RAN, TODO, STOPPED, CRASHED, BORROWED = "ran", "todo", "stopped", "crashed", "borrowed"
COURSE = __package__.split(".")[0]  # "course_utils"
_PATHS = sysconfig.get_paths()
_LIBRARIES = (
    str(Path(__file__).parents[1]),
    *(_PATHS[k] for k in ("purelib", "platlib", "stdlib")),
)


class Stop(Exception):
    """A probe that cannot go on: the judge names mistake ``key`` of its catalog."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def where(error: BaseException) -> str | None:
    """The student's line where ``error`` arose (not a library's), or None if none is."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if not f.filename.startswith(_LIBRARIES)]
    return (own[-1].line or "?").strip()[:200] if own else None


def borrowed(student: object) -> str | None:
    """The course_utils module ``student`` comes from (a class: its ``forward``, if it has
    one, and ``__init__`` both do), or None when the student wrote it."""
    if isinstance(student, type):  # a module's forward, or any class's constructor
        parts = (getattr(student, "forward", student.__init__), student.__init__)
    else:
        parts = (student,)
    modules = [getattr(part, "__module__", None) or "" for part in parts]
    return modules[0] if all(m.split(".")[0] == COURSE for m in modules) else None


def observe(probe: Callable[..., dict], students: tuple, seed: int) -> dict:
    """Run ``probe(*students, seed=seed)``; what happened, as a record.

    ``{"outcome": "ran", "data": ...}`` with the probe's own record, or "todo" (a stub),
    "stopped" (the probe's :class:`Stop`), "crashed" (the exception's name, what it means
    and the student's line) or "borrowed" (the course's own code was handed in).
    """
    for handed in students:
        if module := borrowed(handed):
            name = str(getattr(handed, "__qualname__", "?"))[:100]
            return {"outcome": BORROWED, "name": name, "module": module}
    try:
        return {"outcome": RAN, "data": probe(*students, seed=seed)}
    except NotImplementedError:
        return {"outcome": TODO}
    except Stop as stop:
        return {"outcome": STOPPED, "key": stop.key, "values": stop.values}
    except Exception as error:  # the student's code crashed: say where, do not re-raise
        what = explain(error)[:300]
        return {"outcome": CRASHED, "error": type(error).__name__[:100], "what": what,
                "line": where(error)}  # fmt: skip

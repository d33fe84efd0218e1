"""Stand-ins for a student's answers: course code retyped as if in a notebook cell."""

from __future__ import annotations

import types

from course_utils import probes
from course_utils.probes import record


def retyped(obj):
    """A copy of a course function (or class, with its ``forward``) defined in ``__main__``.

    The checks refuse the course's own objects; tests use this to hand in the same code
    the way a student who wrote it in the notebook would.
    """
    if isinstance(obj, type):
        return type(
            obj.__name__, (obj,), {"forward": retyped(obj.forward), "__module__": "__main__"}
        )
    copy = types.FunctionType(
        obj.__code__, obj.__globals__, obj.__name__, obj.__defaults__, obj.__closure__
    )
    copy.__kwdefaults__, copy.__module__ = obj.__kwdefaults__, "__main__"
    return copy


def passes(check, student) -> None:
    """Assert that ``check(student)`` passes, showing its message when not."""
    result = check(student)
    assert result.passed, f"{getattr(student, '__name__', student)}: {result.message}"


def diagnosis(check, student) -> str:
    """The id of the first mistake ``check(student)`` finds (the check must fail)."""
    result = check(student)
    assert result.status == "failed", f"{getattr(student, '__name__', student)} passed"
    return result.diagnosis


def judged(check, seed: int, *students):
    """``check``'s result on ``students`` as the grader reaches it: the probe on problem
    ``seed``, its record through the encoding, and the judge on that record alone."""
    observed = probes.observe(check.probe, students, seed)
    return check.verdict(seed, record.decode(record.encode(observed)))

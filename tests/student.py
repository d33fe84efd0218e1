"""Stand-ins for a student's answers: course code retyped as if in a notebook cell."""

from __future__ import annotations

import types


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

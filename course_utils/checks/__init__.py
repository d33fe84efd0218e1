"""The self-check machinery every exercise uses.

Each lesson's exercises have a module here (``checks.training`` for lesson
01, ...), with its messages beside it (``training_text``). A check runs the
student's object on a small fixed problem and raises :class:`Mistake` with a message naming what is
wrong. :func:`run` turns that into a :class:`Result` shown in the notebook:
passed, failed (with the reason) or not done yet (the stub still raises
``NotImplementedError``). The same results feed the grader and the tests.
"""

from __future__ import annotations

import contextlib
import sysconfig
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils.i18n import Catalog

MIME = "application/vnd.course.check+json"
PASSED, FAILED, TODO = "passed", "failed", "todo"
_PATHS = sysconfig.get_paths()
COURSE = __package__.split(".")[0]  # "course_utils"
_LIBRARIES = (
    str(Path(__file__).parents[1]),
    *(_PATHS[k] for k in ("purelib", "platlib", "stdlib")),
)

_ = Catalog(
    {
        PASSED: {"es": "✅ {exercise}: ¡correcto!", "en": "✅ {exercise}: correct!"},
        FAILED: {"es": "❌ {exercise}: {reason}", "en": "❌ {exercise}: {reason}"},
        TODO: {
            "es": "⏳ {exercise}: aún sin hacer. Escribe tu solución donde dice "
            "NotImplementedError y vuelve a ejecutar esta celda.",
            "en": "⏳ {exercise}: not done yet. Write your solution where it says "
            "NotImplementedError and run this cell again.",
        },
        "crashed": {
            "es": "tu código lanzó {error} en la línea «{line}». Lee el mensaje y corrígelo.",
            "en": "your code raised {error} at the line “{line}”. Read the message and fix it.",
        },
        "borrowed": {
            "es": "esto es «{name}» de {module}, el código del propio curso: escribe el tuyo "
            "en vez de importarlo.",
            "en": "this is “{name}” from {module}, the course's own code: write your own "
            "instead of importing it.",
        },
        "skipped": {
            "es": "⏳ Esta celda usa tu solución del ejercicio de arriba; se ejecutará "
            "cuando lo termines.",
            "en": "⏳ This cell uses your solution to the exercise above; it will run "
            "once you finish it.",
        },
    }
)


class Mistake(Exception):
    """Raised by a check with a message (in the current language) naming the mistake."""


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise's check."""

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __str__(self) -> str:
        return self.message

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.message, MIME: asdict(self)}


def _where(error: BaseException) -> str:
    """The line of the student's code where ``error`` arose (not a line inside a library)."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if not f.filename.startswith(_LIBRARIES)]
    frame = (own or frames or [None])[-1]
    return (frame.line or "?").strip() if frame else "?"


def _borrowed(student: object) -> str | None:
    """The course_utils module ``student`` comes from (a class: its ``forward`` and
    ``__init__`` both do), or None when the student wrote it."""
    parts = (student.forward, student.__init__) if isinstance(student, type) else (student,)
    modules = [getattr(part, "__module__", None) or "" for part in parts]
    return modules[0] if all(m.split(".")[0] == COURSE for m in modules) else None


def run(exercise: str, diagnose: Callable[[], None], student: object = None) -> Result:
    """Call ``diagnose()`` and classify the outcome as passed, failed or todo.

    ``student`` is the object handed in: the course's own code (imported from
    ``course_utils``, or a subclass that adds nothing to it) fails without running.
    """
    if module := _borrowed(student):
        name = getattr(student, "__qualname__", repr(student))
        reason = _("borrowed", name=name, module=module)
        return Result(exercise, FAILED, _(FAILED, exercise=exercise, reason=reason))
    try:
        diagnose()
    except NotImplementedError:
        return Result(exercise, TODO, _(TODO, exercise=exercise))
    except Mistake as mistake:
        return Result(exercise, FAILED, _(FAILED, exercise=exercise, reason=mistake))
    except Exception as error:  # the student's code crashed: say where, do not re-raise
        name = f"{type(error).__name__}: {error}"
        reason = _("crashed", error=name, line=_where(error))
        return Result(exercise, FAILED, _(FAILED, exercise=exercise, reason=reason))
    return Result(exercise, PASSED, _(PASSED, exercise=exercise))


@contextlib.contextmanager
def needs_solution() -> Iterator[None]:
    """Run a cell that calls an exercise's function; while it is a stub, say so and go on."""
    try:
        yield
    except NotImplementedError:
        print(_("skipped"))


def is_stub(exercise: object) -> bool:
    """Whether a function (or a class's method) still raises the stub's NotImplementedError."""
    parts = vars(exercise).values() if isinstance(exercise, type) else [exercise]
    codes = [getattr(part, "__code__", None) for part in parts]
    return any(code and "NotImplementedError" in code.co_names for code in codes)


def solved(*exercises: object) -> bool:
    """True when every exercise given is written; else say the cell waits for it (False).

    For a cell that uses what an exercise produced (a model its function trained)
    without calling it: ``if checks.solved(train_epoch):``.
    """
    if any(is_stub(exercise) for exercise in exercises):
        print(_("skipped"))
        return False
    return True

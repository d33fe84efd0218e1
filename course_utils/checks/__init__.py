"""The self-check machinery every exercise uses.

Each lesson's exercises have a module here (``checks.training`` for lesson
01, ...), with its messages beside it (``training_text``). A check runs the
student's object on a small fixed problem, watches what it does and returns
the mistakes it saw, most consequential first (or raises one :class:`Mistake`
when nothing else can be judged). :func:`run` turns that into a :class:`Result`
shown in the notebook: passed, failed (the first mistake's message and stable
``diagnosis`` id, and the others) or not done yet (the stub still raises
``NotImplementedError``). The same results feed the grader and the tests.
"""

from __future__ import annotations

import contextlib
import sysconfig
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils import bars
from course_utils.checks.machinery_text import _, explain

MIME = "application/vnd.course.check+json"
PASSED, FAILED, TODO = "passed", "failed", "todo"
CRASHED, CHECK_ERROR = "crashed", "check_could_not_run"
_PATHS = sysconfig.get_paths()
COURSE = __package__.split(".")[0]  # "course_utils"
_LIBRARIES = (
    str(Path(__file__).parents[1]),
    *(_PATHS[k] for k in ("purelib", "platlib", "stdlib")),
)


class Mistake(Exception):
    """A mistake a check found: its message (in the current language) and a stable id."""

    def __init__(self, message: object, diagnosis: str = "mistake") -> None:
        super().__init__(str(message))
        self.diagnosis = diagnosis


def mistake(catalog: Callable[..., str], key: str, **values: object) -> Mistake:
    """The mistake ``key`` of a check's catalog: its message, with ``key`` as its id."""
    return Mistake(catalog(key, **values), key)


def could_not_run(reason: str, diagnosis: str = CHECK_ERROR) -> Mistake:
    """A probe that cannot go on because of what the code did: say so, blaming no line."""
    return Mistake(_(CHECK_ERROR, reason=reason), diagnosis)


def collect(*probes: Callable[[], None]) -> list[Mistake]:
    """Run every probe (most consequential first); return the mistakes they raised."""
    found = []
    for probe in probes:
        try:
            probe()
        except Mistake as error:
            found.append(error)
    return found


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise's check (``diagnosis`` is "" when nothing is wrong)."""

    exercise: str
    status: str
    message: str
    diagnosis: str = ""
    others: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def diagnoses(self) -> tuple[str, ...]:
        """Every mistake found, most consequential first."""
        return (self.diagnosis, *self.others) if self.diagnosis else ()

    def __str__(self) -> str:
        return self.message

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.message, MIME: asdict(self)}


def _where(error: BaseException) -> str | None:
    """The student's line where ``error`` arose (not a library's), or None if none is."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if not f.filename.startswith(_LIBRARIES)]
    return (own[-1].line or "?").strip() if own else None


def _borrowed(student: object) -> str | None:
    """The course_utils module ``student`` comes from (a class: its ``forward`` and
    ``__init__`` both do), or None when the student wrote it."""
    parts = (student.forward, student.__init__) if isinstance(student, type) else (student,)
    modules = [getattr(part, "__module__", None) or "" for part in parts]
    return modules[0] if all(m.split(".")[0] == COURSE for m in modules) else None


def _crash(error: Exception) -> Mistake:
    name, line = type(error).__name__, _where(error)
    if line is None:  # nothing of the student's on the way: the check itself broke
        return could_not_run(_("internal", error=name))
    return Mistake(_(CRASHED, error=name, what=explain(error), line=line), CRASHED)


def _failed(exercise: str, found: list[Mistake]) -> Result:
    first, *others = found
    reason = "\n".join([str(first), *(_("also", reason=m) for m in others)])
    ids = tuple(m.diagnosis for m in others)
    return Result(
        exercise, FAILED, _(FAILED, exercise=exercise, reason=reason), first.diagnosis, ids
    )


def run(exercise: str, diagnose: Callable[[], Iterable[Mistake] | None], student=None) -> Result:
    """Call ``diagnose()`` and classify the outcome as passed, failed or todo.

    ``diagnose`` returns the mistakes it found (most consequential first) or raises
    one. ``student`` is the object handed in: the course's own code (imported from
    ``course_utils``, or a subclass that adds nothing to it) fails without running;
    a tuple hands in the functions of an exercise that asks for more than one.
    """
    for handed in student if isinstance(student, tuple) else (student,):
        if module := _borrowed(handed):
            name = getattr(handed, "__qualname__", repr(handed))
            return _failed(exercise, [mistake(_, "borrowed", name=name, module=module)])
    try:
        found = list(diagnose() or ())
    except NotImplementedError:
        return Result(exercise, TODO, _(TODO, exercise=exercise))
    except Mistake as error:
        found = [error]
    except Exception as error:  # the code crashed: say where, do not re-raise
        found = [_crash(error)]
    if found:
        return _failed(exercise, found)
    return Result(exercise, PASSED, _(PASSED, exercise=exercise))


@contextlib.contextmanager
def needs_solution() -> Iterator[None]:
    """Run a cell that calls an exercise's function; while it is a stub, say so and go on.

    A progress bar the stub cut short is taken off the output: it would read as a failure.
    """
    try:
        with bars.discarding_unfinished(NotImplementedError):
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

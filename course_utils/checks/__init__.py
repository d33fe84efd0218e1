"""The self-check machinery every exercise uses: judges and their results.

Each lesson's exercises have a module here (``checks.training`` for lesson
01, ...), with its messages beside it (``training_text``). Each check is an
:class:`Exercise`: a probe (:mod:`course_utils.probes`) runs the student's
code on a problem drawn from a seed and records plain data; the exercise's
*judge* rebuilds the problem from the seed, computes the reference and returns
the mistakes it sees in the record, most consequential first (or raises one
:class:`Mistake`). :meth:`Exercise.verdict` turns that into a :class:`Result`:
passed, failed (the first mistake's message and stable ``diagnosis`` id, and
the others) or not done yet (the stub still raises ``NotImplementedError``). A cell
that needs an exercise still a stub says so in one line (:mod:`.waiting`).
The notebook runs probe and judge in the kernel; the grader runs the probe
beside the student's code and the judge apart, on the record alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from course_utils import probes
from course_utils.checks.machinery_text import _
from course_utils.checks.waiting import wait_for_exercises as wait_for_exercises
from course_utils.i18n import Catalog
from course_utils.probes import record

MIME = "application/vnd.course.check+json"
PASSED, FAILED, TODO = "passed", "failed", "todo"
CRASHED, CHECK_ERROR, MALFORMED = "crashed", "check_could_not_run", "malformed"
NOTEBOOK_SEED = 0  # the problem a notebook's self-check draws (grading draws a fresh one)


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


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise record.Malformed(f"a string was expected, not {type(value).__name__}")
    return value


def _crash(observed: dict) -> Mistake:
    name, line = _text(observed["error"]), observed["line"]
    if line is None:  # nothing of the student's on the way: the check itself broke
        return could_not_run(_("internal", error=name))
    what = _text(observed["what"])
    return Mistake(_(CRASHED, error=name, what=what, line=_text(line)), CRASHED)


def _failed(exercise: str, found: list[Mistake]) -> Result:
    first, *others = found
    reason = "\n".join([str(first), *(_("also", reason=m) for m in others)])
    ids = tuple(m.diagnosis for m in others)
    return Result(
        exercise, FAILED, _(FAILED, exercise=exercise, reason=reason), first.diagnosis, ids
    )


@dataclass(frozen=True)
class Exercise:
    """One exercise's check: its probe, its judge and its messages.

    Calling it checks the student's objects in this process (the notebook's
    self-check), on the problem of :data:`NOTEBOOK_SEED`; the grader calls the
    probe beside the student's code and :meth:`verdict` apart. ``forbidden`` names
    the course modules that implement the exercise: the grader's probe cannot
    import them, so handing the work to them earns nothing.
    """

    name: str
    probe: Callable[..., object]
    judge: Callable[[int, object], Iterable[Mistake] | None]
    catalog: Catalog
    forbidden: tuple[str, ...] = ()

    def __call__(self, *students: object) -> Result:
        observed = probes.observe(self.probe, students, NOTEBOOK_SEED)
        try:  # through the same encoding as a grader's record
            return self.verdict(NOTEBOOK_SEED, record.decode(record.encode(observed)))
        except (record.Malformed, TypeError) as error:  # the probe recorded a live object
            found = [could_not_run(_("internal", error=str(error)[:100]), MALFORMED)]
            return _failed(self.name, found)

    def verdict(self, seed: int, observed: object) -> Result:
        """The result of a record; :class:`record.Malformed` when no probe wrote it."""
        try:
            return self._verdict(seed, observed)
        except record.Malformed:
            raise
        except Exception as error:  # the judge could not read it: it is not a probe's
            raise record.Malformed(f"{type(error).__name__}: {error}"[:200]) from error

    def _verdict(self, seed: int, observed: dict) -> Result:
        outcome = observed["outcome"]
        if outcome == probes.TODO:
            return Result(self.name, TODO, _(TODO, exercise=self.name))
        if outcome == probes.BORROWED:
            name, module = _text(observed["name"]), _text(observed["module"])
            found = [mistake(_, "borrowed", name=name, module=module)]
        elif outcome == probes.CRASHED:
            found = [_crash(observed)]
        elif outcome == probes.STOPPED:
            key, values = _text(observed["key"]), observed["values"]
            if key not in self.catalog.messages or not isinstance(values, dict):
                raise record.Malformed(f"no mistake {key!r}")
            found = [mistake(self.catalog, key, **values)]
        elif outcome == probes.RAN:
            try:
                found = list(self.judge(seed, observed["data"]) or ())
            except Mistake as error:
                found = [error]
        else:
            raise record.Malformed(f"no outcome {outcome!r}")
        if found:
            return _failed(self.name, found)
        return Result(self.name, PASSED, _(PASSED, exercise=self.name))

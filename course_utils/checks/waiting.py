"""A cell that needs an exercise not written yet says so in one line, in the student's language.

:func:`wait_for_exercises` (called once, in a lesson's first code cell) hands IPython a
handler for two exceptions. A stub's ``NotImplementedError`` becomes one line naming the
exercise; so does a ``NameError`` that comes after one, for a name that a cell waiting for
that exercise did not get to define. Every other error keeps its usual traceback. The cell
still ends in an error, so it carries the ``raises-exception`` tag that JupyterLab's
"Run All", nbclient and nbval honour: the notebook runs on to the end.
"""

from __future__ import annotations

from types import TracebackType

from course_utils import bars
from course_utils.checks.machinery_text import _


def _stub_name(error: BaseException, tb: TracebackType | None) -> str | None:
    """The exercise a stub's bare ``raise NotImplementedError()`` comes from, else None."""
    if not isinstance(error, NotImplementedError) or error.args or tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return code.co_qualname.removesuffix(".__init__").replace(".<locals>", "")


class _Waiting:
    """The exercises still stubs that this kernel's cells have met, and the cell's bars."""

    def __init__(self) -> None:
        self.stubs: list[str] = []
        self.bars: list = []

    def start_cell(self, *_args) -> None:
        bars.unwatch(self.bars)
        self.bars = bars.watch()

    def explain(self, shell, etype, value, tb, tb_offset=None) -> None:
        stub = _stub_name(value, tb)
        if stub is not None:
            if stub not in self.stubs:
                self.stubs.append(stub)
            bars.discard_unfinished(self.bars)
            line = _("needs_exercise", exercise=stub)
        elif isinstance(value, NameError) and self.stubs:
            line = _("needs_result", name=value.name, exercises=", ".join(self.stubs))
        else:
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
            return
        shell._showtraceback(etype, value, [line])  # the kernel's own error output


_current: _Waiting | None = None


def wait_for_exercises() -> None:
    """In a notebook, make cells that need an unwritten exercise say so in one line."""
    try:
        shell = get_ipython()  # type: ignore[name-defined]  # noqa: F821 (IPython's builtin)
    except NameError:
        return  # not in IPython: errors keep their tracebacks
    global _current
    if _current is not None:  # the setup cell ran again: start afresh
        shell.events.unregister("pre_run_cell", _current.start_cell)
    _current = _Waiting()
    shell.events.register("pre_run_cell", _current.start_cell)
    shell.set_custom_exc((NotImplementedError, NameError), _current.explain)

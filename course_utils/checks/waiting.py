"""A cell that needs an exercise not written yet says so in one line, in the student's language.

:func:`wait_for_exercises` (called once, in a lesson's first code cell) hands IPython a
handler for two exceptions. A stub's ``NotImplementedError`` becomes one line naming the
exercise; so does a ``NameError`` for a name that a cell waiting for that exercise did not
get to define (and so on down the cells that wait in turn). Every other error keeps its
usual traceback. The cell still ends in an error, so it carries the ``raises-exception``
tag that JupyterLab's "Run All", nbclient and nbval honour: the notebook runs on to the end.
"""

from __future__ import annotations

import ast
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


def _assigned(source: str) -> set[str]:
    """The names a cell's code binds (assignments, loops, definitions, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


class _Waiting:
    """Which exercises each undefined name waits for, the running cell and its bars."""

    def __init__(self, shell) -> None:
        self.shell = shell
        self.waits_for: dict[str, list[str]] = {}  # a name a waiting cell left undefined
        self.cell, self.bars = "", []

    def start_cell(self, info=None) -> None:
        bars.unwatch(self.bars)
        self.bars = bars.watch()
        self.cell = getattr(info, "raw_cell", "") or ""

    def _left_undefined(self, exercises: list[str]) -> None:
        for name in _assigned(self.shell.transform_cell(self.cell)):
            self.waits_for[name] = exercises

    def explain(self, shell, etype, value, tb, tb_offset=None) -> None:
        stub = _stub_name(value, tb)
        if stub is not None:
            self._left_undefined([stub])
            bars.discard_unfinished(self.bars)
            line = _("needs_exercise", exercise=stub)
        elif isinstance(value, NameError) and value.name in self.waits_for:
            exercises = self.waits_for[value.name]
            self._left_undefined(exercises)
            line = _("needs_result", name=value.name, exercises=", ".join(exercises))
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
    _current = _Waiting(shell)
    shell.events.register("pre_run_cell", _current.start_cell)
    shell.set_custom_exc((NotImplementedError, NameError), _current.explain)

"""checks.wait_for_exercises: a cell that needs an unwritten exercise says so in one line."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils import checks

SETUP = "from course_utils import bars, checks, i18n\ni18n.set_language({lang!r})\n"
STUBS = (
    "def fit(n):\n    # TU CÓDIGO AQUÍ\n    raise NotImplementedError()\n"
    "class Net:\n    def forward(self):\n        raise NotImplementedError()"
)


def _run(*cells: str, lang: str = "es", wait: bool = True) -> list[list]:
    """Run cells in a fresh kernel (every cell may raise); return each cell's outputs."""
    setup = SETUP.format(lang=lang) + ("checks.wait_for_exercises()" if wait else "")
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in (setup, STUBS, *cells)]
    )
    for cell in nb.cells:
        cell.metadata["tags"] = ["raises-exception"]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return [cell.outputs for cell in nb.cells[2:]]


def _lines(outputs: list) -> list[str]:
    return [line for o in outputs if o.output_type == "error" for line in o.traceback]


def test_a_stub_the_names_it_left_undefined_and_a_method_stub_each_give_one_line():
    stub, uses, chained, method, other = _run(
        "for i in bars.trange(4, desc='épocas'):\n    history = fit(i)",
        "gap = history[-1]",
        "print(gap)",
        "Net().forward()",
        "print(gap, Net)",
    )
    assert _lines(stub) == [checks._("needs_exercise", "es", exercise="fit")]
    assert [o.output_type for o in stub] == ["display_data", "error"]
    assert stub[0].data == {"text/plain": ""}  # the bar the stub cut short is taken off
    assert _lines(uses) == [checks._("needs_result", "es", name="history", exercises="fit")]
    assert _lines(chained) == [checks._("needs_result", "es", name="gap", exercises="fit")]
    assert _lines(method) == [checks._("needs_exercise", "es", exercise="Net.forward")]
    assert _lines(other) == _lines(chained)  # gap still waits for fit, not for Net.forward
    assert [o.ename for o in stub + uses + method if o.output_type == "error"] == [
        "NotImplementedError",
        "NameError",
        "NotImplementedError",
    ]


def test_a_typo_after_a_stub_is_still_a_plain_name_error():
    _stub, typo = _run("history = fit(1)", "print(histroy)")
    assert len(_lines(typo)) > 1 and "histroy" in _lines(typo)[-1]


def test_other_errors_keep_their_traceback_and_the_messages_follow_the_language():
    real, undefined, stub, later = _run(
        "raise NotImplementedError('a real one')",
        "print(typo)",
        "fit(1)",
        "1 / 0",
        lang="en",
    )
    assert len(_lines(real)) > 1 and "a real one" in _lines(real)[-1]
    assert len(_lines(undefined)) > 1  # no stub met yet: a plain NameError
    assert _lines(stub) == [
        "⏳ This cell needs your “fit”, which is still to write: finish "
        "the exercise above, run its cell, then this one."
    ]
    assert "ZeroDivisionError" in "".join(_lines(later))


def test_without_the_setup_call_a_stub_shows_its_traceback():
    [outputs] = _run("fit(1)", wait=False)
    assert len(_lines(outputs)) > 1


def test_outside_ipython_the_call_does_nothing():
    checks.wait_for_exercises()
    with pytest.raises(NotImplementedError):
        raise NotImplementedError()

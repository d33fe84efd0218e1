"""course_tools.measures: a lesson's claims read values measured in its kernel after the run."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from course_tools import measures, run


def _lesson(*cells: str, measure: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["course"] = {"measure": measure, "expect": {"full": ["0.9 < accuracy <= 1"]}}
    return nb


def test_the_harness_cell_measures_in_the_kernel_and_leaves_no_trace():
    nb = _lesson(
        "from course_utils import seed\naccuracy = 0.97\nhistory = [0.5, 0.25]",
        "print('hello')",
        measure={"accuracy": "accuracy", "drop": "history[0] - history[-1]", "gone": "nope"},
    )
    ran = measures.harness(nb)
    assert len(ran.cells) == 3 and len(nb.cells) == 2  # the lesson itself is untouched
    NotebookClient(ran, timeout=60, kernel_name="python3").execute()
    taken = measures.take(ran)
    assert [c.source for c in taken.cells] == [c.source for c in nb.cells]
    values = measures.values(taken)
    assert values["accuracy"] == 0.97 and values["drop"] == 0.25
    assert values["gone"] == "NameError: name 'nope' is not defined"
    assert not run.unmet_claims(taken, values, "full")


def test_the_stamp_names_the_course_modules_the_run_imported():
    nb = _lesson("from course_utils import seed", measure={})
    ran = measures.harness(nb)
    NotebookClient(ran, timeout=60, kernel_name="python3").execute()
    found = measures.measured(ran.cells[-1])
    names = [m.replace("\\", "/") for m in found["modules"]]
    assert any(m.endswith("course_utils/seed.py") for m in names)
    assert not any(m.endswith("course_utils/plots.py") for m in names)  # never imported


def test_take_refuses_a_notebook_that_ran_without_the_harness():
    nb = _lesson("x = 1", measure={"x": "x"})
    with pytest.raises(ValueError, match="measuring cell"):
        measures.take(nb)
    ran = measures.harness(nb)  # the cell is there but never ran: no output
    with pytest.raises(ValueError, match="stop before it"):
        measures.take(ran)


def test_a_value_that_could_not_be_measured_fails_its_claims_and_says_why():
    nb = _lesson(measure={})
    assert run.unmet_claims(nb, {"accuracy": 0.95}, "full") == []
    assert run.unmet_claims(nb, {"accuracy": 0.5}, "full") == ["0.9 < accuracy <= 1"]
    unmet = run.unmet_claims(nb, {"accuracy": "NameError: name 'acc' is not defined"}, "full")
    assert unmet == ["0.9 < accuracy <= 1 (accuracy: NameError: name 'acc' is not defined)"]
    assert "not measured" in run.unmet_claims(nb, {}, "full")[0]

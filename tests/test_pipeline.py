"""Unit tests of the build and run machinery on small hand-made notebooks."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools import build, run

SOURCE = """\
def f(x):
    \"\"\"Doc.\"\"\"
    ### BEGIN SOLUTION
    y = x + 1
    return y
    ### END SOLUTION


def g():
    ### BEGIN SOLUTION
    return 2
    ### END SOLUTION"""


def _nb(*cells, **course):
    nb = new_notebook(cells=list(cells))
    nb.metadata["course"] = course
    return nb


def test_exercise_replaces_every_region_with_an_indented_stub():
    out = build.exercise(_nb(new_code_cell(SOURCE))).cells[0].source
    assert "x + 1" not in out and "return 2" not in out and "SOLUTION" not in out
    assert out.count("    # YOUR CODE HERE\n    raise NotImplementedError()") == 2
    assert '"""Doc."""' in out
    namespace: dict = {}
    exec(out, namespace)
    with pytest.raises(NotImplementedError):
        namespace["f"](1)


def test_the_stub_speaks_the_notebook_language():
    out = build.exercise(_nb(new_code_cell(SOURCE), lang="es")).cells[0].source
    assert out.count("    # TU CÓDIGO AQUÍ\n    raise NotImplementedError()") == 2


def test_the_parameters_cell_carries_the_language_and_code_texts_are_translated():
    params = new_code_cell(
        'LANG = "es"  # the language\nSEED = 0', metadata={"tags": ["parameters"]}
    )
    code = new_code_cell('print("done")  # say it')
    table = {"done": "hecho", "# say it": "# dilo", "# the language": "# el idioma"}
    nb = _nb(params, code, translations={"es": table})
    en, es = build.in_language(nb, "en"), build.in_language(nb, "es")
    assert en.cells[0].source == 'LANG = "en"  # the language\nSEED = 0'
    assert es.cells[0].source == 'LANG = "es"  # el idioma\nSEED = 0'
    assert (en.cells[1].source, es.cells[1].source) == (code.source, 'print("hecho")  # dilo')
    assert "translations" not in en.metadata["course"]


def test_solution_keeps_the_code_and_drops_the_markers():
    out = build.solution(_nb(new_code_cell(SOURCE))).cells[0].source
    namespace: dict = {}
    exec(out, namespace)
    assert namespace["f"](1) == 2 and namespace["g"]() == 2
    assert "SOLUTION" not in out


def test_in_language_keeps_one_language_and_all_code():
    nb = _nb(
        new_markdown_cell("Hola", metadata={"tags": ["es"]}),
        new_markdown_cell("Hello", metadata={"tags": ["en"]}),
        new_code_cell("x = 1"),
    )
    en = build.in_language(nb, "en")
    assert [c.source for c in en.cells] == ["Hello", "x = 1"]
    assert en.metadata["course"]["lang"] == "en"
    assert en.metadata["kernelspec"]["name"] == "python3"


def test_find_source_explains_an_unknown_lesson():
    with pytest.raises(ValueError, match="known: 00_welcome"):
        build.find_source("99")


def test_claims_are_judged_on_recorded_metrics():
    nb = _nb(expect={"quick": ["acc >= 0.9", "last < first"], "full": ["missing > 0"]})
    assert run.unmet_claims(nb, {"acc": 0.95, "first": 2.0, "last": 1.0}, "quick") == []
    assert run.unmet_claims(nb, {"acc": 0.5, "first": 1.0, "last": 2.0}, "quick") == [
        "acc >= 0.9",
        "last < first",
    ]
    assert "missing" in run.unmet_claims(nb, {}, "full")[0]


def test_profiles():
    nb = _nb(quick={"NUM_EPOCHS": 1})
    assert run.profile_parameters(nb, "quick") == {"NUM_EPOCHS": 1}
    assert run.profile_parameters(nb, "full") == {}
    with pytest.raises(ValueError, match="unknown profile"):
        run.profile_parameters(nb, "fast")


def test_markdown_report_lists_failures_and_total():
    ok = run.Outcome("00_welcome", "es", 1.5, {"acc": 0.9})
    bad = run.Outcome("01_loop", "en", 2.0, failures=["acc >= 0.9"])
    text = run.markdown([ok, bad], "quick")
    assert "| 00_welcome | es | 1.5 | acc = 0.9 | ok |" in text
    assert "FAILED: acc >= 0.9" in text and "Total: 3.5 s" in text


def test_the_summary_shows_the_claimed_metrics_accuracies_first():
    metrics = {"loss": 0.1, "test_accuracy": 0.97, "images": 60000.0, "unclaimed": 1.0}
    claims = ["images == 60000", "0.96 <= test_accuracy <= 0.99", "loss < 1"]
    assert run.headline(claims, metrics) == ["test_accuracy", "loss", "images"]
    ok = run.Outcome("01_loop", "es", 12.25, metrics, headline=["test_accuracy"])
    bad = run.Outcome("02_val", "en", 3.0, failures=["x < 1", "y < 2"])
    lines = run.summary([ok, bad]).splitlines()
    assert lines[1].split() == ["01_loop", "es", "12.2", "ok", "test_accuracy", "0.97"]
    assert "FAILED (2)" in lines[2] and lines[-1].split() == ["total", "15.2"]


def test_strip_volatile_drops_timings():
    nb = _nb(new_code_cell("1", metadata={"papermill": {"duration": 1}, "tags": ["x"]}))
    nb.metadata["papermill"] = {"duration": 3}
    out = build.strip_volatile(nbformat.from_dict(nb))
    assert "papermill" not in out.metadata and out.cells[0].metadata == {"tags": ["x"]}

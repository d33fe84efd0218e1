"""What a student sees in every built notebook (rules in ``tests/student_view.py``)."""

from __future__ import annotations

import nbformat
import pytest

from course_tools import build, run
from course_utils import checks
from course_utils.i18n import LANGUAGES

from . import student_view
from .conftest import LESSONS

BUILT = [
    (lesson, kind, lang) for lesson in LESSONS for kind in build.VARIANTS for lang in LANGUAGES
]
EXECUTED = [(lesson, kind) for lesson in LESSONS for kind in ("notebooks", "solutions")]


def stored(lesson: str, kind: str, lang: str) -> nbformat.NotebookNode:
    return nbformat.read(build.target(build.find_source(lesson), kind, lang), as_version=4)


@pytest.mark.parametrize(("lesson", "kind", "lang"), BUILT)
def test_one_parameters_cell_with_the_notebook_language(lesson, kind, lang):
    assert student_view.parameters_problems(stored(lesson, kind, lang)) == []


@pytest.mark.parametrize(("lesson", "kind", "lang"), BUILT)
def test_no_bookkeeping_or_test_marker_in_sight(lesson, kind, lang):
    assert student_view.bookkeeping_problems(stored(lesson, kind, lang)) == []


@pytest.mark.parametrize(("lesson", "kind"), EXECUTED)
def test_a_spanish_notebook_prints_no_english(lesson, kind):
    es, en = (stored(lesson, kind, lang) for lang in ("es", "en"))
    assert student_view.english_lines(es, en) == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_what_needs_an_unfinished_exercise_says_so(lesson, lang):
    assert student_view.unfinished_exercise_problems(stored(lesson, "notebooks", lang)) == []


# Cells whose output is a library's own (English) text on purpose, reviewed one by one.
LIBRARY_TEXT = {
    ("05_penguins", "table = penguins.raw()"),  # the table as published
    ("06_save_load", "wrong = make_model(hidden=64)"),  # the error the lesson teaches to read
}


def test_library_text_is_shown_only_where_a_lesson_means_it():
    found = {
        (lesson, cell.source.splitlines()[0])
        for lesson in LESSONS
        for cell in build.read(build.find_source(lesson)).cells
        if student_view.LIBRARY_TEXT in student_view.tags(cell)
    }
    assert found == LIBRARY_TEXT


def test_the_rules_catch_each_defect():
    """Each rule fails on a notebook that has the defect it is about."""
    nb = stored(LESSONS[0], "notebooks", "es")
    params = next(c for c in nb.cells if "parameters" in student_view.tags(c))
    params.source = params.source.replace('LANG = "es"', 'LANG = "en"')
    assert student_view.parameters_problems(nb)
    cell = nbformat.v4.new_code_cell("x = 1  # fmt: skip")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="test_accuracy = 0.97\n")]
    assert len(student_view.bookkeeping_problems(nbformat.v4.new_notebook(cells=[cell]))) == 2
    es, en = (nbformat.v4.new_notebook(cells=[cell], metadata=nb.metadata) for _ in range(2))
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="mean of the epoch 0.5\n")]
    assert student_view.english_lines(es, en)
    stub = nbformat.v4.new_code_cell("def f():\n    raise NotImplementedError()")
    use = nbformat.v4.new_code_cell("print(f())")
    use.outputs = [nbformat.v4.new_output("stream", name="stdout", text="12.6%\n")]
    exercise = nbformat.v4.new_notebook(cells=[stub, use], metadata=nb.metadata)
    assert student_view.unfinished_exercise_problems(exercise)
    line = checks._("needs_exercise", "es", exercise="f")
    use.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", traceback=[line])]
    assert student_view.unfinished_exercise_problems(exercise) == []


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_changing_lang_in_the_parameters_cell_switches_the_language():
    """A student edits the one parameters cell of a Spanish notebook: it speaks English."""
    path = build.target(build.find_source(LESSONS[0]), "notebooks", "es")
    nb = nbformat.read(path, as_version=4)
    params = next(c for c in nb.cells if "parameters" in student_view.tags(c))
    params.source = params.source.replace('LANG = "es"', 'LANG = "en"')
    executed = build.execute(nb, path.parent, **run.profile_parameters(nb, "quick"))
    messages = [r for c in executed.cells for r in student_view.text_lines(c) if "⏳" in r]
    assert messages and "not done yet" in messages[0], messages
    assert not [m for m in messages if "aún" in m or "Esta celda" in m], messages


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lr_slider_shows_a_divergence_instead_of_breaking(lang):
    """Lesson 01's slider at lr = 1.0: the loss overflows; the redrawn image says so."""
    path = build.target(build.find_source("01"), "solutions", lang)
    nb = nbformat.read(path, as_version=4)
    end = next(i for i, c in enumerate(nb.cells) if "def draw_toy_curve" in c.source)
    nb.cells = nb.cells[: end + 1] + [
        nbformat.v4.new_code_cell(
            "before = curve_image.value\n"
            "lr_slider.value = 1.0\n"
            "fig = draw_toy_curve()\n"
            "print(curve_image.value != before)\n"
            "print(*(t.get_text() for t in fig.axes[0].get_legend().get_texts()), sep='\\n')"
        )
    ]
    executed = build.execute(nb, path.parent, **run.profile_parameters(nb, "quick"))
    printed = student_view.text_lines(executed.cells[-1])
    diverged = {"es": "divergió en la época", "en": "diverged at epoch"}[lang]
    assert printed[0] == "True" and any(diverged in line for line in printed[1:]), printed

"""course_utils.checks: passed / failed / todo / crash, needs_solution, and the Result bundle."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

import pytest
import torch

from course_utils import checks, i18n, models

pytestmark = pytest.mark.usefixtures("spanish")


def _passes() -> None:
    pass


def _stub() -> None:
    raise NotImplementedError()


def _wrong() -> None:
    raise checks.Mistake("la suma no incluye el sesgo")


def _crashes() -> None:
    values = [1, 2, 3]
    values[10] += 1  # the student's line


def _crashes_inside_torch() -> None:
    torch.nn.functional.cross_entropy(torch.zeros(2, 3), torch.tensor([0.5, 1.0]))


def test_passed():
    result = checks.run("count", _passes)
    assert (result.exercise, result.status, result.passed) == ("count", checks.PASSED, True)
    assert (result.diagnosis, result.others) == ("", ())
    assert result.message == "✅ count: ¡correcto!"
    i18n.set_language("en")
    assert checks.run("count", _passes).message == "✅ count: correct!"


def test_the_course_own_code_fails_without_running():
    ran = []
    result = checks.run("count", lambda: ran.append(1), student=checks.run)
    assert result.status == checks.FAILED and not ran and result.diagnosis == "borrowed"
    assert result.message == (
        "❌ count: esto es «run» de course_utils.checks, el código del propio curso: "
        "escribe el tuyo en vez de importarlo."
    )


def test_a_subclass_of_course_code_fails_only_if_it_adds_nothing():
    empty = type("Mine", (models.MLP,), {})
    assert checks.run("m", _passes, student=empty).status == checks.FAILED
    own = type("Mine", (models.MLP,), {"forward": lambda self, x: x})
    assert checks.run("m", _passes, student=own).passed


def test_stub_is_todo():
    result = checks.run("count", _stub)
    assert result.status == checks.TODO and not result.passed and result.diagnosis == ""
    assert result.message.startswith("⏳ count: aún sin hacer.")
    assert "NotImplementedError" in result.message


def test_mistake_is_failed_with_its_reason():
    result = checks.run("count", _wrong)
    assert result.status == checks.FAILED and not result.passed
    assert result.message == "❌ count: la suma no incluye el sesgo"


def test_crash_is_failed_and_says_where():
    result = checks.run("count", _crashes)
    assert (result.status, result.diagnosis) == (checks.FAILED, "crashed")
    assert "«IndexError» (un índice fuera de rango)" in result.message
    assert "list index" not in result.message  # Python's English text stays out of Spanish
    assert "values[10] += 1  # the student's line" in result.message
    i18n.set_language("en")
    message = checks.run("count", _crashes).message
    assert "your code raised IndexError (list index out of range)" in message


def test_crash_inside_a_library_points_at_the_students_line():
    result = checks.run("loss", _crashes_inside_torch)
    assert result.status == checks.FAILED
    assert "torch.nn.functional.cross_entropy(torch.zeros(2, 3)" in result.message


def test_crash_inside_the_check_itself_blames_no_line():
    result = checks.run("count", functools.partial(int, "seven"))
    assert (result.status, result.diagnosis) == (checks.FAILED, "check_could_not_run")
    assert result.message.startswith("❌ count: la comprobación no pudo ejecutar tu código porque")
    assert "«ValueError»" in result.message and "seven" not in result.message


def test_every_mistake_found_is_listed_most_consequential_first():
    def first() -> None:
        raise checks.Mistake("primero", "first")

    def diagnose():
        return checks.collect(_passes, first, _wrong)

    result = checks.run("count", diagnose)
    assert (result.diagnosis, result.others) == ("first", ("mistake",))
    assert result.diagnoses == ("first", "mistake")
    assert result.message == "❌ count: primero\n   Además: la suma no incluye el sesgo"


def test_mistake_ids_come_from_the_catalog_key():
    catalog = i18n.Catalog({"no_bias": {"es": "sin sesgo {n}", "en": "no bias {n}"}})
    found = checks.mistake(catalog, "no_bias", n=2)
    assert (found.diagnosis, str(found)) == ("no_bias", "sin sesgo 2")
    result = checks.run("count", lambda: [found])
    assert result.diagnosis == "no_bias" and result.message == "❌ count: sin sesgo 2"


def test_result_is_shown_in_notebooks():
    result = checks.run("count", _wrong)
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == result.message == str(result)
    assert bundle[checks.MIME] == {
        "exercise": "count",
        "status": "failed",
        "message": "❌ count: la suma no incluye el sesgo",
        "diagnosis": "mistake",
        "others": (),
    }
    assert checks.run("count", _passes)._repr_mimebundle_()[checks.MIME]["diagnosis"] == ""


def test_needs_solution_swallows_only_not_implemented(capsys):
    with checks.needs_solution():
        _stub()
        raise AssertionError("not reached")
    assert capsys.readouterr().out.startswith("⏳ Esta celda usa tu solución")
    with pytest.raises(ValueError, match="real error"), checks.needs_solution():
        raise ValueError("real error")
    assert capsys.readouterr().out == ""


def test_needs_solution_runs_the_cell_when_solved(capsys):
    ran = []
    with checks.needs_solution():
        ran.append(True)
    assert ran == [True] and capsys.readouterr().out == ""
    i18n.set_language("en")
    with checks.needs_solution():
        _stub()
    assert capsys.readouterr().out.startswith("⏳ This cell uses your solution")


_ENGLISH = frozenset(
    re.findall(
        r"\w+",
        "the is are it its must should not and or of to with without from loss losses accuracy "
        "batch batches weights weight gradient gradients step steps train training mode epoch "
        "output layer layers mean sum your code line raised check returns returned before after "
        "missing wrong expected got keep every each only call",
    )
)


def _catalogs():
    """Every message catalog of the checks: each module whose `_` is a Catalog."""
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"course_utils.checks.{info.name}")
        if isinstance(getattr(module, "_", None), i18n.Catalog):
            yield info.name, module._


@pytest.mark.parametrize("name", [n for n, _c in _catalogs()])
def test_spanish_messages_carry_no_english_words(name):
    catalog = dict(_catalogs())[name]
    for key, texts in catalog.messages.items():
        prose = re.sub(r"«[^»]*»|\{[^}]*\}", " ", texts["es"])
        words = set(re.findall(r"[a-záéíóúñü_]+", prose.lower()))
        assert not words & _ENGLISH, (key, words & _ENGLISH)


def test_the_spanish_glosses_of_exceptions_carry_no_english_words():
    from course_utils.checks import machinery_text

    for gloss in machinery_text._SPANISH.values():
        assert not set(re.findall(r"[a-záéíóúñü_]+", gloss.lower())) & _ENGLISH, gloss

"""course_utils.checks: passed / failed / todo / crash, and the Result bundle."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

import pytest
import torch

from course_utils import checks, i18n, models, probes
from course_utils.probes import record

pytestmark = pytest.mark.usefixtures("spanish")


_ = i18n.Catalog(
    {
        "wrong": {"es": "la suma no incluye el sesgo", "en": "the sum leaves out the bias"},
        "first": {"es": "negativo", "en": "negative"},
        "odd": {"es": "impar: {n}", "en": "odd: {n}"},
    }
)


def _probe(student, *, seed: int) -> dict:
    return {"got": student(seed)}


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    found = []
    if data["got"] < 0:
        found.append(checks.mistake(_, "first"))
    if data["got"] != seed + 1:
        found.append(checks.mistake(_, "wrong"))
    return found


ADD_ONE = checks.Exercise("count", _probe, _judge, _)


def _stub(seed=0):
    raise NotImplementedError()


def _crashes(seed):
    values = [1, 2, 3]
    values[10] += 1  # the student's line


def _crashes_inside_torch(seed):
    torch.nn.functional.cross_entropy(torch.zeros(2, 3), torch.tensor([0.5, 1.0]))


def _stops(seed):
    raise probes.Stop("odd", n=seed)


def test_passed():
    result = ADD_ONE(lambda seed: seed + 1)
    assert (result.exercise, result.status, result.passed) == ("count", checks.PASSED, True)
    assert (result.diagnosis, result.others) == ("", ())
    assert result.message == "✅ count: ¡correcto!"
    i18n.set_language("en")
    assert ADD_ONE(lambda seed: seed + 1).message == "✅ count: correct!"


def test_the_course_own_code_fails_without_running():
    ran = []
    result = checks.Exercise("count", lambda s, seed: ran.append(1), _judge, _)(checks.mistake)
    assert result.status == checks.FAILED and not ran and result.diagnosis == "borrowed"
    assert result.message == (
        "❌ count: esto es «mistake» de course_utils.checks, el código del propio curso: "
        "escribe el tuyo en vez de importarlo."
    )


def test_a_subclass_of_course_code_fails_only_if_it_adds_nothing():
    empty = type("Mine", (models.MLP,), {})
    assert probes.borrowed(empty) == "course_utils.models"
    own = type("Mine", (models.MLP,), {"forward": lambda self, x: x})
    assert probes.borrowed(own) is None
    assert probes.borrowed(type("Dataset", (), {})) is None  # a class with no forward


def test_stub_is_todo():
    result = ADD_ONE(_stub)
    assert result.status == checks.TODO and not result.passed and result.diagnosis == ""
    assert result.message.startswith("⏳ count: aún sin hacer.")
    assert "NotImplementedError" in result.message


def test_mistake_is_failed_with_its_reason():
    result = ADD_ONE(lambda seed: seed + 3)
    assert result.status == checks.FAILED and not result.passed
    assert result.message == "❌ count: la suma no incluye el sesgo"


def test_a_probe_that_stops_names_its_mistake():
    result = ADD_ONE(_stops)
    assert (result.status, result.diagnosis) == (checks.FAILED, "odd")
    assert result.message == f"❌ count: impar: {checks.NOTEBOOK_SEED}"


def test_crash_is_failed_and_says_where():
    result = ADD_ONE(_crashes)
    assert (result.status, result.diagnosis) == (checks.FAILED, "crashed")
    assert "«IndexError» (un índice fuera de rango)" in result.message
    assert "list index" not in result.message  # Python's English text stays out of Spanish
    assert "values[10] += 1  # the student's line" in result.message
    i18n.set_language("en")
    message = ADD_ONE(_crashes).message
    assert "your code raised IndexError (list index out of range)" in message


def test_crash_inside_a_library_points_at_the_students_line():
    result = ADD_ONE(_crashes_inside_torch)
    assert result.status == checks.FAILED
    assert "torch.nn.functional.cross_entropy(torch.zeros(2, 3)" in result.message


def test_crash_inside_the_check_itself_blames_no_line():
    broken = checks.Exercise("count", functools.partial(int, "seven"), _judge, _)
    result = broken(lambda seed: seed)
    assert (result.status, result.diagnosis) == (checks.FAILED, "check_could_not_run")
    assert result.message.startswith("❌ count: la comprobación no pudo ejecutar tu código porque")
    assert "«TypeError»" in result.message and "seven" not in result.message


def test_every_mistake_found_is_listed_most_consequential_first():
    result = ADD_ONE(lambda seed: -5)
    assert (result.diagnosis, result.others) == ("first", ("wrong",))
    assert result.diagnoses == ("first", "wrong")
    assert result.message == "❌ count: negativo\n   Además: la suma no incluye el sesgo"


def test_mistake_ids_come_from_the_catalog_key():
    found = checks.mistake(_, "odd", n=2)
    assert (found.diagnosis, str(found)) == ("odd", "impar: 2")


@pytest.mark.parametrize(
    "forged",
    [
        {"outcome": "ran", "data": {}},
        {"outcome": "passed"},
        {"outcome": "stopped", "key": "no_such_mistake", "values": {}},
        {"outcome": "crashed", "error": 3, "what": "", "line": "x"},
        [],
    ],
)
def test_a_record_no_probe_writes_is_malformed(forged):
    with pytest.raises(record.Malformed):
        ADD_ONE.verdict(0, forged)


def test_the_notebook_says_when_its_own_probe_wrote_a_bad_record():
    bad = checks.Exercise("count", lambda student, seed: {"got": object()}, _judge, _)
    result = bad(lambda seed: seed)
    assert (result.status, result.diagnosis) == (checks.FAILED, checks.MALFORMED)


def test_result_is_shown_in_notebooks():
    result = ADD_ONE(lambda seed: seed + 3)
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == result.message == str(result)
    assert bundle[checks.MIME] == {
        "exercise": "count",
        "status": "failed",
        "message": "❌ count: la suma no incluye el sesgo",
        "diagnosis": "wrong",
        "others": (),
    }
    assert ADD_ONE(lambda seed: seed + 1)._repr_mimebundle_()[checks.MIME]["diagnosis"] == ""


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
    from course_utils.probes import crash_text

    for gloss in crash_text._SPANISH.values():
        assert not set(re.findall(r"[a-záéíóúñü_]+", gloss.lower())) & _ENGLISH, gloss

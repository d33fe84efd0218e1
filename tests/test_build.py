"""The built notebooks agree with their sources and with each other, cheaply (no kernel)."""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from course_tools import build, measures, predictions, run, translate
from course_utils import checks
from course_utils.data import REPO_ROOT
from course_utils.i18n import LANGUAGES

from .conftest import LESSONS

STORED = [
    (lesson, kind, lang) for lesson in LESSONS for kind in build.VARIANTS for lang in LANGUAGES
]


def _cells(nb) -> list[tuple]:
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def _stored(lesson: str, kind: str, lang: str):
    return nbformat.read(build.target(build.find_source(lesson), kind, lang), as_version=4)


@pytest.mark.parametrize(("lesson", "kind", "lang"), STORED)
def test_build_is_current(lesson, kind, lang):
    """A source edited without rebuilding fails here: run `make build`."""
    fresh = build.variant(build.find_source(lesson), kind, lang)
    stored = _stored(lesson, kind, lang)
    assert _cells(stored) == _cells(fresh), "stale build: run `make build`"
    ids = [cell.id for cell in stored.cells]
    assert ids == [cell.id for cell in fresh.cells] and len(set(ids)) == len(ids)


def _prose_shape(text: str) -> tuple:
    """What a faithful translation keeps: headings, paragraphs, list items, code spans, math."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    items = re.findall(r"^\s*(?:[-*]|\d+\.)\s", text, re.MULTILINE)
    return (
        re.findall(r"^#+", text, re.MULTILINE),
        len(blocks),
        len(items),
        len(re.findall(r"`[^`]+`", text)),
        len(re.findall(r"\$", text)),
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_paragraph_is_translated(lesson):
    """Prose comes in es/en pairs with the same structure and a similar length."""
    cells = build.read(build.find_source(lesson)).cells
    places = {predictions.PREDICTION, predictions.REVEAL}  # a question's id, filled in by the build
    prose = [
        c for c in cells if c.cell_type == "markdown" and not places & {*c.metadata.get("tags", [])}
    ]
    for cell in prose:
        assert set(cell.metadata.get("tags", [])) & set(LANGUAGES), (
            f"untagged prose: {cell.source[:60]}"
        )
    for es, en in zip(prose[::2], prose[1::2], strict=True):
        assert "es" in es.metadata["tags"] and "en" in en.metadata["tags"], en.source[:60]
        assert _prose_shape(es.source) == _prose_shape(en.source), f"{es.source[:60]!r}"
        assert 0.6 < len(es.source) / len(en.source) < 1.7, f"lengths differ: {en.source[:60]!r}"
    assert not [
        c
        for c in cells
        if c.cell_type == "code" and set(c.metadata.get("tags", [])) & set(LANGUAGES)
    ]


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("kind", build.VARIANTS)
def test_languages_have_the_same_code(lesson, kind):
    """Every language runs the same program: code cells differ only in texts and comments."""
    es, en = (_stored(lesson, kind, lang) for lang in LANGUAGES)
    assert [c.cell_type for c in es.cells] == [c.cell_type for c in en.cells]
    for a, b in zip(es.cells, en.cells, strict=True):
        if a.cell_type == "code":
            assert translate.skeleton(a.source) == translate.skeleton(b.source), a.source[:80]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_translation_of_code_texts_is_used_and_keeps_the_placeholders(lesson):
    """A table entry that matches no literal or comment is stale; an f-string's
    placeholders are the same in both languages."""
    nb = build.read(build.find_source(lesson))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for lang, table in nb.metadata["course"].get("translations", {}).items():
        assert lang in LANGUAGES
        assert set(table) - translate.used_keys(code, table) == set(), f"{lang}: unused"
        for english, translated in table.items():
            fields = [re.findall(r"\{[^{}]*\}", text) for text in (english, translated)]
            assert sorted(fields[0]) == sorted(fields[1]), english
            assert english.startswith("#") == translated.startswith("#"), english


@pytest.mark.parametrize("lesson", LESSONS)
def test_one_parameters_cell_with_the_profile_knobs(lesson):
    nb = build.read(build.find_source(lesson))
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    for name in ("LANG", "NUM_EPOCHS", "TRAIN_SUBSET", "SEED"):
        assert re.search(rf"^{name} = ", cells[0].source, re.MULTILINE), name
    assert set(nb.metadata["course"]["quick"]) <= {"NUM_EPOCHS", "TRAIN_SUBSET", "SEED"} | set(
        re.findall(r"^([A-Z_]+) = ", cells[0].source, re.MULTILINE)
    )


def test_no_widget_redraws_through_clear_output():
    """``Output`` + ``clear_output(wait=True)`` once left papermill waiting on an idle kernel:
    widgets redraw a figure by setting a ``widgets.Image`` to ``plots.png(fig)``."""
    files = sorted((REPO_ROOT / "lessons").glob("*.py"))
    files += sorted((REPO_ROOT / "course_utils").rglob("*.py"))
    pattern = re.compile(r"widgets\.Output\(|import .*\bclear_output\b|\.clear_output\(")
    offenders = [path.name for path in files if pattern.search(path.read_text())]
    assert offenders == []


@pytest.mark.parametrize("lesson", LESSONS)
def test_exercises_hide_the_solutions(lesson):
    source = build.find_source(lesson)
    for lang in LANGUAGES:
        text = build.target(source, "exercises", lang).read_text()
        assert "BEGIN SOLUTION" not in text and "raise NotImplementedError()" in text
        assert all(not c.get("outputs") for c in _stored(lesson, "exercises", lang).cells)


ABSOLUTE = [str(REPO_ROOT), str(REPO_ROOT.parent), os.path.expanduser("~"), "/tmp/"]


def _waits_for_an_exercise(cell, output) -> bool:
    """An error output that is the one line of a cell waiting for an unwritten exercise."""
    return (
        build.RAISES in cell.metadata.get("tags", [])
        and output.ename in ("NotImplementedError", "NameError")
        and len(output.traceback) == 1
        and output.traceback[0].startswith("⏳ ")
    )


@pytest.mark.parametrize(("lesson", "kind", "lang"), STORED)
def test_no_error_output_or_absolute_path(lesson, kind, lang):
    """Solutions end without an error; a student's notebook only with the one-line waits."""
    text = build.target(build.find_source(lesson), kind, lang).read_text()
    nb = nbformat.reads(text, as_version=4)
    errors = [(c, o) for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    allowed = kind == "notebooks"
    assert not [o for c, o in errors if not (allowed and _waits_for_an_exercise(c, o))]
    for output in (o for c in nb.cells for o in c.get("outputs", [])):
        for mime in [m for m in output.get("data", {}) if m.startswith("image/")]:
            del output.data[mime]  # base64 may spell "/tmp" by chance
    text = nbformat.writes(nb)
    assert not [p for p in ABSOLUTE if p and p != "/" and p in text]


@pytest.mark.parametrize("lesson", LESSONS)
def test_stored_solutions_meet_the_full_profile_claims(lesson):
    """The numbers a lesson states come from its stored (full-profile) run."""
    for lang in LANGUAGES:
        nb = _stored(lesson, "solutions", lang)
        assert not run.unmet_claims(nb, measures.values(nb), "full")
        assert set(run.check_results(nb).values()) == {checks.PASSED}


@pytest.mark.parametrize(("lesson", "kind", "lang"), STORED)
def test_stored_notebooks_were_built_from_todays_source_and_course_code(lesson, kind, lang):
    """A source or a course module changed since the build fails here: `course build NN`."""
    nb = _stored(lesson, kind, lang)
    built_from = nb.metadata["course"].get("built_from", {})
    assert f"lessons/{build.find_source(lesson).name}" in built_from
    if kind != "exercises":
        assert any(name.startswith("course_utils/") for name in built_from)
    assert not measures.stale(nb), f"stale: run `course build {lesson[:2]}`"


def test_a_changed_claim_number_or_source_fails_on_a_real_lesson(tmp_path):
    """Lesson 00's stored run meets its claims; change a claim, a number or the source, and
    the claims or the stamp say so."""
    nb = _stored(LESSONS[0], "solutions", "en")
    values = measures.values(nb)
    assert values["test_images"] == 10000 and not run.unmet_claims(nb, values, "full")
    nb.metadata["course"]["expect"]["full"].append("test_images == 10001")
    assert run.unmet_claims(nb, values, "full") == ["test_images == 10001"]
    nb.metadata["course"]["expect"]["full"].pop()
    assert run.unmet_claims(nb, {**values, "test_accuracy": 0.5}, "full") == [
        "test_accuracy >= 0.85"
    ]
    copy = tmp_path / "repo"
    for name in nb.metadata["course"]["built_from"]:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((REPO_ROOT / name).read_bytes())
    assert measures.stale(nb, copy) == []
    source = copy / "lessons" / build.find_source(LESSONS[0]).name
    source.write_text(source.read_text().replace("test_accuracy >= 0.85", "test_accuracy >= 0.9"))
    assert measures.stale(nb, copy) == [f"lessons/{source.name}"]


def test_student_cells_hold_none_of_the_course_machinery():
    """Claims are measured from the header (course: measure:), waits come from the setup
    cell and the ``raises-exception`` tag: no cell records, gates or times for CI."""
    machinery = re.compile(r"\breport\.|needs_solution|checks\.solved|for this notebook")
    for source in build.sources():
        code = [c.source for c in build.read(source).cells if c.cell_type == "code"]
        assert not [cell[:80] for cell in code if machinery.search(cell)], source.name


@pytest.mark.parametrize("lesson", LESSONS)
def test_numbers_in_the_prose_are_written_as_the_outputs_write_them(lesson):
    """One convention, stated in lesson 00: a decimal point and no space before % (as Python
    prints them) in both languages, in the prose and the predictions; thousands grouped
    with a space in Spanish."""
    nb = build.read(build.find_source(lesson))
    texts = [
        c.source
        for c in nb.cells
        if c.cell_type == "markdown" and "es" in c.metadata.get("tags", [])
    ]
    for question in nb.metadata["course"].get("predictions", {}).values():
        texts.append(question["question"]["es"])
        for option in question["options"].values():
            texts += [option["es"], option["why"]["es"]]
    for text in texts:
        prose = re.sub(r"`[^`]*`|\$[^$]*\$", "", text)
        assert not re.findall(r"\d %|\d,\d", prose), prose[:80]

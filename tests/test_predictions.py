"""Predict, then run: a fixture lesson's predictions built into its notebooks, read back from
saved notebooks without running them, and counted over a class of fixture notebooks."""

from __future__ import annotations

import copy
import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from course_tools import build, cli, predictions, translate
from course_tools.grading import gradebook, prediction_report
from course_tools.grading import predictions as graded_predictions
from course_tools.grading.rows import Graded
from course_utils.i18n import LANGUAGES

LESSON = "99_fixture"


def _option(es: str, en: str, why_es: str, why_en: str, misconception: str = "") -> dict:
    option = {"es": es, "en": en, "why": {"es": why_es, "en": why_en}}
    return option | ({"misconception": misconception} if misconception else {})


SPEC = {
    "predictions": {
        "zero_grad": {
            "question": {
                "es": "¿Qué hace la pérdida si nunca llamas a `zero_grad()`?",
                "en": "What does the loss do if you never call `zero_grad()`?",
            },
            "answer": "b",
            "options": {
                "a": _option(
                    "Baja igual que antes.",
                    "It falls as before.",
                    "`step()` no borra los gradientes: se suman.",
                    "`step()` does not clear the gradients: they add up.",
                    "step_clears",
                ),
                "b": _option(
                    "Oscila o sube: cada paso usa gradientes acumulados.",
                    "It jumps around or rises: each step uses summed gradients.",
                    "`backward()` suma en `.grad`, así que los pasos crecen.",
                    "`backward()` adds into `.grad`, so the steps grow.",
                ),
                "c": _option(
                    "Da un error.",
                    "It raises an error.",
                    "PyTorch no comprueba si borraste los gradientes.",
                    "PyTorch does not check that you cleared the gradients.",
                    "framework_guards",
                ),
            },
        },
        "eval_mode": {
            "question": {"es": "¿Qué exactitud sale?", "en": "Which accuracy comes out?"},
            "answer": "c",
            "options": {
                "a": _option(
                    "La misma.",
                    "The same.",
                    "No: dropout sigue.",
                    "No: dropout stays.",
                    "mode_ignored",
                ),
                "b": _option("Cero.", "Zero.", "No tanto.", "Not that much.", "framework_guards"),
                "c": _option(
                    "Algo menor.", "A bit lower.", "Dropout apaga neuronas.", "Dropout drops units."
                ),
                "d": _option(
                    "Mayor.", "Higher.", "Al revés.", "The other way round.", "mode_ignored"
                ),
            },
        },
    },
    "misconceptions": {
        "step_clears": {
            "es": "cree que step() borra los gradientes",
            "en": "thinks step() clears the gradients",
        },
        "framework_guards": {
            "es": "cree que PyTorch avisa de los errores de uso",
            "en": "thinks PyTorch warns about misuse",
        },
        "mode_ignored": {
            "es": "cree que el modo del modelo no importa",
            "en": "thinks the model's mode does not matter",
        },
    },
}
BODY = """
# %% [markdown] tags=["es"]
# # 99 · Prueba

# %% [markdown] tags=["en"]
# # 99 · Test

# %% tags=["parameters"]
LANG = "es"

# %% [markdown] tags=["prediction"]
# zero_grad

# %%
losses = [1.0, 1.5, 2.5]

# %% [markdown] tags=["reveal"]
# zero_grad

# %% [markdown] tags=["prediction"]
# eval_mode

# %%
accuracy = 0.9

# %% [markdown] tags=["reveal"]
# eval_mode
"""


def write_lesson(folder: Path, spec: dict = SPEC, body: str = BODY) -> Path:
    """A lesson source with ``spec`` in its header's ``course:`` table."""
    header = yaml.safe_dump(
        {"jupyter": {"course": spec, "jupytext": {"formats": "py:percent"}}},
        allow_unicode=True,
        sort_keys=False,
    )
    text = "\n".join(f"# {line}".rstrip() for line in header.splitlines())
    path = folder / f"{LESSON}.py"
    path.write_text(f"# ---\n{text}\n# ---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def source(tmp_path) -> Path:
    return write_lesson(tmp_path)


def _role(nb, role: str) -> list:
    return [c for c in nb.cells if role in c.metadata.get("course", {})]


# --- the build ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", build.VARIANTS)
def test_placeholders_become_question_answer_and_reveal_in_both_languages(source, kind):
    es, en = (build.variant(source, kind, lang) for lang in LANGUAGES)
    for nb in (es, en):
        assert not [c for c in nb.cells if {"reveal"} & {*c.metadata.get("tags", [])}]
        assert (
            "predictions" not in nb.metadata["course"]
            and "misconceptions" not in nb.metadata["course"]
        )
        assert [c.metadata["course"] for c in _role(nb, "question")] == [
            {"question": "zero_grad"},
            {"question": "eval_mode"},
        ]
        assert [c.metadata["course"]["reveal"] for c in _role(nb, "reveal")] == [
            "zero_grad",
            "eval_mode",
        ]
    assert [c.cell_type for c in es.cells] == [c.cell_type for c in en.cells]
    for a, b in zip(es.cells, en.cells, strict=True):
        if a.cell_type == "code":
            assert translate.skeleton(a.source) == translate.skeleton(b.source)
    answers = {
        lang: [c for c in nb.cells if "prediction" in c.metadata.get("tags", [])]
        for lang, nb in (("es", es), ("en", en))
    }
    assert [c.source for c in answers["en"]] == [
        'prediction = ""  # a, b or c',
        'prediction = ""  # a, b, c or d',
    ]
    assert [c.source for c in answers["es"]] == [
        'prediction = ""  # a, b o c',
        'prediction = ""  # a, b, c o d',
    ]
    assert answers["en"][0].metadata["course"] == {"prediction": "zero_grad"}


def test_the_question_cell_reads_in_the_notebooks_language(source):
    es, en = (build.variant(source, "notebooks", lang) for lang in LANGUAGES)
    en_text, es_text = _role(en, "question")[0].source, _role(es, "question")[0].source
    assert en_text.startswith("**Predict** · before running the cells below: What does the loss do")
    assert "- **a)** It falls as before.\n- **b)** It jumps" in en_text
    assert en_text.endswith("Write your letter in the next cell and run it.")
    assert es_text.startswith("**Predice** · antes de ejecutar las celdas de abajo: ¿Qué hace")
    assert es_text.endswith("Escribe tu letra en la celda siguiente y ejecútala.")


def test_the_reveal_says_for_each_option_whether_it_is_right_and_why(source):
    for lang, right, wrong in (
        ("en", "✅ Right.", "❌ Not quite."),
        ("es", "✅ Correcto.", "❌ No del todo."),
    ):
        nb = build.variant(source, "solutions", lang)
        for cell, question in zip(_role(nb, "reveal"), SPEC["predictions"].values(), strict=True):
            assert cell.cell_type == "markdown"
            blocks = re.findall(
                r"<details><summary><b>(\w)\)</b> (.*?)</summary>\n\n(.*?)\n\n</details>",
                cell.source,
                re.S,
            )
            assert [letter for letter, _, _ in blocks] == list(question["options"])
            for letter, summary, body in blocks:
                option = question["options"][letter]
                verdict = right if letter == question["answer"] else wrong
                assert body == f"{verdict} {option['why'][lang]}"
                assert summary == predictions.inline(option[lang])
    assert predictions.inline("`a<b` & c") == "<code>a&lt;b</code> &amp; c"


def test_the_reveal_follows_its_demonstration_and_solutions_keep_the_blank_answer(source):
    nb = build.variant(source, "solutions", "en")
    for cell in _role(nb, "reveal"):
        before = nb.cells[nb.cells.index(cell) - 1]
        assert before.cell_type == "code" and "prediction" not in before.metadata.get("tags", [])
    assert all(c.source.startswith('prediction = ""') for c in _role(nb, "prediction"))


def test_a_lesson_without_predictions_builds_as_before(tmp_path):
    body = BODY.split('# %% [markdown] tags=["prediction"]')[0]
    plain = write_lesson(tmp_path, {}, body)
    nb = build.variant(plain, "notebooks", "en")
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]


def _broken(change) -> dict:
    spec = copy.deepcopy(SPEC)
    change(spec)
    return spec


BROKEN_HEADERS = [
    (
        lambda s: s["predictions"]["zero_grad"]["options"].pop("c"),
        "'zero_grad': give 3 or 4 options",
    ),
    (
        lambda s: s["predictions"]["eval_mode"]["options"].update(
            e=s["predictions"]["eval_mode"]["options"]["a"]
        ),
        "'eval_mode': give 3 or 4 options",
    ),
    (
        lambda s: s["predictions"]["zero_grad"].update(answer="d"),
        "'zero_grad': the answer 'd' is not an option",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["a"].pop("misconception"),
        "'zero_grad': option a: a wrong option names its misconception (none)",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["a"].update(misconception="typo"),
        "'typo' is not under misconceptions",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["b"].update(misconception="step_clears"),
        "'zero_grad': option b: the right answer names no misconception",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["b"].pop("es"),
        "'zero_grad': option b: no text in es",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["c"]["why"].pop("en"),
        "'zero_grad': option c: why: no text in en",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["question"].update(es=" "),
        "'zero_grad': question: no text in es",
    ),
    (
        lambda s: s["misconceptions"]["step_clears"].pop("en"),
        "misconception 'step_clears': no text in en",
    ),
    (
        lambda s: s["misconceptions"].update(unused={"es": "x", "en": "x"}),
        "misconception 'unused' is used by no option",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"].update(
            d=s["predictions"]["zero_grad"]["options"].pop("c")
        ),
        "name the options a, b, c (and d), in order",
    ),
    (
        lambda s: s["predictions"]["zero_grad"].update(hint="x"),
        "'zero_grad': give exactly answer, options, question",
    ),
    (
        lambda s: s["predictions"]["zero_grad"]["options"]["a"].update(misconeption="x"),
        "option a: an option holds",
    ),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_HEADERS)
def test_each_broken_header_is_refused_naming_the_lesson_and_the_id(tmp_path, change, message):
    broken = write_lesson(tmp_path, _broken(change))
    with pytest.raises(predictions.PredictionError, match=re.escape(message)) as error:
        build.variant(broken, "notebooks", "en")
    assert str(error.value).startswith(f"{LESSON}: ")


BROKEN_PLACES = [
    (
        lambda b: b.replace('# %% [markdown] tags=["reveal"]\n# eval_mode\n', ""),
        "'eval_mode': place it once as prediction and once as reveal",
    ),
    (
        lambda b: b + '\n# %% [markdown] tags=["prediction"]\n# zero_grad\n',
        "'zero_grad': place it once",
    ),
    (
        lambda b: b + '\n# %% [markdown] tags=["reveal"]\n# other\n',
        "'other': a placeholder of no question",
    ),
    (
        lambda b: b.replace("# %%\naccuracy = 0.9\n", '# %% [markdown] tags=["en"]\n# Look.\n'),
        "'eval_mode': the cell before its reveal is not code",
    ),
    (
        lambda b: b.replace(
            'tags=["prediction"]\n# eval_mode', 'tags=["reveal"]\n# eval_mode', 1
        ).replace(
            '# %%\naccuracy = 0.9\n\n# %% [markdown] tags=["reveal"]',
            '# %%\naccuracy = 0.9\n\n# %% [markdown] tags=["prediction"]',
        ),
        "'eval_mode': its reveal comes before its prediction",
    ),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_PLACES)
def test_each_misplaced_placeholder_is_refused(tmp_path, change, message):
    broken = write_lesson(tmp_path, SPEC, change(BODY))
    with pytest.raises(predictions.PredictionError, match=re.escape(message)):
        build.variant(broken, "exercises", "es")


# --- reading a saved notebook ------------------------------------------------------------


def student_notebook(source: Path, lang: str, answers: dict, counts: dict | None = None):
    """The exercise notebook with ``answers`` (question -> cell text) typed in, and
    ``counts`` (cell index -> execution count) as a run left them."""
    nb = build.variant(source, "exercises", lang)
    for cell in _role(nb, "prediction"):
        if (text := answers.get(cell.metadata["course"]["prediction"])) is not None:
            cell.source = text
    for index, count in (counts or {}).items():
        nb.cells[index].execution_count = count
    return nb


def _index(nb, role: str, key: str, offset: int = 0) -> int:
    return (
        next(i for i, c in enumerate(nb.cells) if c.metadata.get("course", {}).get(role) == key)
        + offset
    )


def test_a_saved_notebook_keeps_the_answer(source, tmp_path):
    nb = student_notebook(source, "en", {"zero_grad": 'prediction = "b"  # a, b or c'})
    path = tmp_path / "ana.ipynb"
    nbformat.write(nb, path)
    again = nbformat.read(path, as_version=4)
    assert _role(again, "prediction")[0].source.startswith('prediction = "b"')
    asked, _known = predictions.from_source(source)
    found = graded_predictions.read(path, "ana", LESSON, asked)
    assert [(a.question, a.status, a.letter, a.after) for a in found] == [
        ("zero_grad", "answered", "b", False),
        ("eval_mode", "no_answer", "", False),
    ]


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ('prediction = "b"', "b"),
        ("prediction = 'C'  # mine", "c"),
        ('prediction = " a) "', "a"),
        ('prediction = ""', ""),
    ],
)
def test_only_a_plain_assignment_of_a_string_counts(text, letter):
    assert graded_predictions.letter_of(text) == letter


@pytest.mark.parametrize(
    "text",
    [
        "prediction = b",
        'prediction = "b"\nprint(1)',
        'x = "b"',
        'prediction = "b" + ""',
        "prediction = ",
        'prediction: str = "b"',
        'prediction = f"b"',
        "(" * 400,
    ],
)
def test_anything_else_is_unreadable_and_never_run(text):
    assert graded_predictions.letter_of(text) is None
    options = {k: {} for k in "abc"}
    cell = nbformat.v4.new_code_cell(text, metadata={"course": {"prediction": "q"}})
    assert graded_predictions.answer([cell], "q", options)[0] == graded_predictions.UNREADABLE


def test_a_letter_that_is_no_option_is_unreadable_and_a_deleted_cell_missing():
    options = {k: {} for k in "abc"}
    cell = nbformat.v4.new_code_cell('prediction = "d"', metadata={"course": {"prediction": "q"}})
    assert graded_predictions.answer([cell], "q", options)[0] == graded_predictions.UNREADABLE
    assert graded_predictions.answer([], "q", options)[0] == graded_predictions.MISSING


def test_an_answer_run_after_the_demonstration_is_reported_as_such(source):
    asked, _known = predictions.from_source(source)
    nb = build.variant(source, "exercises", "en")
    answer, demo = _index(nb, "prediction", "zero_grad"), _index(nb, "reveal", "zero_grad", -1)
    assert nb.cells[demo].source.startswith("losses")
    cases = [
        ((1, 2), False),
        ((5, 2), True),
        ((None, 2), False),
        ((3, None), False),
        ((7, 7), False),
    ]
    for (mine, shown), after in cases:
        nb.cells[answer].source, nb.cells[answer].execution_count = 'prediction = "a"', mine
        nb.cells[demo].execution_count = shown
        assert graded_predictions.answer(nb.cells, "zero_grad", asked["zero_grad"]["options"]) == (
            "answered",
            "a",
            after,
        )


# --- the class report ---------------------------------------------------------------------

CLASS = {  # student: (zero_grad, eval_mode, zero_grad answered after the demonstration)
    "ana": ('prediction = "b"', 'prediction = "c"', False),
    "bea": ('prediction = "a"', 'prediction = "a"', False),
    "carl": ('prediction = "a"', 'prediction = "d"', False),
    "dani": ('prediction = "c"', 'prediction = ""', False),
    "eva": ('prediction = "b"', "prediction = c", True),
}


@pytest.fixture
def graded_class(source, tmp_path, monkeypatch):
    """Five students' saved notebooks, graded as far as predictions go."""
    monkeypatch.setattr(build, "LESSONS", source.parent)
    graded = []
    for student, (zero_grad, eval_mode, late) in CLASS.items():
        nb = student_notebook(source, "es", {"zero_grad": zero_grad, "eval_mode": eval_mode})
        answer, demo = _index(nb, "prediction", "zero_grad"), _index(nb, "reveal", "zero_grad", -1)
        nb.cells[answer].execution_count, nb.cells[demo].execution_count = (
            (4, 3) if late else (1, 2)
        )
        path = tmp_path / "in" / f"{student}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, path)
        graded.append(Graded(student, str(path), LESSON, "es"))
    graded.append(Graded("fran", "", "", ""))  # handed in nothing
    return graded


def test_the_class_report_counts_each_option_and_who_holds_each_misconception(
    graded_class, tmp_path
):
    answers, asked = prediction_report.read_all(graded_class)
    assert list(asked) == [LESSON] and len(answers) == 10
    table = prediction_report.rows(answers, asked)
    assert [
        (
            r["question"],
            r["option"],
            r["right"],
            r["misconception"],
            r["count"],
            r["students"],
            r["after_demonstration"],
        )
        for r in table
    ] == [
        ("zero_grad", "a", "no", "step_clears", 2, "bea; carl", 0),
        ("zero_grad", "b", "yes", "", 1, "ana", 1),
        ("zero_grad", "c", "no", "framework_guards", 1, "dani", 0),
        ("eval_mode", "a", "no", "mode_ignored", 1, "bea", 0),
        ("eval_mode", "b", "no", "framework_guards", 0, "", 0),
        ("eval_mode", "c", "yes", "", 1, "ana", 0),
        ("eval_mode", "d", "no", "mode_ignored", 1, "carl", 0),
    ]
    held = [(h["misconception"], h["students"]) for h in prediction_report.holders(table)]
    assert held == [
        ("mode_ignored", ["bea", "carl"]),
        ("step_clears", ["bea", "carl"]),
        ("framework_guards", ["dani"]),
    ]
    assert prediction_report.per_student(answers, asked) == {
        "ana": "2 right",
        "bea": "2 wrong",
        "carl": "2 wrong",
        "dani": "1 wrong, 1 unanswered",
        "eva": "1 after the demonstration, 1 unanswered",
    }
    held = prediction_report.write(answers, asked, tmp_path / "grades" / "01.csv", "es")
    csv_path, md_path = prediction_report.paths(tmp_path / "grades" / "01.csv")
    with csv_path.open(encoding="utf-8-sig") as file:
        assert [row["count"] for row in csv.DictReader(file)] == ["2", "1", "1", "1", "0", "1", "1"]
    report = md_path.read_text(encoding="utf-8")
    assert "## 99_fixture · zero_grad" in report and "¿Qué hace la pérdida" in report
    assert "| **b)** Oscila o sube: cada paso usa gradientes acumulados. ✅ |  | 1 | 1 |" in report
    assert (
        "- sin respuesta: dani" in report and "- respuesta ilegible" in report and ": eva" in report
    )
    assert (
        "- `step_clears` (99_fixture): cree que step() borra los gradientes — 2: bea, carl"
        in report
    )
    assert "- eva: 99_fixture · zero_grad · b)" in report


def test_course_grade_writes_the_report_and_prints_the_most_common_misconceptions(
    source, tmp_path, monkeypatch, capsys
):
    """One ``course grade`` run; the notebooks are lesson 00's handed in for lesson 01, so
    they are refused without running (wrong lesson) and their predictions are still read."""
    fixture = predictions.from_source(source)
    monkeypatch.setattr(
        graded_predictions,
        "questions",
        lambda lesson: fixture if lesson == "00_welcome" else ({}, {}),
    )
    for student, (zero_grad, eval_mode, _late) in list(CLASS.items())[:3]:
        nb = student_notebook(source, "en", {"zero_grad": zero_grad, "eval_mode": eval_mode})
        nb.metadata["course"]["lesson"] = "00_welcome"
        path = tmp_path / "in" / f"{student}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, path)
    out = tmp_path / "grades" / "01.csv"
    assert (
        cli.main(
            ["grade", "--lesson", "01", "--no-sandbox", str(tmp_path / "in"), "--out", str(out)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert (
        "most common misconceptions (students who predicted them):\n"
        "  00_welcome mode_ignored 2: thinks the model's mode does not matter\n"
        "  00_welcome step_clears 2: thinks step() clears the gradients\n"
    ) in printed
    assert all(path.is_file() for path in prediction_report.paths(out))
    with gradebook.summary_path(out).open(encoding="utf-8-sig") as file:
        summary = {row["student"]: row for row in csv.DictReader(file)}
    assert summary["ana"]["predictions"] == "2 right" and summary["ana"]["points"] == "0"
    with out.open(encoding="utf-8-sig") as file:
        assert "predictions" not in next(csv.reader(file))


@pytest.mark.site
def test_the_website_renders_the_reveal_as_details_that_open_on_a_click(source, tmp_path):
    """myst-nb, as the site uses it (site/conf.py's MyST extensions), keeps ``<details>`` and
    renders the explanation inside it as Markdown (a tiny Sphinx project, about 5 s)."""
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(build.variant(source, "solutions", "en"), src / f"{LESSON}.ipynb")
    conf = 'extensions = ["myst_nb"]\nnb_execution_mode = "off"\n'
    conf += 'myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]\n'
    (src / "conf.py").write_text(conf)
    (src / "index.md").write_text(f"# Course\n\n```{{toctree}}\n{LESSON}\n```\n")
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    page = (tmp_path / "out" / f"{LESSON}.html").read_text(encoding="utf-8")
    blocks = re.findall(
        r"<details><summary>(.*?)</summary>\s*<p>(.*?)</p>\s*</details>", page, re.S
    )
    assert len(blocks) == 7
    assert blocks[1][0] == "<b>b)</b> It jumps around or rises: each step uses summed gradients."
    assert blocks[1][1].startswith("✅ Right. <code") and "Not quite" in blocks[0][1]


def test_course_merge_writes_the_report_the_whole_batch_would(graded_class, tmp_path, capsys):
    """Shares graded apart and merged give the class report of the batch graded whole: the
    answers are read again from the hand-ins the shares' gradebooks name."""
    for one in graded_class:
        one.add("count_parameters", "passed", "ok", points=1.0, max_points=1.0)
    whole = tmp_path / "whole" / "01.csv"
    prediction_report.write_all(graded_class, gradebook.summary_path(whole), whole, "es")
    parts = [tmp_path / "part1" / "01.csv", tmp_path / "part2" / "01.csv"]
    for part, share in zip(parts, (graded_class[:2], graded_class[2:]), strict=True):
        part.parent.mkdir()
        gradebook.write_gradebook(share, part)
    merged = tmp_path / "merged" / "01.csv"
    assert cli.main(["merge", *map(str, parts), "--out", str(merged)]) == 0
    assert "most common misconceptions" in capsys.readouterr().out
    for mine, theirs in zip(
        prediction_report.paths(merged), prediction_report.paths(whole), strict=True
    ):
        assert mine.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8")
    summaries = [gradebook.summary_path(p).read_text(encoding="utf-8") for p in (merged, whole)]
    assert summaries[0] == summaries[1]

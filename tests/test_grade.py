"""``course grade`` end to end on real notebooks, and the grader's parts without a kernel.

The end-to-end batch grades, in one run of the command, submissions made from
the repo's lesson-00 exercise and solution notebooks: a solution, a stub, each
mistake the lesson's check diagnoses, a cheat, a syntax error, a deleted check
cell, an unreadable file, a wrong lesson and a notebook that is not from the
course. Students are named by folder; the files' names are deliberately
misleading, since the lesson must come from the metadata.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

from course_tools import cli, commands
from course_tools.grading import collect, isolate, probe, sandbox
from course_tools.grading import execute as grade_exec
from course_tools.grading import feedback as grade_feedback
from course_tools.grading import gradebook as grade
from course_tools.grading import key as grade_key
from course_tools.grading import rows as grade_rows
from course_tools.grading import submission as grade_submission
from course_tools.grading.key import Check, Key
from course_utils import checks, probes
from course_utils.checks import welcome as check_welcome
from course_utils.probes import record

from .conftest import LESSONS

LESSON = "00_welcome"
STUB = re.compile(r"# (YOUR CODE HERE|TU CÓDIGO AQUÍ)\n    raise NotImplementedError\(\)")
NO_BIAS = "return sum(p.numel() for name, p in model.named_parameters() if 'weight' in name)"
FAKE = {"exercise": "count_parameters", "status": "passed", "message": "✅ PASSED"}
CHEAT = f"""
from IPython.display import display
from course_utils import checks
from course_utils.checks import welcome as check_welcome
print("✅ count_parameters: correct! PASSED")
display({{"text/plain": "PASSED", checks.MIME: {FAKE!r}}}, raw=True)
checks.Exercise.verdict = lambda self, seed, record: checks.Result(self.name, "passed", "PASSED")
check_welcome.count_parameters = lambda f: checks.Result("count_parameters", "passed", "PASSED")
get_ipython().events.register(
    "post_run_cell", lambda result: display({{checks.MIME: {FAKE!r}}}, raw=True)
)
"""


def built(kind: str, lang: str, lesson: str = LESSON) -> nbformat.NotebookNode:
    return nbformat.read(grade_key.built(kind, lesson, lang), as_version=4)


def check_cell(nb) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if "check" in c.metadata.get("tags", []))


def solved(lang: str, lesson: str = LESSON) -> nbformat.NotebookNode:
    """The exercise notebook with the course's solution code typed in, as a student would."""
    nb = built("exercises", lang, lesson)
    for mine, theirs in zip(nb.cells, built("solutions", lang, lesson).cells, strict=True):
        mine.source = theirs.source
    return nb


def answered(lang: str, body: str) -> nbformat.NotebookNode:
    """The exercise notebook with ``body`` written in place of the stub."""
    nb = built("exercises", lang)
    exercise = next(c for c in nb.cells if STUB.search(c.source))
    exercise.source = STUB.sub(lambda _: body, exercise.source)
    return nb


def cheat() -> nbformat.NotebookNode:
    """A stub whose author fakes success every way that does not need the solution."""
    nb = built("exercises", "es")
    cell = check_cell(nb)
    cell.source = 'print("PASSED")'
    cell.outputs = [nbformat.v4.new_output("display_data", data={checks.MIME: FAKE})]
    index = nb.cells.index(cell)
    nb.cells.insert(index, nbformat.v4.new_code_cell(CHEAT))
    return nb


def swapped(nb) -> nbformat.NotebookNode:
    """The notebook with its first two check cells in each other's place."""
    first, second = [i for i, c in enumerate(nb.cells) if "check" in c.metadata.get("tags", [])][:2]
    nb.cells[first], nb.cells[second] = nb.cells[second], nb.cells[first]
    return nb


def without_check(nb) -> nbformat.NotebookNode:
    nb.cells.remove(check_cell(nb))
    return nb


def relabeled(nb, lesson: str) -> nbformat.NotebookNode:
    nb.metadata["course"]["lesson"] = lesson
    return nb


def stripped(nb) -> nbformat.NotebookNode:
    del nb.metadata["course"]
    return nb


SUBMISSIONS = {  # student -> (file name, notebook or raw text)
    "ana": ("02_validation.ipynb", lambda: solved("es")),
    "bea": ("00_welcome.ipynb", lambda: built("exercises", "en")),
    "carl": ("tarea.ipynb", lambda: answered("es", "return len(list(model.parameters()))")),
    "dani": ("hw.ipynb", lambda: answered("en", NO_BIAS)),
    "eva": ("00_welcome.ipynb", cheat),
    "fran": ("00_welcome.ipynb", lambda: answered("es", "return sum(p.numel( for p in x)")),
    "ines": ("00_welcome.ipynb", lambda: without_check(solved("en"))),
    "kiko": ("00_welcome.ipynb", lambda: answered("en", "import os\n    os._exit(1)")),
    "gus": ("00_welcome.ipynb", lambda: '{"cells": ['),
    "hugo": ("00_welcome.ipynb", lambda: relabeled(solved("es"), "01_training_loop")),
    "juan": ("00_welcome.ipynb", lambda: stripped(solved("en"))),
}


def write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else nbformat.writes(content))
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory, mnist_available):  # about 7 kernels, 2 at a time
    """One `course grade` run over every submission: exit status, rows, feedback by student."""
    root = tmp_path_factory.mktemp("grade")
    for student, (name, make) in SUBMISSIONS.items():
        write(root / "hand-ins" / student / name, make())
    out = root / "gradebook.csv"
    argv = ["grade", "--student-from", "folder", "--lesson", "00", "--jobs", "2"]
    status = cli.main([*argv, "--timeout", "600", "--out", str(out), str(root / "hand-ins")])
    with out.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    feedback = {p.stem: p.read_text() for p in (root / "feedback" / "gradebook").glob("*.md")}
    with grade.mistakes_path(out).open(encoding="utf-8-sig") as file:
        mistakes = {row["diagnosis"]: row for row in csv.DictReader(file)}
    return status, rows, feedback, mistakes


def row_of(batch, student: str) -> dict:
    found = [row for row in batch[1] if row["student"] == student]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.notebook
def test_the_batch_ends_well_with_one_row_per_student_and_exercise(batch):
    status, rows, feedback, _ = batch
    assert status == commands.EXIT_OK
    assert list(rows[0]) == grade.FIELDS
    assert sorted(row["student"] for row in rows) == sorted(SUBMISSIONS)
    assert sorted(feedback) == sorted(SUBMISSIONS)


@pytest.mark.notebook
def test_the_solution_scores_full_points_whatever_its_file_name(batch):
    row = row_of(batch, "ana")
    assert (row["lesson"], row["exercise"], row["status"]) == (LESSON, "count_parameters", "passed")
    assert (row["passed"], row["points"], row["max_points"]) == ("yes", "1", "1")
    assert row["note"] == ""


@pytest.mark.notebook
def test_a_stub_scores_zero_not_done_yet(batch):
    row = row_of(batch, "bea")
    assert (row["status"], row["passed"], row["points"]) == (checks.TODO, "no", "0")
    assert "not done yet" in row["message"]
    assert "not done yet" in batch[2]["bea"]
    assert batch[2]["bea"].startswith("# Feedback for bea")


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("student", "lang", "key"), [("carl", "es", "tensors"), ("dani", "en", "no_bias")]
)
def test_each_diagnosed_mistake_reaches_the_feedback(batch, student, lang, key):
    row = row_of(batch, student)
    assert (row["status"], row["points"], row["diagnosis"]) == (checks.FAILED, "0", key)
    got = re.search(r"\d+", row["message"]).group()  # the problem was drawn for this run
    message = check_welcome._(key, lang, got=got)
    assert message in row["message"]
    mistake = batch[3][key]  # the class's count of it
    assert (mistake["lesson"], mistake["exercise"], mistake["students"]) == (
        LESSON,
        row["exercise"],
        "1",
    )
    assert message in batch[2][student]
    title = {"es": "# Comentarios para", "en": "# Feedback for"}[lang]
    assert batch[2][student].startswith(f"{title} {student}")


@pytest.mark.notebook
def test_faking_success_earns_nothing(batch):
    """Printing PASSED, showing a fake result, patching the checks, editing the check cell."""
    row = row_of(batch, "eva")
    assert (row["status"], row["passed"], row["points"]) == (checks.TODO, "no", "0")
    assert "PASSED" not in row["message"]
    assert "se cambió el texto de una celda de comprobación" in row["note"]


@pytest.mark.notebook
def test_a_syntax_error_gets_a_clear_row(batch):
    row = row_of(batch, "fran")
    assert (row["status"], row["points"]) == (checks.FAILED, "0")
    assert "el cuaderno no define «count_parameters»" in row["message"]
    assert "SyntaxError" in row["note"] and "(línea 3)" in row["note"]  # Spanish hand-in
    assert "def count_parameters(model: nn.Module) -> int:" in row["note"]


@pytest.mark.notebook
def test_a_deleted_check_cell_is_noted_and_the_course_check_still_runs(batch):
    row = row_of(batch, "ines")
    assert (row["status"], row["points"]) == (checks.PASSED, "1")
    assert "check cells were deleted, added or moved" in row["note"]


@pytest.mark.notebook
def test_a_kernel_that_dies_gets_a_clear_row(batch):
    row = row_of(batch, "kiko")
    assert (row["status"], row["points"]) == (grade_exec.DIED, "0")
    died = r"the kernel died in cell \d+ \(“check\.count_parameters\(count_parameters\)”\)"
    assert re.search(died, row["message"]), row["message"]


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("student", "status", "words"),
    [
        ("gus", grade_submission.UNREADABLE, "is not a readable notebook"),
        ("hugo", grade_submission.WRONG, "lección 01_training_loop; esta tarea es 00_welcome"),
        ("juan", grade_submission.NOT_COURSE, "does not say which lesson it is"),
    ],
)
def test_submissions_that_cannot_be_graded_get_their_row(batch, student, status, words):
    row = row_of(batch, student)
    assert (row["status"], row["points"], row["exercise"]) == (status, "0", "")
    assert words in row["message"]
    assert words in batch[2][student]


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_a_notebook_that_loops_forever_is_stopped_at_the_time_limit(tmp_path):
    path = write(tmp_path / "eva.ipynb", answered("en", "while True:\n        pass"))
    graded = grade_submission.grade(path, "eva", [LESSON], limit=3)
    [row] = graded.rows
    assert (row.status, row.points, row.max_points) == (grade_exec.TIMEOUT, 0.0, 1.0)
    assert "did not finish within 3 s" in row.message
    assert graded.lesson == LESSON


KEYS = {lesson: grade_key.load_key(lesson, "es") for lesson in LESSONS}
OTHERS = [  # lessons 01 and 02 only: each kernel runs a whole lesson, and that takes time
    lesson for lesson, key in KEYS.items() if lesson[:2] in ("01", "02") and key and key.checks
]
SEVERAL = [lesson for lesson in OTHERS if len(KEYS[lesson].checks) > 1][:1]


@pytest.fixture(scope="module")
def others(tmp_path_factory, mnist_available) -> dict[str, grade_rows.Graded]:
    """The other lessons' solutions, and one lesson's stub with two check cells swapped."""
    root = tmp_path_factory.mktemp("others")
    for lesson in OTHERS:
        write(root / f"solution-{lesson}.ipynb", solved("es", lesson))
    for lesson in SEVERAL:
        write(root / f"swapped-{lesson}.ipynb", swapped(built("exercises", "en", lesson)))
    return {g.student: g for g in grade.grade_all([root], limit=900, jobs=2)}


@pytest.mark.notebook
@pytest.mark.parametrize("lesson", OTHERS)
def test_every_lesson_solution_scores_full_points(others, lesson):
    rows = others[f"solution-{lesson}"].rows
    assert [row.exercise for row in rows] == [check.exercise for check in KEYS[lesson].checks]
    assert all(row.passed and row.points == row.max_points > 0 for row in rows), rows
    assert [row.note for row in rows] == [""] * len(rows)


@pytest.mark.notebook
@pytest.mark.parametrize("lesson", SEVERAL)
def test_reordered_check_cells_get_a_clear_note_and_earn_nothing(others, lesson):
    rows = others[f"swapped-{lesson}"].rows
    assert [row.status for row in rows] == [checks.TODO] * len(KEYS[lesson].checks)
    assert sum(row.points for row in rows) == 0
    assert all("check cells were deleted, added or moved" in row.note for row in rows)


# The grader's parts, without a kernel.

KEY = Key(
    "99_demo",
    "en",
    (
        Check("check_a.one(one)", "one", "check_a:one", ("one",)),
        Check("check_a.two(two)", "two", "check_a:two", ("two",)),
    ),
    "LANG = 'es'",
    {"NUM_EPOCHS": 1},
)


def demo(*checks_: str, parameters: bool = True) -> nbformat.NotebookNode:
    """A submission: a parameters cell, then for each check an exercise cell and the check."""
    cells = [nbformat.v4.new_code_cell("LANG = 'es'", metadata={"tags": ["parameters"]})]
    cells = cells if parameters else []
    for i, source in enumerate(checks_):
        cells.append(nbformat.v4.new_code_cell(f"x{i} = {i}"))
        cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["check"]}))
    return nbformat.v4.new_notebook(cells=cells)


@pytest.mark.parametrize(
    ("submitted", "layout"),
    [
        (("check_a.one(one)", "check_a.two(two)"), grade_key.OK),
        (("check_a.one(one)", "print('PASSED')"), grade_key.EDITED),
        (("check_a.one(one)",), grade_key.MOVED),
        (("check_a.two(two)", "check_a.one(one)"), grade_key.MOVED),
        (("check_a.one(one)", "check_a.two(two)", "check_a.two(two)"), grade_key.MOVED),
    ],
    ids=["ok", "edited", "deleted", "reordered", "added"],
)
def test_the_layout_of_check_cells_is_compared_with_the_course(submitted, layout):
    assert grade_key.layout(demo(*submitted), KEY) == layout


def test_check_cells_run_the_course_code_in_place_after_fresh_imports():
    nb, roles = grade_key.grading_notebook(
        demo("print('PASSED')", "check_a.two(two)"), KEY, "quick"
    )
    kinds = [role.kind for role in roles]
    assert kinds == ["student", "parameters", "student", "trusted", "student", "trusted"]
    assert nb.cells[1].source == "LANG = 'es'\nLANG = 'en'\nNUM_EPOCHS = 1"
    assert "PASSED" not in "".join(cell.source for cell in nb.cells)
    first = nb.cells[3].source
    assert first.startswith(grade_key.PURGE) and first.endswith("\ncheck_a.one(one)")
    assert "from course_utils import i18n as _course_i18n" in first  # check_a is no module
    assert "_course_i18n.set_language('en')" in first
    assert [role.number for role in roles] == [1, 0, 2, 3, 4, 5]


def test_cells_after_the_last_check_are_not_run():
    submission = demo("check_a.one(one)", "check_a.two(two)")
    submission.cells.append(nbformat.v4.new_code_cell("train_for_an_hour()"))
    nb, roles = grade_key.grading_notebook(submission, KEY, "quick")
    assert roles[-1].kind == "trusted" and len(nb.cells) == len(roles) == 6
    assert grade_key.grading_notebook(demo(), dataclasses.replace(KEY, checks=()), "quick")[1] == []


def test_moved_check_cells_run_at_the_end_and_parameters_first_when_missing():
    nb, roles = grade_key.grading_notebook(
        demo("check_a.two(two)", "check_a.one(one)", parameters=False), KEY, "full"
    )
    assert [(role.kind, role.check) for role in roles] == [
        ("parameters", -1),
        ("student", -1),
        ("student", -1),
        ("trusted", 0),
        ("trusted", 1),
    ]
    assert nb.cells[0].source == "LANG = 'es'\nLANG = 'en'"


def test_the_key_comes_from_the_built_notebooks():
    key = grade_key.load_key(LESSON, "en")
    assert [check.exercise for check in key.checks] == ["count_parameters"]
    assert key.checks[0].source == check_cell(built("exercises", "en")).source
    assert "TRAIN_SUBSET = 1000" in key.parameters("quick")
    assert grade_key.load_key("../../solutions/en/00_welcome", "en") is None
    assert grade_key.load_key("99_nope", "en") is None


def probe_line(index: int, student) -> str:
    observed = probes.observe(check_welcome.count_parameters.probe, (student,), seed=7)
    return json.dumps({"index": index, "record": record.encode(observed)})


def test_the_first_record_of_each_check_is_judged_here_from_the_seed():
    key = grade_key.load_key(LESSON, "en")
    said = [
        "not json",
        probe_line(0, lambda model: sum(p.numel() for p in model.parameters() if p.requires_grad)),
        probe_line(0, lambda model: 0),
        json.dumps({"index": 1, "error": "NameError: x"}),
    ]
    verdict = isolate.Verdict()
    records, done = isolate.read("\n".join(said).encode(), verdict)
    assert not done and list(records) == [0] and verdict.errors == {1: "NameError: x"}
    isolate.judge(key, [7], records, verdict)
    assert verdict.results[0].passed and not verdict.tampered
    assert grade_submission._check_outcome(verdict, 0, "e", "en")[0] == checks.PASSED
    assert "NameError" in grade_submission._check_outcome(verdict, 1, "e", "en")[1]
    other = isolate.Verdict()
    isolate.judge(key, [8], records, other)  # the same answers, another problem
    assert not other.results[0].passed


@pytest.mark.parametrize(
    "forged",
    [
        '{"outcome": "ran", "data": {"counts": "all right"}}',
        '{"outcome": "passed"}',
        '{"outcome": "ran", "data": {"counts": [{"kind": "int", "value": NaN}]}}',
        '{"outcome": "stopped", "key": "__class__", "values": {}}',
        "[" * 5000,
    ],
)
def test_a_record_no_probe_writes_is_tampering(forged):
    key = grade_key.load_key(LESSON, "en")
    verdict = isolate.Verdict()
    isolate.judge(key, [7], {0: forged}, verdict)
    assert verdict.tampered and not verdict.results
    status, message = grade_submission._check_outcome(verdict, 0, "e", "en")
    assert status == grade_submission.TAMPERED and "0 points" in message


def test_the_probe_process_never_sees_the_judges_or_what_implements_an_exercise():
    key = grade_key.load_key(LESSON, "en")
    job = isolate.job(built("exercises", "en"), key, "quick", [3])
    assert job["forbidden"][0] == "course_utils.checks"
    assert job["probes"] == [
        {
            "probe": "course_utils.probes.welcome:count_parameters",
            "students": ["count_parameters"],
            "seed": 3,
        }
    ]
    assert not any("checks" in line for line in job["imports"])
    finder = probe._Forbidden(["course_utils.checks", "course_utils.train"])
    for name in ["course_utils.checks", "course_utils.checks.welcome", "course_utils.train"]:
        with pytest.raises(ImportError, match="not available while grading"):
            finder.find_spec(name)
    assert finder.find_spec("course_utils.training_text") is None


def test_the_grading_process_keeps_only_definitions():
    nb = demo("check_a.one(one)")
    nb.cells.append(nbformat.v4.new_code_cell("%time x = 1\ndef one(): return 1"))
    assert isolate.student_cells(nb)[-1].startswith("get_ipython().run_line_magic")
    kept = [
        probe._kept(node)
        for node in ast.parse(
            "import os\nfrom a import b\nX = 3\nY = f()\ndef g(): pass\nclass C: pass\nprint(1)"
        ).body
    ]
    assert kept == [True, True, True, False, True, True, False]
    split = probe._split(ast.parse("from course_utils import checks, data as d").body[0])
    assert [ast.unparse(node) for node in split] == [
        "from course_utils import checks",
        "from course_utils import data as d",
    ]


def test_a_lesson_the_course_does_not_have_gets_its_row(tmp_path):
    path = write(tmp_path / "x.ipynb", relabeled(built("exercises", "en"), "99_nope"))
    [row] = grade_submission.grade(path, "x", [], limit=60).rows
    assert (row.status, row.lang) == (grade_submission.UNKNOWN, "en")
    assert row.message == "the notebook says it is lesson 99_nope, which this course does not have."


def test_students_are_named_by_file_or_folder(tmp_path):
    path = tmp_path / "ana" / "00_welcome.ipynb"
    assert grade.student_of(path, "name") == "00_welcome"
    assert grade.student_of(path, "folder") == "ana"
    with pytest.raises(ValueError, match="student_from must be one of"):
        grade.student_of(path, "email")


def test_folders_are_searched_for_notebooks(tmp_path):
    write(tmp_path / "ana" / "a.ipynb", "{}")
    write(tmp_path / "ana" / ".ipynb_checkpoints" / "a-checkpoint.ipynb", "{}")
    write(tmp_path / "bea.ipynb", "{}")
    batch = collect.collect([tmp_path, tmp_path / "bea.ipynb"], "name")
    assert batch.found == [(tmp_path / "ana" / "a.ipynb", "a"), (tmp_path / "bea.ipynb", "bea")]
    assert batch.missing == [] and batch.several == set()


def test_a_missing_path_an_empty_folder_and_the_roster_give_missing_rows(tmp_path):
    write(tmp_path / "in" / "ana" / "x.ipynb", "{}")
    (tmp_path / "in" / "bea").mkdir()
    roster = write(tmp_path / "roster.csv", "Student,email\nana,a@x\nbea,b@x\ncarl,c@x\n")
    batch = collect.collect(
        [tmp_path / "in", tmp_path / "dani"], "folder", collect.read_roster(roster)
    )
    assert [s for _, s in batch.found] == ["ana"]
    assert [(s, why) for s, why, _ in batch.missing] == [
        ("bea", collect.NO_NOTEBOOK),
        ("dani", collect.NO_PATH),
        ("carl", collect.NOT_HANDED_IN),
    ]


def test_same_name_files_are_refused_and_two_notebooks_in_a_folder_flagged(tmp_path):
    write(tmp_path / "a" / "ana.ipynb", "{}")
    write(tmp_path / "b" / "ana.ipynb", "{}")
    with pytest.raises(ValueError, match="two different files give the same student"):
        collect.collect([tmp_path], "name")
    assert collect.collect([tmp_path / "a", tmp_path / "a" / "ana.ipynb"], "name").found == [
        (tmp_path / "a" / "ana.ipynb", "ana")
    ]
    write(tmp_path / "a" / "other.ipynb", "{}")
    assert collect.collect([tmp_path / "a"], "folder").several == {"a"}


def test_missing_students_get_rows_worth_the_lesson_and_a_summary(tmp_path):
    write(tmp_path / "in" / "gus" / "x.ipynb", '{"cells": [')
    (tmp_path / "in" / "bea").mkdir()
    graded = grade.grade_all([tmp_path / "in"], [LESSON], student_from="folder", roster=["ines"])
    rows = {one.student: one.rows[0] for one in graded}
    assert {s: (r.status, r.max_points) for s, r in rows.items()} == {
        "gus": (grade_submission.UNREADABLE, 1.0),
        "bea": (grade.MISSING, 1.0),
        "ines": (grade.MISSING, 1.0),
    }
    out = tmp_path / "grades" / "00.csv"
    grade.write_summary(graded, grade.summary_path(out))
    with grade.summary_path(out).open(encoding="utf-8-sig") as file:
        summary = {row["student"]: row for row in csv.DictReader(file)}
    assert [(s, r["points"], r["max_points"], r["status"]) for s, r in summary.items()] == [
        ("bea", "0", "1", grade.MISSING),  # in the gradebook's order: by student
        ("gus", "0", "1", grade_submission.UNREADABLE),
        ("ines", "0", "1", grade.MISSING),
    ]
    assert grade_feedback.feedback_folder(out) == tmp_path / "grades" / "feedback" / "00"


def test_mistakes_are_counted_per_exercise_as_main_mistake_and_besides_another(tmp_path):
    graded = []
    for student, diagnosis, also in [
        ("ana", "no_zero_grad", "eval_mode"),
        ("bea", "no_zero_grad", ""),
        ("carl", "eval_mode", ""),
        ("dani", "", ""),
    ]:
        one = grade_rows.Graded(student, f"{student}.ipynb", "01_training_loop", "en")
        status = checks.FAILED if diagnosis else checks.PASSED
        one.add("train_epoch", status, f"{student} {diagnosis}", diagnosis=diagnosis, also=also)
        one.add("", grade_submission.UNREADABLE, "not an exercise: not counted")
        graded.append(one)
    found = grade.write_mistakes(graded, grade.mistakes_path(tmp_path / "01.csv"))
    assert [(m["diagnosis"], m["students"], m["also"], m["graded"]) for m in found] == [
        ("no_zero_grad", 2, 0, 4),
        ("eval_mode", 1, 1, 4),
    ]
    assert found[0]["example"] == "ana no_zero_grad"
    with (tmp_path / "01-mistakes.csv").open(encoding="utf-8-sig") as file:
        assert [row["diagnosis"] for row in csv.DictReader(file)] == ["no_zero_grad", "eval_mode"]


def test_feedback_files_are_named_safely(tmp_path):
    graded = [grade_rows.Graded("Ana María/../x", "a.ipynb", LESSON, "es")]
    [path] = grade_feedback.write_feedback(graded, tmp_path)
    assert path.parent == tmp_path and path.name == "Ana_María_.._x.md"
    assert path.read_text().startswith("# Comentarios para Ana María/../x")


def test_the_sandbox_mounts_its_private_tmp_before_binding_the_repo_and_python():
    """A checkout or a venv under /tmp (as on CI) stays visible inside the sandbox."""
    argv = sandbox.command(["python", "-c", "pass"], True, 10.0)
    binds = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--ro-bind"]
    assert os.path.realpath(sys.prefix) in binds
    assert argv.index("--tmpfs") < argv.index("--ro-bind")


def test_several_notebooks_count_the_best_one_never_more_than_the_maximum(tmp_path):
    graded = []
    for name, points in [("a.ipynb", 1.0), ("b.ipynb", 1.0)]:
        one = grade_rows.Graded("karla", name, LESSON, "es")
        one.add("count_parameters", checks.PASSED, "ok", points=points, max_points=1.0)
        graded.append(one)
    grade.write_summary(graded, tmp_path / "s.csv")
    with (tmp_path / "s.csv").open(encoding="utf-8-sig") as file:
        [row] = list(csv.DictReader(file))
    assert (row["points"], row["max_points"], row["status"]) == ("1", "1", grade.SEVERAL)


def test_names_are_composed_unicode_so_a_macos_folder_matches_the_roster(tmp_path):
    decomposed = "begon\u0303a.nu\u0301n\u0303ez"  # as macOS zips write it
    write(tmp_path / "in" / decomposed / "x.ipynb", "{}")
    batch = collect.collect([tmp_path / "in"], "folder", ["begoña.núñez"])
    assert [s for _, s in batch.found] == ["begoña.núñez"]
    assert batch.missing == [] and batch.unlisted == set()


def test_a_link_or_a_device_is_refused_and_never_read(tmp_path):
    secret = write(tmp_path / "private.txt", "root:SECRET-LINE\n")
    (tmp_path / "in" / "ana").mkdir(parents=True)
    (tmp_path / "in" / "ana" / "00.ipynb").symlink_to(secret)
    (tmp_path / "bea.ipynb").symlink_to(secret)
    batch = collect.collect([tmp_path / "in", tmp_path / "bea.ipynb"], "folder")
    assert batch.found == []
    assert [(s, why) for s, why, _ in batch.missing] == [
        ("ana", collect.NOT_A_FILE),
        (tmp_path.name, collect.NOT_A_FILE),
    ]
    graded = grade.grade_all([tmp_path / "in"], [LESSON], student_from="folder")
    assert "SECRET" not in repr(graded)


def test_an_unreadable_notebook_is_named_by_its_error_kind_never_its_bytes(tmp_path):
    path = write(tmp_path / "x.ipynb", "root:$6$SECRET-HASH:19000:0:99999:7:::\n")
    [row] = grade_submission.grade(path, "x", [LESSON], limit=60).rows
    assert row.status == grade_submission.UNREADABLE and "SECRET" not in row.message


def test_no_cell_of_a_gradebook_runs_as_a_formula(tmp_path):
    one = grade_rows.Graded('=HYPERLINK("http://x","y")', "+a.ipynb", LESSON, "es")
    one.add("count_parameters", checks.FAILED, "-1 is wrong", max_points=1.0)
    grade.write_gradebook([one], tmp_path / "g.csv")
    with (tmp_path / "g.csv").open(encoding="utf-8-sig") as file:
        [row] = list(csv.DictReader(file))
    assert row["student"] == '\'=HYPERLINK("http://x","y")'
    assert (row["submission"], row["message"], row["points"]) == ("'+a.ipynb", "'-1 is wrong", "0")


def test_instructor_notes_stay_out_of_the_feedback_and_names_stay_unique(tmp_path):
    graded = []
    for student in ["ana maria", "ana_maria"]:
        one = grade_rows.Graded(student, "a.ipynb", LESSON, "es")
        one.add("count_parameters", checks.PASSED, "ok", instructor_note="revisa cuál cuenta")
        graded.append(one)
    paths = grade_feedback.write_feedback(graded, tmp_path)
    assert len({p.name for p in paths}) == 2
    assert all("revisa" not in p.read_text() for p in paths)


def test_a_student_with_nothing_gets_feedback_in_the_batch_language(tmp_path):
    write(tmp_path / "in" / "ana" / "x.ipynb", nbformat.writes(built("exercises", "es")))
    (tmp_path / "in" / "bea").mkdir()
    graded = grade.grade_all([tmp_path / "in"], [LESSON], limit=1, student_from="folder")
    [path] = [p for p in grade_feedback.write_feedback(graded, tmp_path / "fb") if p.stem == "bea"]
    text = path.read_text()
    assert text.startswith("# Comentarios para bea") and "folder" not in text
    assert "Archivo" not in text


def test_every_student_falls_in_exactly_one_share():
    students = [f"student{i}" for i in range(60)] + ["begoña", "ana maria"]
    shares = [[s for s in students if collect.in_shard(s, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(shares, [])) == sorted(students)
    assert all(shares), shares  # none empty for a class this size
    assert cli.main(["grade", "x.ipynb", "--shard", "4/3"]) == commands.EXIT_USAGE


def read_csv(path: Path) -> list[dict]:
    """A CSV's rows without messages: a share's missing students get its own language."""
    with path.open(encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        return [{k: v for k, v in row.items() if k not in ("message", "example")} for row in rows]


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_a_batch_graded_in_three_shares_and_merged_equals_the_batch_graded_whole(
    tmp_path, monkeypatch
):
    # every run draws the same problems, so that the diagnoses can match
    monkeypatch.setattr(isolate.secrets, "randbelow", lambda n: 12345)
    for student, make in [
        ("ana", lambda: solved("es")),
        ("bea", lambda: built("exercises", "en")),
        ("=carl", lambda: answered("en", NO_BIAS)),
        ("dani", lambda: answered("es", "return len(list(model.parameters()))")),
    ]:
        write(tmp_path / "in" / f"{student}.ipynb", make())
    roster = write(tmp_path / "roster.csv", "student\nana\nbea\n=carl\ndani\neva\n")
    common = ["--lesson", "00", "--no-sandbox", "--roster", str(roster), str(tmp_path / "in")]
    assert cli.main(["grade", *common, "--out", str(tmp_path / "whole.csv")]) == 0
    parts = [tmp_path / f"part{k}.csv" for k in (1, 2, 3)]
    for k, part in enumerate(parts, start=1):
        assert cli.main(["grade", *common, "--shard", f"{k}/3", "--out", str(part)]) == 0
    assert cli.main(["merge", *map(str, parts), "--out", str(tmp_path / "merged.csv")]) == 0
    for name in ("{}.csv", "{}-students.csv", "{}-mistakes.csv"):
        whole, merged = (tmp_path / name.format(n) for n in ("whole", "merged"))
        assert read_csv(merged) == read_csv(whole) != []
    assert read_csv(tmp_path / "merged.csv")[0]["student"] == "'=carl"
    folders = [grade_feedback.feedback_folder(tmp_path / f"{n}.csv") for n in ("whole", "merged")]
    assert [sorted(p.name for p in f.iterdir()) for f in folders] == [
        ["_carl.md", "ana.md", "bea.md", "dani.md", "eva.md"]
    ] * 2

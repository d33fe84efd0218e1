"""``course autograder``: the Gradescope zip, and its ``run_autograder`` on a simulated tree.

The tree is what Gradescope's specification describes: the zip extracted into
``<root>/source``, ``run_autograder`` copied to ``<root>``, the student's files in
``<root>/submission``, and ``<root>/results/results.json`` written by the run. The runs
use this machine's Python (``AUTOGRADER_PYTHON``) but only the zip's copy of the course.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import nbformat
import pytest

from course_tools import assign, build, cli, commands
from course_tools.grading import autograder, autograder_run
from course_tools.grading import key as grade_key
from course_tools.grading.autograder_text import say as says
from course_tools.grading.text import say
from course_utils.checks import welcome as check_welcome
from course_utils.data import REPO_ROOT

from .test_grade import NO_BIAS, answered, relabeled, solved

LESSON = "00_welcome"
ZIP = f"autograder-{LESSON}-es.zip"
SCRIPTS = ("setup.sh", "run_autograder")
VISIBILITY = ["hidden", "after_due_date", "after_published", "visible"]
FORMATS = ["text", "html", "simple_format", "md", "ansi"]
# Gradescope's "Autograder Specifications", Output format (leaderboard left out: not used)
TEST = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": {"enum": FORMATS},
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": {"enum": FORMATS},
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": {"enum": VISIBILITY},
        "extra_data": {"type": "object"},
    },
    "additionalProperties": False,
}
RESULTS = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": FORMATS},
        "test_output_format": {"enum": FORMATS},
        "test_name_format": {"enum": FORMATS},
        "visibility": {"enum": VISIBILITY},
        "stdout_visibility": {"enum": VISIBILITY},
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST},
    },
    "additionalProperties": False,
    # "score: optional, but required if not on each test case"
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The zip of lesson 00 in Spanish, written by the command."""
    out = tmp_path_factory.mktemp("autograder")
    status = cli.main(["autograder", "--lesson", "00", "--lang", "es", "--out", str(out)])
    assert status == commands.EXIT_OK
    return out / ZIP


def test_the_scripts_are_at_the_root_and_run_autograder_is_executable(made):
    with zipfile.ZipFile(made) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        texts = {name: archive.read(name).decode() for name in SCRIPTS}
    assert set(SCRIPTS) | {"requirements.txt", "course/pyproject.toml"} <= infos.keys()
    for name in SCRIPTS:
        mode = infos[name].external_attr >> 16
        assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, name
        assert texts[name].startswith("#!/usr/bin/env bash\n")
        checked = subprocess.run(["bash", "-n"], input=texts[name], text=True, capture_output=True)
        assert checked.returncode == 0, checked.stderr
    run = texts["run_autograder"]
    assert f"--lesson {LESSON} --lang es --timeout 300 --visibility visible" in run
    assert 'ROOT="${AUTOGRADER_ROOT:-/autograder}"' in run


def test_setup_installs_the_locked_versions_and_the_zip_copy_of_the_course(made):
    with zipfile.ZipFile(made) as archive:
        setup = archive.read("setup.sh").decode()
        pins = archive.read("requirements.txt").decode().splitlines()
    lock = set((REPO_ROOT / "requirements.lock").read_text().splitlines())
    assert {"torch==2.14.1", "torchvision==0.29.1"} <= set(pins) <= lock
    assert {"nbclient", "ipykernel", "numpy"} <= {p.split("==")[0] for p in pins}
    assert not [p for p in pins if p.startswith(("nvidia-", "cuda-", "triton", "pytest"))]
    cpu = f"pip install --index-url {autograder.CPU_WHEELS} torch==2.14.1 torchvision==0.29.1"
    assert cpu in setup
    assert 'pip install --no-deps -e "$SOURCE/course"' in setup
    assert "for candidate in python3.12 python3.11 python3; do" in setup


def test_the_zip_carries_the_grader_and_the_exercises_but_no_answer(made):
    with zipfile.ZipFile(made) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    names = set(files)
    needed = {"course_utils/checks/welcome.py", "course_utils/probes/record.py"}
    needed |= {"course_tools/grading/probe.py", "course_tools/grading/autograder_run.py"}
    assert {f"course/{name}" for name in needed} <= names
    notebooks = {n for n in names if n.endswith(".ipynb")}
    assert notebooks == {f"course/exercises/{lang}/{LESSON}.ipynb" for lang in ("es", "en")}
    assert not [n for n in names if re.search(r"(^|/)(solutions|lessons|\.git|__pycache__)/", n)]
    solutions = {p.read_bytes() for p in (REPO_ROOT / "solutions").rglob("*.ipynb")}
    assert not [n for n, data in files.items() if data in solutions]
    for name in notebooks:
        nb = nbformat.reads(files[name].decode(), as_version=4)
        assert nb.metadata.course.variant == "exercises"
    shown = {name: files[name].decode() for name in notebooks}
    assert assign.leaks(shown, build.sources()) == []


def test_an_existing_zip_is_kept_without_force(made, capsys):
    argv = ["autograder", "--lesson", "00", "--lang", "es", "--out", str(made.parent)]
    assert cli.main(argv) == commands.EXIT_USAGE
    assert "exists: choose another --out, or add --force" in capsys.readouterr().err


def test_the_results_schema_refuses_what_gradescope_does_not_document():
    jsonschema.Draft202012Validator.check_schema(RESULTS)
    for wrong in ({"tests": [{"visibility": "public"}]}, {"score": 1, "points": 1}, {}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, RESULTS)


def run_autograder(made: Path, root: Path, handed_in: dict) -> tuple[dict, str]:
    """Lay out ``root`` as Gradescope does, run ``run_autograder``; results.json and stdout."""
    with zipfile.ZipFile(made) as archive:
        archive.extractall(root / "source")
        mode = archive.getinfo("run_autograder").external_attr >> 16
    script = root / "run_autograder"
    script.write_bytes((root / "source" / "run_autograder").read_bytes())
    script.chmod(stat.S_IMODE(mode))
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, nb in handed_in.items():
        nbformat.write(nb, root / "submission" / name)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run([script], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(found, RESULTS)
    return found, done.stdout


CASES = {  # what a student uploads: file name -> notebook
    "solution": lambda: {"tarea.ipynb": solved("es")},
    "wrong": lambda: {"hw.ipynb": answered("en", NO_BIAS)},
    "empty": dict,
    "other_lesson": lambda: {"tarea.ipynb": relabeled(solved("es"), "01_training_loop")},
}


@pytest.fixture(scope="module")
def graded(made, tmp_path_factory, mnist_available) -> dict:  # two kernels, two runs at a time
    """Each case's results.json and stdout."""
    roots = {case: tmp_path_factory.mktemp(case) for case in CASES}
    with ThreadPoolExecutor(2) as pool:
        runs = {c: pool.submit(run_autograder, made, roots[c], CASES[c]()) for c in CASES}
        return {case: run.result() for case, run in runs.items()}


@pytest.mark.notebook
def test_the_solution_gets_full_marks_with_one_test_per_exercise(graded):
    found, stdout = graded["solution"]
    checks = grade_key.load_key(LESSON, "es").checks
    assert [t["name"] for t in found["tests"]] == [check.exercise for check in checks]
    assert found["score"] == sum(check.points for check in checks) > 0
    for test in found["tests"]:
        assert (test["score"], test["status"]) == (test["max_score"], "passed")
        assert test["visibility"] == "visible"
        assert "✅" in test["output"]
    assert found["output"].startswith(f"{LESSON}: 1 de 1 puntos")
    assert "tarea.ipynb" in found["output"]
    assert isinstance(found["execution_time"], int)
    assert "source/course" in stdout  # graded by the zip's copy of the course


@pytest.mark.notebook
def test_a_wrong_exercise_gets_zero_and_its_diagnosis_in_the_student_language(graded):
    found, _ = graded["wrong"]
    [test] = found["tests"]
    assert (test["score"], test["max_score"], test["status"]) == (0, 1, "failed")
    got = re.search(r"\d+", test["output"]).group()  # the problem was drawn for this run
    assert check_welcome._("no_bias", "en", got=got) in test["output"]  # English notebook
    assert found["score"] == 0
    assert found["output"].startswith(f"{LESSON}: 0 of 1 points")


def test_an_empty_submission_gets_a_clear_message_and_zero(graded):
    found, _ = graded["empty"]
    assert (found["score"], found["tests"]) == (0, [])
    assert found["output"] == says("no_notebook", "es", lesson=LESSON)
    assert "No hay ningún cuaderno .ipynb" in found["output"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_with_no_notebook_the_results_say_so_in_the_assignment_language(lang):
    found = autograder_run.results(None, 0, LESSON, lang, "visible")
    jsonschema.validate(found, RESULTS)
    assert (found["score"], found["tests"]) == (0, [])
    assert found["output"] == says("no_notebook", lang, lesson=LESSON)
    assert f"{LESSON}.ipynb" in found["output"]


def test_a_notebook_of_another_lesson_is_not_graded(graded):
    found, _ = graded["other_lesson"]
    assert (found["score"], found["tests"]) == (0, [])
    expected = say("wrong_lesson", "es", lesson="01_training_loop", expected=LESSON)
    assert expected in found["output"]


def test_nothing_a_submission_started_outlives_the_grading(tmp_path):
    """A daemon that left its process group (to rewrite results.json later) is killed."""
    pid_file = tmp_path / "daemon.pid"
    code = textwrap.dedent(f"""
        import os, sys, time
        from course_tools.grading import autograder_reap as run
        run.adopt()
        if os.fork() == 0:  # the submission's process
            os.setsid()
            if os.fork() == 0:  # its daemon: an orphan, out of every process group
                open({str(pid_file)!r}, "w").write(str(os.getpid()))
                time.sleep(60)
            os._exit(0)
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.05)
        time.sleep(0.2)
        run.reap()
        print(run.children())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    daemon = int(pid_file.read_text())
    time.sleep(0.1)
    assert not Path(f"/proc/{daemon}").exists()


def test_the_visibility_choices_are_gradescope_ones():
    assert set(autograder_run.VISIBILITY) == set(VISIBILITY) == set(cli.VISIBILITY)


def test_the_command_has_help_with_an_example_and_answers_without_torch(capsys):
    assert cli.main(["--help"]) == commands.EXIT_OK
    assert re.search(r"\n    autograder\s+write a Gradescope", capsys.readouterr().out)
    assert cli.main(["autograder", "--help"]) == commands.EXIT_OK
    assert "course autograder --lesson" in capsys.readouterr().out.split("Example")[-1]
    probe = "import sys; from course_tools import cli; cli.main(['autograder', '--help']); "
    probe += "print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip().endswith("False")
    assert cli.main(["autograder", "--lesson", "00", "--out", "x"]) == commands.EXIT_USAGE
    assert "the following arguments are required: --lang" in capsys.readouterr().err


def test_when_the_grader_itself_fails_the_results_still_say_so(monkeypatch, tmp_path):
    def broken(*args):
        raise RuntimeError("no kernel")

    monkeypatch.setattr(autograder_run, "grade", broken)
    monkeypatch.setattr(autograder_run.reaper, "adopt", lambda: None)  # not in pytest's process
    monkeypatch.setattr(autograder_run.reaper, "reap", lambda: None)
    argv = ["--root", str(tmp_path), "--lesson", LESSON, "--lang", "en"]
    assert autograder_run.main(argv) == 0
    found = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(found, RESULTS)
    assert (found["score"], found["tests"]) == (0, [])
    assert found["output"] == says("broken", "en", error="RuntimeError: no kernel")
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["results.json"]

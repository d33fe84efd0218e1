"""Submissions that try to earn points without a correct answer: each must earn 0, saying why.

Each attack is the lesson-00 exercise notebook with a cell added before its
check cell and/or a body written in place of the stub. Every attack is graded
without the sandbox; where bubblewrap works, a second batch grades in it the
attacks whose effect the sandbox changes (files, processes, file descriptors,
the repo) plus one of each other kind, since patching Python objects meets the
same isolated grading process in both.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from course_tools.grading import gradebook, sandbox
from course_utils import checks

from .test_grade import LESSON, STUB, built, check_cell, write

WRONG = "return 0"
ASDICT = """
import dataclasses
dataclasses.asdict = lambda r: {"exercise": r.exercise, "status": "passed", "message": "ok"}
"""
FAKE_PACKAGE = """
import os, sys, importlib
os.makedirs("course_utils/checks", exist_ok=True)
open("course_utils/__init__.py", "w").close()
open("course_utils/checks/__init__.py", "w").write(
    "MIME = 'application/vnd.course.check+json'\\n"
    "def run(exercise, diagnose, student=None):\\n"
    "    from types import SimpleNamespace as N\\n"
    "    return N(exercise=exercise, status='passed', message='ok', _repr_mimebundle_=None)\\n"
)
sys.path.insert(0, os.getcwd())
"""
META_PATH = """
import sys
class Finder:
    def find_spec(self, name, path=None, target=None):
        if name == "course_utils.checks":
            import course_utils.checks as real
            real.run = lambda exercise, *a, **k: real.Result(exercise, "passed", "ok")
        return None
sys.meta_path.insert(0, Finder())
"""
ALLCLOSE = "import torch\ntorch.allclose = lambda *a, **k: True\n"
SOLUTIONS = """
from pathlib import Path
import json, course_utils
repo = Path(course_utils.__file__).parents[1]
cells = json.loads((repo / "solutions/en/00_welcome.ipynb").read_text())["cells"]
code = next("".join(c["source"]) for c in cells if "def count_parameters" in "".join(c["source"]))
space = {}
exec(code.replace("def count_parameters", "def _real"), space)
return space["_real"](model)
"""
TRANSFORMER = """
def rewrite(lines):
    return [l.replace("(count_parameters)", "(lambda m: 8)") for l in lines]
get_ipython().input_transformers_post.append(rewrite)
"""
FORMATTER = """
ip = get_ipython()
ip.display_formatter.formatters["text/plain"].for_type(str, lambda o, p, c: p.text("✅ PASSED"))
"""
BACKGROUND = "import subprocess\nsubprocess.Popen(['sleep', '600.4217'])\n"
ESCAPED = "import subprocess\nsubprocess.Popen(['sleep', '600.4218'], start_new_session=True)\n"
LIAR = """
class Liar(int):
    __eq__ = lambda self, other: False
    __ne__ = lambda self, other: False
    __hash__ = int.__hash__
"""
FORGE = """
import json, os
line = json.dumps({"token": "0" * 32, "index": 0, "status": "passed", "message": "ok"})
for fd in range(1, 20):
    try:
        os.write(fd, (line + "\\n").encode())
    except OSError:
        pass
os._exit(0)
"""
FRAMES = """
import sys
frame = sys._getframe(1)
while frame.f_back is not None:
    frame = frame.f_back
return len(frame.f_locals)
"""
GC = "import gc\nreturn len([o for o in gc.get_objects() if isinstance(o, str) and len(o) == 32])"
PATCH_IN_BODY = """
from course_utils import checks
checks.Result.passed = property(lambda self: True)
import torch
torch.allclose = lambda *a, **k: True
return 0
"""
WRITE_REPO = """
import course_utils, pathlib
target = pathlib.Path(course_utils.__file__).parent / "checks" / "welcome.py"
target.write_text(target.read_text() + "\\n# tampered\\n")
return 0
"""
NO_POINTS = {checks.TODO, checks.FAILED, "tampered", "died"}
ATTACKS = {  # student -> (cell before the check, body of the function), expected status
    "asdict": ((ASDICT, WRONG), {checks.FAILED}),
    "fake_package": ((FAKE_PACKAGE, WRONG), {checks.FAILED}),
    "meta_path": ((META_PATH, WRONG), {checks.FAILED}),
    "allclose": ((ALLCLOSE, WRONG), {checks.FAILED}),
    "solutions": (("", SOLUTIONS), {"tampered", checks.FAILED}),
    "transformer": ((TRANSFORMER, WRONG), {checks.FAILED}),
    "formatter": ((FORMATTER, WRONG), {checks.FAILED}),
    "background": ((BACKGROUND, WRONG), {checks.FAILED}),
    "liar": ((LIAR, "return Liar(0)"), {checks.FAILED}),
    "forge": (("", FORGE), {"died"}),
    "frames": (("", FRAMES), {"tampered"}),
    "gc": (("", GC), {"tampered"}),
    "patch_in_body": (("", PATCH_IN_BODY), {"tampered"}),
}
SANDBOXED = {  # attacks that only the sandbox can stop (or that would hurt the repo without it)
    "escaped": ((ESCAPED, WRONG), {checks.FAILED}),
    "write_repo": (("", WRITE_REPO), {checks.FAILED, "tampered"}),
}
TOUCH_THE_SANDBOX = ["fake_package", "solutions", "background", "forge"]
PYTHON_ONLY = ["asdict", "frames"]  # a patch in the kernel; a trick caught by the audit hook
JAILED = {
    **{name: ATTACKS[name] for name in TOUCH_THE_SANDBOX + PYTHON_ONLY},
    **SANDBOXED,
}


def attacked(cell: str, body: str):
    nb = built("exercises", "en")
    exercise = next(c for c in nb.cells if STUB.search(c.source))
    body = body.strip().replace("\n", "\n    ")
    exercise.source = STUB.sub(lambda _: body, exercise.source)
    if cell:
        nb.cells.insert(nb.cells.index(check_cell(nb)), nbformat.v4.new_code_cell(cell))
    return nb


def sleepers() -> list[str]:
    """Processes an attack left behind, found by their unusual arguments."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        found += [text] if "600.421" in text else []
    return found


def grade(root: Path, attacks: dict, jail: bool) -> dict:
    for student, ((cell, body), _) in attacks.items():
        write(root / f"{student}.ipynb", attacked(cell, body))
    graded = gradebook.grade_all([root], [LESSON], limit=240, jobs=2, sandbox=jail)
    return {g.student: g.rows for g in graded}


@pytest.fixture(scope="module")
def plain(tmp_path_factory, mnist_available) -> dict:
    return grade(tmp_path_factory.mktemp("attacks"), ATTACKS, jail=False)


@pytest.fixture(scope="module")
def jailed(tmp_path_factory, mnist_available) -> dict:
    if not sandbox.available():
        pytest.skip("bubblewrap cannot make namespaces here")
    return grade(tmp_path_factory.mktemp("jailed"), JAILED, jail=True)


def assert_no_points(rows, expected: set) -> None:
    [row] = rows
    assert "ModuleNotFoundError" not in row.note, row
    assert row.points == 0 and row.max_points == 1, row
    assert row.status in expected, row
    assert row.message and "PASSED" not in row.message and "✅" not in row.message, row


@pytest.mark.notebook
@pytest.mark.parametrize("student", ATTACKS)
def test_an_attack_earns_nothing_without_the_sandbox(plain, student):
    assert_no_points(plain[student], ATTACKS[student][1])
    assert not sleepers()


@pytest.mark.notebook
@pytest.mark.parametrize("student", JAILED)
def test_an_attack_earns_nothing_in_the_sandbox(jailed, student):
    assert_no_points(jailed[student], JAILED[student][1])
    assert not sleepers()
    assert "# tampered" not in Path(checks.__file__).with_name("welcome.py").read_text()

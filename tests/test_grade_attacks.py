"""Submissions that try to earn points without a correct answer: each must earn 0, saying why.

Each attack is the lesson-00 exercise notebook with a cell added before its
check cell and/or a body written in place of the stub; none answers the
exercise. Every attack is graded without the sandbox and in it (where
bubblewrap works). The defences they meet: the judge runs in the grader's
process on a record of plain data, the problem is drawn per grading run, and
the probe's process cannot import or read the judges. Two tests remove a
defence and show the attack it stops then wins.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from course_tools.grading import gradebook, isolate, sandbox
from course_utils import checks
from course_utils.probes import welcome as probe_welcome

from .test_grade import LESSON, STUB, built, check_cell, write

WRONG = "return 0"
ASDICT = """
import dataclasses
dataclasses.asdict = lambda r: {"exercise": r.exercise, "status": "passed", "message": "ok"}
"""
FAKE_PACKAGE = """
import os, sys
os.makedirs("course_utils/probes", exist_ok=True)
open("course_utils/__init__.py", "w").close()
open("course_utils/probes/__init__.py", "w").write("def observe(*a): return {'outcome': 'ran'}")
sys.path.insert(0, os.getcwd())
"""
META_PATH = """
import sys
class Finder:
    def find_spec(self, name, path=None, target=None):
        if name == "course_utils.checks":
            import course_utils.checks as real
            real.Exercise.verdict = lambda self, seed, obs: real.Result(self.name, "passed", "ok")
        return None
sys.meta_path.insert(0, Finder())
"""
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
JUDGE_SOURCE = """
from pathlib import Path
import course_utils
source = (Path(course_utils.__file__).parent / "checks" / "welcome.py").read_text()
space = {}
exec(source, space)
return space["_right"](model)
"""
JUDGE_IMPORT = "from course_utils.checks.welcome import _right\nreturn _right(model)"
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
    __eq__ = lambda self, other: True
    __ne__ = lambda self, other: False
    __hash__ = int.__hash__
    __int__ = lambda self: 72
    __index__ = lambda self: 72
"""
FORGE = """
import json, os
record = {"outcome": "ran", "data": {"counts": [{"kind": "int", "value": 72}] * 4}}
line = json.dumps({"index": 0, "record": json.dumps(record)})
for fd in range(1, 20):
    try:
        os.write(fd, (line + "\\n").encode())
    except OSError:
        pass
os._exit(0)
"""
FRAMES = """
import inspect
seed = next(f.frame.f_locals["seed"] for f in inspect.stack() if "seed" in f.frame.f_locals)
print(json.dumps({"index": 0, "record": "forged", "seed": seed}))
return seed
"""
GC = "import gc\nreturn len([o for o in gc.get_objects() if isinstance(o, int)])"
PATCH_IN_BODY = """
import course_utils.probes as probes
probes.observe = lambda probe, students, seed: {"outcome": "ran", "data": {"counts": []}}
return 0
"""
WRITE_REPO = """
import course_utils, pathlib
target = pathlib.Path(course_utils.__file__).parent / "probes" / "welcome.py"
target.write_text(target.read_text() + "\\n# tampered\\n")
return 0
"""
# Kinds found in a trial (issue 30), each run at definition time, before any probe.
CLASS_OF_MODULE = """
import sys, types
class Always(types.ModuleType):
    def __getattribute__(self, name):
        zeros = [{"kind": "int", "value": 0}] * 4
        return lambda *a, **k: {"outcome": "ran", "data": {"counts": zeros}}
def hook(x: setattr(sys.modules["course_utils.probes"], "__class__", Always) or int): pass
"""
DECORATOR = """
import sys
from torch import nn
def shrink(function):
    sys.modules["course_utils.probes.welcome"].models = lambda seed: [nn.Linear(1, 1)] * 4
    return function
@shrink
def helper(): pass
"""
TORCH_FUNCTION = """
import torch
from torch.overrides import TorchFunctionMode
class Yes(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return True
class Holder:
    mode = Yes().__enter__()
"""
ISINSTANCE = """
import builtins, sys
def patch(function):
    if sys.argv[0].endswith("probe.py"):  # only where the grader's probe runs
        builtins.isinstance = lambda obj, kind: True
    return function
@patch
def helper(): pass
"""
CODE_SWAP = """
import sys
def forged(student, *, seed):
    return {"counts": [{"kind": "int", "value": 72}] * 4}
sys.modules["course_utils.probes.welcome"].count_parameters.__code__ = forged.__code__
"""
INIT_SUBCLASS = """
import sys
class Base:
    def __init_subclass__(cls, **kwargs):
        sys.modules["course_utils.probes.record"].encode = lambda record: '{"outcome": "ran"}'
class Child(Base):
    pass
"""
# Answers right for the notebook's own problem (seed 0), copied into the hand-in in order.
COUNTS = [
    sum(p.numel() for p in model.parameters() if p.requires_grad)
    for model in probe_welcome.models(checks.NOTEBOOK_SEED)
]
HARD_CODED_CELL = f"ANSWERS = {COUNTS}\nCALLS = []"
HARD_CODED = "CALLS.append(1)\nreturn ANSWERS[(len(CALLS) - 1) % len(ANSWERS)]"

NO_POINTS = {checks.TODO, checks.FAILED, "tampered", "died"}
ATTACKS = {  # student -> (cell before the check, body of the function), statuses allowed
    "asdict": (ASDICT, WRONG),
    "fake_package": (FAKE_PACKAGE, WRONG),
    "meta_path": (META_PATH, WRONG),
    "solutions": ("", SOLUTIONS),
    "judge_source": ("", JUDGE_SOURCE),
    "judge_import": ("", JUDGE_IMPORT),
    "transformer": (TRANSFORMER, WRONG),
    "formatter": (FORMATTER, WRONG),
    "background": (BACKGROUND, WRONG),
    "liar": (LIAR, "return Liar(0)"),
    "forge": ("", FORGE),
    "frames": ("import json", FRAMES),
    "gc": ("", GC),
    "patch_in_body": ("", PATCH_IN_BODY),
    "write_repo": ("", WRITE_REPO),
    "class_of_module": (CLASS_OF_MODULE, WRONG),
    "decorator": (DECORATOR, "return 2"),
    "torch_function": (TORCH_FUNCTION, "return torch.equal(model.weight, model.weight)"),
    "isinstance": (ISINSTANCE, WRONG),
    "code_swap": (CODE_SWAP, WRONG),
    "init_subclass": (INIT_SUBCLASS, WRONG),
    "hard_coded": (HARD_CODED_CELL, HARD_CODED),
    "escaped": (ESCAPED, WRONG),
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
    for student, (cell, body) in attacks.items():
        write(root / f"{student}.ipynb", attacked(cell, body))
    graded = gradebook.grade_all([root], [LESSON], limit=120, jobs=2, sandbox=jail)
    return {g.student: g.rows for g in graded}


@pytest.fixture(scope="module")
def plain(tmp_path_factory, mnist_available) -> dict:
    attacks = {k: v for k, v in ATTACKS.items() if k not in ("escaped", "write_repo")}
    return grade(tmp_path_factory.mktemp("attacks"), attacks, jail=False)


@pytest.fixture(scope="module")
def jailed(tmp_path_factory, mnist_available) -> dict:
    if not sandbox.available():
        pytest.skip("bubblewrap cannot make namespaces here")
    return grade(tmp_path_factory.mktemp("jailed"), ATTACKS, jail=True)


def assert_no_points(rows) -> None:
    [row] = rows
    assert row.points == 0 and row.max_points == 1, row
    assert row.status in NO_POINTS, row
    assert row.message and "PASSED" not in row.message and "✅" not in row.message, row


@pytest.mark.notebook
@pytest.mark.parametrize("student", [k for k in ATTACKS if k not in ("escaped", "write_repo")])
def test_an_attack_earns_nothing_without_the_sandbox(plain, student):
    assert_no_points(plain[student])
    assert not sleepers()


@pytest.mark.notebook
@pytest.mark.parametrize("student", ATTACKS)
def test_an_attack_earns_nothing_in_the_sandbox(jailed, student):
    assert_no_points(jailed[student])
    assert not sleepers()
    assert "# tampered" not in Path(probe_welcome.__file__).read_text()


def copied_answer() -> nbformat.NotebookNode:
    return attacked(HARD_CODED_CELL, HARD_CODED)


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_without_a_fresh_problem_a_copied_answer_would_win(tmp_path, monkeypatch):
    write(tmp_path / "copied.ipynb", copied_answer())
    [fresh] = gradebook.grade_all([tmp_path], [LESSON], limit=240)
    assert fresh.rows[0].points == 0
    monkeypatch.setattr(isolate.secrets, "randbelow", lambda n: checks.NOTEBOOK_SEED)
    [fixed] = gradebook.grade_all([tmp_path], [LESSON], limit=240)
    assert fixed.rows[0].points == 1, fixed.rows


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_without_forbidden_imports_the_judge_would_answer_for_the_student(tmp_path, monkeypatch):
    write(tmp_path / "judge.ipynb", attacked("", JUDGE_IMPORT))
    [kept_out] = gradebook.grade_all([tmp_path], [LESSON], limit=240)
    assert kept_out.rows[0].points == 0
    monkeypatch.setattr(isolate, "ALWAYS_FORBIDDEN", ())
    [let_in] = gradebook.grade_all([tmp_path], [LESSON], limit=240)
    assert let_in.rows[0].points == 1, let_in.rows


# Lesson 01's loop: the course's own loop, and tensors that say yes to every comparison.
DELEGATE = """
from course_utils import train
return train.train_epoch(model, loader, criterion, optimizer, device)
"""
AGREEABLE = """
import torch
class Agreeable(torch.nn.Parameter):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.equal, torch.Tensor.__eq__):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})
for module in model.modules():
    for name, param in list(module.named_parameters(recurse=False)):
        setattr(module, name, Agreeable(param.detach()))
return 0.5
"""
LOOP_ATTACKS = {"delegate": DELEGATE, "agreeable": AGREEABLE}


def loop_attacked(body: str):
    nb = built("exercises", "en", "01_training_loop")
    cell = next(c for c in nb.cells if "def train_epoch" in c.source and STUB.search(c.source))
    cell.source = STUB.sub(lambda _: body.strip().replace("\n", "\n    "), cell.source)
    return nb


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_the_course_loop_and_agreeable_tensors_earn_nothing_in_lesson_01(tmp_path):
    for student, body in LOOP_ATTACKS.items():
        write(tmp_path / f"{student}.ipynb", loop_attacked(body))
    graded = gradebook.grade_all([tmp_path], ["01_training_loop"], limit=240, jobs=2)
    rows = {g.student: {r.exercise: r for r in g.rows} for g in graded}
    for student in LOOP_ATTACKS:
        row = rows[student]["train_epoch"]
        assert row.points == 0 and row.status in NO_POINTS, row
    assert "not available while grading" in rows["delegate"]["train_epoch"].message

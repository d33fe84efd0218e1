"""The trusted side of grading: a lesson's checks, and the notebook that runs them.

The key of a lesson comes from the repo's built notebooks, never from a
submission: the check cells (tagged ``check``) of ``exercises/<lang>/``, the
exercise each one calls (a :class:`course_utils.checks.Exercise`, whose probe
and judge grade it) with the names of the student's definitions it hands in,
and the quick profile's parameters. :func:`grading_notebook` rebuilds a
submission around that key for the kernel run that shows the student's
errors: their own cells, fresh parameters, and at the place of each check
cell the course's check code.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbformat.v4 import new_code_cell as new_code

from course_tools import REPO_ROOT as REPO
from course_utils import checks

CHECK, PARAMETERS, INJECTED = "check", "parameters", "injected-parameters"
OK, EDITED, MOVED = "ok", "edited", "moved"
LESSON = re.compile(r"\d\d_\w+")  # a lesson's name, as its source file's stem
STUDENT, TRUSTED = "student", "trusted"
PURGE = (
    "import sys as _course_sys\n"
    "[_course_sys.modules.pop(_m) for _m in list(_course_sys.modules)"
    " if _m.split('.')[0] == 'course_utils']\n"
    "del _course_sys\n"
)


@dataclass(frozen=True)
class Check:
    """One exercise's check cell, as the course wrote it, and what it calls."""

    source: str
    exercise: str
    target: str  # the Exercise the cell calls, as "module:name"
    students: tuple[str, ...]  # the names of the student's definitions it hands in
    points: float = 1.0

    def resolve(self) -> checks.Exercise:
        """The course's :class:`Exercise` object this check cell calls."""
        module, _, name = self.target.partition(":")
        found = getattr(importlib.import_module(module), name)
        if not isinstance(found, checks.Exercise):
            raise TypeError(f"{self.target} is not a check")
        return found


@dataclass(frozen=True)
class Key:
    """What grading a lesson in one language needs, read from the repo."""

    lesson: str
    lang: str
    checks: tuple[Check, ...]
    defaults: str
    quick: dict
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> import statement

    def parameters(self, profile: str) -> str:
        """The parameters cell to run: the lesson's own, then the language and profile."""
        values = {"LANG": self.lang, **(self.quick if profile == "quick" else {})}
        return self.defaults + "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items())


def built(kind: str, lesson: str, lang: str) -> Path:
    """Where the build stored a lesson's notebook of one variant."""
    return REPO / kind / lang / f"{lesson}.ipynb"


def _check_cells(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and CHECK in c.metadata.get("tags", [])]


def _target(source: str, imports: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """What a check cell (``module.check(student, ...)``) calls, and the names it hands in."""
    call = ast.parse(source).body[-1].value
    statement = ast.parse(imports[call.func.value.id]).body[0]
    module = f"{statement.module}.{statement.names[0].name}"
    return f"{module}:{call.func.attr}", tuple(arg.id for arg in call.args)


def course_imports(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The lesson's imports of course modules: each bound name and the statement binding it."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(TransformerManager().transform_cell(cell.source))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_utils"):
                for alias in node.names:
                    bound = alias.asname or alias.name
                    rename = f" as {bound}" if alias.asname else ""
                    found[bound] = f"from {node.module} import {alias.name}{rename}"
    return found


def load_key(lesson: str, lang: str) -> Key | None:
    """The key of ``lesson`` in ``lang``, or None when the course has no such lesson."""
    path = built("exercises", lesson, lang)
    if not LESSON.fullmatch(lesson) or not path.is_file():
        return None
    nb = nbformat.read(path, as_version=4)
    imports = course_imports(nb)
    found = []
    for cell in _check_cells(nb):
        target, students = _target(cell.source, imports)
        check = Check(cell.source, "", target, students, float(cell.metadata.get("points", 1)))
        found.append(replace(check, exercise=check.resolve().name))
    defaults = next((c.source for c in nb.cells if PARAMETERS in c.metadata.get("tags", [])), "")
    quick = dict(nb.metadata["course"].get("quick", {}))
    return Key(lesson, lang, tuple(found), defaults, quick, imports)


def layout(submission: nbformat.NotebookNode, key: Key) -> str:
    """How the submission's check cells compare with the key: ok, edited or moved."""
    mine = [c.source.strip() for c in _check_cells(submission)]
    course = [c.source.strip() for c in key.checks]
    if len(mine) != len(course) or (mine != course and sorted(mine) == sorted(course)):
        return MOVED
    return EDITED if mine != course else OK


def trusted_source(check: Check, key: Key) -> str:
    """A check cell's code, after fresh imports of the course modules it names."""
    names = {n.id for n in ast.walk(ast.parse(check.source)) if isinstance(n, ast.Name)}
    imports = [key.imports[name] for name in sorted(names & key.imports.keys())]
    imports.append("from course_utils import i18n as _course_i18n")
    return (
        PURGE + "\n".join(imports) + "\n"
        f"_course_i18n.set_language({key.lang!r})\ndel _course_i18n\n{check.source}"
    )


class Role(NamedTuple):
    """Where a cell of the grading notebook comes from."""

    kind: str  # STUDENT, PARAMETERS or TRUSTED
    number: int  # its cell number in the submission, from 1; 0 when it is not there
    check: int = -1  # for TRUSTED: the index of the check in the key
    line: str = ""  # how the student finds it: its first line


def _line(source: str) -> str:
    line = next((s.strip() for s in source.splitlines() if s.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def grading_notebook(submission, key: Key, profile: str) -> tuple[nbformat.NotebookNode, list]:
    """The cells to run, and each one's :class:`Role`.

    The cells after the last check are left out: they cannot change a grade.
    """
    in_place = layout(submission, key) != MOVED
    cells, roles = [new_code(key.parameters(profile))], [Role(PARAMETERS, 0)]
    done = 0
    for number, cell in enumerate(submission.cells, start=1):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or INJECTED in tags or (CHECK in tags and not in_place):
            continue
        if CHECK in tags:
            check = key.checks[done]
            cells.append(new_code(trusted_source(check, key)))
            roles.append(Role(TRUSTED, number, done, _line(check.source)))
            done += 1
            continue
        cells.append(new_code(cell.source))
        roles.append(Role(STUDENT, number, line=_line(cell.source)))
        if PARAMETERS in tags and roles[0].kind == PARAMETERS:  # run it after theirs
            cells.append(cells.pop(0)), roles.append(roles.pop(0))
    for index in range(done, len(key.checks)):
        check = key.checks[index]
        cells.append(new_code(trusted_source(check, key)))
        roles.append(Role(TRUSTED, 0, index, _line(check.source)))
    end = max((i for i, role in enumerate(roles) if role.kind == TRUSTED), default=-1) + 1
    return nbformat.v4.new_notebook(cells=cells[:end]), roles[:end]

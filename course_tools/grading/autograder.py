"""``course autograder``: a Gradescope autograder zip for one lesson.

The zip follows Gradescope's "Autograder Specifications": ``setup.sh`` (run once, as root,
when Gradescope builds the image) and an executable ``run_autograder`` (run once per
submission, in ``/autograder``) at its root, beside what they need: ``requirements.txt``
(the course's runtime dependencies, pinned as ``requirements.lock`` pins them; PyTorch's CPU
wheels) and ``course/``, a copy of the course's packages (``course_utils`` with its checks,
``course_tools`` with the grader), the lesson's exercise notebooks in both languages (the
grader's key) and a ``pyproject.toml`` to install them from. Nothing of ``solutions/`` or
``lessons/``. What ``run_autograder`` does: :mod:`course_tools.grading.autograder_run`.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
import zipfile
from pathlib import Path

import nbformat
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course_tools import REPO_ROOT, assign, build
from course_tools.grading.autograder_run import VISIBILITY
from course_utils.i18n import LANGUAGES

PACKAGES = ("course_utils", "course_tools")
GPU_ONLY = ("nvidia-", "cuda-", "triton")  # the CPU wheels of PyTorch need none of these
UNFROZEN = {"pip", "setuptools", "wheel", "distribute"}  # pip freeze (make lock) omits these
CPU_WHEELS = "https://download.pytorch.org/whl/cpu"
EXECUTABLE = 0o100755 << 16  # a zip entry's Unix mode: a regular file anyone may run
READABLE = 0o100644 << 16
README = """\
# The course's Gradescope autograder

`setup.sh` and `run_autograder` follow Gradescope's autograder specifications; `course/`
holds what grading needs (the course's packages and the lesson's exercise notebooks, no
solutions). Made by `course autograder`; see the course's README, *For instructors*.
"""

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# bubblewrap: the grader's sandbox, used where the container lets it make namespaces
apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \\
  util-linux bubblewrap
PYTHON=""
for candidate in {pythons} python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c '{supported}'; then
    PYTHON="$candidate"
    break
  fi
done
if [ -z "$PYTHON" ]; then  # Ubuntu 22.04's python3 is 3.10
  apt-get install -y --no-install-recommends {oldest} {oldest}-venv
  PYTHON={oldest}
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
"$VENV/bin/python" -m pip install --index-url {cpu} {torch}
"$VENV/bin/python" -m pip install -r "$SOURCE/requirements.txt"
"$VENV/bin/python" -m pip install --no-deps -e "$SOURCE/course"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3
COURSE_DATA_DIR="$ROOT/data" "$VENV/bin/python" -c \\
  'from course_utils import data; data.mnist(train=True); data.mnist(train=False)'
"""

RUN = """\
#!/usr/bin/env bash
# Gradescope runs this once per submission, as root, in /autograder. AUTOGRADER_ROOT points
# it at another tree (the tests' simulated /autograder); AUTOGRADER_PYTHON at another Python.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
export COURSE_DATA_DIR="${{COURSE_DATA_DIR:-$ROOT/data}}"
export PYTHONPATH="$ROOT/source/course" MPLBACKEND=Agg
cd "$ROOT"
exec "$PYTHON" -m course_tools.grading.autograder_run --root "$ROOT" \\
  --lesson {lesson} --lang {lang} --timeout {timeout:g} --visibility {visibility}
"""


def python_versions() -> list[str]:
    """The Python versions ``requires-python`` allows, newest first (``python3.12``...)."""
    spec = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    low, high = (int(v.split(".")[1]) for v in re.findall(r"3\.\d+", spec))
    return [f"python3.{minor}" for minor in range(high - 1, low - 1, -1)]


def _runtime() -> set[str]:
    """The course's runtime dependencies and theirs, as installed here (no extras, no GPU)."""
    todo, seen = ["course-utils"], set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in map(Requirement, needs):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return {n for n in seen - {"course-utils"} if not n.startswith(GPU_ONLY)}


def requirements() -> str:
    """``requirements.txt``: each runtime dependency pinned as in ``requirements.lock``."""
    lock = (REPO_ROOT / "requirements.lock").read_text().splitlines()
    pins = {canonicalize_name(line.split("==")[0]): line for line in lock if "==" in line}
    needed = _runtime() - UNFROZEN  # pip installs them unpinned, as their dependents ask
    if missing := sorted(needed - pins.keys()):
        raise ValueError(f"requirements.lock pins no version of {', '.join(missing)}: make lock")
    return "\n".join(pins[name] for name in sorted(needed)) + "\n"


def _torch(pinned: str) -> str:
    lines = [line for line in pinned.splitlines() if line.startswith(("torch==", "torchvision=="))]
    return " ".join(lines)


def _course() -> dict[str, str]:
    """The course's packages: every Python file, by its path in the zip."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found[f"course/{path.relative_to(REPO_ROOT).as_posix()}"] = path.read_text()
    return found


def contents(lesson: str, lang: str, timeout: float = 300, visibility: str = "visible") -> dict:
    """Every file of the zip, by its path inside it."""
    if lang not in LANGUAGES or visibility not in VISIBILITY or not timeout > 0:
        raise ValueError(
            f"--lang: one of {LANGUAGES}; --visibility: one of {VISIBILITY}; "
            "--timeout: more than 0 seconds"
        )
    source = build.find_source(lesson)
    pinned, pythons = requirements(), python_versions()
    low, high = (tuple(map(int, p[len("python") :].split("."))) for p in (pythons[-1], pythons[0]))
    supported = f"import sys; sys.exit(not {low} <= sys.version_info[:2] <= {high})"
    setup = SETUP.format(
        pythons=" ".join(pythons),
        supported=supported,
        oldest=pythons[-1],
        cpu=CPU_WHEELS,
        torch=_torch(pinned),
    )
    values = {"lesson": source.stem, "lang": lang, "timeout": timeout, "visibility": visibility}
    files = {"setup.sh": setup, "run_autograder": RUN.format(**values)}
    files["requirements.txt"] = pinned
    files["course/pyproject.toml"] = (REPO_ROOT / "pyproject.toml").read_text()
    files["course/README.md"] = README
    for each in LANGUAGES:  # a student may hand in either language's notebook
        notebook = nbformat.writes(assign.exercise(source, each))
        files[f"course/exercises/{each}/{source.stem}.ipynb"] = notebook
    return {**files, **_course()}


def write_zip(
    lesson: str,
    lang: str,
    out: Path,
    timeout: float = 300,
    visibility: str = "visible",
    force: bool = False,
) -> Path:
    """Write ``autograder-<lesson>-<lang>.zip`` into the folder ``out``; its path."""
    files = contents(lesson, lang, timeout, visibility)
    path = out / f"autograder-{build.find_source(lesson).stem}-{lang}.zip"
    if path.exists() and not force:
        raise ValueError(f"{path} exists: choose another --out, or add --force")
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            scripts = ("setup.sh", "run_autograder")
            entry.external_attr = EXECUTABLE if name in scripts else READABLE
            archive.writestr(entry, text)
    return path

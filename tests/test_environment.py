"""The install files agree: pyproject.toml, environment.yml, requirements.lock, the Makefile."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course_utils.data import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
DEPENDENCIES = [Requirement(line) for line in PYPROJECT["dependencies"]]
DEV = [Requirement(line) for line in PYPROJECT["optional-dependencies"]["dev"]]


def _environment_yml() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text())


def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _by_name(requirements: list[Requirement]) -> dict[str, str]:
    return {canonicalize_name(r.name): str(r.specifier) for r in requirements}


def _recipe(target: str) -> tuple[str, str]:
    """The prerequisites line and the recipe of ``target`` in the Makefile."""
    text = (REPO_ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:(.*)\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert match, f"the Makefile has no {target!r} target"
    return match.group(1), match.group(2)


def test_environment_yml_lists_the_same_packages_as_pyproject():
    env = _environment_yml()
    [pip] = [item["pip"] for item in env["dependencies"] if isinstance(item, dict)]
    listed = [Requirement(line) for line in pip if not line.startswith("-e")]
    assert _by_name(listed) == _by_name(DEPENDENCIES)
    assert "-e ." in pip  # course_utils itself


def test_environment_yml_python_is_supported():
    env = _environment_yml()
    [python] = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    version = python.split("=")[-1]
    assert Requirement(f"python{PYPROJECT['requires-python']}").specifier.contains(version + ".0")


def test_lock_pins_torch_and_torchvision():
    lock = _lock()
    assert lock["torch"] == "2.14.1"
    assert lock["torchvision"] == "0.29.1"


@pytest.mark.parametrize("requirement", DEPENDENCIES + DEV, ids=str)
def test_lock_satisfies_every_range(requirement):
    lock = _lock()
    name = canonicalize_name(requirement.name)
    assert name in lock, f"{name} is not in requirements.lock: run `make lock`"
    assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name])


@pytest.mark.parametrize("requirement", DEPENDENCIES + DEV, ids=str)
def test_this_environment_is_the_locked_one(requirement):
    """The tests run with what the lock says, so the lock is what CI tested."""
    name = canonicalize_name(requirement.name)
    assert metadata.version(name) == _lock()[name], f"{name}: run `make lock` or reinstall"


def test_makefile_test_target_lints_then_runs_pytest():
    prerequisites, recipe = _recipe("test")
    assert "$(STAMP)" in prerequisites  # installs into .venv first
    assert "ruff check" in recipe and "ruff format --check" in recipe
    assert "-m pytest" in recipe
    assert recipe.index("ruff check") < recipe.index("-m pytest")
    assert "-eq 5" in recipe  # "no tests collected" is a failure


def test_makefile_lab_target_opens_the_notebooks():
    prerequisites, recipe = _recipe("lab")
    assert "$(STAMP)" in prerequisites
    assert "jupyter lab notebooks/" in recipe and "$(LAB_ARGS)" in recipe


def test_readme_names_the_two_commands():
    readme = (REPO_ROOT / "README.md").read_text()
    assert re.search(r"^make lab\b", readme, re.MULTILINE)
    assert re.search(r"^make test\b", readme, re.MULTILINE)


def test_course_utils_imports_from_anywhere(tmp_path):
    """`python -c "import course_utils"` works outside the repo (the package is installed)."""
    code = "import course_utils; print(course_utils.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).parent == REPO_ROOT / "course_utils"


SAFE_AT_TOP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
GLOBAL_STATE = {"seed", "manual_seed", "use", "rc", "rcParams", "set_language", "style"}


MODULES = sorted(
    p
    for package in ("course_utils", "course_tools")
    for p in (REPO_ROOT / package).rglob("*.py")
    if p.name != "__main__.py"
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_importing_a_module_has_no_side_effects(path):
    """Module level holds imports, definitions and constants: no seeding, no plot settings."""
    tree = ast.parse(path.read_text())
    for node in tree.body[1:] if ast.get_docstring(tree) else tree.body:
        is_main = isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
        assert isinstance(node, SAFE_AT_TOP) or is_main, ast.unparse(node)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            assert not names & GLOBAL_STATE, ast.unparse(node)

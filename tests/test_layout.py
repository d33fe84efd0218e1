"""The layout: three audiences, imports in one direction, no cycle, small modules.

``course_utils`` (what notebooks import) and ``course_utils.checks`` (the exercise
checks) never import ``course_tools`` (instructor and maintainer tooling); no module
imports itself back through others; a module over 200 lines says why in its docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from course_utils.data import REPO_ROOT

PACKAGES = ("course_utils", "course_tools")
MAX_LINES = 200
LONG = "Longer than 200 lines because"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path for package in PACKAGES for path in (REPO_ROOT / package).rglob("*.py")
}


def imports_of(path: Path) -> set[str]:
    """The course modules a file imports anywhere in it (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module in MODULES:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & MODULES.keys()
    return found


GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def test_the_graph_sees_every_package_and_its_edges():
    assert {"course_utils.checks", "course_utils.checks.training", "course_tools.cli"} <= set(GRAPH)
    assert "course_utils.checks" in GRAPH["course_utils.checks.training"]
    assert "course_tools.commands" in GRAPH["course_tools.cli"]


def test_student_helpers_and_checks_never_import_the_tooling():
    offenders = {
        name: sorted(i for i in found if i.startswith("course_tools"))
        for name, found in GRAPH.items()
        if name.startswith("course_utils")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_import_cycle():
    """Depth-first search over the import graph: a back edge is a cycle."""
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for nxt in sorted(GRAPH[name]):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_cycle_search_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(
        GRAPH, "course_utils.data", GRAPH["course_utils.data"] | {"course_utils.i18n"}
    )
    monkeypatch.setitem(GRAPH, "course_utils.i18n", {"course_utils.data"})
    with pytest.raises(AssertionError):
        test_no_import_cycle()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_long_module_says_why(name):
    text = MODULES[name].read_text()
    if len(text.splitlines()) > MAX_LINES:
        assert LONG in (ast.get_docstring(ast.parse(text)) or ""), f"{name}: split it or say why"


def test_the_architecture_note_names_every_package():
    note = (REPO_ROOT / "ARCHITECTURE.md").read_text()
    for package in ("course_utils/", "course_utils/checks/", "course_tools/", "lessons/"):
        assert f"`{package}`" in note


def reachable(name: str) -> set[str]:
    """Every course module importing ``name`` may load: what it imports, their packages, on."""
    seen, todo = set(), [name]
    while todo:
        module = todo.pop()
        parts = module.split(".")
        for found in [*GRAPH.get(module, ()), *(".".join(parts[:i]) for i in range(1, len(parts)))]:
            if found in GRAPH and found not in seen:
                seen.add(found)
                todo.append(found)
    return seen


def test_what_a_module_may_load_follows_imports_and_packages():
    assert {"course_utils.train", "course_utils"} <= reachable("course_utils.experiments")
    assert "course_utils.checks" in reachable("course_utils.checks.welcome")


def exercises() -> dict:
    """Every exercise the course checks, by its probe ("module:name": two lessons have an
    ``evaluate``)."""
    import importlib

    from course_utils import checks

    found = {}
    for name in (n for n in MODULES if n.startswith("course_utils.checks.")):
        values = vars(importlib.import_module(name)).values()
        found |= {
            f"{v.probe.__module__}:{v.name}": v for v in values if isinstance(v, checks.Exercise)
        }
    return found


@pytest.mark.parametrize("name", sorted(exercises()))
def test_a_probe_loads_no_judge_and_nothing_that_implements_its_exercise(name):
    """The grader's probe process refuses these imports: a probe that needed one could not run."""
    exercise = exercises()[name]
    assert exercise.probe.__module__.startswith("course_utils.probes.")
    banned = ("course_utils.checks", *exercise.forbidden)
    loads = reachable(exercise.probe.__module__)
    assert not [m for m in loads if m in banned or m.startswith(tuple(b + "." for b in banned))]

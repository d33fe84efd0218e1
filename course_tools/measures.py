"""The values a lesson's claims are about, measured in its kernel after the run.

A lesson's header names them (``course: measure:``, a name for each expression over the
notebook's own variables), so no cell a student reads records anything. Every run the
tooling makes (``course build``, ``course run``, the nbval tests) appends one cell,
:func:`harness`, that calls :func:`measure` in the kernel: it evaluates each expression
and shows nothing; the values and the course modules the run imported travel in the
cell's output under a MIME type of their own. :func:`take` removes that cell and keeps
what it measured in the notebook's metadata, with the hashes of the files it was built
from (:func:`stale` compares them with today's).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat

from course_tools import REPO_ROOT

MIME = "application/vnd.course.measured+json"
CELL_ID = "course-measures"


def _value(expression: str, namespace: dict) -> float | str:
    """The expression's value as a float, or why it has none (read as an unmet claim)."""
    try:
        return float(eval(expression, namespace))
    except Exception as error:  # a stub left the name undefined, a typo in the header...
        return f"{type(error).__name__}: {error}"


def measure(expressions: dict[str, str]) -> None:
    """In the kernel: evaluate each expression among the notebook's variables; show nothing."""
    from IPython.display import display

    namespace = get_ipython().user_ns  # type: ignore[name-defined]  # noqa: F821
    values = {name: _value(expression, namespace) for name, expression in expressions.items()}
    modules = sorted(
        module.__file__
        for name, module in list(sys.modules.items())
        if name.split(".")[0] == "course_utils" and getattr(module, "__file__", None)
    )
    display({"text/plain": "", MIME: {"values": values, "modules": modules}}, raw=True)


def harness(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the measuring cell at its end."""
    expressions = dict(nb.metadata["course"].get("measure", {}))
    cell = nbformat.v4.new_code_cell(
        f"from course_tools import measures\nmeasures.measure({expressions!r})"
    )
    cell.id = CELL_ID
    ran = nbformat.from_dict(nb)
    ran.cells = [*nb.cells, cell]
    return ran


def measured(cell: nbformat.NotebookNode) -> dict:
    """What the measuring cell's outputs carry: ``{"values": ..., "modules": ...}``."""
    for output in cell.get("outputs", []):
        if MIME in output.get("data", {}):
            return dict(output["data"][MIME])
    raise ValueError("the measuring cell showed nothing: did the notebook stop before it?")


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp(source: Path, modules: list[str] = ()) -> dict[str, str]:
    """What a built notebook was made from: its source and the course code it ran, hashed."""
    files = [source, *(Path(module) for module in modules)]
    return {path.resolve().relative_to(REPO_ROOT).as_posix(): digest(path) for path in files}


def take(ran: nbformat.NotebookNode, source: Path | None = None) -> nbformat.NotebookNode:
    """Remove the measuring cell; keep its values (and, given the source, the stamp)."""
    *cells, last = ran.cells
    if last.get("id") != CELL_ID:
        raise ValueError("this notebook did not run with the measuring cell")
    found = measured(last)
    ran.cells = cells
    ran.metadata["course"]["measured"] = found["values"]
    if source is not None:
        ran.metadata["course"]["built_from"] = stamp(source, found["modules"])
    return ran


def values(nb: nbformat.NotebookNode) -> dict[str, float | str]:
    """The measured values a stored or executed notebook keeps in its metadata."""
    return dict(nb.metadata.get("course", {}).get("measured", {}))


def stale(nb: nbformat.NotebookNode, root: Path = REPO_ROOT) -> list[str]:
    """The files a built notebook was made from that have changed (or gone) since."""
    changed = []
    for name, expected in nb.metadata["course"].get("built_from", {}).items():
        path = root / name
        if not path.is_file() or digest(path) != expected:
            changed.append(name)
    return changed

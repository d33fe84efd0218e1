"""Build every lesson source into per-language notebooks, exercises and solutions.

A source is a jupytext percent file ``lessons/NN_name.py``: code cells once,
prose cells twice, tagged ``es`` and ``en``. For each language the build writes

* ``solutions/<lang>/NN_name.ipynb``: the whole lesson, executed;
* ``exercises/<lang>/NN_name.ipynb``: solution regions replaced by stubs, no outputs;
* ``notebooks/<lang>/NN_name.ipynb``: the exercise version, executed (what students open).

Code cells are the same in every language but for their string literals and
comments, which the source's ``course: translations:`` table gives per language
(:mod:`course_tools.translate`). The one ``parameters`` cell carries the
notebook's own language, written into it (papermill injects no second cell).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import re
from pathlib import Path

import jupytext
import nbformat
import papermill
from nbclient import NotebookClient
from nbconvert.preprocessors import TagRemovePreprocessor

from course_tools import REPO_ROOT, kernels, measures, predictions, translate
from course_utils.i18n import LANGUAGES

LESSONS = REPO_ROOT / "lessons"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
VARIANTS = ("notebooks", "solutions", "exercises")
REGION = re.compile(
    r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)",
    re.DOTALL | re.MULTILINE,
)
MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*(\n|$)", re.MULTILINE)
VOLATILE_METADATA = ("papermill", "execution")
PARAMETERS = "parameters"
LANG_LINE = re.compile(r"^LANG = (['\"])\w+\1", re.MULTILINE)
STUB = {"es": "TU CÓDIGO AQUÍ", "en": "YOUR CODE HERE"}
CELL_TIMEOUT = 600  # seconds: a cell that runs longer is an error, never a silent hang
STARTUP_TIMEOUT = 180  # seconds for a kernel to start while other runs fill every core
RAISES = "raises-exception"  # a cell that may end in an error: one that waits for an exercise


def sources() -> list[Path]:
    """Every lesson source, in lesson order."""
    return sorted(LESSONS.glob("[0-9][0-9]_*.py"))


def find_source(name: str) -> Path:
    """The source whose file name starts with ``name`` (``"01"`` or ``"01_training_loop"``)."""
    matches = [path for path in sources() if path.stem.startswith(name)]
    if len(matches) != 1:
        known = ", ".join(path.stem for path in sources())
        raise ValueError(f"lesson {name!r} matches {len(matches)} sources; known: {known}")
    return matches[0]


def read(source: Path) -> nbformat.NotebookNode:
    """Read a lesson source as a notebook (both languages' prose, solutions included)."""
    return jupytext.read(source)


def in_language(notebook: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Keep the prose of ``lang`` only, translate the code's texts, set the language and kernel."""
    others = set(LANGUAGES) - {lang}
    remover = TagRemovePreprocessor(remove_cell_tags=others, enabled=True)
    nb, _ = remover.preprocess(copy.deepcopy(notebook), {})
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    course = nb.metadata.setdefault("course", {})
    table = course.pop("translations", {}).get(lang, {})
    course["lang"] = lang
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = translate.translate(cell.source, table)
        if PARAMETERS in cell.metadata.get("tags", []):
            cell.source = LANG_LINE.sub(f'LANG = "{lang}"', cell.source)
    return nb


def _edit_code(nb: nbformat.NotebookNode, edit) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = edit(cell.source)
    return nb


def solution(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The complete lesson: solution markers removed, their code kept; no cell may fail."""
    nb = _edit_code(nb, lambda src: MARKER.sub("", src))
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if RAISES in tags:
            cell.metadata["tags"] = [tag for tag in tags if tag != RAISES]
    return nb


def exercise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student's version: each solution region becomes a stub (nbgrader's convention)."""
    words = STUB[nb.metadata.get("course", {}).get("lang", "en")]
    stub = rf"\g<indent># {words}\n\g<indent>raise NotImplementedError()\n"
    return _edit_code(nb, lambda src: REGION.sub(stub, src).rstrip("\n"))


def variant(source: Path, kind: str, lang: str) -> nbformat.NotebookNode:
    """The unexecuted notebook of one variant and language."""
    nb = predictions.expand(in_language(read(source), lang), lang, source.stem)
    nb = solution(nb) if kind == "solutions" else exercise(nb)
    nb.metadata["course"].update(lesson=source.stem, variant=kind)
    return stable_ids(nb)


def stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Cell ids from each cell's position and text, not random: a rebuild keeps them."""
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{index}\n{cell.source}".encode()).hexdigest()
        cell.id = f"{cell.cell_type[:1]}{index:03d}-{digest[:8]}"
    return nb


def target(source: Path, kind: str, lang: str) -> Path:
    """Where a built notebook is stored."""
    return REPO_ROOT / kind / lang / f"{source.stem}.ipynb"


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop timings and run-specific metadata so rebuilding gives a quiet diff."""
    for key in VOLATILE_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
    return nb


def execute(
    nb: nbformat.NotebookNode, cwd: Path, *, source: Path | None = None, **parameters
) -> nbformat.NotebookNode:
    """Run a notebook headless in a fresh kernel, optionally re-parameterized (papermill
    writes the parameters, nbclient runs it), and measure its claims' values
    (:mod:`course_tools.measures`; ``source`` adds the stamp of what it was built from).

    A cell tagged ``raises-exception`` may end in an error (one that waits for an
    exercise); any other error stops the run.
    """
    nb = papermill.execute_notebook(
        measures.harness(nb), None, parameters=parameters or None, prepare_only=True
    )
    with contextlib.chdir(cwd):  # the kernel's IPC sockets are paths relative to both sides
        NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            startup_timeout=STARTUP_TIMEOUT,
            kernel_name=KERNELSPEC["name"],
            resources={"metadata": {"path": str(cwd)}},
            kernel_manager_class=kernels.LocalKernelManager,
        ).execute()
    return measures.take(nb, source)


def build(source: Path, lang: str, run: bool = True) -> list[Path]:
    """Write the three variants of one lesson in one language; execute two unless ``run=False``."""
    written = []
    for kind in VARIANTS:
        path = target(source, kind, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = variant(source, kind, lang)
        if run and kind != "exercises":
            nb = execute(nb, path.parent, source=source)
        else:
            nb.metadata["course"]["built_from"] = measures.stamp(source)
        nbformat.write(strip_volatile(nb), path)
        written.append(path)
    return written

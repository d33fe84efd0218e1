"""``course assign``: a student pack, ready to hand out, for some lessons in one language.

The pack holds the lessons' exercise notebooks (``exercises/<lang>/``, as
built, checked to be current), the ``course_utils`` modules those notebooks
import, a ``requirements.txt`` and a README in the pack's language. Nothing
comes from ``solutions/``, and the pack is refused if any run of lines that
only a solution region of any lesson of the course contains would end up in
it (in a helper module the notebooks import, or in a later lesson's cell that
shows an earlier exercise's answer); the refusal names the file and cell.
"""

from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from course_tools import REPO_ROOT, assign_text, build
from course_utils.i18n import LANGUAGES

PACKAGE = REPO_ROOT / "course_utils"
RUN = 3  # consecutive solution lines that, together, give a solution away
MIN_CHARS = 12  # shorter runs (``else:``, ``return x``) reveal nothing


def _imports(source: str) -> set[str]:
    """The dotted names a piece of code imports from ``course_utils`` (some are not modules)."""
    tree = ast.parse(TransformerManager().transform_cell(source))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE.name:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE.name}
    return found


def _file(module: str) -> Path | None:
    """The file of a dotted ``course_utils`` module, or None when it is not one."""
    base = PACKAGE.parent.joinpath(*module.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def needed_modules(notebooks: list[nbformat.NotebookNode]) -> list[str]:
    """The pack paths of every ``course_utils`` file the notebooks import, directly, through
    another module or as a parent package (``course_utils/checks/__init__.py``)."""
    cells = [c.source for nb in notebooks for c in nb.cells if c.cell_type == "code"]
    todo = {PACKAGE.name}.union(*map(_imports, cells))
    needed = set()
    while todo:
        module = todo.pop()
        path = _file(module)
        if path is None or path in needed:
            continue
        needed.add(path)
        todo |= _imports(path.read_text()) | {module.rpartition(".")[0] or PACKAGE.name}
    return sorted(path.relative_to(PACKAGE.parent).as_posix() for path in needed)


def code_lines(text: str) -> list[str]:
    """The stripped lines of code in ``text``: no blank lines, no comments."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _runs(lines: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(lines[i : i + size]) for i in range(len(lines) - size + 1)}


def solution_runs(source: Path) -> set[tuple[str, ...]]:
    """Runs of ``RUN`` consecutive lines (a whole shorter region) only the solutions contain."""
    code = [c.source for c in build.read(source).cells if c.cell_type == "code"]
    regions = [code_lines(m.group(0)) for src in code for m in build.REGION.finditer(src)]
    shown = [code_lines(build.REGION.sub("", src)) for src in code]
    secret = set()
    for lines in regions:
        size = min(RUN, len(lines))
        public = set().union(*(_runs(open_lines, size) for open_lines in shown))
        secret |= {run for run in _runs(lines, size) - public if len("".join(run)) >= MIN_CHARS}
    return secret


def _parts(name: str, text: str) -> list[tuple[str, str]]:
    """Where a reader finds each part of a pack file: a notebook's cells, or the whole file."""
    if not name.endswith(".ipynb"):
        return [(name, text)]
    cells = enumerate(nbformat.reads(text, as_version=4).cells, start=1)
    return [(f"{name}, cell {i}", cell.source) for i, cell in cells if cell.cell_type == "code"]


def leaks(files: dict[str, str], sources: list[Path]) -> list[str]:
    """Where the pack's files show a solution of ``sources``: one line per place and lesson."""
    found = []
    for source in sources:
        secret = solution_runs(source)
        sizes = {len(r) for r in secret}
        for place, text in (part for name, t in files.items() for part in _parts(name, t)):
            lines = code_lines(text)
            shown = sorted(set().union(*(_runs(lines, n) for n in sizes)) & secret)
            if shown:
                found.append(f"{place} holds the solution of {source.stem}: {' / '.join(shown[0])}")
    return found


def exercise(source: Path, lang: str) -> nbformat.NotebookNode:
    """The built exercise notebook of a lesson, refused when missing or older than its source."""
    path = build.target(source, "exercises", lang)
    again = f"run `course build {source.stem}` first"
    if not path.is_file():
        raise ValueError(f"{path.relative_to(REPO_ROOT)} is missing: {again}")
    nb = nbformat.read(path, as_version=4)
    fresh = build.variant(source, "exercises", lang)
    if [(c.cell_type, c.source) for c in nb.cells] != [
        (c.cell_type, c.source) for c in fresh.cells
    ]:
        raise ValueError(f"{path.relative_to(REPO_ROOT)} is older than its lesson: {again}")
    return nb


def requirements() -> str:
    """The course's dependencies (ranges, not the Linux-only lock), one per line."""
    needed = importlib.metadata.requires("course-utils") or []
    return "\n".join(r for r in needed if "extra ==" not in r) + "\n"


def contents(lessons: list[str], lang: str, reveal: list[str] = ()) -> dict[str, str]:
    """Every file of the pack, by its path inside the pack; refused if it would leak a solution.

    ``reveal``: lessons whose answers the pack may show (already handed in and graded).
    """
    sources = [build.find_source(name) for name in lessons]
    shown = {build.find_source(name).stem for name in reveal}
    if own := shown & {s.stem for s in sources}:
        raise ValueError(f"--reveal {', '.join(sorted(own))}: a pack never reveals its own lessons")
    notebooks = {f"{s.stem}.ipynb": exercise(s, lang) for s in sources}
    files = {name: nbformat.writes(nb) for name, nb in notebooks.items()}
    for name in needed_modules(list(notebooks.values())):
        files[name] = (PACKAGE.parent / name).read_text()
    files["requirements.txt"] = requirements()
    files["README.md"] = assign_text.readme(lang, list(notebooks))
    guarded = [s for s in build.sources() if s.stem not in shown]  # not only the pack's lessons
    found = leaks(files, guarded)
    if found:
        raise ValueError(
            "the pack would reveal solution code:\n  " + "\n  ".join(found) + "\nA pack never "
            "carries the solution of any exercise of the course, whichever lessons it holds. "
            "Take that code out of the module, or make that cell of the lesson use the "
            "student's own function from the earlier exercise, then `course build`; or, once "
            "that earlier lesson is graded, allow its answers with --reveal LESSON."
        )
    return files


def assign(
    lessons: list[str], lang: str, out: Path, force: bool = False, reveal: list[str] = ()
) -> list[Path]:
    """Write the student pack of ``lessons`` in ``lang`` into the folder ``out``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {LANGUAGES}")
    if not lessons:
        raise ValueError("name at least one lesson, e.g. 01")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ValueError(f"{out} is not empty: choose a new folder, or add --force")
    written = []
    for name, text in contents(lessons, lang, reveal).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""What a student reads in a built notebook, and the rules it must follow.

Shared by ``tests/test_student_view.py`` (on the stored notebooks) and usable on
any built notebook: one parameters cell with the notebook's language, no
bookkeeping or test markers in sight, no English in a Spanish notebook, and no
result of an unfinished exercise shown as if it were the lesson's.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from course_utils import checks

WIDGET = "application/vnd.jupyter.widget-view+json"
RECORD_LINE = re.compile(r"^\s*[a-z][a-z0-9_]* = [-+]?(\d[\d.e+-]*|nan|inf)\s*$")
MARKERS = re.compile(r"NBVAL|fmt: ?(skip|off|on)|noqa|type: ?ignore|pragma: no cover")
WORD = re.compile(r"[A-Za-zÀ-ÿ_][A-Za-zÀ-ÿ_0-9]*")
# What PyTorch, Python and the libraries print about objects: the same in every language.
LIBRARY_WORDS = set(
    [
        "Python",
        "PyTorch",
        "torchvision",
        "tensor",
        "Size",
        "dtype",
        "float32",
        "float64",
        "int64",
        "device",
        "cpu",
        "cuda",
        "mps",
        "grad_fn",
        "requires_grad",
        "in_features",
        "out_features",
        "bias",
        "True",
        "False",
        "None",
        "eps",
        "momentum",
        "affine",
        "track_running_stats",
        "start_dim",
        "end_dim",
        "inplace",
        "Flatten",
        "ReLU",
        "Linear",
        "Dropout",
        "BatchNorm1d",
        "Sequential",
        "Figure",
        "size",
        "with",
        "Axes",
        "nan",
        "inf",
    ]
)
# A cell tagged so shows a library's own text on purpose (a table as published, an error
# message the lesson teaches to read); the prose around it explains it in both languages.
LIBRARY_TEXT = "library-text"
# English words that have no business in a Spanish output line.
TELLTALE = set(
    [
        "the",
        "and",
        "with",
        "without",
        "epoch",
        "epochs",
        "accuracy",
        "loss",
        "mean",
        "last",
        "batch",
        "batches",
        "training",
        "validation",
        "probabilities",
        "example",
        "diverged",
        "standardized",
        "precision",
        "recall",
        "support",
        "images",
        "parameters",
        "same",
        "result",
        "calls",
        "gradient",
        "seen",
        "went",
        "from",
        "after",
        "number",
        "total",
        "correct",
        "wrong",
        "test",
        "train",
        "means",
        "first",
    ]
)


def code_cells(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def text_lines(cell) -> list[str]:
    """The lines a student reads in a cell's outputs (streams and plain-text results;
    widgets and images aside)."""
    lines = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if WIDGET in data or "image/png" in data:
            continue
        text = out.get("text") if out.output_type == "stream" else data.get("text/plain", "")
        if out.output_type == "error":
            text = out.traceback[0] if _waits(out) else f"{out.ename}: {out.evalue}"
        lines += [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines


def identifiers(nb: nbformat.NotebookNode) -> set[str]:
    """Every name the notebook's code uses (not its strings or comments)."""
    found = set()
    for cell in code_cells(nb):
        source = TransformerManager().transform_cell(cell.source)
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            continue
        found |= {t.string for t in tokens if t.type == tokenize.NAME}
    return found


def parameters_problems(nb: nbformat.NotebookNode) -> list[str]:
    lang = nb.metadata["course"]["lang"]
    cells = [c for c in nb.cells if "parameters" in tags(c)]
    problems = [f"{len(cells)} parameters cells"] if len(cells) != 1 else []
    problems += ["an injected parameters cell"] * any(
        "injected-parameters" in tags(c) for c in nb.cells
    )
    if cells and not re.search(rf'^LANG = "{lang}"', cells[0].source, re.MULTILINE):
        problems.append(f"the parameters cell does not say LANG = {lang!r}")
    return problems


def bookkeeping_problems(nb: nbformat.NotebookNode) -> list[str]:
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and MARKERS.search(cell.source):
            problems.append(f"cell {number}: test marker {MARKERS.search(cell.source)[0]!r}")
        for line in text_lines(cell) if cell.cell_type == "code" else []:
            if RECORD_LINE.match(line):
                problems.append(f"cell {number}: recorded-metrics line {line!r}")
    return problems


def english_lines(es: nbformat.NotebookNode, en: nbformat.NotebookNode) -> list[str]:
    """Output lines of the Spanish notebook that are English: identical in the English
    notebook and made of words that are not names from the code or a library's printout,
    or holding a tell-tale English word."""
    known = identifiers(es) | LIBRARY_WORDS
    found = []
    for number, (a, b) in enumerate(zip(es.cells, en.cells, strict=True), start=1):
        english = set(text_lines(b)) if b.cell_type == "code" else set()
        if LIBRARY_TEXT in tags(a):
            continue
        labels = {r["exercise"] for r in _check_results(a)}
        for line in text_lines(a) if a.cell_type == "code" else []:
            words = {w for w in WORD.findall(line) if sum(ch.isalpha() for ch in w) >= 3}
            plain = {w.lower() for w in WORD.findall(line) if w.isalpha() and w not in labels}
            if (line in english and words - known) or plain & TELLTALE:
                found.append(f"cell {number}: {line[:120]}")
    return found


def _check_results(cell) -> list[dict]:
    return [
        o["data"][checks.MIME] for o in cell.get("outputs", []) if checks.MIME in o.get("data", {})
    ]


def _only_definitions(tree: ast.Module) -> bool:
    kinds = ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom
    return all(isinstance(node, kinds) for node in tree.body)


def _names(tree: ast.AST, ctx: type) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


def _defined(tree: ast.Module) -> set[str]:
    top = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    return top | _names(tree, ast.Store)


STATELESS = {"dev", "criterion"}  # the device and the loss function: no call changes them


def _arguments_of_calls_to(tree: ast.AST, tainted: set[str]) -> set[str]:
    """Names handed to a call of a tainted function: they may come back changed (not the
    device, the loss function or a CONSTANT)."""
    found = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        if _names(call.func, ast.Load) & tainted:
            args = [*call.args, *(k.value for k in call.keywords)]
            found |= {a.id for a in args if isinstance(a, ast.Name)}
    return {name for name in found if name not in STATELESS and not name.isupper()}


def _waits(output) -> bool:
    """An error output that is the one line of a cell waiting for an unwritten exercise."""
    return len(output.get("traceback", [])) == 1 and output.traceback[0].startswith("⏳ ")


def unfinished_exercise_problems(nb: nbformat.NotebookNode) -> list[str]:
    """In an executed exercise notebook, every cell that uses what an unfinished exercise
    defines (or what was computed from it) must say, in one line, that it waits for it and
    show nothing else; each problem names the cell."""
    tainted, problems = set(), []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or "check" in tags(cell):
            continue
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
        if "raise NotImplementedError()" in cell.source:
            tainted |= _defined(tree)
            continue
        if not _names(tree, ast.Load) & tainted:
            continue
        lines = text_lines(cell)
        if _only_definitions(tree) and not cell.get("outputs"):
            tainted |= _defined(tree)
            continue
        errors = [out for out in cell.get("outputs", []) if out.output_type == "error"]
        images = any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if len(lines) != 1 or len(errors) != 1 or not _waits(errors[0]) or images:
            problems.append(f"cell {number} uses an unfinished exercise but shows {lines[:3]}")
        tainted |= _defined(tree) | _arguments_of_calls_to(tree, tainted)
    return problems

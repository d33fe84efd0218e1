"""Record a notebook's key figures so tests and ``course run`` can read them.

The figures travel in the cell's output under their own MIME type, with an
empty text: a student sees nothing of this bookkeeping (what a lesson wants a
student to read, it prints itself, in the student's language).
"""

from __future__ import annotations

from IPython.display import display

MIME = "application/vnd.course.metrics+json"


def record(**metrics: float) -> None:
    """Store the values in the cell's output, showing nothing."""
    values = {name: float(value) for name, value in metrics.items()}
    display({"text/plain": "", MIME: values}, raw=True)


def read(notebook) -> dict[str, float]:
    """Collect every value recorded with :func:`record` in an executed notebook."""
    found: dict[str, float] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            found.update(output.get("data", {}).get(MIME, {}))
    return found

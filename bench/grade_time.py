"""How long ``course grade`` takes per notebook: copies of a lesson's solution, graded at once.

    .venv/bin/python bench/grade_time.py                       # lesson 01, 8 notebooks, --jobs 2
    .venv/bin/python bench/grade_time.py --lesson 00 --notebooks 2

Each notebook runs its kernel and its probes (in the sandbox where bubblewrap works),
and the judges decide in this process; the table gives the wall-clock seconds per
notebook and checks every copy got full marks.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import benchlib
import nbformat

from course_tools.grading import gradebook, sandbox
from course_tools.grading import key as lesson_key

TARGET = 6.4  # s per notebook, lesson 01, --jobs 2, 2 cores (the design it replaced)


def solved(lesson: str, lang: str) -> nbformat.NotebookNode:
    """The exercise notebook with the solution's code typed in, as a student would."""
    mine = nbformat.read(lesson_key.built("exercises", lesson, lang), as_version=4)
    theirs = nbformat.read(lesson_key.built("solutions", lesson, lang), as_version=4)
    for cell, solution in zip(mine.cells, theirs.cells, strict=True):
        cell.source = solution.source
    return mine


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.split("\n")[0], "grade_time")
    p.add_argument("--lesson", default="01_training_loop")
    p.add_argument("--notebooks", type=int, default=8)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args(argv)
    if args.notebooks < 1 or args.jobs < 1:
        p.error("--notebooks and --jobs must be at least 1")
    facts, jail = benchlib.start(args), sandbox.available()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as folder:
        for i in range(args.notebooks):
            lang = ("es", "en")[i % 2]
            nbformat.write(solved(args.lesson, lang), Path(folder) / f"s{i}.ipynb")
        start = time.perf_counter()
        graded = gradebook.grade_all([Path(folder)], [args.lesson], jobs=args.jobs, sandbox=jail)
        seconds = time.perf_counter() - start
    full = all(row.passed for one in graded for row in one.rows)
    each = seconds / args.notebooks
    rows = [[args.lesson, args.notebooks, args.jobs, jail, round(seconds, 1), round(each, 2), full]]
    header = ["lesson", "notebooks", "jobs", "sandbox", "s in all", "s per notebook", "full marks"]
    print(benchlib.table(header, rows))
    met = "met" if each <= TARGET else "not met"
    print(
        f"target: <= {TARGET} s per notebook (lesson 01, --jobs 2, 2 cores): {each:.2f} s ({met})"
    )
    settings = {k: v for k, v in vars(args).items() if k != "out"}
    results = {"seconds": seconds, "seconds_per_notebook": each, "full_marks": full}
    benchlib.write({"machine": facts, "settings": settings, "results": results}, args.out)
    return 0 if full else 1


if __name__ == "__main__":
    sys.exit(main())

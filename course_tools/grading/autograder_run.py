"""What ``run_autograder`` runs on Gradescope: grade ``<root>/submission/``, write results.json.

Each notebook found is graded by :func:`course_tools.grading.submission.grade`, the grader of
``course grade``: the student's code runs in a kernel and in a probe process of its own, and
the judges decide here from the probes' plain records. The results follow Gradescope's
"Autograder Specifications" (``results.json``: a top-level ``score``, ``execution_time`` and
``output``, and one test per exercise with ``name``, ``score``, ``max_score``, ``status``,
``output`` and ``visibility``). Before results.json is written every process the grading
started is killed, even one that left its process group (this process is their subreaper),
so nothing of a submission outlives the grading to rewrite its results.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import tempfile
import time
from pathlib import Path

from course_tools import REPO_ROOT
from course_tools.grading import autograder_reap as reaper
from course_tools.grading import sandbox, submission
from course_tools.grading.autograder_text import say as says
from course_tools.grading.rows import Graded
from course_tools.grading.text import say

VISIBILITY = ("visible", "after_due_date", "after_published", "hidden")  # Gradescope's values
MOST = 5  # notebooks graded per submission (the best one counts)


def notebooks(folder: Path) -> list[Path]:
    """The regular ``.ipynb`` files under ``folder`` (no checkpoints, no links)."""
    found = folder.rglob("*.ipynb") if folder.is_dir() else []
    found = (p for p in found if ".ipynb_checkpoints" not in p.parts)
    return sorted(p for p in found if p.is_file() and not p.is_symlink())


def _points(graded: Graded) -> float:
    return sum(row.points for row in graded.rows)


def gradescope_tests(graded: Graded, visibility: str) -> list[dict]:
    """One Gradescope test per graded exercise; its output is the check's diagnosis."""
    return [
        {
            "name": row.exercise,
            "score": row.points,
            "max_score": row.max_points,
            "status": "passed" if row.passed else "failed",
            "output": row.message + (f"\n\n{row.note}" if row.note else ""),
            "visibility": visibility,
        }
        for row in graded.rows
        if row.exercise
    ]


def summary(graded: Graded, found: int, lang: str) -> str:
    """The submission's text: its score, the file graded, and what stopped it if anything."""
    lines, worth = [], sum(row.max_points for row in graded.rows)
    if any(row.exercise for row in graded.rows):
        score = say(
            "score",
            lang,
            lesson=graded.lesson,
            points=f"{_points(graded):g}",
            max_points=f"{worth:g}",
        )
        lines.append(score.lstrip("# "))
    if found > 1:
        count = {"count": found, "graded": min(found, MOST), "file": graded.submission}
        lines.append(says("several", lang, **count))
    else:
        lines.append(say("file", lang, file=graded.submission))
    lines += [row.message for row in graded.rows if not row.exercise]
    shown = " ".join(row.note for row in graded.rows)
    others = [f"- {error}" for error in graded.errors if error not in shown]
    return "\n\n".join(lines + ([say("errors", lang), "\n".join(others)] if others else []))


def results(graded: Graded | None, found: int, lesson: str, lang: str, visibility: str) -> dict:
    """Gradescope's results.json for the best graded notebook (``None``: there was none)."""
    if graded is None:
        return {"score": 0.0, "output": says("no_notebook", lang, lesson=lesson), "tests": []}
    return {
        "score": _points(graded),
        "output": summary(graded, found, graded.lang or lang),
        "output_format": "md",
        "tests": gradescope_tests(graded, visibility),
    }


def grade(root: Path, lesson: str, limit: float, jail: bool) -> tuple[Graded | None, int]:
    """Grade the submission's notebooks (at most :data:`MOST`); the best one and how many."""
    folder = root / "submission"
    found = notebooks(folder)
    graded = []
    for path in found[:MOST]:
        one = submission.grade(path, "student", [lesson], limit, "quick", jail)
        one.submission = path.relative_to(folder).as_posix()
        graded.append(one)
    # the best: most points, then one of the lesson; the first of equals
    best = max(graded, key=lambda g: (_points(g), any(r.exercise for r in g.rows)), default=None)
    return best, len(found)


def _load_judges() -> None:
    """Import every judge now, before any submission runs: files changed later change nothing."""
    import course_utils.checks as judges

    for module in pkgutil.walk_packages(judges.__path__, "course_utils.checks."):
        importlib.import_module(module.name)


def write(path: Path, found: dict) -> None:
    """Write results.json whole or not at all (through a new file of our own beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(found, file, ensure_ascii=False, indent=1)
    os.replace(part, path)


def main(argv: list[str] | None = None) -> int:
    """Grade ``<root>/submission`` and write ``<root>/results/results.json``; always writes it."""
    options = argparse.ArgumentParser(prog="run_autograder")
    options.add_argument("--root", type=Path, default=Path("/autograder"))
    options.add_argument("--lesson", required=True)
    options.add_argument("--lang", required=True)
    options.add_argument("--timeout", type=float, default=300)
    options.add_argument("--visibility", choices=VISIBILITY, default="visible")
    args = options.parse_args(argv)
    start = time.monotonic()
    reaper.adopt()
    try:
        _load_judges()
        jail = sandbox.available()
        course = f"{args.lesson} ({args.lang}) with the course in {REPO_ROOT}"
        print(f"grading {course}; sandbox (bubblewrap): {jail}", flush=True)
        best, found = grade(args.root, args.lesson, args.timeout, jail)
        done = results(best, found, args.lesson, args.lang, args.visibility)
    except Exception as error:  # the grader itself failed: say so, never leave no results
        done = {"score": 0.0, "tests": []}
        done["output"] = says("broken", args.lang, error=f"{type(error).__name__}: {error}")
    reaper.reap()
    done["execution_time"] = round(time.monotonic() - start)
    write(args.root / "results" / "results.json", done)
    print(done["output"], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

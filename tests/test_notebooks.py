"""Every built notebook, in both languages, executed once with the quick profile.

papermill sets the profile's parameters; nbval (lax) runs the notebook in a fresh
kernel and compares the outputs of the cells tagged ``nbval-check-output`` (facts
such as sizes, counts, printouts) with the stored ones; the outputs of that same run
(kept by ``tests/nbval_outputs.py``) must then give values that meet the
lesson's quick claims (measured by the cell the harness appends), and every check must
end as the notebook's kind expects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from course_tools import build, measures, run
from course_utils import checks
from course_utils.data import REPO_ROOT
from course_utils.i18n import LANGUAGES

from .conftest import LESSONS

EXECUTED = [
    (lesson, kind, lang)
    for lesson in LESSONS
    for kind in ("notebooks", "solutions")
    for lang in LANGUAGES
]
EXPECTED_STATUS = {"notebooks": checks.TODO, "solutions": checks.PASSED}

pytestmark = [pytest.mark.notebook, pytest.mark.usefixtures("mnist_available")]


def run_by_nbval(path: Path, lang: str, tmp_path: Path) -> nbformat.NotebookNode:
    """Run the quick profile of ``path`` under nbval (lax) and return it with the outputs of
    that run; fail with nbval's report if a cell raised or a tagged cell's output changed."""
    nb = nbformat.read(path, as_version=4)
    quick = {"LANG": lang, **run.profile_parameters(nb, "quick")}
    nb = papermill.execute_notebook(
        measures.harness(nb), None, parameters=quick, prepare_only=True, progress_bar=False
    )
    copy = path.parent / f".nbval_{tmp_path.name}_{path.name}"
    outputs = tmp_path / "outputs.json"
    nbformat.write(nb, copy)
    env = {
        **os.environ,
        "COURSE_NBVAL_OUTPUTS": str(outputs),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval-lax",
                "--nbval-kernel-startup-timeout",  # not 60 s: the other worker may be
                "180",  # running a lesson's pool on every core
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "tests.nbval_outputs",
                "--rootdir",
                str(tmp_path),
                str(copy),
            ],
            capture_output=True,
            text=True,
            cwd=path.parent,
            env=env,
            timeout=900,
        )
    finally:
        copy.unlink()
    assert result.returncode == 0, result.stdout[-4000:]
    ran = json.loads(outputs.read_text(encoding="utf-8"))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(out) for out in ran.get(cell.id, [])]
    return measures.take(nb)


@pytest.mark.parametrize(("lesson", "kind", "lang"), EXECUTED)
def test_quick_profile_runs_keeps_its_stored_facts_and_meets_its_claims(
    lesson, kind, lang, tmp_path
):
    nb = run_by_nbval(build.target(build.find_source(lesson), kind, lang), lang, tmp_path)
    metrics = measures.values(nb)
    if kind == "solutions":
        assert not run.unmet_claims(nb, metrics, "quick"), metrics
    statuses = run.check_results(nb)
    n_checks = sum("check" in c.metadata.get("tags", []) for c in nb.cells)
    assert len(statuses) == n_checks, f"{n_checks} check cells but results for {statuses}"
    assert set(statuses.values()) <= {EXPECTED_STATUS[kind]}, statuses

"""Every built notebook, in both languages, executed with the quick profile.

papermill runs it in a fresh kernel and the recorded metrics must meet the
lesson's quick claims; nbval then compares the outputs marked
``# NBVAL_CHECK_OUTPUT`` (facts such as sizes, counts, printouts) with the stored ones.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import papermill
import pytest

from course_tools import build, run
from course_utils import checks, report
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


@pytest.mark.parametrize(("lesson", "kind", "lang"), EXECUTED)
def test_quick_profile_runs_and_meets_its_claims(lesson, kind, lang):
    path = build.target(build.find_source(lesson), kind, lang)
    nb, _seconds = run.execute(path, "quick")
    metrics = report.read(nb)
    assert metrics, "the notebook recorded no metrics"
    if kind == "solutions":
        assert not run.unmet_claims(nb, metrics, "quick"), metrics
    statuses = run.check_results(nb)
    n_checks = sum("check" in c.metadata.get("tags", []) for c in nb.cells)
    assert len(statuses) == n_checks, f"{n_checks} check cells but results for {statuses}"
    assert set(statuses.values()) <= {EXPECTED_STATUS[kind]}, statuses


@pytest.mark.parametrize(("lesson", "kind", "lang"), EXECUTED)
def test_stored_facts_still_hold(lesson, kind, lang, tmp_path):
    """nbval (lax) re-runs the quick profile and compares the NBVAL_CHECK_OUTPUT cells."""
    path = build.target(build.find_source(lesson), kind, lang)
    nb = nbformat.read(path, as_version=4)
    quick = {"LANG": lang, **run.profile_parameters(nb, "quick")}
    nb = papermill.execute_notebook(
        nb, None, parameters=quick, prepare_only=True, progress_bar=False
    )
    copy = path.parent / f".nbval_{tmp_path.name}_{path.name}"
    nbformat.write(nb, copy)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval-lax",
                "-q",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(tmp_path),
                str(copy),
            ],
            capture_output=True,
            text=True,
            cwd=path.parent,
            timeout=900,
        )
    finally:
        copy.unlink()
    assert result.returncode == 0, result.stdout[-4000:]

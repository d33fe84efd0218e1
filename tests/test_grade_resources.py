"""Submissions that go after the grader's machine: each earns 0 and leaves it as it was.

One ``course grade`` run, in the sandbox, as a separate process whose memory
is watched: a flood on the grading processes' streams, a ``/tmp`` filled past
its size, a swarm of processes, and reading ``/etc/shadow``. Its memory is its
anonymous resident memory (``RssAnon``): the pages of PyTorch's libraries
(about 420 MiB here) are files, shared with every process that loads them.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time

import pytest

from course_tools.grading import sandbox

from .test_grade import LESSON, write
from .test_grade_attacks import attacked, sleepers

FLOOD = "import sys\nfor _ in range(100):\n    sys.stderr.write('x' * 2**20)\nreturn 0"
FILL_TMP = """
block = b"x" * 2**20
for n in range(3):
    with open(f"/tmp/fill{n}", "wb") as file:
        for _ in range(400):
            file.write(block)
return 0
"""
SWARM = """
import subprocess
started = []
try:
    for _ in range(2000):
        started.append(subprocess.Popen(["sleep", "600.4219"]))
except OSError as error:
    raise RuntimeError(f"stopped at {len(started)}") from error
"""
SHADOW = "raise ValueError(open('/etc/shadow').read()[:60])"
ATTACKS = {
    "flood": ("", FLOOD),
    "fill_tmp": ("", FILL_TMP),
    "swarm": (SWARM, "return 0"),
    "shadow": ("", SHADOW),
}
RSS_LIMIT = 500 * 2**20


def anonymous_memory(pid: int) -> int:
    """The anonymous resident memory of process ``pid``, in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            found = [line.split()[1] for line in status if line.startswith("RssAnon:")]
    except OSError:
        return 0
    return int(found[0]) * 1024 if found else 0


def graded_watching_memory(root, out) -> tuple[dict, int]:
    """Run ``course grade`` on ``root``; its rows by student, and its peak memory in bytes."""
    argv = [sys.executable, "-m", "course_tools", "grade", "--lesson", LESSON, "--sandbox"]
    argv += ["--jobs", "2", "--timeout", "120", "--out", str(out), str(root)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, anonymous_memory(process.pid))
        time.sleep(0.05)
    with out.open(encoding="utf-8-sig") as file:
        return {row["student"]: row for row in csv.DictReader(file)}, peak


@pytest.fixture(scope="module")
def run(tmp_path_factory, mnist_available):
    if not sandbox.available():
        pytest.skip("bubblewrap cannot make namespaces here")
    root = tmp_path_factory.mktemp("resources")
    for student, (cell, body) in ATTACKS.items():
        write(root / "in" / f"{student}.ipynb", attacked(cell, body))
    return graded_watching_memory(root / "in", root / "out" / "00.csv")


@pytest.mark.notebook
@pytest.mark.parametrize("student", ATTACKS)
def test_an_attack_on_the_machine_earns_nothing(run, student):
    row = run[0][student]
    assert (row["points"], row["max_points"]) == ("0", "1"), row


@pytest.mark.notebook
def test_the_grader_keeps_a_bounded_part_of_a_flood(run):
    rows, peak = run
    assert peak < RSS_LIMIT, f"course grade peaked at {peak / 2**20:.0f} MiB"
    assert "its outputs were cut" in rows["flood"]["note"]


@pytest.mark.notebook
def test_the_private_tmp_has_a_size(run):
    row = run[0]["fill_tmp"]
    assert "OSError" in row["message"], row


@pytest.mark.notebook
def test_processes_are_limited_and_none_outlives_the_grading(run):
    note = run[0]["swarm"]["note"]
    stopped = int(note.split("stopped at ")[1].split()[0].strip(".;)"))
    assert stopped < sandbox.PROCESSES + 100, note
    assert not sleepers()


@pytest.mark.notebook
def test_the_sandbox_shows_no_secret_of_etc(run):
    row = run[0]["shadow"]
    assert "FileNotFoundError" in row["message"] and "root:" not in str(row)

"""Execute a submission in a fresh kernel, in a process of its own, within one time limit.

:func:`execute` starts this file as a script (``python -I execute.py LIMIT``,
in bubblewrap when sandboxed, see :mod:`course_tools.grading.sandbox`): it
reads the notebook on stdin, runs it with nbclient and writes the executed
cells and how the run ended on stdout. What it reports is the submission's
own account (its outputs, its errors, where it stopped): it never decides a
check's result, which :mod:`course_tools.grading.isolate` computes apart.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from jupyter_core.utils import ensure_event_loop
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

KERNEL = "python3"
DONE, TIMEOUT, DIED, CRASHED = "done", "timeout", "died", "crashed"
TEXT = 100_000  # characters kept of one output's text
DATA = 2_000_000  # characters kept of one displayed value
OUTPUTS = 100  # outputs kept per cell


@dataclass
class Execution:
    """The executed cells (outputs filled as far as it got) and how the run ended."""

    nb: nbformat.NotebookNode
    limit: float
    end: str = DONE
    stopped_at: int = -1  # the cell it stopped in, when ``end`` is not DONE
    detail: str = ""
    seconds: float = 0.0
    cut: bool = False  # outputs were cut to the limits above


def trim(nb: nbformat.NotebookNode) -> bool:
    """Cut every cell's outputs to the limits above; whether anything was cut."""
    cut = False
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        cut |= len(outputs) > OUTPUTS
        del outputs[OUTPUTS:]
        for output in outputs:
            if len(output.get("text", "")) > TEXT:
                output.text, cut = output.text[:TEXT] + "\n[…]", True
            if sum(map(len, output.get("traceback", []))) > TEXT:
                output.traceback, cut = output.traceback[-5:], True
            for mime, value in list(output.get("data", {}).items()):
                if len(str(value)) > DATA:
                    del output.data[mime]
                    cut = True
    return cut


def _run_cells(client: NotebookClient, execution: Execution, deadline: float) -> None:
    for index, cell in enumerate(execution.nb.cells):
        execution.stopped_at = index
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CellTimeoutError("no time left")
        client.timeout = max(1, math.ceil(remaining))
        client.execute_cell(cell, index)


def execute(nb: nbformat.NotebookNode, limit: float, sandbox: bool = False) -> Execution:
    """Run ``nb`` in a kernel in a new process (and sandbox); the process group dies after."""
    from course_tools.grading import sandbox as jail

    argv = [sys.executable, "-I", __file__, str(limit)]
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        done = jail.run(argv, nbformat.writes(nb).encode(), limit + 60, sandbox, Path(scratch))
    try:
        found = json.loads(done.stdout)
        found["nb"] = nbformat.reads(json.dumps(found["nb"]), as_version=4)
        return Execution(**{**found, "limit": limit, "seconds": done.seconds})
    except (ValueError, KeyError, TypeError):
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        detail = ["its outputs were over the size limit"] if done.cut else detail
        end = TIMEOUT if done.returncode is None else CRASHED
        return Execution(nb, limit, end, 0, detail[0][:200], done.seconds)


def run_here(nb: nbformat.NotebookNode, limit: float) -> Execution:
    """Run every cell of ``nb`` in a new kernel, in a scratch folder, errors allowed.

    The kernel starts outside the limit; the cells share ``limit`` seconds. A
    timeout, a dead kernel or a kernel that will not start ends the run early,
    never with an exception.
    """
    execution = Execution(nb, limit)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        client = NotebookClient(
            nb,
            kernel_name=KERNEL,
            allow_errors=True,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": scratch}},
        )
        try:
            with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
                _run_cells(client, execution, time.monotonic() + limit)
            execution.stopped_at = -1
        except CellTimeoutError:
            execution.end = TIMEOUT
        except DeadKernelError:
            execution.end = DIED
        except Exception as error:  # the kernel would not start, or lost contact
            execution.end, execution.detail = CRASHED, f"{type(error).__name__}: {error}"
    execution.seconds = time.monotonic() - start
    execution.cut = trim(execution.nb)
    _cancel_leftovers()
    return execution


def _cancel_leftovers() -> None:
    """Cancel what a stopped run left waiting on this thread's event loop (quiet exit)."""
    loop = ensure_event_loop()
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))


if __name__ == "__main__":
    ran = run_here(nbformat.reads(sys.stdin.read(), as_version=4), float(sys.argv[1]))
    sys.stdout.write(json.dumps(asdict(ran)))

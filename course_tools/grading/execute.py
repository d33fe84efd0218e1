"""Execute a grading notebook in a fresh kernel, within one time limit for the whole notebook."""

from __future__ import annotations

import asyncio
import math
import subprocess
import tempfile
import time
from dataclasses import dataclass

import nbformat
from jupyter_core.utils import ensure_event_loop
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

KERNEL = "python3"
DONE, TIMEOUT, DIED, CRASHED = "done", "timeout", "died", "crashed"


@dataclass
class Execution:
    """The executed cells (outputs filled as far as it got) and how the run ended."""

    nb: nbformat.NotebookNode
    limit: float
    end: str = DONE
    stopped_at: int = -1  # the cell it stopped in, when ``end`` is not DONE
    detail: str = ""
    seconds: float = 0.0


def _run_cells(client: NotebookClient, execution: Execution, deadline: float) -> None:
    for index, cell in enumerate(execution.nb.cells):
        execution.stopped_at = index
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CellTimeoutError("no time left")
        client.timeout = max(1, math.ceil(remaining))
        client.execute_cell(cell, index)


def execute(nb: nbformat.NotebookNode, limit: float) -> Execution:
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
            with client.setup_kernel(stderr=subprocess.DEVNULL):
                _run_cells(client, execution, time.monotonic() + limit)
            execution.stopped_at = -1
        except CellTimeoutError:
            execution.end = TIMEOUT
        except DeadKernelError:
            execution.end = DIED
        except Exception as error:  # the kernel would not start, or lost contact
            execution.end, execution.detail = CRASHED, f"{type(error).__name__}: {error}"
    execution.seconds = time.monotonic() - start
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

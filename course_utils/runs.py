"""Independent training runs on every CPU core (the results tables of lessons 03-04).

Each run seeds itself and trains on one thread, so where it runs changes no number:
a worker process gives the same result as the notebook's own process. Workers are
spawned (safe in Jupyter on Linux, macOS and Windows) and take only the runs whose
model pickles by reference, i.e. the course's own classes; a class defined in the
notebook (the student's) trains in the notebook's process meanwhile, which then
helps with what is left. :func:`start` hands runs to the workers early, so they
train while the notebook goes on with other cells. On a GPU, or with a single core,
every run is serial.
"""

from __future__ import annotations

import atexit
import functools
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import torch
import torch.multiprocessing as mp
from torch.utils.data import Subset, TensorDataset

from course_utils import bars


def cores() -> int:
    """CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers(device: torch.device | str = "cpu") -> int:
    """Worker processes beside the notebook's own: one per further core, none on a GPU."""
    return 0 if torch.device(device).type != "cpu" else max(0, cores() - 1)


def portable(function: Callable) -> bool:
    """Whether a fresh process can import ``function`` (it lives in a course module)."""
    return (getattr(function, "__module__", None) or "").split(".")[0] == __package__


def share(value: object) -> None:
    """Move the tensors inside ``value`` (datasets, subsets, tuples) to shared memory now.

    Sending a tensor to a worker moves its storage there anyway, from a background
    thread, while this process may be reading it: doing it first avoids that race.
    """
    if isinstance(value, torch.Tensor):
        value.share_memory_()
    elif isinstance(value, TensorDataset):
        share(value.tensors)
    elif isinstance(value, Subset):
        share(value.dataset)
    elif isinstance(value, tuple | list):
        for item in value:
            share(item)


def _worker_setup() -> None:
    """Each worker trains on one thread and ignores Ctrl+C (an interrupted notebook cell
    or a kernel shutting down must not print a worker's traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    torch.set_num_threads(1)


@functools.cache
def _pool(n_workers: int) -> ProcessPoolExecutor:
    """``n_workers`` spawned processes, started once and kept for the notebook's later cells."""
    context = mp.get_context("spawn")
    pool = ProcessPoolExecutor(n_workers, mp_context=context, initializer=_worker_setup)
    atexit.register(pool.shutdown, cancel_futures=True)
    return pool


_queued: list[Future] = []


def start(task: Callable, jobs: Sequence, n_workers: int) -> list[Future]:
    """Queue ``task(job)`` for every job in the worker processes and return at once;
    with no workers, nothing is queued (the caller runs the jobs itself later). What an
    earlier call queued and no worker has begun is dropped: the cell was run again."""
    for future in _queued:
        future.cancel()
    _queued.clear()
    if n_workers == 0:
        return []
    share(list(jobs))
    _queued.extend(_pool(n_workers).submit(task, job) for job in jobs)
    return list(_queued)


def run_all(
    task: Callable,
    jobs: Sequence,
    movable: Sequence[bool],
    n_workers: int,
    desc: str,
    started: Mapping[int, Future] | None = None,
) -> list:
    """``[task(job) for job in jobs]``; jobs marked ``movable`` may run in ``n_workers``
    spawned worker processes while the others run here, and ``started`` maps the index of
    a job already handed to them (:func:`start`) to its future. Results keep the jobs'
    order."""
    results: list = [None] * len(jobs)
    started = dict(started or {})
    pending = [i for i in range(len(jobs)) if i not in started]
    here = [i for i in pending if not movable[i] or n_workers == 0]
    away = [i for i in pending if movable[i] and n_workers > 0]
    with bars.tqdm(total=len(jobs), desc=desc) as bar:
        share([jobs[i] for i in away])
        running: dict[Future, int] = {future: i for i, future in started.items()}

        def collect(timeout: float | None) -> None:
            done, _ = wait(list(running), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results[running.pop(future)] = future.result()
                except BrokenProcessPool:  # a worker died (out of memory?): start afresh next time
                    _pool.cache_clear()
                    raise
                bar.update()
            while away and len(running) < n_workers:
                i = away.pop(0)
                running[_pool(n_workers).submit(task, jobs[i])] = i

        collect(0)
        while here or away:  # the notebook's process works too
            i = here.pop(0) if here else away.pop()
            results[i] = task(jobs[i])
            bar.update()
            collect(0)
        while running:
            collect(None)
    return results

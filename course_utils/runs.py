"""Independent training runs on every CPU core (the results tables of lessons 03-04).

Each run seeds itself and trains on one thread, so where it runs changes no number:
a worker process gives the same result as the notebook's own process. Workers are
spawned (safe in Jupyter on Linux, macOS and Windows) and take only the runs whose
model pickles by reference, i.e. the course's own classes; a class defined in the
notebook (the student's) trains in the notebook's process meanwhile, which then
helps with what is left. On a GPU, or with a single core, every run is serial.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

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


def _one_thread() -> None:
    torch.set_num_threads(1)


def run_all(
    task: Callable, jobs: Sequence, movable: Sequence[bool], n_workers: int, desc: str
) -> list:
    """``[task(job) for job in jobs]``; jobs marked ``movable`` may run in ``n_workers``
    spawned worker processes while the others run here. Results keep the jobs' order."""
    results: list = [None] * len(jobs)
    here = [i for i, m in enumerate(movable) if not m or n_workers == 0]
    away = [i for i, m in enumerate(movable) if m and n_workers > 0]
    with bars.tqdm(total=len(jobs), desc=desc) as bar:
        if not away:
            for i in here:
                results[i] = task(jobs[i])
                bar.update()
            return results
        share([jobs[i] for i in away])
        context = mp.get_context("spawn")
        with ProcessPoolExecutor(n_workers, mp_context=context, initializer=_one_thread) as pool:
            running: dict[Future, int] = {}

            def collect(timeout: float | None) -> None:
                done, _ = wait(list(running), timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    results[running.pop(future)] = future.result()
                    bar.update()
                while away and len(running) < n_workers:
                    i = away.pop(0)
                    running[pool.submit(task, jobs[i])] = i

            collect(0)
            while here or away:  # the notebook's process works too
                i = here.pop(0) if here else away.pop()
                results[i] = task(jobs[i])
                bar.update()
                collect(0)
            while running:
                collect(None)
    return results

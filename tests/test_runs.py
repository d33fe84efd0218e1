"""course_utils.runs: every core for independent runs, results in order, serial where it must."""

from __future__ import annotations

import math
import time

import torch

from course_utils import experiments, models, runs


def test_results_keep_the_jobs_order_wherever_they_ran():
    jobs = list(range(1, 9))
    movable = [i % 3 != 0 for i in jobs]  # some must stay in this process
    expected = [math.factorial(i) for i in jobs]
    assert runs.run_all(math.factorial, jobs, movable, 1, "x") == expected
    assert runs.run_all(math.factorial, jobs, movable, 0, "x") == expected


def test_jobs_started_early_are_collected_in_order():
    early = runs.start(math.factorial, [5, 6], n_workers=1)
    jobs, movable = [4, 5, 6, 7], [True] * 4
    got = runs.run_all(math.factorial, jobs, movable, 1, "x", started={1: early[0], 2: early[1]})
    assert got == [24, 120, 720, 5040]


def test_starting_again_drops_what_was_queued_and_not_begun():
    first = runs.start(time.sleep, [0.2] * 10, n_workers=1)
    second = runs.start(math.factorial, [3], n_workers=1)
    # only the job a worker runs and the few already sent down its pipe go on
    assert sum(future.cancelled() for future in first) >= 7
    assert second[0].result() == 6
    assert runs.start(math.factorial, [3], n_workers=0) == []


def test_only_the_course_classes_travel_to_a_worker():
    class Mine(torch.nn.Module):
        pass

    assert runs.portable(models.MLP) and runs.portable(experiments.train_model)
    assert not runs.portable(Mine) and not runs.portable(lambda: None)


def test_a_gpu_or_a_single_core_means_no_worker(monkeypatch):
    assert runs.workers("cuda") == 0 and runs.workers(torch.device("mps")) == 0
    monkeypatch.setattr(runs, "cores", lambda: 1)
    assert runs.workers("cpu") == 0
    monkeypatch.setattr(runs, "cores", lambda: 4)
    assert runs.workers("cpu") == 3


def test_datasets_go_to_shared_memory_before_any_worker_reads_them():
    tensors = torch.zeros(4, 2), torch.arange(4)
    dataset = torch.utils.data.Subset(torch.utils.data.TensorDataset(*tensors), [0, 2])
    runs.share([(models.MLP, dataset, 3)])
    assert all(tensor.is_shared() for tensor in tensors)

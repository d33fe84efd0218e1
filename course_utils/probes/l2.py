"""Probe for lesson 03's ``l2_penalty``: two small networks drawn from the seed, what it returns.

Each network is a linear layer, a BatchNorm (whose running statistics, buffers and not
parameters, have moved away from 0 and 1), a ReLU and another linear layer, their sizes
and weights drawn from the seed. The probe records what the student's function returned
for each and the parameters it left behind.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
from torch import nn

from course_utils.probes.spies import weights


def models(seed: int) -> list[nn.Module]:
    """The two networks of the problem ``seed``."""
    rng = random.Random(seed)
    built = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for _ in range(2):
            n_in, hidden, n_out = rng.randint(3, 8), rng.randint(4, 9), rng.randint(2, 5)
            model = nn.Sequential(
                nn.Linear(n_in, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, n_out)
            )
            model(torch.randn(8, n_in))  # the running statistics move away from 0 and 1
            built.append(model)
    return built


def _returned(result: object) -> dict:
    """What came back: its type, and for a tensor its shape, value (one number) and graph."""
    tensor = result if isinstance(result, torch.Tensor) else None
    single = tensor is not None and tensor.numel() == 1
    return {
        "kind": type(result).__name__[:60],
        "number": isinstance(result, int | float),
        "shape": list(tensor.shape) if tensor is not None else None,
        "value": tensor.detach().reshape(()) if single else None,
        "requires_grad": bool(tensor.requires_grad) if tensor is not None else False,
    }


def l2_penalty(student: Callable[[nn.Module], torch.Tensor], *, seed: int) -> dict:
    """For each network: what the student's function returned and the parameters after it."""
    runs = []
    for model in models(seed):
        returned = _returned(student(model))
        runs.append({**returned, "parameters": weights(model)})
    return {"runs": runs}

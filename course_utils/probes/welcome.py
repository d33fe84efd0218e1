"""Probe for lesson 00's ``count_parameters``: four models drawn from the seed, the counts.

A linear layer, an mlp, one with a BatchNorm (buffers that are not parameters) and
one with a frozen layer, their sizes drawn from the seed, so no fixed number passes.
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable

import torch
from torch import nn


def models(seed: int) -> list[nn.Module]:
    """The four models of the problem ``seed``."""
    rng = random.Random(seed)
    a, b, c, d, h = (rng.randint(2, 9) for _ in range(5))
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        frozen = nn.Sequential(nn.Linear(c + 1, d), nn.ReLU(), nn.Linear(d, 2))
        frozen[0].requires_grad_(False)
        big = nn.Sequential(nn.Linear(784, 32 * h), nn.ReLU(), nn.Linear(32 * h, 10))
        batch_norm = nn.Sequential(nn.Linear(c, d), nn.BatchNorm1d(d))
        return [nn.Linear(a, b), big, batch_norm, frozen]


def _count(value: object) -> dict:
    integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    return {"kind": type(value).__name__[:60], "value": int(value) if integral else None}


def count_parameters(student: Callable[[nn.Module], int], *, seed: int) -> dict:
    """What the student's function returned for each model: its type and its value."""
    return {"counts": [_count(student(model)) for model in models(seed)]}

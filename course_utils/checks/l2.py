"""Check for lesson 03's ``l2_penalty``: the sum of the squares of every parameter.

The student's function gets a small network with a BatchNorm (its buffers are not
parameters) and must return a one-number tensor, still in the graph, equal to
Σ p² over ``model.parameters()``, biases included: the penalty that ``weight_decay=d``
amounts to once multiplied by d/2. Each usual wrong value matches another sum, so
it is named.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from course_utils import checks
from course_utils.checks.l2_text import _


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _model(seed: int) -> nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
        model(torch.randn(8, 4))  # the running statistics move away from 0 and 1
    return model


def _sums(model: nn.Module) -> dict[str, float]:
    """The penalty and what each usual mistake computes instead, on ``model``."""
    params = [p.detach() for p in model.parameters()]
    weights = [p.detach() for name, p in model.named_parameters() if "weight" in name]
    buffers = [b.detach().float() for b in model.buffers()]
    squares = sum(float((p**2).sum()) for p in params)
    return {
        "right": squares,
        "buffers": squares + sum(float((b**2).sum()) for b in buffers),
        "weights_only": sum(float((w**2).sum()) for w in weights),
        "l1": sum(float(p.abs().sum()) for p in params),
        "no_square": sum(float(p.sum()) for p in params),
        "norm": math.sqrt(squares),
        "halved": squares / 2,
        "mean": float(torch.cat([p.flatten() for p in params]).pow(2).mean()),
        "mean_per_tensor": sum(float((p**2).mean()) for p in params),
    }


def _value(result: object) -> float:
    if isinstance(result, int | float):
        raise _mistake("item", kind=type(result).__name__)
    if not isinstance(result, torch.Tensor):
        raise _mistake("not_tensor", kind=type(result).__name__)
    if result.numel() != 1:
        raise _mistake("not_scalar", shape=tuple(result.shape))
    return float(result.detach())


def _diagnose(student: Callable, seed: int) -> None:
    model = _model(seed)
    before = [p.detach().clone() for p in model.parameters()]
    result = student(model)
    if not all(torch.equal(a, p) for a, p in zip(before, model.parameters(), strict=True)):
        raise _mistake("in_place")
    got, sums = _value(result), _sums(model)
    if not math.isclose(got, sums["right"], rel_tol=1e-5):
        found = next((k for k, v in sums.items() if math.isclose(got, v, rel_tol=1e-5)), None)
        key = "mean" if found == "mean_per_tensor" else found
        if key is None:
            raise _mistake("wrong_value", got=got, expected=sums["right"])
        raise _mistake(key)
    if not result.requires_grad:
        raise _mistake("detached")


def l2_penalty(student: Callable) -> checks.Result:
    """Check ``l2_penalty(model)``: Σ p² over every parameter, as a tensor in the graph."""

    def diagnose() -> None:
        for seed in (0, 1):
            _diagnose(student, seed)

    return checks.run("l2_penalty", diagnose, student=student)

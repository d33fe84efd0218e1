"""Judge of lesson 03's ``l2_penalty``: the sum of the squares of every parameter.

The probe (:mod:`course_utils.probes.l2`) hands the student's function two small
networks drawn from the seed, each with a BatchNorm (its buffers are not
parameters); it must return a one-number tensor, still in the graph, equal to
Σ p² over ``model.parameters()``, biases included: the penalty that
``weight_decay=d`` amounts to once multiplied by d/2. Each usual wrong value
matches another sum, so it is named.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_utils import checks
from course_utils.checks.l2_text import _
from course_utils.probes import l2 as probe


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


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


def _unchanged(model: nn.Module, after: list) -> bool:
    before = [p.detach() for p in model.parameters()]
    return len(after) == len(before) and all(
        isinstance(a, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape
        and torch.equal(a, b)
        for a, b in zip(after, before, strict=True)
    )  # fmt: skip


def _value(run: dict) -> float:
    if run["number"]:
        raise _mistake("item", kind=run["kind"])
    if run["shape"] is None:
        raise _mistake("not_tensor", kind=run["kind"])
    if math.prod(run["shape"]) != 1:
        raise _mistake("not_scalar", shape=tuple(run["shape"]))
    value = run["value"]
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise ValueError("a one-number tensor records its value")
    return float(value)


def _judge_one(model: nn.Module, run: dict) -> None:
    if not _unchanged(model, run["parameters"]):
        raise _mistake("in_place")
    got, sums = _value(run), _sums(model)
    if not math.isclose(got, sums["right"], rel_tol=1e-5):
        found = next((k for k, v in sums.items() if math.isclose(got, v, rel_tol=1e-5)), None)
        key = "mean" if found == "mean_per_tensor" else found
        if key is None:
            raise _mistake("wrong_value", got=got, expected=sums["right"])
        raise _mistake(key)
    if not run["requires_grad"]:
        raise _mistake("detached")


def _judge(seed: int, data: dict) -> None:
    models, runs = probe.models(seed), data["runs"]
    if len(runs) != len(models):
        raise ValueError("one run per network")
    for model, run in zip(models, runs, strict=True):
        _judge_one(model, run)


l2_penalty = checks.Exercise("l2_penalty", probe.l2_penalty, _judge, _)

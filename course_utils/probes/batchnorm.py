"""Probe for lesson 04's ``MLPBatchNorm``: what an instance of the student's class does.

It builds the model and a batch of images from the seed, runs the batch through
it in training mode and in evaluation mode with a hook on every BatchNorm layer
(how often each ran, how wide its input was, whether all of it was ≥ 0, in which
mode), then one image alone; and it tries what the lesson's later cells do with
the class: its layers ``fc1``, ``bn1``, ``fc2`` and ``bn2``, called by name.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

NAMED = ("fc1", "bn1", "fc2", "bn2")  # the layers later cells use by name


def images(seed: int) -> torch.Tensor:
    """The batch of the problem ``seed``: a few random 28 × 28 images."""
    n = random.Random(seed).randint(12, 24)
    return torch.randn(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed))


def _layers(model: nn.Module) -> list[dict]:
    """Every BatchNorm layer: its name, all the names it goes by, its kind, whether it
    keeps running statistics."""
    aliases: dict[int, list[str]] = {}
    for name, module in model.named_modules(remove_duplicate=False):
        if isinstance(module, _BatchNorm):
            aliases.setdefault(id(module), []).append(name[:100])
    found = [m for _n, m in model.named_modules() if isinstance(m, _BatchNorm)]
    return [
        {
            "name": aliases[id(m)][0],
            "aliases": aliases[id(m)],
            "kind": type(m).__name__[:60],
            "tracks": bool(m.track_running_stats),
        }  # fmt: skip
        for m in found
    ]


def _run(model: nn.Module, X: torch.Tensor) -> tuple[object, dict]:
    """``model(X)`` and, per BatchNorm call in order: [layer index, input width, all
    ≥ 0, training]."""
    layers = [m for _n, m in model.named_modules() if isinstance(m, _BatchNorm)]
    calls: list[list] = []

    def hook(i: int):
        def record(module, args):
            x = args[0]
            calls.append([i, int(x.shape[-1]), bool((x >= 0).all()), bool(module.training)])

        return record

    hooks = [m.register_forward_pre_hook(hook(i)) for i, m in enumerate(layers)]
    try:
        out = model(X)
    finally:
        for h in hooks:
            h.remove()
    tensor = isinstance(out, torch.Tensor)
    shape = list(out.shape) if tensor else type(out).__name__[:60]
    return out, {"shape": shape, "calls": calls}


def _alone(model: nn.Module, X: torch.Tensor) -> torch.Tensor | None:
    try:
        out = model(X[:1])
    except ValueError:  # a BatchNorm using batch statistics refuses a batch of one
        return None
    return out.detach().clone() if isinstance(out, torch.Tensor) else None


def _later(model: nn.Module, X: torch.Tensor) -> str | None:
    """What the lesson's later cells do with the trained model; the exception's name if
    that fails."""
    try:
        first = model.fc1(X.flatten(start_dim=1))
        second = model.fc2(F.relu(model.bn1(first)))
        for layer, bn in ((first, model.bn1), (second, model.bn2)):
            (layer - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
    except Exception as error:  # the student's class: the judge names it
        return type(error).__name__[:100]
    return None


def _evaluation(model: nn.Module, X: torch.Tensor) -> dict:
    model.eval()
    with torch.no_grad():
        out, seen = _run(model, X)
        first = out[:1].detach().clone() if isinstance(out, torch.Tensor) and out.dim() else None
        return {**seen, "first": first, "alone": _alone(model, X), "later": _later(model, X)}


def mlp_bn(model_class: Callable[[], nn.Module], *, seed: int) -> dict:
    """What an instance of the student's class does on the problem ``seed``."""
    X = images(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = model_class()
        _out, training = _run(model.train(), X)
        layers = _layers(model)
        return {
            "layers": layers,
            "named": [name for name in NAMED if getattr(model, name, None) is not None],
            "parameters": sum(p.numel() for p in model.parameters()),
            "train": training,
            "eval": _evaluation(model, X) if layers else None,
        }

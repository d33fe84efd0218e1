"""Probes for lesson 03's exercises: a model with dropout, and evaluating a model correctly.

``mlp_dropout`` builds the student's class with a dropout probability drawn from the
seed, as the later cells do (``MLPDropout(p=0.5)``, ``MLPDropout()``), and records what
reaches and leaves each linear layer in training mode, two outputs in evaluation mode
and the parameters' shapes: dropout is then measured however it is written.
``accuracy`` hands the student's function a small dropout model, in training mode, and
batches drawn from the seed, and records its answer and every forward pass.
"""

from __future__ import annotations

import inspect
import numbers
import random
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import probes
from course_utils.probes.spies import SpyModel

IMAGES = 8
P_CHOICES = (0.3, 0.1, 0.15, 0.25, 0.35, 0.4)  # never 0.2 (the default) nor near 0.5


def dropout_p(seed: int) -> float:
    """The dropout probability the class is built with in problem ``seed``."""
    return P_CHOICES[seed % len(P_CHOICES)]


def images(seed: int) -> torch.Tensor:
    """The batch of images the model gets in problem ``seed``."""
    return torch.rand(IMAGES, 1, 28, 28, generator=torch.Generator().manual_seed(seed))


def _accepts(model_class: Callable, **arguments: object) -> bool:
    try:
        inspect.signature(model_class).bind(**arguments)
    except TypeError:
        return False
    except ValueError:  # no signature to read: calling it will tell
        return True
    return True


def _linears(model: nn.Module, X: torch.Tensor) -> tuple[object, list[dict]]:
    """``model(X)`` and, for each linear layer, its size and what first went in and out."""
    layers = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    seen = [{"name": n[:100], "in": m.in_features, "out": m.out_features} for n, m in layers]

    def watch(entry: dict) -> Callable:
        def hook(_module, args, out) -> None:
            if "x" not in entry and isinstance(out, torch.Tensor):
                entry["x"], entry["y"] = args[0].detach().clone(), out.detach().clone()

        return hook

    hooks = [m.register_forward_hook(watch(e)) for (_n, m), e in zip(layers, seen, strict=True)]
    try:
        out = model(X)
    finally:
        for h in hooks:
            h.remove()
    return out, seen


def mlp_dropout(model_class: Callable[..., nn.Module], *, seed: int) -> dict:
    """What instances of the student's class do, in training and in evaluation mode."""
    p, X = dropout_p(seed), images(seed)
    if not _accepts(model_class, p=p):
        raise probes.Stop("signature")
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        model = model_class(p=p)
        out, linears = _linears(model.train(), X)
        if not isinstance(out, torch.Tensor):
            raise probes.Stop("not_tensor", kind=type(out).__name__[:60])
        model.eval()
        steady = [model(X), model(X)]
        default = None
        if _accepts(model_class):
            default = _linears(model_class().train(), X)[1]
    return {
        "out": out.detach().clone(),
        "linears": linears,
        "eval": [y.detach().clone() if isinstance(y, torch.Tensor) else None for y in steady],
        "parameters": [[n[:100], list(p.shape)] for n, p in model.named_parameters()],
        "default": default,
    }


def problem(seed: int) -> tuple[nn.Sequential, DataLoader]:
    """A small dropout model and batches whose last one is shorter, drawn from ``seed``.

    The labels are the model's own predictions in evaluation mode, some of them (never
    in the last batch) changed to another class.
    """
    rng = random.Random(seed)
    features, classes = rng.randint(3, 6), rng.randint(3, 5)
    size, full = rng.randint(10, 20), rng.randint(2, 4)
    n = size * full + rng.randint(1, size - 1)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(features, classes), nn.Dropout(0.5))
        X = torch.randn(n, features)
        y = torch.cat([net.eval()(Xb).argmax(dim=1) for Xb in X.split(size)])
    for i in rng.sample(range(size * full), rng.randint(size * full // 4, size * full // 2)):
        y[i] = (y[i] + 1) % classes
    return net.train(), DataLoader(TensorDataset(X, y), batch_size=size)


def _answer(got: object) -> dict:
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    number = isinstance(got, numbers.Real) and not isinstance(got, bool)
    value = torch.tensor(float(got), dtype=torch.float64) if number else None
    return {"kind": type(got).__name__[:60], "value": value}


def accuracy(student: Callable[[nn.Module, DataLoader], float], *, seed: int) -> dict:
    """The student's answer on the problem, and every forward pass of the model."""
    net, loader = problem(seed)
    model = SpyModel(net).train()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # dropout's masks, should it stay on
        got = student(model, loader)
    return {**_answer(got), "calls": model.record()}

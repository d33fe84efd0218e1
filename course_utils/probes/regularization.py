"""Probe for lesson 03's model with dropout (dropout by hand: :mod:`course_utils.probes.dropout`).

``mlp_dropout`` builds the student's class with a dropout probability drawn from the
seed, as the later cells do (``MLPDropout(p=0.5)``, ``MLPDropout()``), and records what
reaches and leaves each linear layer in training mode, two outputs in evaluation mode
and the parameters' shapes: dropout is then measured however it is written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
from torch import nn

from course_utils import probes

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

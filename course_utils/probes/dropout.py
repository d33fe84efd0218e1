"""Probe for lesson 03's ``MyDropout``: the student's dropout module, in both modes.

The module is built with a probability ``p`` drawn from the seed and run on positive
inputs (so a zero in the output is a dropped unit): one large call in training mode,
whose gradient is taken, a second call on the same input, many calls on a small input,
one call in evaluation mode, and calls on inputs of other shapes. It records the
outputs, the input after each call, the gradient and whether PyTorch's own dropout ran
(``nn.Dropout``, ``F.dropout``, ``torch.dropout``). It knows no expected value.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from course_utils import probes
from course_utils.probes import where
from course_utils.probes.crash_text import explain

P_CHOICES = (0.3, 0.2, 0.25, 0.35, 0.4)  # far from 0.5, where p and 1 - p meet
BIG, SMALL, DRAWS = (100, 120), (4, 25), 200
SHAPES = ((300,), (6, 5, 40), (3, 1, 28, 28))
_BUILTIN = {"dropout", "dropout_", "feature_dropout", "alpha_dropout", "dropout1d", "dropout2d",
            "dropout3d", "native_dropout"}  # fmt: skip


class _Builtin(TorchFunctionMode):
    """Notes whether one of PyTorch's own dropout functions ran."""

    def __init__(self) -> None:
        super().__init__()
        self.used = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.used |= getattr(func, "__name__", "") in _BUILTIN
        return func(*args, **(kwargs or {}))


def problem(seed: int) -> dict:
    """The problem ``seed``: ``p``, the positive inputs and the gradient flowing back."""
    g = torch.Generator().manual_seed(seed)

    def positive(*shape: int) -> torch.Tensor:
        return 0.5 + torch.rand(*shape, generator=g)

    return {
        "p": P_CHOICES[random.Random(seed).randrange(len(P_CHOICES))],
        "x": positive(*BIG),
        "upstream": torch.randn(*BIG, generator=g),
        "small": positive(*SMALL),
        "shapes": [positive(*shape) for shape in SHAPES],
    }


def _out(out: object) -> torch.Tensor | None:
    return out.detach().clone() if isinstance(out, torch.Tensor) else None


def _kind(out: object) -> str:
    return type(out).__name__[:60]


def _train_call(module: nn.Module, p: dict) -> dict:
    """The large call: output, the input left behind and the gradient on the input."""
    leaf = p["x"].clone().requires_grad_(True)
    x = leaf * 1  # not a leaf: an in-place change is allowed, and recorded
    out = module(x)
    grad = None
    if isinstance(out, torch.Tensor) and out.shape == x.shape and out.requires_grad:
        (out * p["upstream"]).sum().backward()
        grad = None if leaf.grad is None else leaf.grad.clone()
    return {"kind": _kind(out), "out": _out(out), "input": x.detach().clone(), "grad": grad}


def _shapes(module: nn.Module, inputs: list[torch.Tensor]) -> list[dict]:
    """Each input of another shape in training mode: what came out, or what went wrong."""
    seen = []
    for x in inputs:
        try:
            out = module(x.clone())
            seen.append({"kind": _kind(out), "out": _out(out), "error": None})
        except Exception as error:  # the student's code: the judge names the shape
            what = {"name": type(error).__name__[:100], "what": explain(error)[:300]}
            seen.append({"kind": "", "out": None, "error": {**what, "line": where(error)}})
    return seen


def my_dropout(module_class: Callable[..., nn.Module], *, seed: int) -> dict:
    """What the student's dropout does on problem ``seed``."""
    p = problem(seed)
    try:
        inspect.signature(module_class).bind(p=p["p"])
    except TypeError:
        raise probes.Stop("signature") from None
    except ValueError:  # no signature to read: building it will tell
        pass
    with torch.random.fork_rng(devices=[]), _Builtin() as builtin:
        torch.manual_seed(seed)
        module = module_class(p=p["p"])
        if not isinstance(module, nn.Module):
            raise probes.Stop("not_module", kind=_kind(module))
        module.train()
        first = _train_call(module, p)
        with torch.no_grad():
            second = _out(module(p["x"].clone()))
            draws = [_out(module(p["small"].clone())) for _ in range(DRAWS)]
            shapes = _shapes(module, p["shapes"])
            module.eval()
            x = p["x"].clone()
            evaluation = module(x)
    fine = all(d is not None and d.shape == p["small"].shape for d in draws)
    return {
        "train": first,
        "second": second,
        "draws": torch.stack(draws) if fine else None,
        "shapes": shapes,
        "eval": {"kind": _kind(evaluation), "out": _out(evaluation), "input": x.clone()},
        "builtin": builtin.used,
    }

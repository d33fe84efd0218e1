"""Probes for lesson 02's ``evaluate`` and ``fit``: tiny problems drawn from the seed.

``evaluate`` gets a spied mlp, an uneven last batch and a label-smoothed
criterion that counts its calls (so a loss computed without it shows). ``fit``
gets a linear model whose optimizer moves it along a path drawn from the seed,
whatever the gradients, on which the validation loss and accuracy disagree
about the best epoch (:mod:`course_utils.probes.evaluation_path`).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import random
import re
import sys
from collections.abc import Callable, Iterator, Sized
from types import CodeType, FunctionType, ModuleType

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import probes
from course_utils.probes.evaluation_path import EPOCHS, fit_problem
from course_utils.probes.spies import SpyModel

KEYS = ("train_loss", "val_loss", "val_acc")


class Criterion(nn.CrossEntropyLoss):
    """Cross-entropy that counts its calls."""

    calls = 0

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return super().forward(output, target)


def evaluate_problem(seed: int) -> tuple[SpyModel, DataLoader, Criterion]:
    """A spied mlp (4 → 8 → 3), 9 to 11 samples in batches of 4 and a smoothed criterion.

    One input comes three times, once with each label: exactly one of the three is
    predicted right, so the accuracy is neither 0 nor 1.
    """
    rng = random.Random(seed)
    n = rng.choice((9, 10, 11))
    g = torch.Generator().manual_seed(seed)
    X, y = 3 * torch.randn(n, 4, generator=g), torch.randint(0, 3, (n,), generator=g)
    X[n - 3 :], y[n - 3 :] = X[n - 3], torch.arange(3)
    order = torch.randperm(n, generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    criterion = Criterion(label_smoothing=round(rng.uniform(0.05, 0.2), 3))
    return SpyModel(net), DataLoader(TensorDataset(X[order], y[order]), batch_size=4), criterion


def _state(model: nn.Module) -> list[torch.Tensor]:
    return [t.detach().clone() for t in model.state_dict().values()]


def _number(value: object) -> float | None:
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return float(value) if real else None


def evaluate(student: Callable, *, seed: int) -> dict:
    """What the student's ``evaluate`` returned, every pass of the model, its weights after."""
    model, loader, criterion = evaluate_problem(seed)
    got = student(model.train(), loader, criterion, device="cpu")
    pair = isinstance(got, tuple | list) and len(got) == 2
    pair = pair and all(_number(v) is not None for v in got)
    return {
        "returned": {
            "pair": pair,
            "repr": "" if pair else repr(got)[:60],
            "values": [_number(v) for v in got] if pair else None,
        },
        "calls": model.record(),
        "state": _state(model.net),
        "grads": any(p.grad is not None for p in model.parameters()),
        "criterion_calls": criterion.calls,
    }


class Counted:
    """A loader that counts how many times it is gone through (anything else: the loader's)."""

    def __init__(self, loader: DataLoader) -> None:
        self.loader, self.passes = loader, 0

    def __iter__(self):
        self.passes += 1
        return iter(self.loader)

    def __len__(self) -> int:
        return len(self.loader)

    def __getattr__(self, name: str):
        if name == "loader":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.loader, name)


def _names(code: CodeType) -> set[str]:
    nested = [c for c in code.co_consts if isinstance(c, CodeType)]
    return set(code.co_names).union(*(_names(c) for c in nested))


def _test_data(student: Callable) -> str | None:
    """A global named like the notebook's test data that ``student`` uses, or None."""
    code, namespace = getattr(student, "__code__", None), getattr(student, "__globals__", {})
    code_like = (FunctionType, ModuleType, type)
    used = sorted(
        n
        for n in (_names(code) if code else ())
        if re.search(r"(^|_)test(_|$)", n.lower())
        and n in namespace
        and not isinstance(namespace[n], code_like)
    )
    return used[0] if used else None


@contextlib.contextmanager
def _best_loss_at_return(student: Callable) -> Iterator[dict]:
    """Whether ``best_loss`` (a variable of the lesson's frame) is still infinite when
    ``student`` returns."""
    code, seen, previous = getattr(student, "__code__", None), {"inf": False}, sys.getprofile()

    def hook(frame, event: str, _arg) -> None:
        if event == "return" and frame.f_code is code:
            value = frame.f_locals.get("best_loss")
            seen["inf"] = isinstance(value, numbers.Real) and value == math.inf

    sys.setprofile(hook)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


def _column(history: dict, key: str) -> dict:
    value = history.get(key, [])
    items = list(value)[:100] if isinstance(value, list | tuple) else []
    return {"length": len(value) if isinstance(value, Sized) else 0,
            "values": [_number(v) for v in items]}  # fmt: skip


def fit(student: Callable, *, seed: int) -> dict:
    """The history the student's ``fit`` returned, the passes over each loader, the
    weights it ended with, and whether ``best_loss`` was left infinite."""
    if name := _test_data(student):  # before running it: test data may not even exist here
        raise probes.Stop("uses_test", name=name)
    model, train_loader, val_loader, criterion, optimizer = fit_problem(seed).build()
    train_loader, val_loader = Counted(train_loader), Counted(val_loader)
    args = (train_loader, val_loader, criterion, optimizer, EPOCHS)
    with _best_loss_at_return(student) as seen:
        history = student(model, *args, device="cpu", progress=False, keep_best=True)
    is_dict = isinstance(history, dict)
    return {
        "kind": type(history).__name__[:60],
        "history": {k: _column(history, k) for k in KEYS} if is_dict else None,
        "passes": [train_loader.passes, val_loader.passes],
        "state": _state(model),
        "best_loss_inf": seen["inf"],
    }

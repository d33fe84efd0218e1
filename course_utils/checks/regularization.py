"""Checks for lesson 03's exercises: a model with dropout, and evaluating it correctly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks.regularization_text import _

MLP_PARAMETERS = 269_322


@contextlib.contextmanager
def _dropout_calls() -> Iterator[list[tuple[int, float, bool]]]:
    """Record (last dimension, p, training) of every ``F.dropout`` call, modules included."""
    calls, original = [], F.dropout

    def recording(x, p=0.5, training=True, inplace=False):
        calls.append((x.shape[-1], p, training))
        return original(x, p, training, inplace)

    F.dropout = recording
    try:
        yield calls
    finally:
        F.dropout = original


def _used_modules(model: nn.Module, X: torch.Tensor, kind: type) -> set[str]:
    """Names of the submodules of type ``kind`` that run during ``model(X)``."""
    used: set[str] = set()
    named = [(n, m) for n, m in model.named_modules() if isinstance(m, kind)]
    hooks = [m.register_forward_hook(lambda *_a, n=n: used.add(n)) for n, m in named]
    try:
        model(X)
    finally:
        for hook in hooks:
            hook.remove()
    unused = [n for n, _m in named if n not in used]
    if unused:
        raise checks.Mistake(_("unused", name=unused[0]))
    return used


def _diagnose_dropout(model_class: Callable[..., nn.Module]) -> None:
    torch.manual_seed(0)
    model, X = model_class(p=0.5), torch.rand(8, 1, 28, 28)
    n = sum(p.numel() for p in model.parameters())
    if n != MLP_PARAMETERS:
        raise checks.Mistake(_("size", n=n, expected=MLP_PARAMETERS))
    with torch.no_grad(), _dropout_calls() as calls:
        shape = tuple(model.train()(X).shape)
        if shape != (8, 10):
            raise checks.Mistake(_("shape", shape=shape))
        _used_modules(model, X, nn.Dropout)
        if any(width == 10 for width, _p, _t in calls):
            raise checks.Mistake(_("after_output"))
        if len(calls) != 4:  # two passes so far, two dropouts each
            raise checks.Mistake(_("count", n=len(calls) // 2))
        if any(p != 0.5 for _w, p, _t in calls):
            raise checks.Mistake(_("wrong_p", got=next(p for _w, p, _t in calls if p != 0.5)))
        model.eval()
        if not torch.equal(model(X), model(X)):
            raise checks.Mistake(_("eval_active"))


def mlp_dropout(model_class: Callable[..., nn.Module]) -> checks.Result:
    """Check a class ``MLPDropout(p)``: the source's mlp with dropout after each hidden layer."""
    return checks.run("mlp_dropout", lambda: _diagnose_dropout(model_class), student=model_class)


def _reference_problem() -> tuple[nn.Module, DataLoader, float, float]:
    """A small dropout model, 50 samples in batches of 16, the true and per-batch accuracy."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))
    X = torch.randn(50, 4)
    with torch.no_grad():
        y = model.eval()(X).argmax(dim=1)
    y[::3] = (y[::3] + 1) % 3  # every third label made wrong
    loader = DataLoader(TensorDataset(X, y), batch_size=16)  # the last batch holds 2
    with torch.no_grad():
        hits = [(model(Xb).argmax(dim=1) == yb).float() for Xb, yb in loader]
    expected = torch.cat(hits).mean().item()
    per_batch = sum(h.mean().item() for h in hits) / len(hits)
    return model.train(), loader, expected, per_batch


def _diagnose_accuracy(accuracy: Callable[[nn.Module, DataLoader], float]) -> None:
    model, loader, expected, per_batch = _reference_problem()
    seen: list[tuple[bool, bool]] = []
    model.register_forward_pre_hook(
        lambda m, _x: seen.append((m.training, torch.is_grad_enabled()))
    )
    got = float(accuracy(model, loader))
    if any(training for training, _g in seen):
        raise checks.Mistake(_("train_mode"))
    if any(grad for _t, grad in seen):
        raise checks.Mistake(_("grad"))
    if abs(got - per_batch) < 1e-6:
        raise checks.Mistake(_("per_batch", got=got))
    if abs(got - 100 * expected) < 1e-4:
        raise checks.Mistake(_("percent", got=got))
    if abs(got - expected) > 1e-6:
        raise checks.Mistake(_("wrong", got=got))


def accuracy(student: Callable[[nn.Module, DataLoader], float]) -> checks.Result:
    """Check ``accuracy(model, loader)``: fraction correct, in eval mode, without gradients."""
    return checks.run("accuracy", lambda: _diagnose_accuracy(student), student=student)

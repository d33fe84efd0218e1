"""Checks for lesson 03's exercises: a model with dropout, and evaluating it correctly.

``mlp_dropout`` watches what reaches each linear layer (and what leaves the last
one), so dropout is found however it is written (``nn.Dropout``, ``F.dropout``,
``dropout`` imported on its own, inside a ``Sequential``) and its place and
probability are measured, not read from names.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks.regularization_text import _

MLP_PARAMETERS = 269_322
P = 0.3  # not 0.5, so that a keep probability (1 - p) shows
SHAPES = {"fc1": (784, 256), "fc2": (256, 256), "fc3": (256, 10)}


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _trace(model: nn.Module, X: torch.Tensor) -> dict[str, torch.Tensor] | None:
    """Run ``model(X)``; return what went into and out of fc1, fc2, fc3 and the model."""
    layers = {}
    for module in model.modules():
        for name, shape in SHAPES.items():
            if isinstance(module, nn.Linear) and (module.in_features, module.out_features) == shape:
                layers.setdefault(name, module)
    seen: dict[str, torch.Tensor] = {}

    def hook(name):
        def record(_module, args, out):
            seen.setdefault(f"{name}_in", args[0].detach().clone())
            seen.setdefault(f"{name}_out", out.detach().clone())

        return record

    hooks = [m.register_forward_hook(hook(n)) for n, m in layers.items()]
    try:
        seen["out"] = model(X).detach().clone()
    finally:
        for h in hooks:
            h.remove()
    return seen if len(layers) == len(SHAPES) and len(seen) == 2 * len(SHAPES) + 1 else None


def _dropped(before: torch.Tensor, after: torch.Tensor) -> float | None:
    """The dropout probability that turns ``before`` into ``after``; None if no dropout."""
    if before.shape != after.shape or torch.allclose(before, after):
        return None
    live = (before.abs() > 1e-6) & (after.abs() > 1e-6)
    zeroed = (before.abs() > 1e-6) & (after == 0)
    if not zeroed.any() or not live.any():
        return -1.0  # changed, but not by zeroing and rescaling
    scale = (after[live] / before[live]).median().item()
    return 1 - 1 / scale if scale > 1 else -1.0


def _check_structure(trace: dict[str, torch.Tensor], X: torch.Tensor) -> list[checks.Mistake]:
    relu = torch.relu
    output = _dropped(trace["fc3_out"], trace["out"])
    hidden = [_dropped(relu(trace["fc1_out"]), trace["fc2_in"]),
              _dropped(relu(trace["fc2_out"]), trace["fc3_in"])]  # fmt: skip

    def on_output() -> None:
        if output is not None:
            raise _mistake("after_output" if output > 0 else "output_changed")

    def place() -> None:
        if hidden == [None, None]:
            raise _mistake("no_dropout")
        if None in hidden:
            raise _mistake("missing", layer=hidden.index(None) + 1)

    def probability() -> None:
        wrong = [p for p in hidden if p is not None and abs(p - P) > 0.02]
        if wrong:
            raise _mistake("wrong_p", p=P, got=round(max(wrong[0], 0.0), 2))

    def on_input() -> None:
        if _dropped(X.flatten(1), trace["fc1_in"]) is not None:
            raise _mistake("on_input")

    return checks.collect(on_output, place, probability, on_input)


def _diagnose_dropout(model_class: Callable[..., nn.Module]) -> list[checks.Mistake]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model, X = model_class(P), torch.rand(8, 1, 28, 28)
        with torch.no_grad():
            shape = tuple(model.train()(X).shape)
            if shape != (8, 10):
                raise _mistake("shape", shape=shape)
            trace = _trace(model, X)
            model.eval()
            steady = torch.equal(model(X), model(X))
    n = sum(p.numel() for p in model.parameters())
    found = [] if steady else [_mistake("eval_active")]
    if trace is not None:
        found += _check_structure(trace, X)
    if n != MLP_PARAMETERS:
        found.append(_mistake("size", n=n, expected=MLP_PARAMETERS))
    return found


def mlp_dropout(model_class: Callable[..., nn.Module]) -> checks.Result:
    """Check a class ``MLPDropout(p)``: the source's mlp with dropout after each hidden layer."""
    return checks.run("mlp_dropout", lambda: _diagnose_dropout(model_class), student=model_class)


def _reference_problem() -> tuple[nn.Module, DataLoader, list[torch.Tensor]]:
    """A small dropout model and 50 samples in batches of 16 (the last holds 2), with the
    hits of each batch in evaluation mode."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))
    X = torch.randn(50, 4)
    with torch.no_grad():
        y = model.eval()(X).argmax(dim=1)
    y[::3] = (y[::3] + 1) % 3  # every third label made wrong
    loader = DataLoader(TensorDataset(X, y), batch_size=16)
    with torch.no_grad():
        hits = [(model(Xb).argmax(dim=1) == yb).float() for Xb, yb in loader]
    return model.train(), loader, hits


def _check_value(got: float, hits: list[torch.Tensor]) -> None:
    right, n = sum(h.sum().item() for h in hits), sum(len(h) for h in hits)
    if abs(got - right / n) < 1e-6:
        return
    for key, value in [
        ("per_batch", sum(h.mean().item() for h in hits) / len(hits)),
        ("percent", 100 * right / n),
        ("last_batch", hits[-1].mean().item()),
        ("count", right),
        ("by_batches", right / len(hits)),
    ]:
        if abs(got - value) < 1e-4:
            raise _mistake(key, got=got)
    raise _mistake("wrong", got=got)


def _diagnose_accuracy(accuracy: Callable[[nn.Module, DataLoader], float]) -> list:
    with torch.random.fork_rng(devices=[]):
        model, loader, hits = _reference_problem()
        seen: list[tuple[bool, bool]] = []
        model.register_forward_pre_hook(
            lambda m, _x: seen.append(
                (any(x.training for x in m.modules()), torch.is_grad_enabled())
            )
        )
        got = accuracy(model, loader)
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        raise _mistake("not_number", kind=type(got).__name__)
    if not seen:
        raise _mistake("no_forward")
    in_eval = not any(training for training, _g in seen)

    def mode() -> None:
        if not in_eval:
            raise _mistake("train_mode")

    def grad() -> None:
        if any(grad for _t, grad in seen):
            raise _mistake("grad")

    return checks.collect(mode, grad, lambda: in_eval and _check_value(float(got), hits))


def accuracy(student: Callable[[nn.Module, DataLoader], float]) -> checks.Result:
    """Check ``accuracy(model, loader)``: fraction correct, in eval mode, without gradients."""
    return checks.run("accuracy", lambda: _diagnose_accuracy(student), student=student)

"""Checks for lesson 04's exercise: the source's mlp with one BatchNorm per hidden layer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from course_utils import checks
from course_utils.checks.batchnorm_text import _

BN_PARAMETERS = 270_346


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _calls(model: nn.Module, X: torch.Tensor) -> tuple[list[str], Counter, dict[str, tuple]]:
    """Run ``model(X)``; return its BN layers, how often each ran and (width, all ≥ 0,
    training) of its last input."""
    named = [(n, m) for n, m in model.named_modules() if isinstance(m, _BatchNorm)]
    calls: Counter = Counter()
    inputs: dict[str, tuple] = {}

    def hook(name):
        def record(module, args):
            calls[name] += 1
            inputs[name] = (args[0].shape[-1], bool((args[0] >= 0).all()), module.training)

        return record

    hooks = [m.register_forward_pre_hook(hook(n)) for n, m in named]
    try:
        shape = tuple(model(X).shape)
    finally:
        for h in hooks:
            h.remove()
    if shape != (len(X), 10):
        raise _mistake("shape", shape=shape)
    return [n for n, _m in named], calls, inputs


def _structure(names: list[str], calls: Counter, inputs: dict, evaluation) -> list:
    hidden = {n: v for n, v in inputs.items() if v[0] == 256}

    def shared() -> None:
        for name in names:
            if calls[name] > 1:
                raise _mistake("shared", name=name, n=calls[name])

    def output() -> None:
        if any(width == 10 for width, *_rest in inputs.values()):
            raise _mistake("after_output")

    def missing() -> None:
        if sum(min(calls[n], 2) for n in hidden) < 2:
            raise _mistake("missing", n=sum(calls[n] for n in hidden))

    def after_relu() -> None:
        for name, (_width, positive, _training) in hidden.items():
            if positive:
                raise _mistake("after_relu", name=name)

    def on_input() -> None:
        if any(width == 784 for width, *_rest in inputs.values()):
            raise _mistake("on_input")

    return checks.collect(shared, output, evaluation, missing, after_relu, on_input)


def _check_eval(model: nn.Module, X: torch.Tensor) -> None:
    model.eval()
    with torch.no_grad():
        _names, _calls_, inputs = _calls(model, X)
        if any(training for *_rest, training in inputs.values()):
            raise _mistake("eval_ignored")
        if any(not m.track_running_stats for m in model.modules() if isinstance(m, _BatchNorm)):
            raise _mistake("no_running_stats")
        try:
            alone = model(X[:1])
        except ValueError:  # a BatchNorm using batch statistics refuses a batch of one
            alone = None
        if alone is None or not torch.allclose(model(X)[:1], alone, atol=1e-5):
            raise _mistake("batch_dependent")


def _diagnose(model_class: Callable[[], nn.Module]) -> list[checks.Mistake]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model, X = model_class(), torch.randn(16, 1, 28, 28)
        names, calls, inputs = _calls(model.train(), X)
        if not names:
            raise _mistake("no_bn")
        found = _structure(names, calls, inputs, lambda: _check_eval(model, X))
    n = sum(p.numel() for p in model.parameters())
    if n not in (BN_PARAMETERS, BN_PARAMETERS - 256, BN_PARAMETERS - 512):  # bias=False before BN
        found.append(_mistake("size", n=n, expected=BN_PARAMETERS))
    return found


def mlp_bn(model_class: Callable[[], nn.Module]) -> checks.Result:
    """Check ``MLPBatchNorm``: a BatchNorm1d of its own before each hidden ReLU."""
    return checks.run("mlp_bn", lambda: _diagnose(model_class), student=model_class)

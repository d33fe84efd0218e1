"""Probe for lesson 01's ``train_epoch``: one epoch on a tiny problem drawn from the seed.

The problem (its sizes, data, network and learning rate) comes from the seed, its
last batch smaller than the others. The student's function trains a model and a
loss that record what happens (:mod:`course_utils.probes.spies`) with an SGD
optimizer: which forward passes a backward pass reached and in which mode, whether
the gradients that arrived and those at every step were zero, whether the losses
trained on came from the given ``criterion``, the weights at the end and what it
returned; then five epochs from the start, for their weights.

The device is the CPU, but whether the data went to it shows: the loader's batches
are marked tensors that only ``.to(<a device>)`` makes ordinary again, and the model
and the loss note every marked tensor they get.
"""

from __future__ import annotations

import copy
import numbers
import random
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, default_collate

from course_utils import probes
from course_utils.probes.spies import SpyLoss, SpyModel, weights

DEVICE = torch.device("cpu")
LONGER = 5  # epochs of the second run


class Tensor(torch.Tensor):
    """A batch's tensor that has not been through ``.to(device)``: ``.to`` naming a device
    (or a tensor to match) gives an ordinary tensor, every other operation keeps the mark."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        result = super().__torch_function__(func, types, args, kwargs)
        if func is not torch.Tensor.to or not isinstance(result, Tensor):
            return result
        devices = (str, torch.device, torch.Tensor)
        moved = kwargs.get("device") is not None or any(isinstance(a, devices) for a in args[1:])
        return result.as_subclass(torch.Tensor) if moved else result

    def __deepcopy__(self, memo: dict) -> Tensor:
        return self.as_subclass(torch.Tensor).clone().as_subclass(Tensor)


def _plain(value: object) -> object:
    return value.as_subclass(torch.Tensor) if isinstance(value, Tensor) else value


def _marked(batch: list) -> list:
    return [t.as_subclass(Tensor) for t in default_collate(batch)]


@dataclass
class Problem:
    """A network, its data, the batch size and the learning rate."""

    net: nn.Module
    data: TensorDataset
    batch_size: int
    lr: float

    def loader(self, marked: bool = False) -> DataLoader:
        """The data in batches (with ``marked``, of tensors not yet moved to the device)."""
        collate = _marked if marked else None
        return DataLoader(self.data, batch_size=self.batch_size, collate_fn=collate)


def problem(seed: int) -> Problem:
    """The problem of ``seed``: two full batches and a smaller one."""
    rng = random.Random(seed)
    size = rng.randint(6, 9)
    n, features = 2 * size + rng.randint(2, size - 2), rng.randint(3, 6)
    classes, hidden, lr = rng.randint(3, 4), rng.randint(6, 10), round(rng.uniform(0.05, 0.2), 3)
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(n, features, generator=g), torch.randint(0, classes, (n,), generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    return Problem(net, TensorDataset(X, y), size, lr)


class _Loss(SpyLoss):
    """The spy loss that also notes marked tensors and the losses a backward pass reached."""

    def __init__(self, batches: list, seen: dict) -> None:
        super().__init__(batches, wrong="wrong_tensors")
        self.seen = seen

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        self.seen["unmoved"] += isinstance(output, Tensor) or isinstance(target, Tensor)
        loss = super().forward(_plain(output), _plain(target))
        if loss.requires_grad:
            loss.register_hook(
                lambda grad: self.seen.__setitem__("through", self.seen["through"] + 1)
            )
        return loss


def _watch(model: SpyModel, optimizer: torch.optim.Optimizer, seen: dict) -> None:
    def arrived(grad: torch.Tensor) -> None:
        seen["backward"] += 1
        seen["nonzero"] += bool(grad.abs().sum() > 0)

    def before_step(*_args) -> None:
        grads = [p.grad for p in model.parameters()]
        seen["steps"].append(any(g is not None and bool(g.abs().sum() > 0) for g in grads))

    def moved(_module, args: tuple) -> tuple:
        seen["unmoved"] += any(isinstance(a, Tensor) for a in args)
        return tuple(_plain(a) for a in args)

    for p in model.parameters():
        p.register_hook(arrived)
    optimizer.register_step_pre_hook(before_step)
    model.register_forward_pre_hook(moved)


def _train(student: Callable, task: Problem, epochs: int) -> tuple[SpyModel, _Loss, dict, object]:
    """Run the student's epoch(s) on the spies, the model left in eval mode as by an
    earlier evaluation; a crash with autograd off all along stops with ``no_grad``."""
    model = SpyModel(copy.deepcopy(task.net))
    optimizer = torch.optim.SGD(model.parameters(), lr=task.lr)
    seen = {"backward": 0, "nonzero": 0, "steps": [], "unmoved": 0, "through": 0}
    _watch(model, optimizer, seen)
    criterion, result = _Loss(list(task.loader()), seen), None
    model.eval()
    try:
        for _epoch in range(epochs):
            result = student(model, task.loader(marked=True), criterion, optimizer, device=DEVICE)
    except NotImplementedError:
        raise
    except RuntimeError:
        if model.calls and not any(call.grad_enabled for call in model.calls):
            raise probes.Stop("no_grad") from None
        raise
    return model, criterion, seen, result


def _number(value: object) -> dict:
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return {
        "kind": type(value).__name__[:60],
        "number": real,
        "value": float(value) if real else None,
    }


def train_epoch(student: Callable, *, seed: int) -> dict:
    """What one epoch of the student's loop did, and the weights after five from the start."""
    task = problem(seed)
    model, criterion, seen, result = _train(student, task, 1)
    longer = _train(student, task, LONGER)[0]
    return {
        **seen,
        "calls": model.record(),
        "losses": criterion.log,
        "weights": weights(model),
        "result": _number(result),
        "longer": weights(longer),
    }

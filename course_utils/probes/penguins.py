"""Probe for lesson 05's training exercises: one epoch of the loop and the evaluation.

Both run the student's function on a problem drawn from the seed: a linear classifier
and three batches, the last one of 3 samples, where the classifier gets every sample
of one full batch right, none of the other and one or two of the last one (every usual
bookkeeping mistake then gives another number). A function that takes a ``device``
gets the CPU; a move there (``.to(device)``, ``device=``) then hands back a copy, so
a batch that never went to ``device`` is seen as the loader's own tensor.
"""

from __future__ import annotations

import inspect
import numbers
import random
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils.data import DataLoader, TensorDataset, default_collate

from course_utils import probes
from course_utils.probes import spies

FEATURES, CLASSES, LAST = 4, 3, 3
SIZES, LRS = range(4, 8), (0.03, 0.05, 0.08)


@dataclass(frozen=True)
class Problem:
    """A classifier, its data, the batch size and the learning rate."""

    net: nn.Linear
    data: TensorDataset
    batch_size: int
    lr: float

    def loader(self, collate: Callable = default_collate) -> DataLoader:
        """Its batches, in order (the loader's own generator: the global one is left alone)."""
        return DataLoader(
            self.data, self.batch_size, collate_fn=collate, generator=torch.Generator()
        )


def problem(seed: int) -> Problem:
    """The problem of ``seed``."""
    rng = random.Random(seed)
    size = rng.choice(SIZES)
    hits = [size, 0] if rng.random() < 0.5 else [0, size]
    predicted, labels = [], []
    for batch, right in zip((size, size, LAST), [*hits, rng.randint(1, LAST - 1)], strict=True):
        good = set(rng.sample(range(batch), right))
        for i in range(batch):
            c = rng.randrange(CLASSES)
            predicted.append(c)
            labels.append(c if i in good else (c + rng.randint(1, CLASSES - 1)) % CLASSES)
    g = torch.Generator().manual_seed(seed)

    def noise(*shape: int) -> torch.Tensor:  # bounded: no prediction is a close call
        return torch.randn(shape, generator=g).clamp(-2, 2)

    X = 3 * torch.eye(FEATURES)[predicted] + 0.3 * noise(len(predicted), FEATURES)
    with torch.random.fork_rng(devices=[]):
        net = nn.Linear(FEATURES, CLASSES)
    with torch.no_grad():
        net.weight.copy_(torch.eye(CLASSES, FEATURES) + 0.05 * noise(CLASSES, FEATURES))
        net.bias.copy_(0.05 * noise(CLASSES))
    return Problem(net, TensorDataset(X, torch.tensor(labels)), size, rng.choice(LRS))


def _shares(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


class _Moves(TorchFunctionMode):
    """A move to a device (``.to(device)``, ``device=``) of a tensor hands back a copy."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        targets = (*args[1:], kwargs.get("device")) if func is torch.Tensor.to else ()
        moves = kwargs.get("device") is not None or any(
            isinstance(t, str | torch.device | torch.Tensor) for t in targets
        )
        source = args[0] if args else None
        if moves and isinstance(out, torch.Tensor) and isinstance(source, torch.Tensor):
            return out.clone() if _shares(out, source) else out
        return out


class _Handed:
    """Every tensor the loader handed out (kept, so no other tensor gets their storage)."""

    def __init__(self, data: TensorDataset) -> None:
        self.tensors = list(data.tensors)

    def collate(self, samples: list) -> list[torch.Tensor]:
        batch = default_collate(samples)
        self.tensors.extend(batch)
        return batch

    def unmoved(self, t: object) -> bool:
        return isinstance(t, torch.Tensor) and any(_shares(t, h) for h in self.tensors)


class _Model(spies.SpyModel):
    """A spy model that also notes whether each input is still the loader's tensor."""

    def __init__(self, net: nn.Module, handed: _Handed) -> None:
        super().__init__(net)
        self.handed, self.unmoved = handed, []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        unmoved = self.handed.unmoved(x)
        out = super().forward(x)
        self.unmoved.append(unmoved)  # after the pass: one note per recorded call
        return out

    def record(self) -> list[dict]:
        return [{**c, "unmoved": u} for c, u in zip(super().record(), self.unmoved, strict=True)]


class _Loss(spies.SpyLoss):
    """A spy loss that also notes whether a backward pass went through each loss, and
    whether its labels are still the loader's tensor."""

    def __init__(self, loader: DataLoader, handed: _Handed) -> None:
        super().__init__(list(loader), "wrong_tensors")
        self.handed = handed

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        loss = super().forward(output, target)
        entry = self.log[-1]
        entry += [False, self.handed.unmoved(target)]
        if loss.requires_grad:
            loss.register_hook(lambda grad: entry.__setitem__(3, True))
        return loss

    def record(self) -> list[dict]:
        keys = ("loss", "size", "graph", "backward", "unmoved")
        return [dict(zip(keys, entry, strict=True)) for entry in self.log]


def _value(got: object) -> dict:
    number = isinstance(got, numbers.Real) and not isinstance(got, bool)
    try:
        value = float(got) if number else None
    except (OverflowError, TypeError, ValueError):  # a number too big for a float
        value = None
    return {"kind": type(got).__name__[:60], "tensor": isinstance(got, torch.Tensor),
            "value": value, "number": number}  # fmt: skip


def _run(student: Callable, *args: object) -> tuple[object, bool]:
    """``student(*args)``, with ``device`` (the CPU, moves watched) if it takes one."""
    try:
        takes = "device" in inspect.signature(student).parameters
    except (TypeError, ValueError):
        takes = False
    if not takes:
        return student(*args), False
    with _Moves():
        return student(*args, device=torch.device("cpu")), True


def train_epoch(student: Callable, *, seed: int) -> dict:
    """One epoch of the student's ``train_epoch``: its forward passes, its losses, the
    weights after it and what it returned."""
    p = problem(seed)
    handed = _Handed(p.data)
    loader = p.loader(handed.collate)
    model = _Model(p.net, handed).eval()  # as an earlier evaluation would leave it
    criterion = _Loss(loader, handed)
    with torch.random.fork_rng(devices=[]):
        optimizer = torch.optim.SGD(model.parameters(), lr=p.lr)
        result, device = _run(student, model, loader, criterion, optimizer)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise probes.Stop("pair", kind=type(result).__name__[:60])
    return {"result": [_value(v) for v in result], "calls": model.record(),
            "losses": criterion.record(), "weights": spies.weights(model),
            "device": device}  # fmt: skip


def evaluate(student: Callable, *, seed: int) -> dict:
    """The student's ``evaluate`` on a model in training mode: its forward passes, the
    model's state after it and what it returned."""
    p = problem(seed)
    handed = _Handed(p.data)
    model = _Model(p.net, handed).train()
    with torch.random.fork_rng(devices=[]):
        accuracy, device = _run(student, model, p.loader(handed.collate))
    state = [t.detach().clone() for t in model.state_dict().values()]
    return {"accuracy": _value(accuracy), "calls": model.record(), "state": state,
            "device": device}  # fmt: skip

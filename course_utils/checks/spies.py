"""What the checks watch a student's code with: a model and a loss that record their calls.

They judge effects, not names: which inputs each forward pass got and in which mode
every module was, whether autograd was on, which outputs a backward pass reached
and what the given loss was called with.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class Call:
    """One forward pass of a :class:`SpyModel`."""

    x: torch.Tensor
    out: torch.Tensor
    training: bool  # every module in training mode
    evaluating: bool  # every module in evaluation mode
    grad_enabled: bool
    backward: bool = False  # a backward pass reached its output


class SpyModel(nn.Module):
    """``net`` that records every forward pass as a :class:`Call`."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net
        self.calls: list[Call] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.net(x)
        modes = [m.training for m in self.modules()]
        call = Call(x.detach().clone(), out.detach().clone(), all(modes), not any(modes),
                    torch.is_grad_enabled())  # fmt: skip
        if out.requires_grad:
            out.register_hook(lambda grad: setattr(call, "backward", True))
        self.calls.append(call)
        return out


def batch_of(x: torch.Tensor, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> int | None:
    """The index of the batch whose inputs are ``x``, or None."""
    same = (i for i, (X, _y) in enumerate(batches) if X.shape == x.shape and torch.equal(X, x))
    return next(same, None)


def per_batch(calls: list[Call], loader) -> list[tuple] | None:
    """(mean loss, size, right) of each batch from the first pass the model made on it;
    None if it skipped a batch."""
    batches, found = list(loader), {}
    for call in calls:
        index = batch_of(call.x, batches)
        if index is not None and index not in found:
            y = batches[index][1]
            loss = nn.functional.cross_entropy(call.out, y).item()
            found[index] = (loss, len(y), (call.out.argmax(dim=1) == y).sum().item())
    return [found[i] for i in sorted(found)] if len(found) == len(batches) else None


def per_batch_now(net: nn.Module, loader) -> list[tuple]:
    """:func:`per_batch` of ``net`` run now (for code that ran it on all the data at once)."""
    with torch.no_grad():
        return per_batch([Call(X, net(X), False, True, False) for X, _y in loader], loader)


def trained(calls: list[Call]) -> list[Call]:
    """The forward passes that trained: those a backward pass reached (else those with grad)."""
    return [c for c in calls if c.backward] or [c for c in calls if c.grad_enabled]


class SpyLoss(nn.CrossEntropyLoss):
    """Cross-entropy that logs (loss, batch size) and refuses labels of no batch."""

    def __init__(self, batches: list[tuple[torch.Tensor, torch.Tensor]], wrong) -> None:
        super().__init__()
        self.labels, self.wrong, self.log = [y for _X, y in batches], wrong, []

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        fits = isinstance(output, torch.Tensor) and isinstance(target, torch.Tensor)
        fits = fits and output.is_floating_point() and output.dim() == 2
        fits = fits and any(y.shape == target.shape and torch.equal(y, target) for y in self.labels)
        if not fits or len(output) != len(target):
            raise self.wrong()
        loss = super().forward(output, target)
        self.log.append((loss.item(), len(target), loss.requires_grad))
        return loss


def reference(model: nn.Module, loader, lr: float, variant: str = "ok") -> list[torch.Tensor]:
    """Weights after one SGD epoch of a correct loop, or of a usual mistake: ``"accumulate"``
    (never resets gradients) or ``"softmax"`` (softmax before the cross-entropy)."""
    model = copy.deepcopy(model).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for X, y in loader:
        out = model(X)
        loss = nn.functional.cross_entropy(out.softmax(dim=1) if variant == "softmax" else out, y)
        if variant != "accumulate":
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return weights(model)


def weights(model: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return len(a) == len(b) and all(
        torch.allclose(x, y, atol=1e-6) for x, y in zip(a, b, strict=True)
    )


MISTAKEN_LOOPS = {"accumulate": "no_zero_grad", "softmax": "softmax"}  # variant -> diagnosis


def step_mistake(model: nn.Module, start: nn.Module, loader, lr: float) -> str | None:
    """Compare ``model``'s weights after one epoch from ``start`` with a correct loop's:
    None when they agree, the diagnosis of the usual mistake they match, or ``""``."""
    got = weights(model)
    if same(got, reference(start, loader, lr)):
        return None
    found = (key for v, key in MISTAKEN_LOOPS.items() if same(got, reference(start, loader, lr, v)))
    return next(found, "")

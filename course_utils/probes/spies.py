"""What probes watch a student's code with: a model and a loss that record their calls.

They record effects, not names: which inputs each forward pass got and in which
mode every module was, whether autograd was on, which outputs a backward pass
reached and what the given loss was called with. :meth:`SpyModel.record` and
:meth:`SpyLoss.record` give it as plain data for the judge.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from course_utils import probes


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

    def record(self) -> list[dict]:
        """Every forward pass, as plain data (``x``, ``out``, the modes, ``backward``)."""
        return [asdict(call) for call in self.calls]


def batch_of(x: torch.Tensor, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> int | None:
    """The index of the batch whose inputs are ``x``, or None."""
    same = (i for i, (X, _y) in enumerate(batches) if X.shape == x.shape and torch.equal(X, x))
    return next(same, None)


class SpyLoss(nn.CrossEntropyLoss):
    """Cross-entropy that logs (loss, batch size, graph) and stops the probe with mistake
    ``wrong`` on labels of no batch."""

    def __init__(self, batches: list[tuple[torch.Tensor, torch.Tensor]], wrong: str) -> None:
        super().__init__()
        self.labels, self.wrong, self.log = [y for _X, y in batches], wrong, []

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        fits = isinstance(output, torch.Tensor) and isinstance(target, torch.Tensor)
        fits = fits and output.is_floating_point() and output.dim() == 2
        fits = fits and any(y.shape == target.shape and torch.equal(y, target) for y in self.labels)
        if not fits or len(output) != len(target):
            raise probes.Stop(self.wrong)
        loss = super().forward(output, target)
        self.log.append([loss.item(), len(target), loss.requires_grad])
        return loss


def weights(model: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]

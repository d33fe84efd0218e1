"""Probe for lesson 01's ``sgd_step``: small networks after one backward pass, stepped.

Each problem is a network whose layers' sizes, weights and batch come from the
seed, with a learning rate drawn from it too. Two of its layers take no part in
the loss, so their gradients are None: one between the layers that do, one
last. The student's function steps the main problem's ``parameters()`` (a
generator), the same problem as a list, and a second problem with another
learning rate; the probe records the parameters each run leaves behind.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from course_utils import probes


class Net(nn.Module):
    """Two layers that make the output and two idle ones (the first between them)."""

    def __init__(self, n_in: int, hidden: int, n_out: int) -> None:
        super().__init__()
        self.fc1, self.idle = nn.Linear(n_in, hidden), nn.Linear(hidden, hidden)
        self.fc2, self.idle_out = nn.Linear(hidden, n_out), nn.Linear(n_out, n_out)

    def forward(self, x: torch.Tensor, every_layer: bool = False) -> torch.Tensor:
        h = torch.relu(self.fc1(x))
        out = self.fc2(h + self.idle(h) if every_layer else h)
        return out + self.idle_out(out) if every_layer else out


def problem(seed: int, every_layer: bool = False) -> list[tuple[Net, float]]:
    """The main problem and the second one of ``seed``: each a network after
    ``backward()`` and its learning rate (with ``every_layer``, every gradient is there)."""
    rng, steps = random.Random(seed), []
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        for low, high in [(0.15, 0.45), (0.03, 0.08)]:
            n_in, hidden, n_out = (rng.randint(3, 6) for _ in range(3))
            net = Net(n_in, hidden, n_out)
            net(torch.randn(8, n_in), every_layer).pow(2).mean().backward()
            steps.append((net, round(rng.uniform(low, high), 3)))
    return steps


def _state(params: list[nn.Parameter]) -> dict:
    return {
        "after": [p.detach().clone() for p in params],
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in params],
        "leaves": [bool(p.is_leaf and p.requires_grad) for p in params],
    }


def _copes_with_every_gradient(student: Callable, seed: int, which: int) -> bool:
    net, lr = problem(seed, every_layer=True)[which]
    try:
        student(net.parameters(), lr)
    except Exception:
        return False
    return True


def _take(student: Callable, seed: int, which: int, as_list: bool = False) -> dict:
    """Step problem ``which`` with the student's function; what its parameters became."""
    net, lr = problem(seed)[which]
    params = list(net.parameters())
    try:
        student(params if as_list else net.parameters(), lr)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        if "leaf Variable" not in str(error):
            raise
        raise probes.Stop("no_no_grad") from None
    except Exception:
        if _copes_with_every_gradient(student, seed, which):
            raise probes.Stop("grad_none") from None
        raise  # it fails with every gradient there too: say where
    return _state(params)


def sgd_step(student: Callable, *, seed: int) -> dict:
    """The parameters after the student's step on the main problem (as a generator, then
    as a list) and on the second one, and how many optimizer steps it took."""
    steps = []
    hook = register_optimizer_step_pre_hook(lambda *_: steps.append(1))
    try:
        runs = [_take(student, seed, 0), _take(student, seed, 0, as_list=True),
                _take(student, seed, 1)]  # fmt: skip
    finally:
        hook.remove()
    return {"optimizer_steps": len(steps), "runs": runs}

"""Probe for lesson 04's ``unused_batchnorms``: what the student's function returns for a
model drawn from the seed, and what it left behind in that model.

The model has BatchNorm layers at the top and inside nested blocks, some of which its
``forward`` skips, and a linear layer it never uses. The function is called twice, on
fresh copies of the model: once in training mode and once in evaluation mode. After
each call the probe records the answer and the state of the model: its modes, the
hooks still registered, the gradients, and whether any BatchNorm's running statistics
or ``num_batches_tracked`` moved.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
from torch import nn
from torch.nn.modules import module as module_hooks

WIDTH = 6
NAMES = ("norm", "bn", "batchnorm", "scale", "whiten")  # top-level BatchNorm names


def problem(seed: int) -> dict:
    """The problem ``seed``: the blocks, which BatchNorms ``forward`` skips, the names."""
    rng = random.Random(seed)
    blocks = rng.randint(2, 4)
    first, spare = rng.sample(NAMES, 2)
    return {
        "blocks": blocks,
        "skipped": rng.randrange(blocks),  # the block whose BatchNorm never runs
        "first": first,  # the BatchNorm on the input layer, which runs
        "spare": f"{spare}{rng.randint(1, 9)}",  # a BatchNorm forward never calls
        "unused_linear": f"head{rng.randint(2, 9)}",  # a linear layer forward never calls
        "batch": rng.randint(8, 16),
    }


class Block(nn.Module):
    """Linear, BatchNorm (unless skipped) and ReLU."""

    def __init__(self, skip: bool) -> None:
        super().__init__()
        self.linear, self.norm, self.skip = nn.Linear(WIDTH, WIDTH), nn.BatchNorm1d(WIDTH), skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.linear(x)
        return torch.relu(x if self.skip else self.norm(x))


class Net(nn.Module):
    """The problem's model: input layer and its BatchNorm, blocks, output layer."""

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self.inp = nn.Linear(WIDTH, WIDTH)
        self.first = spec["first"]
        setattr(self, spec["first"], nn.BatchNorm1d(WIDTH))
        skip = spec["skipped"]
        self.blocks = nn.Sequential(*(Block(i == skip) for i in range(spec["blocks"])))
        setattr(self, spec["spare"], nn.BatchNorm1d(WIDTH))
        self.out = nn.Linear(WIDTH, 3)
        setattr(self, spec["unused_linear"], nn.Linear(WIDTH, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(getattr(self, self.first)(self.inp(x)))
        return self.out(self.blocks(x))


def build(spec: dict, seed: int) -> tuple[nn.Module, torch.Tensor]:
    """A fresh model of the problem and its batch, the same for every call."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Net(spec)
        batch = 3 + 2 * torch.randn(spec["batch"], WIDTH)
    return model, batch


def _answer(names: object) -> object:
    """The names returned, sorted; else the type's name of the value (or of the first
    element that is not a string)."""
    if isinstance(names, (list, tuple, set, frozenset)) and len(names) <= 100:
        other = [name for name in names if not isinstance(name, str)]
        if not other:
            return sorted(name[:100] for name in names)
        names = other[0]
    return type(names).__name__[:60]


def _hooks(model: nn.Module) -> int:
    """Forward hooks registered on the model's modules, and on every module."""
    on_all = module_hooks._global_forward_hooks, module_hooks._global_forward_pre_hooks
    own = sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())
    return own + sum(len(hooks) for hooks in on_all)


def _call(student: Callable, spec: dict, seed: int, training: bool) -> dict:
    model, batch = build(spec, seed)
    model.train(training)
    hooks = _hooks(model)
    before = {k: v.clone() for k, v in model.named_buffers()}
    answer = student(model, batch.clone())
    after = dict(model.named_buffers())
    moved = [k for k, v in before.items() if k not in after or not torch.equal(after[k], v)]
    return {
        "answer": _answer(answer),
        "modes": [bool(m.training) for m in model.modules()],
        "hooks": _hooks(model) - hooks,
        "grads": sum(p.grad is not None for p in model.parameters()),
        "moved": [k[:100] for k in moved],
    }


def unused_batchnorms(student: Callable, *, seed: int) -> dict:
    """What the student's function does on the problem ``seed``, in both modes."""
    spec = problem(seed)
    return {
        "train": _call(student, spec, seed, True),
        "eval": _call(student, spec, seed, False),
    }

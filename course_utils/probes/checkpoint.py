"""Probe for lesson 06's ``resume_training``: a run cut short, saved, then resumed.

A tiny run drawn from the seed (its sizes, data, batch size, learning rate, the epochs
done before the cut and in all) is trained up to the cut and saved with the student's
own ``save_checkpoint`` into a scratch folder, so that their ``resume_training``
(which restores through their ``load_checkpoint``) can read it. Then it gets fresh
objects, as after a restart (other weights, other data order), twice: asked for the
epochs already done it must only restore; asked for all of them it must finish the run.
The record holds the state of the fresh objects after each call and what each returned.
"""

from __future__ import annotations

import numbers
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils.probes.checkpoint_dict import layout

Run = tuple[nn.Module, torch.optim.Optimizer, DataLoader]


@dataclass(frozen=True)
class Problem:
    """Layer sizes (inputs, hidden, classes), samples, batch size, learning rate, the epochs
    done when the run was cut and the epochs of the whole run."""

    sizes: tuple[int, int, int]
    samples: int
    batch_size: int
    lr: float
    saved: int
    total: int


def problem(seed: int) -> Problem:
    rng = random.Random(seed)
    sizes = (rng.randint(3, 6), rng.randint(4, 8), rng.randint(2, 4))
    batch_size = rng.choice((4, 8))
    saved = rng.randint(2, 3)  # two or more: starting from 0 is not one epoch too many
    return Problem(sizes, batch_size * rng.randint(4, 6), batch_size,
                   rng.choice((0.02, 0.05)), saved, saved + rng.randint(2, 3))  # fmt: skip


def fresh(seed: int, start: int) -> Run:
    """Problem ``seed``'s data with a new model, its Adam and a shuffling loader drawn from
    ``start`` (``seed`` itself for the original run, another number after a restart)."""
    p = problem(seed)
    data = torch.Generator().manual_seed(seed)
    X = torch.randn(p.samples, p.sizes[0], generator=data)
    y = torch.randint(0, p.sizes[2], (p.samples,), generator=data)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(start)
        n_in, hidden, classes = p.sizes
        model = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=p.lr)
    shuffle = torch.Generator().manual_seed(start)
    loader = DataLoader(TensorDataset(X, y), p.batch_size, shuffle=True, generator=shuffle)
    return model, optimizer, loader


def interrupted(seed: int) -> Run:
    """The original run of problem ``seed`` when it was cut, after ``saved`` epochs."""
    model, optimizer, loader = fresh(seed, seed)
    model.train()
    for _epoch in range(problem(seed).saved):
        for X, y in loader:
            loss = nn.functional.cross_entropy(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model, optimizer, loader


def _number(value: object) -> float | None:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return float(value) if real else None


def _returned(value: object) -> dict:
    """What ``resume_training`` returned: its type, its length and its items as numbers."""
    try:
        length = len(value)
        items = [_number(item) for item in value] if length <= 1000 else None
    except Exception:  # no length, or items it cannot give: named by its type
        length, items = None, None
    return {"kind": type(value).__name__[:60], "is_list": isinstance(value, list),
            "length": length, "values": items}  # fmt: skip


def _resume(student: Callable, path: Path, seed: int, num_epochs: int) -> dict:
    model, optimizer, loader = fresh(seed, seed + 1)
    returned = student(path, model, optimizer, nn.CrossEntropyLoss(), loader, num_epochs, "cpu")
    return {
        "model": layout(model.state_dict()),
        "optimizer": layout(optimizer.state_dict()),
        "returned": _returned(returned),
    }


def resume_training(student: Callable, save: Callable, *, seed: int) -> dict:
    """Save the cut run with ``save``; resume it with ``student`` to the cut and to the end."""
    p = problem(seed)
    with torch.random.fork_rng(devices=[]), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interrupted.pt"
        model, optimizer, loader = interrupted(seed)
        save(path, model, optimizer, p.saved, loader.generator)
        return {
            "restored": _resume(student, path, seed, p.saved),
            "resumed": _resume(student, path, seed, p.total),
        }

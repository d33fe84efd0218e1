"""Probe for lesson 06's ``save_checkpoint`` and ``load_checkpoint``: a run saved, then loaded.

A tiny run drawn from the seed (its sizes, data, learning rate, Adam steps and epoch;
its generator moved on) is saved with the student's ``save_checkpoint`` into a scratch
folder and loaded with their ``load_checkpoint`` into fresh objects. The record holds
what the file holds (read with ``weights_only=True``, as plain data), what the fresh
objects hold after loading, what the load returned and whether it ran the code hidden
in a tampered copy of the file.
"""

from __future__ import annotations

import contextlib
import numbers
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from course_utils import probes

PLAIN = (torch.Tensor, int, float, str, bool, type(None), dict, list, tuple)
MAX_NUMBERS, MAX_ITEMS, MAX_DEPTH = 10**5, 1000, 8  # what a record keeps of a file
_SPRUNG: list[bool] = []


@dataclass(frozen=True)
class Problem:
    """Layer sizes (inputs, hidden, classes), Adam's learning rate and steps, the epoch."""

    sizes: tuple[int, int, int]
    lr: float
    steps: int
    epoch: int


def problem(seed: int) -> Problem:
    rng = random.Random(seed)
    sizes = (rng.randint(3, 6), rng.randint(4, 8), rng.randint(2, 4))
    return Problem(sizes, rng.choice((0.01, 0.02, 0.05)), rng.randint(2, 3), rng.randint(3, 12))


def fresh(p: Problem, start: int) -> tuple[nn.Module, torch.optim.Optimizer, torch.Generator]:
    """A new model, its Adam and a generator, all drawn from ``start``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(start)
        n_in, hidden, classes = p.sizes
        model = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=p.lr)
    return model, optimizer, torch.Generator().manual_seed(start)


def trained(seed: int) -> tuple[nn.Module, torch.optim.Optimizer, torch.Generator]:
    """The run of problem ``seed`` mid-training: Adam has moments, the generator moved on."""
    p = problem(seed)
    model, optimizer, generator = fresh(p, seed)
    data = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(8, p.sizes[0], generator=data)
    y = torch.randint(0, p.sizes[2], (8,), generator=data)
    for _step in range(p.steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.randperm(10, generator=generator)
    return model, optimizer, generator


def layout(value: object, depth: int = 0) -> object:
    """``value`` (read with ``weights_only=True``) as plain data: dicts with string keys,
    lists, numbers, strings, tensors; anything else as ``"<its type>"``."""
    if isinstance(value, torch.Tensor) and value.layout == torch.strided:
        if value.numel() <= MAX_NUMBERS:
            return value.detach().to("cpu").clone()
    elif value is None or isinstance(value, bool):
        return value
    elif isinstance(value, str):
        return value[:200]
    elif isinstance(value, numbers.Integral):
        return int(value)
    elif isinstance(value, numbers.Real):
        return float(value)
    elif isinstance(value, dict) and depth < MAX_DEPTH:
        items = list(value.items())[:MAX_ITEMS]
        return {str(k)[:100]: layout(v, depth + 1) for k, v in items}
    elif isinstance(value, list | tuple) and depth < MAX_DEPTH:
        return [layout(v, depth + 1) for v in value[:MAX_ITEMS]]
    return f"<{type(value).__name__[:60]}>"


def values(obj: object) -> Iterator[object]:
    """``obj`` and everything nested in it through dicts, lists and tuples."""
    yield obj
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list | tuple) else ()
    for item in items:
        yield from values(item)


def _spring() -> None:
    """What the trap file runs when it is unpickled without ``weights_only``."""
    _SPRUNG.append(True)


class _Trap:
    """An object whose unpickling calls :func:`_spring`, as a malicious file would."""

    def __reduce__(self):
        return (_spring, ())


def _read(path: Path) -> object:
    """The file's content; a :class:`probes.Stop` when ``weights_only=True`` refuses it."""
    with contextlib.suppress(Exception):
        return torch.load(path, weights_only=True)
    try:
        content = torch.load(path, weights_only=False)  # written by the student's own code
    except Exception:
        raise probes.Stop("unreadable") from None
    odd = next((v for v in values(content) if not isinstance(v, PLAIN)), content)
    kind = type(odd).__name__[:60]
    raise probes.Stop("method" if kind == "method" else "objects", kind=kind)


def _whole_dict(error: RuntimeError, content: object) -> bool:
    """Whether ``load_state_dict`` got the whole checkpoint instead of the model's part."""
    text = str(error)
    keys = content.keys() if isinstance(content, dict) else ()
    return "state_dict" in text and any(f'"{key}"' in text for key in keys)


def _returned(value: object) -> dict:
    """What ``load_checkpoint`` returned: its type and, if it is one number, that number."""
    tensor = isinstance(value, torch.Tensor)
    number = value.item() if tensor and value.numel() == 1 else value
    if isinstance(number, bool) or not isinstance(number, numbers.Real):
        number = None
    else:
        number = int(number) if isinstance(number, numbers.Integral) else float(number)
    return {"kind": type(value).__name__[:60], "tensor": tensor, "value": number}


def _runs_hidden_code(load: Callable, content: object, folder: Path, p: Problem, seed: int) -> bool:
    """Whether ``load`` runs the code hidden in a copy of the student's file."""
    if isinstance(content, dict):
        content = {**content, "note": _Trap()}
    elif isinstance(content, list | tuple):
        content = [*content, _Trap()]
    else:
        return False
    torch.save(content, trap := folder / "trap.pt")
    _SPRUNG.clear()
    with contextlib.suppress(Exception):  # refusing the file is the right answer
        load(trap, *fresh(p, seed + 2))
    return bool(_SPRUNG)


def _probe(save: Callable, load: Callable, seed: int, folder: Path) -> dict:
    p, path = problem(seed), folder / "run.pt"
    model, optimizer, generator = trained(seed)
    save(path, model, optimizer, p.epoch, generator)
    if not path.is_file():
        raise probes.Stop("no_file")
    content = _read(path)
    model, optimizer, generator = fresh(p, seed + 1)
    try:
        returned = load(path, model, optimizer, generator)
    except RuntimeError as error:
        if _whole_dict(error, content):
            raise probes.Stop("whole_dict") from None
        raise
    return {
        "file": layout(content),
        "model": layout(model.state_dict()),
        "optimizer": layout(optimizer.state_dict()),
        "generator": generator.get_state(),
        "returned": _returned(returned),
        "hidden_code_ran": _runs_hidden_code(load, content, folder, p, seed),
    }


def checkpoint_dict(save: Callable, load: Callable, *, seed: int) -> dict:
    """Save a run with ``save``, load it with ``load`` into fresh objects; what came back."""
    with torch.random.fork_rng(devices=[]), tempfile.TemporaryDirectory() as folder:
        return _probe(save, load, seed, Path(folder))

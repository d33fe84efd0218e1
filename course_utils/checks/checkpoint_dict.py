"""Check for lesson 06's ``save_checkpoint`` and ``load_checkpoint``: a checkpoint dict
written with ``torch.save`` and read back with ``torch.load(weights_only=True)``.

A tiny run (two Adam steps, its generator moved on) is saved after epoch 7 and loaded
into fresh objects. The file must hold only tensors and plain values (written by the
student, not by ``course_utils.checkpoint``); the load must restore model, optimizer and
generator, return 7 and refuse a file that carries code. What the file holds only
tells "not saved" from "not restored".
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import torch
from torch import nn

from course_utils import checkpoint, checks
from course_utils.checks.checkpoint import same_optimizer_state
from course_utils.checks.checkpoint_dict_text import _

EPOCH = 7
PLAIN = (torch.Tensor, int, float, str, bool, type(None), dict, list, tuple)
_SPRUNG: list[bool] = []


def _spring() -> None:
    """What the trap file runs when it is unpickled without ``weights_only``."""
    _SPRUNG.append(True)


class _Trap:
    """An object whose unpickling calls :func:`_spring`, as a malicious file would."""

    def __reduce__(self):
        return (_spring, ())


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _run(seed: int) -> tuple[nn.Module, torch.optim.Optimizer, torch.Generator]:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3))
    return model, torch.optim.Adam(model.parameters(), lr=0.05), torch.Generator().manual_seed(seed)


def _trained() -> tuple[nn.Module, torch.optim.Optimizer, torch.Generator]:
    """A run in the middle of training: Adam has moments, the generator has moved on."""
    model, optimizer, generator = _run(0)
    data = torch.Generator().manual_seed(2)
    x, y = torch.randn(8, 4, generator=data), torch.randint(0, 3, (8,), generator=data)
    for _step in range(2):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.randperm(10, generator=generator)
    return model, optimizer, generator


def _values(obj: object) -> Iterator[object]:
    """``obj`` and everything nested in it through dicts, lists and tuples."""
    yield obj
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list | tuple) else ()
    for item in items:
        yield from _values(item)


def _same_tensors(found: object, expected: dict) -> bool:
    if not isinstance(found, dict) or found.keys() != expected.keys():
        return False
    return all(_is_tensor(value, expected[key]) for key, value in found.items())


def _is_epoch(value: object) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() == 1 and value.item() == EPOCH
    return isinstance(value, int | float) and not isinstance(value, bool) and value == EPOCH


def _unsafe_kind(path: Path) -> str | None:
    """The first type in the file that ``weights_only=True`` refuses, or None if none is."""
    with contextlib.suppress(Exception):
        torch.load(path, weights_only=True)
        return None
    try:
        content = torch.load(path, weights_only=False)  # written by the student's own code
    except Exception:
        raise _mistake("unreadable") from None
    odd = next((v for v in _values(content) if not isinstance(v, PLAIN)), content)
    return type(odd).__name__


def _loads_code(load: Callable, path: Path, content: object, folder: Path) -> bool:
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
        load(trap, *_run(2))
    return bool(_SPRUNG)


def _whole_dict(error: RuntimeError, content: object) -> bool:
    """Whether ``load_state_dict`` got the whole checkpoint instead of the model's part."""
    text = str(error)
    keys = content.keys() if isinstance(content, dict) else ()
    return "state_dict" in text and any(f'"{key}"' in text for key in keys)


def _is_optimizer_state(value: object, expected: dict) -> bool:
    keys = value.keys() if isinstance(value, dict) else set()
    return {"state", "param_groups"} <= keys and same_optimizer_state(value, expected)


def _is_tensor(value: object, expected: torch.Tensor) -> bool:
    same_kind = isinstance(value, torch.Tensor) and value.dtype == expected.dtype
    return same_kind and value.shape == expected.shape and torch.equal(value, expected)


def _diagnose(save: Callable, load: Callable, folder: Path) -> list[checks.Mistake]:
    model, optimizer, generator = _trained()
    path = folder / "run.pt"
    save(path, model, optimizer, EPOCH, generator)
    if not path.is_file():
        raise _mistake("no_file")
    if kind := _unsafe_kind(path):
        raise _mistake("method" if kind == "method" else "objects", kind=kind)
    content = torch.load(path, weights_only=True)
    if isinstance(content, dict) and content.get("format") == checkpoint.FORMAT:
        raise _mistake("uses_helper")
    saved = list(_values(content))
    fresh, fresh_optimizer, fresh_generator = _run(1)
    try:
        returned = load(path, fresh, fresh_optimizer, fresh_generator)
    except RuntimeError as error:
        if _whole_dict(error, content):
            raise _mistake("whole_dict") from None
        raise

    model_state, optimizer_state = model.state_dict(), optimizer.state_dict()
    generator_state = generator.get_state()
    pieces = {  # each piece: (back in the fresh object, found in the file)
        "model": (
            _same_tensors(fresh.state_dict(), model_state),
            any(_same_tensors(v, model_state) for v in saved),
        ),
        "optimizer": (
            same_optimizer_state(fresh_optimizer.state_dict(), optimizer_state),
            any(_is_optimizer_state(v, optimizer_state) for v in saved),
        ),
        "generator": (
            torch.equal(fresh_generator.get_state(), generator_state),
            any(_is_tensor(v, generator_state) for v in saved),
        ),
    }

    def restores(what: str) -> Callable[[], None]:
        def probe() -> None:
            back, in_file = pieces[what]
            if not back:
                raise _mistake(f"{what}_not_restored" if in_file else f"{what}_not_saved")

        return probe

    def safe() -> None:
        if _loads_code(load, path, content, folder):
            raise _mistake("unsafe_load")

    def epoch() -> None:
        if _is_epoch(returned):
            return
        if isinstance(returned, bool) or not isinstance(returned, int | float):
            raise _mistake("epoch_not_number", epoch=EPOCH, kind=type(returned).__name__)
        key = "epoch_not_saved" if not any(map(_is_epoch, saved)) else "wrong_epoch"
        raise _mistake(key, epoch=EPOCH, got=returned)

    return checks.collect(
        restores("model"), safe, restores("optimizer"), restores("generator"), epoch
    )


def checkpoint_dict(save: Callable, load: Callable) -> checks.Result:
    """Check ``save_checkpoint(path, model, optimizer, epoch, generator)`` and
    ``load_checkpoint(path, model, optimizer, generator)``, which returns the epoch."""

    def diagnose() -> list[checks.Mistake]:
        with torch.random.fork_rng(devices=[]), tempfile.TemporaryDirectory() as folder:
            return _diagnose(save, load, Path(folder))

    return checks.run("save_checkpoint + load_checkpoint", diagnose, student=(save, load))

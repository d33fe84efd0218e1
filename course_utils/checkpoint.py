"""Save and load full training checkpoints safely (lesson 06).

A checkpoint holds the model's ``state_dict``, the optimizer's state, the number of
epochs done, the best validation metric, the hyperparameters, an architecture
fingerprint (every tensor's name and shape) and, optionally, the state of the
generator that shuffles the data. :func:`save` writes a temporary file in the same
folder and renames it, so an interrupted save never replaces a good checkpoint.
:func:`load` reads with ``weights_only=True`` and explains, in the current language,
a missing, damaged or foreign file.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import torch
from torch import nn

from course_utils.checkpoint_text import _, mismatch

FORMAT = "course-checkpoint/1"
SAFE_TYPES = (int, float, str, bool, type(None))


class CheckpointError(ValueError):
    """A checkpoint file cannot be used: damaged, unsafe, or saved from another model."""


def fingerprint(model: nn.Module) -> dict[str, list[int]]:
    """The name and shape of every tensor in ``model.state_dict()``."""
    return {key: list(value.shape) for key, value in model.state_dict().items()}


def _check_hparams(value: object, where: str = "hparams") -> None:
    """Refuse values that ``torch.load(weights_only=True)`` could not read back."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_hparams(key, where)
            _check_hparams(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_hparams(item, f"{where}[{i}]")
    elif not isinstance(value, SAFE_TYPES):
        raise TypeError(_("hparams", where=where, kind=type(value).__name__))


def save(
    path: str | Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    epoch: int,
    best_metric: float | None = None,
    hparams: dict | None = None,
    generator: torch.Generator | None = None,
) -> Path:
    """Write a full checkpoint to ``path`` atomically (temporary file, then rename).

    ``epoch`` is the number of epochs done; ``generator`` is the one that shuffles the
    training data, saved so a resumed run sees the batches an uninterrupted run would.
    """
    path = Path(path)
    hparams = dict(hparams or {})
    _check_hparams(hparams)
    state = {
        "format": FORMAT,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "optimizer_class": type(optimizer).__name__ if optimizer is not None else None,
        "epoch": int(epoch),
        "best_metric": None if best_metric is None else float(best_metric),
        "hparams": hparams,
        "fingerprint": fingerprint(model),
        "generator": generator.get_state() if generator is not None else None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(state, file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a checkpoint is a normal file
        os.replace(temporary, path)
    except BaseException:  # also Ctrl+C: never leave a half-written file behind
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _read(path: Path, map_location) -> dict:
    """``torch.load(weights_only=True)`` with a clear error for every way it can fail."""
    if not path.is_file():
        raise FileNotFoundError(_("missing", path=path))
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        if "weights only" in str(error).lower():
            raise CheckpointError(_("unsafe", name=path.name)) from error
        raise CheckpointError(_("corrupt", name=path.name, error=error)) from error
    except (PermissionError, IsADirectoryError):
        raise
    except Exception as error:  # torch reports damage as RuntimeError, OSError, EOFError...
        reason = f"{type(error).__name__}: {str(error).split('. ')[0]}"
        raise CheckpointError(_("corrupt", name=path.name, error=reason)) from error
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise CheckpointError(_("foreign", name=path.name))
    return state


def _differences(saved: dict[str, list[int]], current: dict[str, list[int]]) -> list[tuple]:
    """(message key, values) naming the keys only one side has and the shapes that differ."""
    found = []
    if missing := [key for key in current if key not in saved]:
        found.append(("not_in_file", {"keys": ", ".join(missing)}))
    if extra := [key for key in saved if key not in current]:
        found.append(("not_in_model", {"keys": ", ".join(extra)}))
    for key in (key for key in saved if key in current and saved[key] != current[key]):
        found.append(("shape", {"tensor": key, "saved": saved[key], "current": current[key]}))
    return found


def _check_fits(state: dict, name: str, model, optimizer, generator) -> None:
    """Raise :class:`CheckpointError` unless the checkpoint fits what will be restored."""
    if differences := _differences(state["fingerprint"], fingerprint(model)):
        raise CheckpointError(mismatch(name, state["hparams"], differences))
    for what, given in (("optimizer", optimizer), ("generator", generator)):
        if given is not None and state[what] is None:
            raise CheckpointError(_("no_state", name=name, what=what))
    saved, yours = state["optimizer_class"], type(optimizer).__name__
    if optimizer is not None and saved != yours:
        raise CheckpointError(_("optimizer", name=name, saved=saved, yours=yours))


def load(
    path: str | Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    generator: torch.Generator | None = None,
    map_location: str | torch.device | None = None,
) -> dict:
    """Restore ``model`` (and ``optimizer``, ``generator``) from ``path``; return the checkpoint.

    Nothing is changed unless the whole checkpoint fits. ``map_location`` defaults to the
    device of the model's parameters, so a checkpoint written on a GPU loads on a CPU.
    The returned dict holds ``epoch`` (epochs done), ``best_metric`` and ``hparams``.
    """
    path = Path(path)
    if map_location is None:
        map_location = next((p.device for p in model.parameters()), torch.device("cpu"))
    state = _read(path, map_location)
    _check_fits(state, path.name, model, optimizer, generator)
    model.load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if generator is not None:
        generator.set_state(state["generator"].cpu())
    return state

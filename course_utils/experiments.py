"""Lessons 03-04: one training recipe and the multi-seed results table.

The models are the source's ``mlp`` and its variants (:mod:`course_utils.models`).
``train_model`` is the source's recipe (Adam, lr 0.001, batch 64) written with the loops
of ``course_utils.train``, with two speed-ups that change no batch (``loaders.batched``,
Adam's ``fused`` kernel); ``results`` trains each variant on several seeds and scores it
on the test set in the evaluation modes that matter (``eval`` and, as the source did,
``train``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from concurrent.futures import Future
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn
from torch.utils.data import Dataset

from course_utils import loaders, models, runs, train
from course_utils import seed as seeding
from course_utils.experiments_text import _

BATCH_SIZE, LR = 64, 1e-3
MODES = ("train", "eval")


@dataclass(frozen=True)
class Variant:
    """One row group of the table: a model, its weight decay, how it is evaluated."""

    model: Callable[[], nn.Module]
    weight_decay: float = 0.0
    modes: tuple[str, ...] = ("eval",)


VARIANTS = {
    "baseline": Variant(models.MLP),
    "l2": Variant(models.MLP, weight_decay=1e-5),
    "dropout": Variant(models.MLPDropout, modes=MODES),
    "bn_shared": Variant(models.MLPSharedBN, modes=MODES),
    "bn": Variant(models.MLPBatchNorm, modes=MODES),
}


def train_model(
    model_fn: Callable[[], nn.Module],
    train_set: Dataset,
    val_set: Dataset | None = None,
    *,
    seed: int,
    num_epochs: int,
    lr: float = LR,
    weight_decay: float = 0.0,
    optimizer_class: type[torch.optim.Optimizer] = torch.optim.Adam,
    track_train: bool = False,
    verbose: bool = False,
    on_epoch: Callable[[dict[str, list[float]]], None] | None = None,
    device: torch.device | str = "cpu",
) -> tuple[nn.Module, dict[str, list[float]]]:
    """Seed, build ``model_fn()``, train it with Adam (or ``optimizer_class``) on ``device``;
    return it (on the CPU, where the lessons inspect it) and its per-epoch history.

    ``track_train`` also measures, after every epoch and in evaluation mode, the loss and
    accuracy on the training images (``train_eval_loss``, ``train_eval_acc``): unlike
    ``train_loss``, the mean during the epoch, they compare with the validation ones.
    """
    generator = seeding.seed_everything(seed)
    model = model_fn().to(device)
    loader = loaders.batched(train_set, BATCH_SIZE, shuffle=True, generator=generator)
    optimizer = optimizer_class(model.parameters(), lr=lr, weight_decay=weight_decay, fused=True)
    criterion = nn.CrossEntropyLoss()
    # A loader without its own generator draws a seed from the global one, which dropout
    # also uses: validating would change the training's dropout masks.
    measured = {"val": val_set, "train_eval": train_set if track_train else None}
    measure = {
        name: loaders.batched(data, BATCH_SIZE, generator=torch.Generator())
        for name, data in measured.items()
        if data is not None
    }
    history: dict[str, list[float]] = {"train_loss": []}
    history |= {f"{name}_{kind}": [] for name in measure for kind in ("loss", "acc")}
    for epoch in range(num_epochs):
        history["train_loss"].append(train.train_epoch(model, loader, criterion, optimizer, device))
        for name, measure_loader in measure.items():
            loss, acc = train.evaluate(model, measure_loader, criterion, device)
            history[f"{name}_loss"].append(loss)
            history[f"{name}_acc"].append(acc)
        if verbose and "val" in measure:
            val_loss = history["val_loss"][-1]
            print(_("epoch", epoch=epoch + 1, train=history["train_loss"][-1], val=val_loss))
        if on_epoch is not None:
            on_epoch(history)
    return model.cpu(), history


def accuracy(model: nn.Module, test_set: Dataset, mode: str = "eval", seed: int = 0) -> float:
    """Test accuracy (0 to 1) with batches of 64, in ``eval`` or (as the source) ``train`` mode.

    Works on a copy: in training mode BatchNorm would overwrite the model's running
    statistics with the test batches'.
    """
    if mode not in MODES:
        raise ValueError(_("bad_mode", mode=mode))
    model = copy.deepcopy(model).train(mode == "train")
    torch.manual_seed(seed)  # dropout's masks in training mode
    correct = 0
    with torch.no_grad():
        for X, y in loaders.batched(test_set, BATCH_SIZE):
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(test_set)


def _score(job: tuple) -> dict[str, float]:
    """Train one (variant, seed) run and score it in each of its modes (a worker's task)."""
    model_fn, weight_decay, modes, seed, num_epochs, train_set, test_set, device = job
    model, _history = train_model(
        model_fn,
        train_set,
        seed=seed,
        num_epochs=num_epochs,
        weight_decay=weight_decay,
        device=device,
    )
    return {mode: accuracy(model, test_set, mode, seed=seed) for mode in modes}


def _job(name: str, seed: int, num_epochs: int, train_set, test_set, device, model_fn=None):
    """What ``_score`` gets: one (variant, seed) run, with ``model_fn`` if it replaces the model."""
    v = VARIANTS[name]
    return (model_fn or v.model, v.weight_decay, v.modes, seed, num_epochs, train_set, test_set,
            device)  # fmt: skip


def start(
    names: list[str],
    seeds: list[int],
    train_set: Dataset,
    test_set: Dataset,
    num_epochs: int,
    skip: Collection[tuple[str, int]] = (),
    device: torch.device | str = "cpu",
) -> dict[tuple[str, int], Future]:
    """Start training the (variant, seed) runs of the course's own models in the worker
    processes and return at once, so the notebook goes on meanwhile; hand the result to
    :func:`results` (``started=``) with the same data and epochs. Runs in ``skip`` (trained
    in the notebook) are left out; on a GPU or with one core nothing starts."""
    keys = [(name, s) for name in names for s in seeds if (name, s) not in skip]
    jobs = [_job(name, s, num_epochs, train_set, test_set, device) for name, s in keys]
    futures = runs.start(_score, jobs, runs.workers(device))
    return dict(zip(keys, futures, strict=True)) if futures else {}


def results(
    names: list[str],
    seeds: list[int],
    train_set: Dataset,
    test_set: Dataset,
    num_epochs: int,
    trained: dict[tuple[str, int], nn.Module] | None = None,
    device: torch.device | str = "cpu",
    classes: dict[str, Callable[[], nn.Module]] | None = None,
    workers: int | None = None,
    started: dict[tuple[str, int], Future] | None = None,
) -> pd.DataFrame:
    """One row per (variant, mode, seed): test accuracy; reuses models in ``trained``.

    ``classes`` replaces a variant's model (``{"bn": MLPBatchNorm}``: the student's own).
    The runs to train use every core (:mod:`course_utils.runs`; ``workers`` processes
    beside this one, by default one per further core) and give the same numbers as
    training them one after another; those in ``started`` (from :func:`start`) are
    already training there."""
    trained, classes, started = trained or {}, classes or {}, started or {}
    keys = [(name, s) for name in names for s in seeds]
    todo = [key for key in keys if key not in trained]
    jobs = [_job(n, s, num_epochs, train_set, test_set, device, classes.get(n)) for n, s in todo]
    movable = [runs.portable(job[0]) for job in jobs]
    running = {i: started[key] for i, key in enumerate(todo) if key in started}
    n_workers = runs.workers(device) if workers is None else workers
    found = runs.run_all(_score, jobs, movable, n_workers, _("progress"), running)
    scores = dict(zip(todo, found, strict=True))
    for name, s in set(keys) - set(todo):
        modes = VARIANTS[name].modes
        scores[name, s] = {
            mode: accuracy(trained[name, s], test_set, mode, seed=s) for mode in modes
        }
    rows = [
        {"variant": name, "mode": mode, "seed": s, "accuracy": scores[name, s][mode]}
        for name, s in keys
        for mode in VARIANTS[name].modes
    ]
    return pd.DataFrame(rows)

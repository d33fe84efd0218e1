"""Lessons 03-04: one training recipe and the multi-seed results table.

The models are the source's ``mlp`` and its variants (:mod:`course_utils.models`).
``train_model`` is the source's recipe (Adam, lr 0.001, batch 64) written with the loops
of ``course_utils.train``, with speed-ups that change no training batch
(``loaders.batched``, Adam's ``fused`` kernel, measuring in evaluation mode in batches of
1000); ``results`` trains each variant on several seeds and scores it
on the validation set in the evaluation modes that matter (``eval`` and, as the source did,
``train``): the lessons compare and choose on validation, and look at the test set once, at
the end, for the model they chose.

Longer than 200 lines because the recipe, its scoring and the multi-seed runs (with the
student's class sent to the workers by value) share one job format and are read together.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from concurrent.futures import Future
from dataclasses import dataclass

import cloudpickle
import pandas as pd
import torch
from torch import nn
from torch.utils.data import Dataset

from course_utils import loaders, models, runs, train
from course_utils import seed as seeding
from course_utils.experiments_text import _

BATCH_SIZE, LR = 64, 1e-3
# Measuring in evaluation mode, where a batch's size changes no example's output, goes in
# batches this large: the same numbers, two or three times faster on a CPU.
EVAL_BATCH = 1000
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
        name: loaders.batched(data, EVAL_BATCH, generator=torch.Generator())
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


def accuracy(model: nn.Module, dataset: Dataset, mode: str = "eval", seed: int = 0) -> float:
    """Accuracy (0 to 1) on ``dataset`` in ``eval`` or (as the source, with batches of 64)
    ``train`` mode.

    Works on a copy: in training mode BatchNorm would overwrite the model's running
    statistics with the batches it measures.
    """
    if mode not in MODES:
        raise ValueError(_("bad_mode", mode=mode))
    model = copy.deepcopy(model).train(mode == "train")
    torch.manual_seed(seed)  # dropout's masks in training mode
    correct = 0
    batch_size = BATCH_SIZE if mode == "train" else EVAL_BATCH  # train(): as the source's
    with torch.no_grad():
        for X, y in loaders.batched(dataset, batch_size):
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(dataset)


def _score(job: tuple) -> tuple[dict[str, float], dict[str, torch.Tensor]]:
    """Train one (variant, seed) run, score it in each of its modes (a worker's task); return
    the scores and the trained weights (a ``state_dict``)."""
    model_fn, weight_decay, modes, seed, num_epochs, train_set, val_set, device = job
    model, _history = train_model(
        model_fn,
        train_set,
        seed=seed,
        num_epochs=num_epochs,
        weight_decay=weight_decay,
        device=device,
    )
    return {mode: accuracy(model, val_set, mode, seed=seed) for mode in modes}, model.state_dict()


class _ByValue:
    """A model class defined in the notebook (the student's), sent to a worker by value: a
    spawned process cannot import it from the notebook, so it travels as cloudpickle's bytes
    (its code and the notebook classes it uses) and is rebuilt there on the first call. In
    the notebook's own process it is the class itself."""

    def __init__(self, model_fn: Callable[[], nn.Module]) -> None:
        self.blob = cloudpickle.dumps(model_fn)
        self.model_fn: Callable[[], nn.Module] | None = model_fn

    def __getstate__(self) -> dict:
        return {"blob": self.blob, "model_fn": None}

    def __call__(self) -> nn.Module:
        if self.model_fn is None:
            self.model_fn = cloudpickle.loads(self.blob)
        return self.model_fn()


def _rebuilt(model_fn: Callable[[], nn.Module], state: dict[str, torch.Tensor]) -> nn.Module:
    """``model_fn()`` with the weights ``state``, leaving the global random numbers alone."""
    with torch.random.fork_rng(devices=[]):
        model = model_fn()
    model.load_state_dict(state)
    return model


def _job(name: str, seed: int, num_epochs: int, train_set, val_set, device, model_fn=None):
    """What ``_score`` gets: one (variant, seed) run, with ``model_fn`` if it replaces the model."""
    v = VARIANTS[name]
    return (model_fn or v.model, v.weight_decay, v.modes, seed, num_epochs, train_set, val_set,
            device)  # fmt: skip


def start(
    names: list[str],
    seeds: list[int],
    train_set: Dataset,
    val_set: Dataset,
    num_epochs: int,
    skip: Collection[tuple[str, int]] = (),
    device: torch.device | str = "cpu",
) -> dict[tuple[str, int], Future]:
    """Start training the (variant, seed) runs of the course's own models in the worker
    processes and return at once, so the notebook goes on meanwhile; hand the result to
    :func:`results` (``started=``) with the same data and epochs. Runs in ``skip`` (trained
    in the notebook) are left out; on a GPU or with one core nothing starts."""
    keys = [(name, s) for name in names for s in seeds if (name, s) not in skip]
    jobs = [_job(name, s, num_epochs, train_set, val_set, device) for name, s in keys]
    futures = runs.start(_score, jobs, runs.workers(device))
    return dict(zip(keys, futures, strict=True)) if futures else {}


def results(
    names: list[str],
    seeds: list[int],
    train_set: Dataset,
    val_set: Dataset,
    num_epochs: int,
    trained: dict[tuple[str, int], nn.Module] | None = None,
    device: torch.device | str = "cpu",
    classes: dict[str, Callable[[], nn.Module]] | None = None,
    workers: int | None = None,
    started: dict[tuple[str, int], Future] | None = None,
) -> pd.DataFrame:
    """One row per (variant, mode, seed): validation accuracy; reuses the models in
    ``trained`` and adds to it those it trains (the lesson tests the one it chooses).

    ``classes`` replaces a variant's model (``{"bn": MLPBatchNorm}``: the student's own; a
    class defined in the notebook travels to the workers by value, :class:`_ByValue`).
    The runs to train use every core (:mod:`course_utils.runs`; ``workers`` processes
    beside this one, by default one per further core) and give the same numbers as
    training them one after another; those in ``started`` (from :func:`start`) are
    already training there."""
    trained = {} if trained is None else trained
    classes, started = classes or {}, started or {}
    keys = [(name, s) for name in names for s in seeds]
    todo = [key for key in keys if key not in trained]
    builders = {name: classes.get(name) or VARIANTS[name].model for name in names}
    n_workers = runs.workers(device) if workers is None else workers
    for name in {n for n, _s in todo if not runs.portable(builders[n])}:
        with torch.random.fork_rng(devices=[]):
            builders[name]()  # an unwritten class fails here, where its traceback says so
        if n_workers > 0:
            builders[name] = _ByValue(builders[name])
    jobs = [_job(n, s, num_epochs, train_set, val_set, device, builders[n]) for n, s in todo]
    movable = [runs.portable(job[0]) for job in jobs]
    running = {i: started[key] for i, key in enumerate(todo) if key in started}
    found = runs.run_all(_score, jobs, movable, n_workers, _("progress"), running)
    scores = {}
    for name, s in keys:
        if (name, s) in todo:
            scores[name, s], state = found[todo.index((name, s))]
            trained[name, s] = _rebuilt(classes.get(name) or VARIANTS[name].model, state)
        else:
            modes = VARIANTS[name].modes
            scores[name, s] = {
                mode: accuracy(trained[name, s], val_set, mode, seed=s) for mode in modes
            }
    rows = [
        {"variant": name, "mode": mode, "seed": s, "accuracy": scores[name, s][mode]}
        for name, s in keys
        for mode in VARIANTS[name].modes
    ]
    return pd.DataFrame(rows)

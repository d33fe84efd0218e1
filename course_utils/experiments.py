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
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn
from torch.utils.data import Dataset

from course_utils import bars, loaders, models, train
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
# The source's published test accuracies (%), one run each, all measured without eval():
# for models without dropout or BatchNorm the mode makes no difference.
SOURCE = {
    ("baseline", "eval"): 97.69,
    ("l2", "eval"): 97.73,
    ("dropout", "train"): 96.96,
    ("bn_shared", "train"): 97.19,
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
    verbose: bool = False,
    on_epoch: Callable[[dict[str, list[float]]], None] | None = None,
    device: torch.device | str = "cpu",
) -> tuple[nn.Module, dict[str, list[float]]]:
    """Seed, build ``model_fn()``, train it with Adam on ``device``; return it (on the CPU,
    where the lessons inspect it) and its per-epoch history."""
    generator = seeding.seed_everything(seed)
    model = model_fn().to(device)
    loader = loaders.batched(train_set, BATCH_SIZE, shuffle=True, generator=generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay, fused=True)
    criterion = nn.CrossEntropyLoss()
    # A loader without its own generator draws a seed from the global one, which dropout
    # also uses: validating would change the training's dropout masks.
    val_loader = (
        None
        if val_set is None
        else loaders.batched(val_set, BATCH_SIZE, generator=torch.Generator())
    )
    history: dict[str, list[float]] = {"train_loss": [], "val_loss": [], "val_acc": []}
    for epoch in range(num_epochs):
        history["train_loss"].append(train.train_epoch(model, loader, criterion, optimizer, device))
        if val_loader is not None:
            val_loss, val_acc = train.evaluate(model, val_loader, criterion, device)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)
            if verbose:
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


def results(
    names: list[str],
    seeds: list[int],
    train_set: Dataset,
    test_set: Dataset,
    num_epochs: int,
    trained: dict[tuple[str, int], nn.Module] | None = None,
    device: torch.device | str = "cpu",
    classes: dict[str, Callable[[], nn.Module]] | None = None,
) -> pd.DataFrame:
    """One row per (variant, mode, seed): test accuracy; reuses models in ``trained``.

    ``classes`` replaces a variant's model (``{"bn": MLPBatchNorm}``: the student's own)."""
    trained, classes = dict(trained or {}), classes or {}
    rows = []
    for name, s in bars.tqdm([(n, s) for n in names for s in seeds], desc=_("progress")):
        variant = VARIANTS[name]
        if (name, s) not in trained:
            trained[name, s], _history = train_model(
                classes.get(name, variant.model),
                train_set,
                seed=s,
                num_epochs=num_epochs,
                weight_decay=variant.weight_decay,
                device=device,
            )
        for mode in variant.modes:
            acc = accuracy(trained[name, s], test_set, mode, seed=s)
            rows.append({"variant": name, "mode": mode, "seed": s, "accuracy": acc})
    return pd.DataFrame(rows)


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation (in %) per (variant, mode), next to the source's number."""
    table = df.groupby(["variant", "mode"], sort=False)["accuracy"].agg(["mean", "std", "count"])
    table[["mean", "std"]] *= 100
    table["source"] = [SOURCE.get(key, float("nan")) for key in table.index]
    return table


def show(table: pd.DataFrame) -> pd.DataFrame:
    """``summary`` ready to read: translated labels, ``mean ± std`` with two decimals."""
    spread = table["std"].map(lambda s: "" if pd.isna(s) else f" ± {s:.2f}")
    columns = [
        [_(v) for v, _m in table.index],
        [_(m) for _v, m in table.index],
        (table["mean"].map("{:.2f}".format) + spread).tolist(),
        table["count"].tolist(),
        table["source"].map(lambda s: "" if pd.isna(s) else f"{s:.2f}").tolist(),
    ]
    return pd.DataFrame(dict(zip(_("columns").split("|"), columns, strict=True)))


def verdicts(table: pd.DataFrame, reference: tuple[str, str] = ("baseline", "eval")) -> list[str]:
    """One sentence per row: its gap to ``reference`` against the sum of both rows' std."""
    base = table.loc[reference]
    lines = []
    for (name, mode), row in table.drop(index=reference).iterrows():
        diff, spread = row["mean"] - base["mean"], row["std"] + base["std"]
        label = f"{_(name)} · {_(mode)}"
        if pd.isna(spread):
            lines.append(_("one_seed", row=label, diff=diff))
            continue
        judgement = _("larger" if abs(diff) > spread else "within")
        lines.append(_("verdict", row=label, diff=diff, spread=spread, judgement=judgement))
    return lines


def metrics(table: pd.DataFrame, reference: tuple[str, str] = ("baseline", "eval")) -> dict:
    """For ``report.record``, as fractions: ``{variant}_{mode}_mean`` and ``_std``, and for
    every other row ``_gap`` (its mean minus the reference's) and ``_spread`` (the sum of
    both standard deviations), the two numbers ``verdicts`` compares."""
    std = table["std"].fillna(0.0) / 100
    found = {}
    for (name, mode), row in table.iterrows():
        found[f"{name}_{mode}_mean"] = row["mean"] / 100
        found[f"{name}_{mode}_std"] = std[name, mode]
        if reference in table.index and (name, mode) != reference:
            found[f"{name}_{mode}_gap"] = (row["mean"] - table.loc[reference, "mean"]) / 100
            found[f"{name}_{mode}_spread"] = std[name, mode] + std[reference]
    return found

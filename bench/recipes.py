"""The epochs that ``epoch_time.py`` times: the source recipe, the course, and each fix alone.

Each recipe turns a :class:`Setting` into a function that runs one epoch (a
training pass over the training split plus a validation pass) on a freshly
seeded model and returns nothing; building datasets and loaders is not timed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torchvision.transforms as T
from benchlib import SourceMLP
from torch import nn
from torch.utils.data import DataLoader, Dataset

from course_utils import data, loaders, train


@dataclass(frozen=True)
class Setting:
    """What every recipe shares: split sizes, batch size, seed."""

    n_train: int = 48_000
    n_val: int = 12_000
    batch_size: int = 64
    seed: int = 0


def splits(dataset: Dataset, s: Setting) -> tuple[Dataset, Dataset]:
    """The same seeded train/validation split for every recipe (a seeded subset first if small)."""
    if s.n_train + s.n_val < len(dataset):
        dataset = data.subset(dataset, s.n_train + s.n_val, seed=s.seed)
    train_set, val_set = data.split(dataset, [s.n_train, s.n_val], seed=s.seed)
    return train_set, val_set


def plain_loaders(
    dataset: Dataset, s: Setting, g: torch.Generator, shuffle_val: bool
) -> tuple[DataLoader, DataLoader]:
    """``DataLoader(batch_size=64, shuffle=True)``: one sample fetched at a time, then stacked."""
    train_set, val_set = splits(dataset, s)
    return (
        DataLoader(train_set, batch_size=s.batch_size, shuffle=True, generator=g),
        DataLoader(val_set, batch_size=s.batch_size, shuffle=shuffle_val, generator=g),
    )


def batched_loaders(
    dataset: Dataset, s: Setting, g: torch.Generator
) -> tuple[DataLoader, DataLoader]:
    """The course's ``loaders.batched``: the same batches, one tensor indexing each."""
    train_set, val_set = splits(dataset, s)
    return (
        loaders.batched(train_set, s.batch_size, shuffle=True, generator=g),
        loaders.batched(val_set, s.batch_size),
    )


def source_epoch(model, train_loader, val_loader, criterion, optimizer) -> None:
    """The source notebook's loop, as written (it sums the loss tensors, graph and all)."""
    loss_train = 0
    for images, labels in train_loader:
        preds = model(images)
        loss = criterion(preds, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_train += loss
    loss_val = 0
    for images, labels in val_loader:
        with torch.no_grad():
            preds = model(images)
            loss = criterion(preds, labels)
            loss_val += loss


def course_epoch(model, train_loader, val_loader, criterion, optimizer) -> None:
    """The course's loop: ``course_utils.train.train_epoch`` then ``evaluate``."""
    train.train_epoch(model, train_loader, criterion, optimizer)
    train.evaluate(model, val_loader, criterion)


def loaders_only(model, train_loader, val_loader, criterion, optimizer) -> None:
    """Only fetch the batches (the data path's share of an epoch); no model work."""
    for _batch in train_loader:
        pass
    for _batch in val_loader:
        pass


@dataclass(frozen=True)
class Recipe:
    """One timed configuration."""

    description: str
    data: str  # "torchvision" (PIL + ToTensor per sample) or "tensors" (data.mnist_tensors)
    loaders: str  # "plain", "plain_shuffled_val" (the source's) or "batched"
    epoch: Callable
    fused_adam: bool = False
    threads: int | None = None  # torch threads while this recipe runs (None: unchanged)


RECIPES = {
    "source": Recipe(
        "source recipe: torchvision ToTensor, DataLoader, its own loop",
        "torchvision",
        "plain_shuffled_val",
        source_epoch,
    ),
    "course": Recipe(
        "course (experiments.train_model): data.mnist_tensors, loaders.batched, "
        "Adam(fused=True), 1 thread, train_epoch + evaluate",
        "tensors",
        "batched",
        course_epoch,
        fused_adam=True,
        threads=1,
    ),
    "course_threads": Recipe(
        "course on torch's threads instead of one (a lesson with no runs in the background)",
        "tensors",
        "batched",
        course_epoch,
        fused_adam=True,
    ),
    "course_dataloader": Recipe(
        "course with a plain DataLoader (lesson cells that build their own)",
        "tensors",
        "plain",
        course_epoch,
        fused_adam=True,
        threads=1,
    ),
    "before": Recipe(
        "the course before the fixes: DataLoader, default Adam, torch's threads",
        "tensors",
        "plain",
        course_epoch,
    ),
    "before_batched": Recipe("before + loaders.batched only", "tensors", "batched", course_epoch),
    "before_fused": Recipe(
        "before + Adam(fused=True) only", "tensors", "plain", course_epoch, fused_adam=True
    ),
    "before_1thread": Recipe(
        "before + torch.set_num_threads(1) only", "tensors", "plain", course_epoch, threads=1
    ),
    "source_data": Recipe(
        "source data path alone (PIL decode + ToTensor + collate)",
        "torchvision",
        "plain_shuffled_val",
        loaders_only,
    ),
    "course_data": Recipe(
        "course data path alone (loaders.batched: one indexing per batch)",
        "tensors",
        "batched",
        loaders_only,
    ),
}


def make_loaders(recipe: Recipe, s: Setting, datasets: dict[str, Dataset], g: torch.Generator):
    """The train and validation loaders of a recipe, shuffling with ``g``."""
    dataset = datasets[recipe.data]
    if recipe.loaders == "batched":
        return batched_loaders(dataset, s, g)
    return plain_loaders(dataset, s, g, shuffle_val=recipe.loaders == "plain_shuffled_val")


def load_datasets(names: set[str]) -> dict[str, Dataset]:
    """MNIST's training set through the data paths the chosen recipes need."""
    found = {}
    if "torchvision" in names:
        found["torchvision"] = data.mnist(train=True, transform=T.ToTensor())
    if "tensors" in names:
        found["tensors"] = data.mnist_tensors(train=True)
    return found


def prepare(recipe: Recipe, s: Setting, datasets: dict[str, Dataset]) -> Callable[[], None]:
    """A function that runs one epoch of ``recipe``: same model, same shuffle every time."""
    g = torch.Generator()
    train_loader, val_loader = make_loaders(recipe, s, datasets, g)

    def epoch() -> None:
        g.manual_seed(s.seed)
        torch.manual_seed(s.seed)
        model = SourceMLP()
        extra = {"fused": True} if recipe.fused_adam else {}
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001, **extra)
        recipe.epoch(model, train_loader, val_loader, nn.CrossEntropyLoss(), optimizer)

    return epoch

"""The problem of lesson 02's ``fit`` probe: a path of weights drawn from the seed.

The model is linear, without bias, and each sample is a unit vector of its own,
so the model's weights are its logits: column i holds sample i's. The optimizer
ignores the gradients and moves the weights one step along the path per call:

- every training sample's right logit grows at each step, so the training loss
  falls every epoch (the last epoch has the lowest);
- the validation logits change once per epoch, through the :data:`STATES` in
  one of the :data:`ORDERS` (drawn from the seed). The epoch with the lowest
  validation loss is never the one with the best validation accuracy, nor the
  last one, nor the one a loop validating before training would keep.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

VAL, TRAIN, CLASSES, EPOCHS = 6, 12, 3, 4
TRAIN_BATCH, RATE = 5, 0.25
STEPS = math.ceil(TRAIN / TRAIN_BATCH)  # optimizer steps per epoch
STATES = {  # (samples right of 6, logit of a right answer, logit of a wrong one)
    "start": (1, 0.3, 0.3),
    "lowest_loss": (4, 2.0, 0.5),  # few right, none confidently wrong
    "best_accuracy": (5, 4.0, 8.0),  # most right, one very confidently wrong
    "other": (3, 1.0, 1.0),
    "last": (2, 1.0, 3.0),
}
ORDERS = (
    ("start", "lowest_loss", "other", "best_accuracy", "last"),
    ("start", "best_accuracy", "lowest_loss", "other", "last"),
)


class Scripted(torch.optim.Optimizer):
    """An optimizer whose every step moves the weights to the path's next point."""

    def __init__(self, model: nn.Linear, path: Path) -> None:
        super().__init__(model.parameters(), {})
        self.weight, self.path, self.steps = model.weight, path, 0

    @torch.no_grad()
    def step(self, closure=None) -> None:
        self.steps += 1
        self.weight.copy_(self.path.weights(self.steps))


@dataclass(frozen=True)
class Path:
    """The problem: the data, the criterion and the path the weights follow."""

    val_logits: torch.Tensor  # (EPOCHS + 1, VAL, CLASSES): the start, then each epoch
    val_labels: torch.Tensor
    train_labels: torch.Tensor  # of each training sample's own input
    train_start: torch.Tensor  # each training sample's right logit before any step
    train_order: torch.Tensor  # the order of the training samples in their loader
    val_batch: int
    smoothing: float

    def weights(self, steps: int) -> torch.Tensor:
        """The weights after ``steps`` optimizer steps (``steps`` = epochs · STEPS: an
        epoch's end)."""
        val = self.val_logits[min(steps // STEPS, EPOCHS)].T
        right = nn.functional.one_hot(self.train_labels, CLASSES).T.float()
        return torch.cat([val, right * (self.train_start + RATE * steps)], dim=1)

    def build(self) -> tuple[nn.Linear, DataLoader, DataLoader, nn.Module, Scripted]:
        """A fresh model, training and validation loaders, criterion and optimizer."""
        with torch.random.fork_rng():
            model = nn.Linear(VAL + TRAIN, CLASSES, bias=False)
        with torch.no_grad():
            model.weight.copy_(self.weights(0))
        inputs = torch.eye(VAL + TRAIN)
        order = self.train_order
        train = TensorDataset(inputs[VAL + order], self.train_labels[order])
        val = TensorDataset(inputs[:VAL], self.val_labels)
        loaders = DataLoader(train, batch_size=TRAIN_BATCH), DataLoader(val, self.val_batch)
        criterion = nn.CrossEntropyLoss(label_smoothing=self.smoothing)
        return model, *loaders, criterion, Scripted(model, self)


def _logits(rng: random.Random, labels: list[int], state: str) -> torch.Tensor:
    right, on_right, on_wrong = STATES[state]
    hits, logits = set(rng.sample(range(VAL), right)), torch.zeros(VAL, CLASSES)
    for i, label in enumerate(labels):
        wrong = rng.choice([c for c in range(CLASSES) if c != label])
        value = (on_right if i in hits else on_wrong) * rng.uniform(0.8, 1.25)
        logits[i, label if i in hits else wrong] = value
    return logits


def fit_problem(seed: int) -> Path:
    """The problem ``seed`` of the ``fit`` probe."""
    rng = random.Random(seed)
    val_labels = [rng.randrange(CLASSES) for _ in range(VAL)]
    order = ORDERS[rng.randrange(len(ORDERS))]
    return Path(
        val_logits=torch.stack([_logits(rng, val_labels, state) for state in order]),
        val_labels=torch.tensor(val_labels),
        train_labels=torch.tensor([rng.randrange(CLASSES) for _ in range(TRAIN)]),
        train_start=torch.tensor([rng.uniform(-1.0, 0.5) for _ in range(TRAIN)]),
        train_order=torch.tensor(rng.sample(range(TRAIN), TRAIN)),
        val_batch=rng.choice((4, 5)),
        smoothing=round(rng.uniform(0.05, 0.2), 3),
    )

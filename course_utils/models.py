"""The source's MNIST models for lessons 03-04: its ``mlp`` and the variants the lessons compare.

Every model is the source's ``mlp`` (784 → 256 → 256 → 10, ReLU) or a variant of it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    """The source's ``mlp``: 784 → 256 → 256 → 10 with ReLU (269,322 parameters)."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.flatten(start_dim=1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class MLPDropout(MLP):
    """``MLP`` with dropout (probability ``p``) after each hidden layer's ReLU."""

    def __init__(self, p: float = 0.2) -> None:
        super().__init__()
        self.dropout1 = nn.Dropout(p)
        self.dropout2 = nn.Dropout(p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Written differently from lesson 03's exercise (same computation), so a
        # student pack that ships this module does not hand out the answer.
        hidden = F.relu(self.fc1(x.flatten(start_dim=1)))
        hidden = F.relu(self.fc2(self.dropout1(hidden)))
        return self.fc3(self.dropout2(hidden))


class MLPBatchNorm(MLP):
    """``MLP`` with one BatchNorm1d per hidden layer, before the ReLU (270,346 parameters)."""

    def __init__(self) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm1d(256)
        self.bn2 = nn.BatchNorm1d(256)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Written differently from lesson 04's exercise (same computation).
        hidden = self.bn1(self.fc1(x.flatten(start_dim=1)))
        hidden = self.bn2(self.fc2(F.relu(hidden)))
        return self.fc3(F.relu(hidden))


class MLPSharedBN(MLPBatchNorm):
    """The source's ``mlp_bn`` as published: ``bn1`` normalizes both layers, ``bn2`` is unused."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.flatten(start_dim=1)
        x = F.relu(self.bn1(self.fc1(x)))
        x = F.relu(self.bn1(self.fc2(x)))
        return self.fc3(x)

"""The training and evaluation loops that lessons 01 and 02 write in the open.

Later lessons call these instead of repeating them; ``tests/test_train.py``
checks they stay the same as the lessons' own code.
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader

from course_utils import bars


def train_epoch(model, loader, criterion, optimizer, device="cpu") -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per sample."""
    model.train()
    total_loss, n_samples = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        n_samples += len(y)
    return total_loss / n_samples


def evaluate(model, loader, criterion, device="cpu") -> tuple[float, float]:
    """Return the mean loss per sample and the accuracy (0 to 1) of ``model`` on ``loader``."""
    model.eval()
    total_loss, correct, n_samples = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def predict(
    model: nn.Module, loader: DataLoader, device="cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the true labels and the predicted classes over ``loader`` (in eval mode)."""
    model.eval()
    labels, preds = [], []
    with torch.no_grad():
        for X, y in loader:
            preds.append(model(X.to(device)).argmax(dim=1).cpu())
            labels.append(y)
    return torch.cat(labels), torch.cat(preds)


def fit(
    model,
    train_loader,
    val_loader,
    criterion,
    optimizer,
    num_epochs,
    device="cpu",
    progress: bool = True,
    keep_best: bool = False,
) -> dict[str, list[float]]:
    """Train for ``num_epochs``, validating after each; return the history of losses/accuracy.

    With ``keep_best``, the model ends with the weights of its lowest validation loss.
    """
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = bars.trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history

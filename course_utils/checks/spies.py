"""What judges read a probe's spies with (:mod:`course_utils.probes.spies`), and the
reference runs they compare a student's loop with."""

from __future__ import annotations

import copy

import torch
from torch import nn

from course_utils.probes.spies import batch_of, weights


def per_batch(calls: list[dict], loader) -> list[tuple] | None:
    """(mean loss, size, right) of each batch from the first recorded pass on it;
    None if it skipped a batch."""
    batches, found = list(loader), {}
    for call in calls:
        index = batch_of(call["x"], batches)
        if index is not None and index not in found:
            y = batches[index][1]
            loss = nn.functional.cross_entropy(call["out"], y).item()
            found[index] = (loss, len(y), (call["out"].argmax(dim=1) == y).sum().item())
    return [found[i] for i in sorted(found)] if len(found) == len(batches) else None


def per_batch_now(net: nn.Module, loader) -> list[tuple]:
    """:func:`per_batch` of ``net`` run now (for code that ran it on all the data at once)."""
    with torch.no_grad():
        calls = [{"x": X, "out": net(X)} for X, _y in loader]
    return per_batch(calls, loader)


def trained(calls: list[dict]) -> list[dict]:
    """The recorded passes that trained: those a backward pass reached (else those with grad)."""
    return [c for c in calls if c["backward"]] or [c for c in calls if c["grad_enabled"]]


def reference(model: nn.Module, loader, lr: float, variant: str = "ok") -> list[torch.Tensor]:
    """Weights after one SGD epoch of a correct loop, or of a usual mistake: ``"accumulate"``
    (never resets gradients) or ``"softmax"`` (softmax before the cross-entropy)."""
    model = copy.deepcopy(model).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for X, y in loader:
        out = model(X)
        loss = nn.functional.cross_entropy(out.softmax(dim=1) if variant == "softmax" else out, y)
        if variant != "accumulate":
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return weights(model)


def same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    """Whether two lists of tensors hold the same shapes and (nearly) the same values."""
    return len(a) == len(b) and all(
        x.shape == y.shape and torch.allclose(x, y, atol=1e-6) for x, y in zip(a, b, strict=True)
    )


MISTAKEN_LOOPS = {"accumulate": "no_zero_grad", "softmax": "softmax"}  # variant -> diagnosis


def step_mistake(got: list[torch.Tensor], start: nn.Module, loader, lr: float) -> str | None:
    """Compare the weights ``got`` after one epoch from ``start`` with a correct loop's:
    None when they agree, the diagnosis of the usual mistake they match, or ``""``."""
    if same(got, reference(start, loader, lr)):
        return None
    found = (key for v, key in MISTAKEN_LOOPS.items() if same(got, reference(start, loader, lr, v)))
    return next(found, "")

"""Check for lesson 01's ``sgd_step``: one step of gradient descent, written by hand.

The student's function gets a small network's ``parameters()`` (a generator, as in a
notebook) after one backward pass, with lr 0.3; one of its layers took no part in the
loss, so its gradients are None. The parameters must end at p − lr · p.grad (that
layer untouched), still leaves that require gradients, with their gradients cleared.
Each usual way of getting there wrong leaves other values, so it is named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from course_utils import checks
from course_utils.checks.sgd_text import _

LR, OTHER_LR = 0.3, 0.05


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


class _Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.spare = nn.Linear(4, 3), nn.Linear(3, 2), nn.Linear(2, 2)

    def forward(self, x: torch.Tensor, every_layer: bool) -> torch.Tensor:
        out = self.fc2(torch.relu(self.fc1(x)))
        return out + self.spare(out) if every_layer else out


@dataclass
class _Step:
    """A network after backward(): its values and gradients before the student's step."""

    net: _Net
    before: list[torch.Tensor]
    grads: list[torch.Tensor | None]


def _problem(seed: int, every_layer: bool = False) -> _Step:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = _Net()
        net(torch.randn(8, 4), every_layer).pow(2).mean().backward()
    params = list(net.parameters())
    grads = [None if p.grad is None else p.grad.clone() for p in params]
    return _Step(net, [p.detach().clone() for p in params], grads)


def _take(student: Callable, step: _Step, lr: float, as_list: bool = False) -> None:
    """Call the student's function on ``step``'s parameters; name a crash we can."""
    optimizers = []
    hook = register_optimizer_step_pre_hook(lambda optimizer, *_: optimizers.append(optimizer))
    params = list(step.net.parameters()) if as_list else step.net.parameters()
    try:
        student(params, lr)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        if "leaf Variable" not in str(error):
            raise
        raise _mistake("no_no_grad") from None
    except Exception:
        try:
            _take(student, _problem(0, every_layer=True), lr)
        except Exception:  # it fails with every gradient there too: say where
            pass
        else:
            raise _mistake("grad_none") from None
        raise
    finally:
        hook.remove()
    if optimizers:
        raise _mistake("uses_optimizer")


def _cleared(step: _Step) -> bool:
    return all(p.grad is None or not p.grad.any() for p in step.net.parameters())


def _update_mistake(step: _Step, lr: float) -> checks.Mistake | None:
    after = [p.detach() for p in step.net.parameters()]
    pairs = list(zip(after, step.before, step.grads, strict=True))
    right = [b if g is None else b - lr * g for _a, b, g in pairs]
    if all(torch.allclose(a, r, atol=1e-6) for a, r in zip(after, right, strict=True)):
        return None
    if all(torch.equal(a, b) for a, b, _g in pairs):
        return _mistake("zeroed_first" if _cleared(step) else "rebinds")
    first, before, grad = pairs[0]
    mask = grad.abs() > 1e-4
    ratios = (before - first)[mask] / grad[mask]
    if mask.any() and torch.allclose(ratios, ratios[0].expand_as(ratios), atol=1e-4):
        rate = ratios[0].item()
        rest_kept = all(torch.equal(a, b) for a, b, _g in pairs[1:])
        if abs(rate - lr) >= 1e-5:
            keys = {"ascent": -lr, "no_lr": 1.0}
            key = next((k for k, r in keys.items() if abs(rate - r) < 1e-5), "ignores_lr")
            return _mistake(key, lr=lr, rate=rate)
        if rest_kept:
            return _mistake("only_first")
    diff = max((a - r).abs().max().item() for a, r in zip(after, right, strict=True))
    return _mistake("wrong_update", diff=diff)


def _mistakes(step: _Step, lr: float) -> list[checks.Mistake]:
    def update() -> None:
        if found := _update_mistake(step, lr):
            raise found

    def leaves() -> None:
        if not all(p.is_leaf and p.requires_grad for p in step.net.parameters()):
            raise _mistake("detaches")

    def reset() -> None:
        if not _cleared(step):
            raise _mistake("no_reset")

    return checks.collect(update, leaves, reset)


def _diagnose(student: Callable) -> list[checks.Mistake]:
    _take(student, step := _problem(0), LR)
    if found := _mistakes(step, LR):
        _take(student, listed := _problem(0), LR, as_list=True)
        return [_mistake("iterates_twice")] if not _mistakes(listed, LR) else found
    _take(student, step := _problem(1), OTHER_LR)
    return _mistakes(step, OTHER_LR)


def sgd_step(student: Callable) -> checks.Result:
    """Check ``sgd_step(parameters, lr)``: p ← p − lr · p.grad for every parameter with a
    gradient, then the gradients cleared, as ``torch.optim.SGD``'s step and zero_grad."""
    return checks.run("sgd_step", lambda: _diagnose(student), student=student)

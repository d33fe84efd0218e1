"""Lesson 01's check: the course's loop passes, and every diagnosed mistake is named."""

from __future__ import annotations

import pytest
import torch

from course_utils import checks, i18n, train
from course_utils.checks import training as check_training
from tests.student import retyped

pytestmark = pytest.mark.usefixtures("english")


def make_loop(
    *,
    zero_grad: bool = True,
    backward: bool = True,
    step: bool = True,
    steps: int = 1,
    train_mode: bool = True,
    clear_before_step: bool = False,
    sign: float = 1.0,
    target: str = "y",
    result: str = "mean",
):
    """A training epoch with one deliberate mistake switched on by the arguments."""

    def loop(model, loader, criterion, optimizer, device="cpu"):
        if train_mode:
            model.train()
        losses, sizes = [], []
        for X, y in loader:
            out = model(X)
            loss = criterion(out, {"y": y, "X": X, "first": y[:1]}[target])
            if zero_grad:
                optimizer.zero_grad()
            if backward:
                (sign * loss).backward()
            if clear_before_step:
                optimizer.zero_grad()
            for _ in range(steps if step else 0):
                optimizer.step()
            losses.append(loss.item())
            sizes.append(len(y))
        per_sample = sum(v * n for v, n in zip(losses, sizes, strict=True)) / sum(sizes)
        return {
            "mean": per_sample,
            "last": losses[-1],
            "per_batch": sum(losses) / len(losses),
            "sum": per_sample * sum(sizes),
            "tensor": torch.tensor(per_sample),
            "zero": 0.0,
        }[result]

    return loop


def _failed(student) -> str:
    result = check_training.train_epoch(student)
    assert result.status == checks.FAILED, result.message
    return result.message


def test_the_course_loop_and_the_plain_loop_pass():
    assert check_training.train_epoch(retyped(train.train_epoch)).passed
    assert "“train_epoch” from course_utils.train" in _failed(train.train_epoch)
    assert check_training.train_epoch(make_loop()).passed


def test_a_stub_is_not_done_yet():
    def stub(model, loader, criterion, optimizer, device="cpu"):
        raise NotImplementedError()

    assert check_training.train_epoch(stub).status == checks.TODO


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ({"zero_grad": False}, "not reset (zero_grad)"),
        ({"step": False}, "optimizer step is missing"),
        ({"backward": False}, "backward pass is missing"),
        ({"clear_before_step": True}, "there are no gradients"),
        ({"train_mode": False}, "not in training mode"),
        ({"target": "X"}, "the loss must compare"),
        ({"target": "first"}, "the loss must compare"),
        ({"sign": -1.0}, "does not go down"),
        ({"steps": 2}, "one update per batch"),
        ({"result": "last"}, "last batch's loss"),
        ({"result": "per_batch"}, "weight each batch by its number of samples"),
        ({"result": "sum"}, "it returns a sum"),
        ({"result": "tensor"}, "a Python number (float), not Tensor"),
        ({"result": "zero"}, "it returned 0.0000"),
    ],
)
def test_each_mistake_is_named(mistake, words):
    assert words in _failed(make_loop(**mistake))


def test_swapped_arguments_of_the_loss_are_wrong_tensors():
    def swapped(model, loader, criterion, optimizer, device="cpu"):
        for X, y in loader:
            criterion(y, model(X)).backward()

    assert "the loss must compare" in _failed(swapped)


def test_a_crash_is_reported_with_its_line_not_raised():
    def crashes(model, loader, criterion, optimizer, device="cpu"):
        return 1 / 0

    message = _failed(crashes)
    assert "ZeroDivisionError" in message and "return 1 / 0" in message


def test_messages_follow_the_language():
    i18n.set_language("es")
    assert "falta el paso del optimizador" in _failed(make_loop(step=False))

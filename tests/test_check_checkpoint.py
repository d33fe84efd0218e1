"""course_utils.checks.checkpoint: lesson 06's solution passes, and every usual mistake is named."""

from __future__ import annotations

import pytest
import torch

from course_utils import checkpoint, checks, i18n, train
from course_utils.checks import checkpoint as check_checkpoint

pytestmark = pytest.mark.usefixtures("english")


def make_resume(model=True, optimizer=True, generator=True, shift=0, twice=False, result="ok"):
    """The lesson's resume_training, with one part done the way a mistake would."""

    def resume_training(path, model_, optimizer_, criterion, loader, num_epochs, device):
        state = torch.load(path, weights_only=True)
        if model:
            model_.load_state_dict(state["model"])
        if optimizer:
            optimizer_.load_state_dict(state["optimizer"])
        if generator:
            loader.generator.set_state(state["generator"])
        losses = []
        for _epoch in range(max(state["epoch"] + shift, 0), num_epochs):
            losses.append(train.train_epoch(model_, loader, criterion, optimizer_, device))
            if twice:
                train.train_epoch(model_, loader, criterion, optimizer_, device)
        return {"ok": losses, "tuple": tuple(losses), "scaled": [2 * v for v in losses]}[result]

    return resume_training


def solution(path, model, optimizer, criterion, loader, num_epochs, device):
    """The lesson's solution, with course_utils.checkpoint."""
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    return [
        train.train_epoch(model, loader, criterion, optimizer, device)
        for _epoch in range(state["epoch"], num_epochs)
    ]


@pytest.mark.parametrize("student", [solution, make_resume()], ids=["checkpoint", "torch"])
def test_the_solution_passes(student):
    result = check_checkpoint.resume_training(student)
    assert result.passed, result.message
    assert result.message == "✅ resume_training: correct!"


def test_a_stub_is_not_done_yet():
    def stub(path, model, optimizer, criterion, loader, num_epochs, device):
        raise NotImplementedError()

    assert check_checkpoint.resume_training(stub).status == checks.TODO


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"model": False}, "does not predict like the saved one: load the checkpoint's weights"),
        ({"optimizer": False}, "the optimizer did not get its state back"),
        ({"generator": False}, "the batches come in another order"),
        ({"shift": -2}, "it trained 2 epoch(s) instead of 0: start at the epoch stored"),
        ({"shift": -1}, "it trained 1 epoch(s) instead of 0: the checkpoint stores how many"),
        ({"shift": 1}, "it trained 1 epoch(s) instead of 2: the checkpoint stores how many"),
        ({"twice": True}, "train every missing epoch with train.train_epoch, once"),
        (
            {"result": "tuple"},
            "it must return the list of losses of the epochs it trains, not tuple",
        ),
        ({"result": "scaled"}, "the returned losses are not the mean losses"),
    ],
)
def test_each_mistake_is_named(kwargs, expected):
    result = check_checkpoint.resume_training(make_resume(**kwargs))
    assert result.status == checks.FAILED
    assert expected in result.message


def test_a_new_model_instead_of_the_given_one():
    def builds_its_own(path, model, optimizer, criterion, loader, num_epochs, device):
        other = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
        checkpoint.load(path, other)
        return []

    assert "load the checkpoint's weights into it" in (
        check_checkpoint.resume_training(builds_its_own).message
    )


def test_the_check_leaves_the_random_state_alone():
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    check_checkpoint.resume_training(solution)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_messages_follow_the_language():
    i18n.set_language("es")
    result = check_checkpoint.resume_training(make_resume(optimizer=False))
    assert "el optimizador no recuperó su estado" in result.message

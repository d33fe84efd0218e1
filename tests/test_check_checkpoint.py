"""Lesson 06's check: correct resumptions in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import pytest
import torch

from course_utils import checkpoint, checks, i18n, train
from course_utils.checks import checkpoint as check
from tests.student import diagnosis, passes

pytestmark = pytest.mark.usefixtures("english")


def solution(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    return [
        train.train_epoch(model, loader, criterion, optimizer, device)
        for _epoch in range(state["epoch"], num_epochs)
    ]


def with_torch_load(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    loader.generator.set_state(state["generator"])
    losses = []
    for _epoch in range(state["epoch"], num_epochs):
        losses.append(train.train_epoch(model, loader, criterion, optimizer, device))
    return losses


def with_a_while_loop(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    saved = torch.load(path, map_location=device, weights_only=True)
    optimizer.load_state_dict(saved["optimizer"])  # the order does not matter
    model.load_state_dict(saved["model"])
    loader.generator.set_state(saved["generator"].cpu())
    epoch, history = saved["epoch"], []
    while epoch < num_epochs:
        history.append(train.train_epoch(model, loader, criterion, optimizer, device))
        epoch += 1
    return history


def loads_then_moves(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    done = checkpoint.load(path, model, optimizer, generator=loader.generator)["epoch"]
    model.to(device)
    remaining = range(done, num_epochs)
    return [train.train_epoch(model, loader, criterion, optimizer, device) for _ in remaining]


def skips_nothing_when_done(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    if state["epoch"] >= num_epochs:
        return []
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(num_epochs - state["epoch"])]  # fmt: skip


VARIANTS = [solution, with_torch_load, with_a_while_loop, loads_then_moves,
            skips_nothing_when_done]  # fmt: skip


@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_resumption_passes(student):
    passes(check.resume_training, student)


def make_resume(model=True, optimizer=True, generator=True, shift=0, twice=False, result="ok"):
    """``with_torch_load`` with one part done the way a mistake would."""

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
        return {
            "ok": losses,
            "tuple": tuple(losses),
            "scaled": [2 * v for v in losses],
            "last": losses[-1] if losses else 0.0,
        }[result]

    return resume_training


def new_optimizer_after_loading(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)  # a fresh one, state lost
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(state["epoch"], num_epochs)]  # fmt: skip


def builds_its_own_model(path, model, optimizer, criterion, loader, num_epochs, device):
    other = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    other_optimizer = torch.optim.Adam(other.parameters(), lr=0.05)
    state = checkpoint.load(path, other, other_optimizer, generator=loader.generator)
    return [train.train_epoch(other, loader, criterion, other_optimizer, device)
            for _ in range(state["epoch"], num_epochs)]  # fmt: skip


MISTAKES = [
    ({"model": False}, "model"),
    ({"optimizer": False}, "optimizer"),
    ({"generator": False}, "generator"),
    ({"shift": -2}, "from_zero"),
    ({"shift": -1}, "off_by_one"),
    ({"shift": 1}, "off_by_one"),
    ({"twice": True}, "different"),
    ({"result": "tuple"}, "not_list"),
    ({"result": "scaled"}, "losses"),
    ({"result": "last"}, "not_list"),
]


@pytest.mark.parametrize(("change", "expected"), MISTAKES, ids=lambda v: str(v))
def test_each_mistake_gets_its_diagnosis(change, expected):
    assert diagnosis(check.resume_training, make_resume(**change)) == expected


def test_mistakes_written_out():
    assert diagnosis(check.resume_training, new_optimizer_after_loading) == "different"
    assert diagnosis(check.resume_training, builds_its_own_model) == "model"
    assert "it trained 2 epoch(s) instead of 0: start at the epoch stored" in (
        check.resume_training(make_resume(shift=-2)).message
    )


def test_a_stub_and_the_random_state():
    def stub(path, model, optimizer, criterion, loader, num_epochs, device):
        raise NotImplementedError()

    assert check.resume_training(stub).status == checks.TODO
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    check.resume_training(solution)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_messages_follow_the_language():
    i18n.set_language("es")
    result = check.resume_training(make_resume(optimizer=False))
    assert "el optimizador no recuperó su estado" in result.message

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


# Mistakes, written as a student would make them.


def forgets_the_model(path, model, optimizer, criterion, loader, num_epochs, device):
    state = torch.load(path, weights_only=True)
    optimizer.load_state_dict(state["optimizer"])
    loader.generator.set_state(state["generator"])
    losses = []
    for _epoch in range(state["epoch"], num_epochs):
        losses.append(train.train_epoch(model, loader, criterion, optimizer, device))
    return losses


def builds_its_own_model(path, model, optimizer, criterion, loader, num_epochs, device):
    other = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    other_optimizer = torch.optim.Adam(other.parameters(), lr=0.05)
    state = checkpoint.load(path, other, other_optimizer, generator=loader.generator)
    return [train.train_epoch(other, loader, criterion, other_optimizer, device)
            for _ in range(state["epoch"], num_epochs)]  # fmt: skip


def passes_no_optimizer(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, generator=loader.generator)
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(state["epoch"], num_epochs)]  # fmt: skip


def forgets_the_generator(path, model, optimizer, criterion, loader, num_epochs, device):
    start = checkpoint.load(path, model, optimizer)["epoch"]
    history = []
    for _epoch in range(start, num_epochs):
        history.append(train.train_epoch(model, loader, criterion, optimizer, device))
    return history


def starts_from_zero(path, model, optimizer, criterion, loader, num_epochs, device):
    checkpoint.load(path, model, optimizer, generator=loader.generator)
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _epoch in range(num_epochs)]  # fmt: skip


def counts_epochs_from_one(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    start = state["epoch"] - 1  # epochs are numbered from 1, indices from 0
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _epoch in range(start, num_epochs)]  # fmt: skip


def starts_after_the_saved_epoch(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    losses = []
    for _epoch in range(state["epoch"] + 1, num_epochs):  # the saved one is done
        losses.append(train.train_epoch(model, loader, criterion, optimizer, device))
    return losses


def trains_twice_per_epoch(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    losses = []
    for _epoch in range(state["epoch"], num_epochs):
        train.train_epoch(model, loader, criterion, optimizer, device)  # train the epoch,
        losses.append(train.train_epoch(model, loader, criterion, optimizer, device))  # log it
    return losses


def new_optimizer_after_loading(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)  # a fresh one, state lost
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(state["epoch"], num_epochs)]  # fmt: skip


def returns_a_tuple(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    losses = ()
    for _epoch in range(state["epoch"], num_epochs):
        losses += (train.train_epoch(model, loader, criterion, optimizer, device),)
    return losses


def rounds_the_losses(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    losses = []
    for _epoch in range(state["epoch"], num_epochs):
        loss = train.train_epoch(model, loader, criterion, optimizer, device)
        losses.append(round(loss, 3))  # three decimals are enough
    return losses


def returns_the_last_loss(path, model, optimizer, criterion, loader, num_epochs, device):
    state = checkpoint.load(path, model, optimizer, generator=loader.generator)
    last_loss = None
    for _epoch in range(state["epoch"], num_epochs):
        last_loss = train.train_epoch(model, loader, criterion, optimizer, device)
    return last_loss


MISTAKES = [
    (forgets_the_model, "model"),
    (builds_its_own_model, "model"),
    (passes_no_optimizer, "optimizer"),
    (forgets_the_generator, "generator"),
    (starts_from_zero, "from_zero"),
    (counts_epochs_from_one, "off_by_one"),
    (starts_after_the_saved_epoch, "off_by_one"),
    (trains_twice_per_epoch, "different"),
    (new_optimizer_after_loading, "different"),
    (returns_a_tuple, "not_list"),
    (rounds_the_losses, "losses"),
    (returns_the_last_loss, "not_list"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.resume_training, student) == expected


def test_the_count_of_epochs_is_in_the_message():
    assert "it trained 2 epoch(s) instead of 0: start at the epoch stored" in (
        check.resume_training(starts_from_zero).message
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
    result = check.resume_training(passes_no_optimizer)
    assert "el optimizador no recuperó su estado" in result.message

"""Lesson 06's check: correct resumptions in many styles pass, each usual mistake gets its id.

The check saves the cut run with the student's ``save_checkpoint``, in their own format:
resumptions that restore with ``load_checkpoint`` (the lesson's) get the lesson's
``save_checkpoint``; those written against the course's ``checkpoint.load`` get a save
in the course's format.
"""

from __future__ import annotations

import copy

import pytest
import torch

from course_utils import checkpoint, checks, i18n, train
from course_utils.checks import checkpoint as check
from course_utils.probes import checkpoint as probe
from tests.student import judged

pytestmark = pytest.mark.usefixtures("english")


def save_checkpoint(path, model, optimizer, epoch, generator):
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
             "generator": generator.get_state()}  # fmt: skip
    torch.save(state, path)


def load_checkpoint(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"]


def course_format(path, model, optimizer, epoch, generator):
    checkpoint.save(path, model, optimizer, epoch=epoch, generator=generator)


def solution(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
    done = load_checkpoint(path, model, optimizer, loader.generator)
    return [
        train.train_epoch(model, loader, criterion, optimizer, device)
        for _epoch in range(done, num_epochs)
    ]


def with_the_course_load(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
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


def own_load_and_a_while_loop(path, model, optimizer, criterion, loader, num_epochs, device):
    epoch, losses = load_checkpoint(path, model, optimizer, generator=loader.generator), []
    while epoch < num_epochs:
        losses.append(train.train_epoch(model, loader, criterion, optimizer, device))
        epoch += 1
    return losses


VARIANTS = [
    (solution, save_checkpoint),
    (own_load_and_a_while_loop, save_checkpoint),
    (with_torch_load, save_checkpoint),
    (with_a_while_loop, save_checkpoint),
    (with_the_course_load, course_format),
    (loads_then_moves, course_format),
    (skips_nothing_when_done, course_format),
]


def _check(student, save=course_format) -> checks.Result:
    return check.resume_training(student, save)


@pytest.mark.parametrize(("student", "save"), VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_resumption_passes(student, save):
    result = _check(student, save)
    assert result.passed, f"{student.__name__}: {result.message}"


@pytest.mark.parametrize("seed", [1, 3])
def test_correct_resumptions_pass_on_other_seeds(seed):
    for student, save in VARIANTS:
        result = judged(check.resume_training, seed, student, save)
        assert result.passed, f"seed {seed}, {student.__name__}: {result.message}"


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
    other = copy.deepcopy(model)  # the same architecture, a model of its own
    other_optimizer = torch.optim.Adam(other.parameters(), lr=optimizer.param_groups[0]["lr"])
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


def own_load_forgets_the_generator(path, model, optimizer, criterion, loader, num_epochs,
                                   device):  # fmt: skip
    done = load_checkpoint(path, model, optimizer, torch.Generator())  # it wants one
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(done, num_epochs)]  # fmt: skip


def own_load_from_zero(path, model, optimizer, criterion, loader, num_epochs, device):
    load_checkpoint(path, model, optimizer, loader.generator)
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(num_epochs)]  # fmt: skip


def own_load_one_more(path, model, optimizer, criterion, loader, num_epochs, device):
    start = load_checkpoint(path, model, optimizer, loader.generator) + 1
    return [train.train_epoch(model, loader, criterion, optimizer, device)
            for _ in range(start, num_epochs)]  # fmt: skip


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
OWN_LOAD_MISTAKES = [
    (own_load_forgets_the_generator, "generator"),
    (own_load_from_zero, "from_zero"),
    (own_load_one_more, "off_by_one"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    result = _check(student)
    assert result.status == checks.FAILED, f"{student.__name__} passed"
    assert result.diagnosis == expected, result.message


@pytest.mark.parametrize(
    ("student", "expected"), OWN_LOAD_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_mistakes_through_the_students_own_load_get_their_diagnosis(student, expected):
    assert _check(student, save_checkpoint).diagnosis == expected
    assert judged(check.resume_training, 2, student, save_checkpoint).diagnosis == expected


def test_a_save_that_forgets_the_generator_shows_in_the_resumed_run():
    def no_generator_save(path, model, optimizer, epoch, generator):
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "epoch": epoch}, path)  # fmt: skip

    def no_generator_resume(path, model, optimizer, criterion, loader, num_epochs, device):
        state = torch.load(path, weights_only=True)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        return [train.train_epoch(model, loader, criterion, optimizer, device)
                for _ in range(state["epoch"], num_epochs)]  # fmt: skip

    assert _check(no_generator_resume, no_generator_save).diagnosis == "generator"


def test_the_count_of_epochs_is_in_the_message():
    saved = probe.problem(checks.NOTEBOOK_SEED).saved
    assert f"it trained {saved} epoch(s) instead of 0: start at the epoch stored" in (
        _check(starts_from_zero).message
    )


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    """A resumption that hands back the notebook's final weights and losses."""
    final = check.resume_training.probe(solution, save_checkpoint, seed=0)["resumed"]

    def copied(path, model, optimizer, criterion, loader, num_epochs, device="cpu"):
        done = load_checkpoint(path, model, optimizer, loader.generator)
        if num_epochs == done:
            return []
        model.load_state_dict(final["model"])
        return list(final["returned"]["values"])

    assert judged(check.resume_training, 0, copied, save_checkpoint).passed
    assert judged(check.resume_training, 1, copied, save_checkpoint).status == checks.FAILED


def test_stubs_and_the_random_state():
    def stub(path, model, optimizer, criterion, loader, num_epochs, device):
        raise NotImplementedError()

    def save_stub(path, model, optimizer, epoch, generator):
        raise NotImplementedError()

    assert _check(stub).status == checks.TODO
    assert _check(solution, save_stub).status == checks.TODO
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    _check(solution, save_checkpoint)
    _check(own_load_forgets_the_generator, save_checkpoint)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_messages_follow_the_language():
    i18n.set_language("es")
    result = _check(passes_no_optimizer)
    assert "el optimizador no recuperó su estado" in result.message

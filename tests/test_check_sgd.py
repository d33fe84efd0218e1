"""Lesson 01's ``sgd_step`` check: correct updates written in several styles pass, and
each usual mistake, written as a student would, gets its own diagnosis id."""

from __future__ import annotations

import pytest
import torch

from course_utils import checks, i18n
from course_utils.checks import sgd as check
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


# Correct answers.


def textbook(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                continue
            p -= lr * p.grad
            p.grad = None


def sub_then_zero(parameters, lr):
    for param in parameters:
        if param.grad is not None:
            with torch.no_grad():
                param.sub_(lr * param.grad)
            param.grad.zero_()


def through_data(parameters, lr):
    for p in parameters:
        if p.grad is None:
            continue
        p.data -= lr * p.grad.data
        p.grad.data.zero_()


def listed_first(parameters, lr):
    trainable = [p for p in parameters if p.grad is not None]
    with torch.no_grad():
        for p in trainable:
            p.add_(p.grad, alpha=-lr)
    for p in trainable:
        p.grad = None


def copy_new_values(parameters, lr):
    with torch.no_grad():
        for weight in filter(lambda w: w.grad is not None, parameters):
            weight.copy_(weight - lr * weight.grad)
            weight.grad = torch.zeros_like(weight)


def under_inference_mode(parameters, lr):
    params = list(parameters)
    with torch.inference_mode():
        for p, g in zip(params, [p.grad for p in params], strict=True):
            if g is not None:
                p.sub_(g * lr)
    for p in params:
        p.grad = None


VARIANTS = [textbook, sub_then_zero, through_data, listed_first, copy_new_values,
            under_inference_mode]  # fmt: skip


@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_step_passes(student):
    passes(check.sgd_step, student)


# Mistakes, each as a student would write it.


def with_the_optimizer(parameters, lr):
    optimizer = torch.optim.SGD(parameters, lr=lr)
    optimizer.step()
    optimizer.zero_grad()


def outside_no_grad(parameters, lr):
    for p in parameters:
        if p.grad is not None:
            p -= lr * p.grad
            p.grad = None


def every_gradient_assumed(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            p -= lr * p.grad
            p.grad.zero_()


def new_tensor(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p = p - lr * p.grad


def zero_grad_habit(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                continue
            p.grad.zero_()
            p -= lr * p.grad


def uphill(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p += lr * p.grad
                p.grad = None


def whole_gradient(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p.sub_(p.grad)
                p.grad = None


def fixed_rate(parameters, lr=0.01):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p -= 0.01 * p.grad
                p.grad = None


def returns_in_the_loop(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                continue
            p -= lr * p.grad
            p.grad = None
            return p


def breaks_at_the_first_gap(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                break
            p -= lr * p.grad
            p.grad = None


def two_passes(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p -= lr * p.grad
    for p in parameters:
        p.grad = None


def keeps_the_gradients(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p -= lr * p.grad


def turns_off_requires_grad(parameters, lr):
    for p in parameters:
        if p.grad is None:
            continue
        p.requires_grad = False
        p -= lr * p.grad
        p.grad = None


def signs_only(parameters, lr):
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p -= lr * torch.sign(p.grad)
                p.grad = None


MISTAKES = [
    (with_the_optimizer, "uses_optimizer"),
    (outside_no_grad, "no_no_grad"),
    (every_gradient_assumed, "grad_none"),
    (new_tensor, "rebinds"),
    (zero_grad_habit, "zeroed_first"),
    (uphill, "ascent"),
    (whole_gradient, "no_lr"),
    (fixed_rate, "ignores_lr"),
    (returns_in_the_loop, "only_first"),
    (breaks_at_the_first_gap, "stops_at_none"),
    (two_passes, "iterates_twice"),
    (keeps_the_gradients, "no_reset"),
    (turns_off_requires_grad, "detaches"),
    (signs_only, "wrong_update"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.sgd_step, student) == expected


@pytest.mark.parametrize("seed", [1, 2, 12345])
@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_correct_steps_pass_on_other_problems(student, seed):
    result = judged(check.sgd_step, seed, student)
    assert result.passed, result.message


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_keeps_its_diagnosis_on_other_problems(student, expected, seed):
    assert judged(check.sgd_step, seed, student).diagnosis == expected


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    main, other = check.probe.problem(0)
    rates = iter([main[1], main[1], other[1]])  # the learning rates of seed 0, hard-coded

    def copied(parameters, lr):
        textbook(parameters, next(rates))

    assert judged(check.sgd_step, 0, copied).passed
    rates = iter([main[1], main[1], other[1]])
    assert judged(check.sgd_step, 1, copied).diagnosis == "ignores_lr"


def test_a_gradient_less_layer_lies_between_the_others():
    for seed in (0, 1, 2):
        net, _lr = check.probe.problem(seed)[0]
        missing = [p.grad is None for p in net.parameters()]
        assert missing == [False, False, True, True, False, False, True, True]


def test_a_stub_is_todo():
    def sgd_step(parameters, lr):
        raise NotImplementedError()

    assert check.sgd_step(sgd_step).status == checks.TODO


def test_the_check_leaves_the_global_random_state_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    check.sgd_step(textbook)
    assert torch.equal(torch.rand(3), expected)


def test_messages_follow_the_language():
    assert "where a continue belongs" in check.sgd_step(breaks_at_the_first_gap).message
    i18n.set_language("es")
    assert "generador" in check.sgd_step(two_passes).message
    assert "donde va un «continue»" in check.sgd_step(breaks_at_the_first_gap).message

"""Lesson 00's check: correct counts in many styles pass, each usual miscount gets its id."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from course_utils import checks, i18n
from course_utils.checks import welcome as check
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


def solution(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def with_a_loop(model):
    total = 0
    for param in model.parameters():
        if param.requires_grad:
            total += param.numel()
    return total


def with_numpy(model):
    return sum(np.prod(p.shape) for p in model.parameters() if p.requires_grad)


def with_math_prod(model):
    return sum(math.prod(p.size()) for p in model.parameters() if p.requires_grad)


def named_parameters(model):
    return sum(torch.numel(p) for _name, p in model.named_parameters() if p.requires_grad)


def filtered_first(model):
    trainable = filter(lambda p: p.requires_grad, model.parameters())
    return int(sum(p.numel() for p in trainable))


VARIANTS = [solution, with_a_loop, with_numpy, with_math_prod, named_parameters, filtered_first]


@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_count_passes(student):
    passes(check.count_parameters, student)


def counts_tensors(model):
    return len(list(p for p in model.parameters() if p.requires_grad))


def weights_only(model):
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))


def adds_dimensions(model):
    return sum(sum(p.shape) for p in model.parameters() if p.requires_grad)


def first_dimension(model):
    return sum(len(p) for p in model.parameters() if p.requires_grad)


def from_the_state_dict(model):
    return sum(v.numel() for v in model.state_dict().values())


def frozen_too(model):
    return sum(p.numel() for p in model.parameters())


def as_float(model):
    return float(solution(model))


def prints_it(model):
    print(solution(model))


def as_a_tensor(model):
    return torch.tensor([p.numel() for p in model.parameters() if p.requires_grad]).sum()


def hard_coded(model):
    return 72  # right for the notebook's first model, nn.Linear(8, 8)


def squares_it(model):
    return sum(p.numel() ** 2 for p in model.parameters() if p.requires_grad)


MISTAKES = [
    (counts_tensors, "tensors"),
    (weights_only, "no_bias"),
    (adds_dimensions, "dims"),
    (first_dimension, "first_dim"),
    (from_the_state_dict, "buffers"),
    (frozen_too, "frozen"),
    (as_float, "not_int"),
    (prints_it, "not_int"),
    (as_a_tensor, "not_int"),
    (hard_coded, "other_model"),
    (squares_it, "wrong"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_miscount_gets_its_diagnosis(student, expected):
    assert diagnosis(check.count_parameters, student) == expected


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    answers = iter([c["value"] for c in check.count_parameters.probe(solution, seed=0)["counts"]])
    assert judged(check.count_parameters, 0, lambda model: next(answers)).passed
    answers = iter([c["value"] for c in check.count_parameters.probe(solution, seed=0)["counts"]])
    assert not judged(check.count_parameters, 1, lambda model: next(answers)).passed
    for seed in (1, 2, 12345):
        assert judged(check.count_parameters, seed, solution).passed


def test_a_stub_and_the_messages():
    def stub(model):
        raise NotImplementedError()

    assert check.count_parameters(stub).status == checks.TODO
    assert "it returned 2, the number of parameter tensors" in (
        check.count_parameters(counts_tensors).message
    )
    i18n.set_language("es")
    assert "olvidaste los sesgos" in check.count_parameters(weights_only).message

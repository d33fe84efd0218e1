"""Lesson 03's ``l2_penalty`` check: correct sums written in several styles pass, and
each usual mistake, written as a student would, gets its own diagnosis id."""

from __future__ import annotations

import pytest
import torch

from course_utils import checks, i18n
from course_utils.checks import l2 as check
from course_utils.probes import record
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


# Correct answers.


def textbook(model):
    return sum((p**2).sum() for p in model.parameters())


def accumulated(model):
    total = torch.tensor(0.0)
    for param in model.parameters():
        total = total + param.pow(2).sum()
    return total


def concatenated(model):
    return torch.cat([p.flatten() for p in model.parameters()]).square().sum()


def squared_norms(model):
    return sum(torch.linalg.vector_norm(p) ** 2 for p in model.parameters())


def named(model):
    return sum(torch.sum(w * w) for _name, w in model.named_parameters())


def stacked(model):
    return torch.stack([p.pow(2).sum() for p in model.parameters()]).sum()


VARIANTS = [textbook, accumulated, concatenated, squared_norms, named, stacked]


@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_penalty_passes(student):
    passes(check.l2_penalty, student)


# Mistakes, each as a student would write it.


def squares_in_place(model):
    return sum(p.data.pow_(2).sum() for p in model.parameters())


def as_a_number(model):
    return sum((p**2).sum().item() for p in model.parameters())


def per_parameter(model):
    return torch.stack([(p**2).sum() for p in model.parameters()])


def listed(model):
    return [(p**2).sum() for p in model.parameters()]


def from_the_state_dict(model):
    return sum((t.float() ** 2).sum() for t in model.state_dict().values())


def weights_only(model):
    return sum((p**2).sum() for name, p in model.named_parameters() if name.endswith("weight"))


def absolute_values(model):
    return sum(p.abs().sum() for p in model.parameters())


def forgot_the_square(model):
    return sum(p.sum() for p in model.parameters())


def the_norm(model):
    return torch.cat([p.view(-1) for p in model.parameters()]).norm()


def half_inside(model):
    return 0.5 * sum((p**2).sum() for p in model.parameters())


def averaged(model):
    return sum((p**2).mean() for p in model.parameters())


def under_no_grad(model):
    with torch.no_grad():
        return sum((p**2).sum() for p in model.parameters())


def first_layer_only(model):
    first = next(model.children())
    return (first.weight**2).sum() + (first.bias**2).sum()


MISTAKES = [
    (squares_in_place, "in_place"),
    (as_a_number, "item"),
    (per_parameter, "not_scalar"),
    (listed, "not_tensor"),
    (from_the_state_dict, "buffers"),
    (weights_only, "weights_only"),
    (absolute_values, "l1"),
    (forgot_the_square, "no_square"),
    (the_norm, "norm"),
    (half_inside, "halved"),
    (averaged, "mean"),
    (under_no_grad, "detached"),
    (first_layer_only, "wrong_value"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.l2_penalty, student) == expected


def test_a_stub_is_todo():
    def l2_penalty(model):
        raise NotImplementedError()

    assert check.l2_penalty(l2_penalty).status == checks.TODO


def test_the_check_leaves_the_global_random_state_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    check.l2_penalty(textbook)
    assert torch.equal(torch.rand(3), expected)


def test_messages_follow_the_language():
    i18n.set_language("es")
    assert "sesgos" in check.l2_penalty(weights_only).message


@pytest.mark.parametrize("seed", [1, 12345])
def test_correct_penalties_pass_and_mistakes_are_named_on_other_problems(seed):
    for student in VARIANTS:
        assert judged(check.l2_penalty, seed, student).passed, student.__name__
    for student, expected in MISTAKES:
        assert judged(check.l2_penalty, seed, student).diagnosis == expected, student.__name__


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    def copied(seed):
        values = iter([run["value"] for run in check.l2_penalty.probe(textbook, seed=0)["runs"]])
        return judged(check.l2_penalty, seed, lambda model: next(values).requires_grad_())

    assert copied(0).passed
    assert copied(1).diagnosis == "wrong_value"


def test_a_record_no_probe_writes_is_refused():
    observed = {"outcome": "ran", "data": {"runs": []}}
    with pytest.raises(record.Malformed):
        check.l2_penalty.verdict(0, observed)

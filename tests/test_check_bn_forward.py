"""Lesson 04's ``batch_norm`` check: correct forward passes written in several styles
pass, and each usual mistake, written as a student would, gets its own diagnosis id."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import checks, i18n, probes
from course_utils.checks import bn_forward as check
from course_utils.probes import record
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


# Correct answers.


def textbook(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean = x.mean(dim=0)
        var = x.var(dim=0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(dim=0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def squares_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if not training:
        x_hat = (x - running_mean) / (running_var + eps) ** 0.5
        return x_hat * weight + bias
    n = x.shape[0]
    mu = x.sum(0) / n
    sigma2 = ((x - mu) ** 2).sum(0) / n
    running_mean.copy_((1 - momentum) * running_mean + momentum * mu.detach())
    running_var.copy_((1 - momentum) * running_var + momentum * sigma2.detach() * n / (n - 1))
    return (x - mu) / (sigma2 + eps) ** 0.5 * weight + bias


def var_mean_and_lerp(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        var, mean = torch.var_mean(x, dim=0, correction=0)
        unbiased = x.var(dim=0, correction=1)
        running_mean.lerp_(mean.detach(), momentum)
        running_var.lerp_(unbiased.detach(), momentum)
    else:
        var, mean = running_var, running_mean
    return torch.addcmul(bias, weight, (x - mean) * torch.rsqrt(var + eps))


def keepdim_style(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean = x.mean(0, keepdim=True)
        var = x.var(0, unbiased=False, keepdim=True)
        m = x.size(0)
        running_mean *= 1 - momentum
        running_mean += momentum * mean.squeeze(0).detach()
        running_var *= 1 - momentum
        running_var += momentum * (var.squeeze(0) * m / (m - 1)).detach()
    else:
        mean, var = running_mean.unsqueeze(0), running_var.unsqueeze(0)
    normalized = (x - mean) / torch.sqrt(var + eps)
    return normalized * weight.unsqueeze(0) + bias.unsqueeze(0)


def neuron_by_neuron(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    columns = []
    for j in range(x.shape[1]):
        column = x[:, j]
        if training:
            mu, var = column.mean(), column.var(unbiased=False)
            with torch.no_grad():
                running_mean[j] = (1 - momentum) * running_mean[j] + momentum * mu
                running_var[j] = (1 - momentum) * running_var[j] + momentum * column.var()
        else:
            mu, var = running_mean[j], running_var[j]
        columns.append(weight[j] * (column - mu) / (var + eps).sqrt() + bias[j])
    return torch.stack(columns, dim=1)


CORRECT = [textbook, squares_by_hand, var_mean_and_lerp, keepdim_style, neuron_by_neuron]


@pytest.mark.parametrize("student", CORRECT, ids=lambda f: f.__name__)
def test_every_correct_answer_passes(student):
    passes(check.batch_norm, student)


# Mistakes.


def normalizes_with_unbiased(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    if training:
        mean, var = x.mean(0), x.var(0)  # torch's default divides by m - 1
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var)
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def stores_biased(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var)
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def keras_momentum(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.copy_(momentum * running_mean + (1 - momentum) * mean)
            running_var.copy_(momentum * running_var + (1 - momentum) * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def rebinds_the_names(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        running_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        running_var = (1 - momentum) * running_var + momentum * x.var(0).detach()
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def never_updates(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def batch_stats_always(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    mean, var = x.mean(0), x.var(0, unbiased=False)
    if training:
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def updates_in_eval(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * x.mean(0))
        running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def eps_after_root(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, std = x.mean(0), x.std(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, std = running_mean, running_var.sqrt()
    return weight * (x - mean) / (std + eps) + bias


def without_eps(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / var.sqrt() + bias


def forgets_gamma_beta(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    return (x - mean) / torch.sqrt(var + eps)


def per_example(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(1, keepdim=True), x.var(1, unbiased=False, keepdim=True)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * x.mean(0))
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def tracks_the_output(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if not training:
        return weight * (x - running_mean) / torch.sqrt(running_var + eps) + bias
    y = weight * (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps) + bias
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * y.mean(0))
        running_var.mul_(1 - momentum).add_(momentum * y.var(0))
    return y


def normalizes_in_place(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    with torch.no_grad():
        x.sub_(mean).div_(torch.sqrt(var + eps))
    return weight * x + bias


def detaches_everything(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    with torch.no_grad():
        if training:
            mean, var = x.mean(0), x.var(0, unbiased=False)
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
        else:
            mean, var = running_mean, running_var
        return weight * (x - mean) / torch.sqrt(var + eps) + bias


def running_stats_keep_the_graph(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        running_mean.mul_(1 - momentum).add_(momentum * mean)
        running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def returns_a_tuple(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    mean, var = (x.mean(0), x.var(0, unbiased=False)) if training else (running_mean, running_var)
    if training:
        running_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        running_var = (1 - momentum) * running_var + momentum * x.var(0).detach()
    return weight * (x - mean) / torch.sqrt(var + eps) + bias, running_mean, running_var


def default_momentum_only(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(0.9).add_(0.1 * mean)  # ignores the momentum it is given
            running_var.mul_(0.9).add_(0.1 * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def through_functional(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def through_the_module(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    bn = nn.BatchNorm1d(x.shape[1], eps=eps, momentum=momentum).train(training)
    bn.running_mean, bn.running_var = running_mean, running_var
    bn.weight, bn.bias = nn.Parameter(weight), nn.Parameter(bias)
    return bn(x)


MISTAKES = [
    (through_functional, "uses_builtin"),
    (through_the_module, "uses_builtin"),
    (normalizes_with_unbiased, "unbiased_normalization"),
    (stores_biased, "biased_running_var"),
    (keras_momentum, "momentum_reversed"),
    (rebinds_the_names, "not_in_place"),
    (never_updates, "no_running_update"),
    (batch_stats_always, "eval_uses_batch_stats"),
    (updates_in_eval, "eval_updates_running"),
    (eps_after_root, "eps_outside_sqrt"),
    (without_eps, "no_eps"),
    (forgets_gamma_beta, "no_affine"),
    (per_example, "wrong_dim"),
    (tracks_the_output, "running_tracks_output"),
    (normalizes_in_place, "changes_input"),
    (detaches_everything, "output_detached"),
    (running_stats_keep_the_graph, "running_has_grad"),
    (returns_a_tuple, "returns"),
    (default_momentum_only, "wrong_running"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.batch_norm, student) == expected


def per_example_flat(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(1), x.var(1, unbiased=False)  # broadcasts only on square batches
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * x.mean(0))
            running_var.mul_(1 - momentum).add_(momentum * x.var(0))
    else:
        mean, var = running_mean, running_var
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


def square_batches_only(
    x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5
):
    assert x.shape[0] == x.shape[1], "the only shape tried"
    return textbook(x, running_mean, running_var, weight, bias, training, momentum, eps)


def test_a_mistake_is_named_even_if_another_shape_would_crash():
    assert diagnosis(check.batch_norm, per_example_flat) == "wrong_dim"
    result = check.batch_norm(square_batches_only)
    assert result.diagnosis == "crashed" and "assert x.shape[0] == x.shape[1]" in result.message


@pytest.mark.parametrize("seed", [1, 2, 12345])
@pytest.mark.parametrize("student", CORRECT, ids=lambda f: f.__name__)
def test_correct_answers_pass_on_other_seeds(student, seed):
    assert judged(check.batch_norm, seed, student).passed


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_mistakes_are_named_on_other_seeds(student, expected, seed):
    assert judged(check.batch_norm, seed, student).diagnosis == expected


def copied_from_seed_0():
    """A function replaying what a correct one did on the problem of seed 0."""
    recorded = check.batch_norm.probe(textbook, seed=0)
    calls = iter([recorded["train"], recorded["eval"], *recorded["steps"]])

    def replay(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
        call = next(calls)
        running_mean.copy_(call["running_mean"])
        running_var.copy_(call["running_var"])
        return call["out"] + 0 * weight.sum()

    return replay


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    assert judged(check.batch_norm, 0, copied_from_seed_0()).passed
    assert not judged(check.batch_norm, 1, copied_from_seed_0()).passed


def test_a_record_no_probe_writes_is_refused():
    observed = probes.observe(check.batch_norm.probe, (textbook,), 0)
    observed["data"]["steps"] = observed["data"]["steps"][:2]  # steps missing, and no crash
    with pytest.raises(record.Malformed):
        check.batch_norm.verdict(0, observed)


def test_a_stub_is_todo():
    def batch_norm(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
        raise NotImplementedError("write your solution here")

    assert check.batch_norm(batch_norm).status == checks.TODO


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = check.batch_norm(keras_momentum).message
    assert "Keras" in message and "momentum" in message

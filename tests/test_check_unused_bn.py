"""Lesson 04's ``unused_batchnorms`` check: correct functions written in several styles
pass on several seeds, and each usual mistake, written as a student would, gets its own
diagnosis id."""

from __future__ import annotations

import contextlib
from collections import Counter

import pytest
import torch
from torch import nn

from course_utils import checks, i18n
from course_utils.checks import unused_bn as check
from course_utils.probes import unused_bn as probe
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


def _norms(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.BatchNorm1d)]


# Correct answers.


def forward_hooks(model, batch):
    ran = set()
    handles = [
        module.register_forward_hook(lambda *_args, name=name: ran.add(name))
        for name, module in _norms(model)
    ]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(batch)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return [name for name, _module in _norms(model) if name not in ran]


def pre_hooks_and_counter(model, batch):
    calls = Counter()
    names = {module: name for name, module in model.named_modules()}
    handles = []
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d):
            handles.append(module.register_forward_pre_hook(lambda m, _x: calls.update([m])))
    mode = model.training
    model.eval()
    with torch.inference_mode():
        model(batch)
    model.train(mode)
    for handle in handles:
        handle.remove()
    return tuple(sorted(names[m] for m in names if isinstance(m, nn.BatchNorm1d) and not calls[m]))


def counted_batches(model, batch):
    """Reads num_batches_tracked after a training-mode pass, then puts everything back."""
    saved, mode = {k: v.clone() for k, v in model.state_dict().items()}, model.training
    before = {name: bn.num_batches_tracked.item() for name, bn in _norms(model)}
    model.train()
    with torch.no_grad():
        model(batch)
    unused = [name for name, bn in _norms(model) if bn.num_batches_tracked.item() == before[name]]
    model.load_state_dict(saved)
    model.train(mode)
    return unused


def exit_stack(model, batch):
    seen = set()
    with contextlib.ExitStack() as stack:
        for _name, module in _norms(model):
            handle = module.register_forward_hook(lambda m, i, o: seen.add(id(m)))
            stack.callback(handle.remove)
        training = model.training
        model.train(False)
        with torch.no_grad():
            model(batch)
        model.train(training)
    return {name for name, module in _norms(model) if id(module) not in seen}


def global_hook(model, batch):
    ran = []
    handle = nn.modules.module.register_module_forward_hook(lambda m, i, o: ran.append(m))
    training = model.training
    try:
        with torch.no_grad():
            model.eval()(batch)
    finally:
        handle.remove()
        model.train(training)
    return [name for name, module in _norms(model) if all(module is not m for m in ran)]


CORRECT = [forward_hooks, pre_hooks_and_counter, counted_batches, exit_stack, global_hook]


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
@pytest.mark.parametrize("student", CORRECT, ids=lambda f: f.__name__)
def test_correct_functions_pass(student, seed):
    assert judged(check.unused_batchnorms, seed, student).passed


def test_the_notebook_self_check_passes():
    for student in CORRECT:
        passes(check.unused_batchnorms, student)


# Mistakes.


def _hooked(model, batch, keep_training=False, backward=False):
    """The names of the BatchNorms that ran, the hooks left in place."""
    ran = set()
    for name, module in _norms(model):
        module.register_forward_hook(lambda *_args, name=name: ran.add(name))
    if not keep_training:
        model.eval()
    if backward:
        model(batch).sum().backward()
    else:
        with torch.no_grad():
            model(batch)
    return ran


def returns_those_that_ran(model, batch):
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    mode = model.training
    with torch.no_grad():
        model.eval()(batch)
    model.train(mode)
    for handle in handles:
        handle.remove()
    return sorted(ran)


def every_unused_module(model, batch):
    ran, handles = set(), []
    for name, module in model.named_modules():
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    mode = model.training
    with torch.no_grad():
        model.eval()(batch)
    model.train(mode)
    for handle in handles:
        handle.remove()
    return [name for name, _m in model.named_modules() if name not in ran]


def hooks_after_the_pass(model, batch):
    mode = model.training
    with torch.no_grad():
        model.eval()(batch)
    model.train(mode)
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    for handle in handles:
        handle.remove()
    return [name for name, _m in _norms(model) if name not in ran]


def only_children(model, batch):
    ran, handles = set(), []
    norms = [(n, m) for n, m in model.named_children() if isinstance(m, nn.BatchNorm1d)]
    for name, module in norms:
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    mode = model.training
    with torch.no_grad():
        model.eval()(batch)
    model.train(mode)
    for handle in handles:
        handle.remove()
    return [name for name, _m in norms if name not in ran]


def short_names(model, batch):
    return [name.split(".")[-1] for name in forward_hooks(model, batch)]


def returns_modules(model, batch):
    unused = set(forward_hooks(model, batch))
    return [module for name, module in _norms(model) if name in unused]


def in_training_mode(model, batch):
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    with torch.no_grad():
        model(batch)
    for handle in handles:
        handle.remove()
    return [name for name, _m in _norms(model) if name not in ran]


def with_backward(model, batch):  # as the lesson's cell did to see bn2's gradient
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    mode = model.training
    model.eval()
    model(batch).sum().backward()
    model.train(mode)
    for handle in handles:
        handle.remove()
    return [name for name, _m in _norms(model) if name not in ran]


def hooks_never_removed(model, batch):
    mode = model.training
    ran = _hooked(model, batch)
    model.train(mode)
    return [name for name, _m in _norms(model) if name not in ran]


def left_in_eval(model, batch):
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    model.eval()
    with torch.no_grad():
        model(batch)
    for handle in handles:
        handle.remove()
    return [name for name, _m in _norms(model) if name not in ran]


def back_to_training_always(model, batch):
    ran, handles = set(), []
    for name, module in _norms(model):
        handles.append(module.register_forward_hook(lambda *_a, name=name: ran.add(name)))
    model.eval()
    with torch.no_grad():
        model(batch)
    model.train()
    for handle in handles:
        handle.remove()
    return [name for name, _m in _norms(model) if name not in ran]


MISTAKES = [
    (returns_those_that_ran, "ran_returned"),
    (every_unused_module, "not_bn"),
    (hooks_after_the_pass, "all_returned"),
    (only_children, "nested"),
    (short_names, "wrong"),
    (returns_modules, "not_names"),
    (in_training_mode, "stats_changed"),
    (with_backward, "backward"),
    (hooks_never_removed, "hooks_left"),
    (left_in_eval, "mode_changed"),
    (back_to_training_always, "mode_changed"),
]


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected, seed):
    result = judged(check.unused_batchnorms, seed, student)
    assert not result.passed and result.diagnosis == expected, result.message


def test_notebook_seed_names_each_mistake():
    for student, expected in MISTAKES:
        assert diagnosis(check.unused_batchnorms, student) == expected


def test_messages_say_what_was_left():
    message = check.unused_batchnorms(in_training_mode).message
    assert "num_batches_tracked" in message and "evaluation mode" in message
    message = check.unused_batchnorms(left_in_eval).message
    assert "the model was in training mode and your function left it in evaluation" in message
    message = check.unused_batchnorms(back_to_training_always).message
    assert "in evaluation mode and your function left it in training mode" in message
    assert "hooks are left" in check.unused_batchnorms(hooks_never_removed).message


def test_an_answer_copied_from_seed_0_fails_on_another_seed():
    spec = probe.problem(0)
    answer = sorted([f"blocks.{spec['skipped']}.norm", spec["spare"]])
    copied = lambda model, batch: list(answer)  # noqa: E731
    assert judged(check.unused_batchnorms, 0, copied).passed
    assert not judged(check.unused_batchnorms, 1, copied).passed


def test_a_stub_is_not_done_yet():
    def stub(model, batch):
        raise NotImplementedError()

    assert check.unused_batchnorms(stub).status == checks.TODO


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = check.unused_batchnorms(only_children).message
    assert "falta la BatchNorm de un bloque anidado" in message

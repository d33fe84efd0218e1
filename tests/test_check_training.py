"""Lesson 01's check: correct loops in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from course_utils import checks, i18n, train
from course_utils.checks import training as check
from course_utils.probes import record
from course_utils.probes import training as probe
from tests.student import diagnosis, judged, passes, retyped

pytestmark = pytest.mark.usefixtures("english")


# Correct answers, written the ways students write them.


def solution(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total_loss, n_samples = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        n_samples += len(y)
    return total_loss / n_samples


def zero_grad_last_and_dataset_length(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    running = 0.0
    for _i, (inputs, labels) in enumerate(loader):
        outputs = model(inputs.to(device))
        loss = criterion(outputs, labels.to(device))
        loss.backward()
        optimizer.step()
        model.zero_grad()
        running += loss.item() * inputs.size(0)
    return running / len(loader.dataset)


def peeks_at_accuracy_in_eval_mode(model, loader, criterion, optimizer, device="cpu"):
    total, count, hits = 0.0, 0, 0
    for X, y in loader:
        X, y = X.to(device, non_blocking=True), y.to(device, non_blocking=True)
        model.train()
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            hits += (model(X).argmax(1) == y).sum().item()
        total, count = total + loss.item() * y.shape[0], count + y.shape[0]
    model.train()
    return total / count


def tensor_bookkeeping(model, loader, criterion, optimizer, device="cpu"):
    model.train(True)
    losses, sizes = [], []
    for batch in loader:
        X, y = (t.to(device) for t in batch)
        for p in model.parameters():
            p.grad = None
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach() * len(y))
        sizes.append(len(y))
    return float(torch.stack(losses).sum() / sum(sizes))


def sum_reduction_bookkeeping(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    summed, seen = 0.0, 0
    for X, y in loader:
        optimizer.zero_grad()
        logits = model(X.float().to(device=device)).to(device)
        y = y.to(device)
        criterion(logits, y).backward()
        optimizer.step()
        summed += F.cross_entropy(logits.detach(), y, reduction="sum").item()
        seen += len(y)
    return summed / seen


def moves_inside_the_calls(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total, n = 0.0, 0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X.to(device)), y.to(device))
        loss.backward()
        optimizer.step()
        total, n = total + loss.item() * X.size(0), n + X.size(0)
    return total / n


def moves_the_batch_as_a_list(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for batch in loader:
        inputs, labels = [t.to(device=device) for t in batch]
        optimizer.zero_grad()
        loss = criterion(model(inputs.view(len(inputs), -1)), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    return total / len(loader.dataset)


VARIANTS = [
    retyped(train.train_epoch),
    solution,
    zero_grad_last_and_dataset_length,
    peeks_at_accuracy_in_eval_mode,
    tensor_bookkeeping,
    sum_reduction_bookkeeping,
    moves_inside_the_calls,
    moves_the_batch_as_a_list,
]


@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_variant_passes(student):
    passes(check.train_epoch, student)


# Mistakes, written as a student would make them.


def no_zero_grad(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total, n = 0.0, 0
    for X, y in loader:
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total, n = total + loss.item() * len(y), n + len(y)
    return total / n


def zero_grad_once(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    optimizer.zero_grad()
    total = 0.0
    for X, y in loader:
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def no_train_mode(model, loader, criterion, optimizer, device="cpu"):
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def no_zero_grad_nor_train_mode(model, loader, criterion, optimizer, device="cpu"):
    total = 0.0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def eval_for_monitoring_and_never_back(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        model.eval()  # to look at the accuracy... and it stays in eval mode
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def forgets_the_step(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def forgets_backward(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def zero_grad_between_backward_and_step(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def swapped_loss_arguments(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    for X, y in loader:
        optimizer.zero_grad()
        criterion(y, model(X)).backward()
        optimizer.step()
    return 0.0


def softmax_before_the_loss(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        probs = torch.softmax(model(X), dim=1)
        loss = criterion(probs, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def ignores_the_criterion(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        loss = F.nll_loss(model(X), y)  # the log_softmax is missing
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def gradient_ascent(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        (-loss).backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def steps_twice(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def returns_last_loss(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
    return loss.item()


def mean_of_batch_means(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    losses = []
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


def returns_the_total(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total


def returns_a_tensor(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.detach() * len(y)
    return total / len(loader.dataset)


def never_moves(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def moves_without_keeping(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        X.to(device)  # .to returns a copy: X itself stays where it was
        y.to(device)
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def moves_only_the_inputs(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(X.to(device)), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def own_cross_entropy(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = F.cross_entropy(model(X), y)  # the same loss, but not the one it was given
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def under_no_grad(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
    return total / len(loader.dataset)


@torch.no_grad()
def no_grad_and_requires_grad_forced(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        loss.requires_grad = True  # what the error message seemed to ask for
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def under_inference_mode(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        with torch.inference_mode():
            loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def loss_times_zero(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y) * 0
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


MISTAKES = [
    (no_zero_grad, "no_zero_grad"),
    (zero_grad_once, "no_zero_grad"),
    (no_train_mode, "train_mode"),
    (no_zero_grad_nor_train_mode, "no_zero_grad"),
    (eval_for_monitoring_and_never_back, "train_mode"),
    (forgets_the_step, "no_step"),
    (forgets_backward, "no_backward"),
    (zero_grad_between_backward_and_step, "cleared"),
    (swapped_loss_arguments, "wrong_tensors"),
    (softmax_before_the_loss, "softmax"),
    (ignores_the_criterion, "ignores_criterion"),
    (gradient_ascent, "not_down"),
    (steps_twice, "not_one_update"),
    (returns_last_loss, "last_batch"),
    (mean_of_batch_means, "per_batch"),
    (returns_the_total, "sum"),
    (returns_a_tensor, "not_number"),
    (never_moves, "no_device"),
    (moves_without_keeping, "no_device"),
    (moves_only_the_inputs, "no_device"),
    (own_cross_entropy, "ignores_criterion"),
    (under_no_grad, "no_grad"),
    (no_grad_and_requires_grad_forced, "no_grad"),
    (under_inference_mode, "no_grad"),
    (loss_times_zero, "zero_gradients"),
]


@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.train_epoch, student) == expected


def test_the_bigger_mistake_comes_first_and_the_others_are_listed():
    result = check.train_epoch(no_zero_grad_nor_train_mode)
    assert result.diagnoses == ("no_zero_grad", "train_mode")
    assert "pile up" in result.message and "Also: the model was not in training mode" in (
        result.message
    )


def test_a_loop_that_ignores_the_criterion_is_told_so_even_when_it_trains_right():
    result = check.train_epoch(own_cross_entropy)
    assert result.diagnoses == ("ignores_criterion",)
    assert check.train_epoch(ignores_the_criterion).diagnoses[0] == "ignores_criterion"
    assert "check.training" not in check.train_epoch(ignores_the_criterion).message


def test_a_loop_that_trains_on_nothing_is_not_told_that_something_clears_the_gradients():
    assert "cleared" not in check.train_epoch(loss_times_zero).diagnoses
    assert "no_backward" not in check.train_epoch(under_no_grad).diagnoses
    assert "no_backward" not in check.train_epoch(no_grad_and_requires_grad_forced).diagnoses


def test_the_device_is_seen_on_the_cpu_and_comes_last():
    assert check.train_epoch(never_moves).diagnoses == ("no_device",)
    assert check.train_epoch(returns_last_loss).diagnoses == ("last_batch", "no_device")


@pytest.mark.parametrize("seed", [1, 2, 12345])
@pytest.mark.parametrize("student", VARIANTS, ids=lambda f: f.__name__)
def test_correct_loops_pass_on_other_problems(student, seed):
    result = judged(check.train_epoch, seed, student)
    assert result.passed, result.message


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("student", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_keeps_its_diagnosis_on_other_problems(student, expected, seed):
    assert judged(check.train_epoch, seed, student).diagnosis == expected


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    copied = check.train_epoch.probe(solution, seed=0)["result"]["value"]

    def returns_the_copied_loss(model, loader, criterion, optimizer, device="cpu"):
        solution(model, loader, criterion, optimizer, device)
        return copied

    assert judged(check.train_epoch, 0, returns_the_copied_loss).passed
    assert judged(check.train_epoch, 1, returns_the_copied_loss).diagnosis == "wrong_value"


def test_a_forged_record_is_refused():
    data = check.train_epoch.probe(solution, seed=0)
    forged = {"outcome": "ran", "data": {**data, "weights": data["weights"][:1]}}
    with pytest.raises(record.Malformed):
        check.train_epoch.verdict(0, record.decode(record.encode(forged)))


def test_the_probe_does_not_know_the_answer():
    tree = ast.parse(Path(probe.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.startswith(("course_utils.checks", "course_utils.train"))}
    assert check.train_epoch.forbidden == ("course_utils.train",)


def test_the_course_loop_imported_and_a_stub():
    assert diagnosis(check.train_epoch, train.train_epoch) == "borrowed"

    def stub(model, loader, criterion, optimizer, device="cpu"):
        raise NotImplementedError()

    assert check.train_epoch(stub).status == checks.TODO


def test_a_crash_is_reported_with_its_line_not_raised():
    def crashes(model, loader, criterion, optimizer, device="cpu"):
        return 1 / 0

    result = check.train_epoch(crashes)
    assert result.diagnosis == "crashed" and "return 1 / 0" in result.message


def test_messages_follow_the_language():
    i18n.set_language("es")
    assert "falta el paso del optimizador" in check.train_epoch(forgets_the_step).message
    assert "«.to(device)»" in check.train_epoch(never_moves).message

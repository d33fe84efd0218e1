"""Lesson 05's checks: correct answers in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from course_utils import checks, i18n
from course_utils.checks import penguins as check
from course_utils.checks import spies
from tests.student import diagnosis, passes

pytestmark = pytest.mark.usefixtures("english")


# Correct epoch statistics (the four steps are given; the bookkeeping is the exercise).


def solution(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def lists_then_zip(model, loader, criterion, optimizer):
    model.train()
    losses, sizes, hits = [], [], []
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(len(y))
        hits.append((logits.argmax(1) == y).sum().item())
    n = sum(sizes)
    return sum(v * s for v, s in zip(losses, sizes, strict=True)) / n, sum(hits) / n


def tensor_counters(model, loader, criterion, optimizer):
    model.train()
    total, right = torch.tensor(0.0), torch.tensor(0)
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.detach() * X.shape[0]
        right += (logits.max(dim=1).indices == y).sum()
    n = len(loader.dataset)
    return total.item() / n, right.item() / n


def sum_reduction(model, loader, criterion, optimizer):
    model.train()
    summed, right, seen = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        summed += F.cross_entropy(logits.detach(), y, reduction="sum").item()
        right += int((logits.argmax(-1) == y).sum())
        seen += y.numel()
    return summed / seen, right / seen


def peeks_in_eval_mode(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            _after = model(X).argmax(1)  # a look at the updated model
        model.train()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


EPOCHS = [solution, lists_then_zip, tensor_counters, sum_reduction, peeks_in_eval_mode]


@pytest.mark.parametrize("student", EPOCHS, ids=lambda f: f.__name__)
def test_every_correct_epoch_passes(student):
    passes(check.epoch_statistics, student)


def make_epoch(loss="ok", acc="ok", *, softmax=False, zero_grad=True, train=True, step=True):
    """The lesson's loop the way a student changes it by mistake (one argument per change)."""

    def train_epoch(model, loader, criterion, optimizer):
        if train:
            model.train()
        losses, sizes, hits = [], [], []
        for X, y in loader:
            logits = model(X)
            loss_ = criterion(torch.softmax(logits, dim=1) if softmax else logits, y)
            if zero_grad:
                optimizer.zero_grad()
            loss_.backward()
            if step:
                optimizer.step()
            losses.append(loss_.item())
            sizes.append(len(y))
            hits.append((logits.argmax(dim=1) == y).sum().item())
        n = sum(sizes)
        value = {
            "ok": sum(v * s for v, s in zip(losses, sizes, strict=True)) / n,
            "per_batch": sum(losses) / len(losses),
            "last": losses[-1],
            "sum": sum(v * s for v, s in zip(losses, sizes, strict=True)),
            "not_weighted": sum(losses) / n,
            "tensor": torch.tensor(losses[-1]),
        }[loss]
        accuracy = {
            "ok": sum(hits) / n,
            "percent": 100 * sum(hits) / n,
            "per_batch": sum(h / s for h, s in zip(hits, sizes, strict=True)) / len(hits),
            "by_batches": sum(hits) / len(hits),
            "full_batches": sum(hits) / (len(hits) * loader.batch_size),
            "count": sum(hits),
            "string": f"{sum(hits) / n:.0%}",
            "junk": 0.25,
        }[acc]
        return value, accuracy

    return train_epoch


EPOCH_MISTAKES = [
    ({"softmax": True}, "softmax"),
    ({"zero_grad": False}, "no_zero_grad"),
    ({"train": False}, "train_mode"),
    ({"step": False}, "steps"),
    ({"loss": "per_batch"}, "per_batch_loss"),
    ({"loss": "last"}, "last_batch"),
    ({"loss": "sum"}, "sum"),
    ({"loss": "not_weighted"}, "not_weighted"),
    ({"loss": "tensor"}, "loss_tensor"),
    ({"acc": "percent"}, "percent"),
    ({"acc": "per_batch"}, "per_batch_acc"),
    ({"acc": "by_batches"}, "by_batches"),
    ({"acc": "full_batches"}, "full_batches"),
    ({"acc": "count"}, "count"),
    ({"acc": "string"}, "accuracy_not_number"),
    ({"acc": "junk"}, "wrong_accuracy"),
]


@pytest.mark.parametrize(("change", "expected"), EPOCH_MISTAKES, ids=lambda v: str(v))
def test_each_epoch_mistake_gets_its_diagnosis(change, expected):
    assert diagnosis(check.epoch_statistics, make_epoch(**change)) == expected


def test_softmax_and_no_zero_grad_get_different_messages():
    softmax = check.epoch_statistics(make_epoch(softmax=True)).message
    no_zero_grad = check.epoch_statistics(make_epoch(zero_grad=False)).message
    assert "raw logits" in softmax and "pile up" in no_zero_grad


def test_several_mistakes_come_out_most_consequential_first():
    result = check.epoch_statistics(make_epoch("per_batch", "percent", zero_grad=False))
    assert result.diagnoses == ("no_zero_grad", "per_batch_loss", "percent")


def test_a_single_number_a_stub_and_a_crash():
    def one(model, loader, criterion, optimizer):
        return 0.5

    def stub(model, loader, criterion, optimizer):
        raise NotImplementedError()

    def crashes(model, loader, criterion, optimizer):
        return 1 / 0

    assert diagnosis(check.epoch_statistics, one) == "pair"
    assert check.epoch_statistics(stub).status == checks.TODO
    assert diagnosis(check.epoch_statistics, crashes) == "crashed"


# Correct evaluations.


def evaluate(model, loader):
    model.eval()
    correct, n_samples = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return correct / n_samples


def inference_mode(model, loader):
    model.eval()
    with torch.inference_mode():
        preds = torch.cat([model(X).argmax(1) for X, _y in loader])
        labels = torch.cat([y for _X, y in loader])
    return (preds == labels).float().mean().item()


def train_false_and_dataset_length(model, loader):
    model.train(False)
    hits = 0
    with torch.no_grad():
        for features, species in loader:
            hits += (model(features).max(1)[1] == species).sum().item()
    return hits / len(loader.dataset)


def one_pass_over_all_the_data(model, loader):
    model.eval()
    X, y = loader.dataset.tensors
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


@torch.no_grad()
def decorated(model, loader):
    model.eval()
    right = [(model(X).argmax(1) == y).sum().item() for X, y in loader]
    return sum(right) / len(loader.dataset)


EVALUATIONS = [evaluate, inference_mode, train_false_and_dataset_length,
               one_pass_over_all_the_data, decorated]  # fmt: skip


@pytest.mark.parametrize("student", EVALUATIONS, ids=lambda f: f.__name__)
def test_every_correct_evaluation_passes(student):
    passes(check.evaluate, student)


def make_evaluate(eval_mode="before", no_grad=True, mode="ok", step=False):
    def evaluate(model, loader):
        if eval_mode == "before":
            model.eval()
        hits, n, per_batch = 0, 0, []
        with torch.set_grad_enabled(not no_grad):
            for X, y in loader:
                batch_hits = (model(X).argmax(dim=1) == y).sum().item()
                hits, n = hits + batch_hits, n + len(y)
                per_batch.append(batch_hits / len(y))
                if step:
                    with torch.no_grad():
                        next(model.parameters()).add_(0.1)
        if eval_mode == "after":
            model.eval()
        return {
            "ok": hits / n,
            "percent": 100 * hits / n,
            "per_batch": sum(per_batch) / len(per_batch),
            "last": per_batch[-1],
            "count": hits,
            "by_batches": hits / len(loader),
            "tensor": torch.tensor(hits / n),
        }[mode]

    return evaluate


EVALUATE_MISTAKES = [
    ({"eval_mode": "never"}, "eval_mode"),
    ({"eval_mode": "after"}, "eval_mode"),
    ({"no_grad": False}, "no_grad"),
    ({"step": True}, "changed"),
    ({"mode": "percent"}, "percent"),
    ({"mode": "per_batch"}, "per_batch_acc"),
    ({"mode": "last"}, "last_batch"),
    ({"mode": "count"}, "count"),
    ({"mode": "by_batches"}, "by_batches"),
    ({"mode": "tensor"}, "accuracy_tensor"),
]


@pytest.mark.parametrize(("change", "expected"), EVALUATE_MISTAKES, ids=lambda v: str(v))
def test_each_evaluation_mistake_gets_its_diagnosis(change, expected):
    assert diagnosis(check.evaluate, make_evaluate(**change)) == expected


def test_an_evaluation_that_never_runs_the_model():
    assert diagnosis(check.evaluate, lambda model, loader: 0.5) == "no_forward"


def test_messages_follow_the_language_and_carry_no_english():
    i18n.set_language("es")
    message = check.evaluate(make_evaluate(eval_mode="never")).message
    assert "llama a «model.eval()» antes de evaluar" in message
    message = check.epoch_statistics(make_epoch(loss="tensor")).message
    assert message.startswith("❌ epoch_statistics: la pérdida es un tensor")


def test_the_reference_problem_tells_the_mistakes_apart():
    """Every mistake gives a different number, far from the right one."""
    loader = check._loader()
    model = check._model()
    with torch.no_grad():
        for X, _y in loader:
            model(X)
    batches = spies.per_batch(model.calls, loader)
    assert [(size, right) for _loss, size, right in batches] == [(4, 4), (4, 0), (3, 2)]
    accuracy = 6 / 11
    candidates = [accuracy, 100 * accuracy, (1 + 0 + 2 / 3) / 3, 2 / 3, 6 / 3, 6 / 12, 6]
    assert min(abs(a - b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]) > 0.01

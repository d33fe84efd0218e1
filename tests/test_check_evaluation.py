"""Lesson 02's checks: correct answers in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections import OrderedDict

import pytest
import torch
import torch.nn.functional as F
from tqdm.auto import trange

from course_utils import checks, probes, train
from course_utils.checks import evaluation as check
from course_utils.data import REPO_ROOT
from course_utils.probes import evaluation as probe
from course_utils.probes import record
from course_utils.train import evaluate, train_epoch
from tests.student import diagnosis, judged, passes, retyped

test_loader = None  # the notebook's test data, which fit must not reach for

pytestmark = pytest.mark.usefixtures("english")


# Correct evaluations.


def evaluate_solution(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct, n_samples = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def inference_mode_and_dataset_size(model, loader, criterion, device="cpu"):
    model.eval()
    summed, hits = 0.0, 0
    with torch.inference_mode():
        for X, y in loader:
            out = model(X.to(device))
            summed += criterion(out, y).item() * y.numel()
            hits += (out.argmax(1) == y).sum().item()
    return summed / len(loader.dataset), hits / len(loader.dataset)


def concatenated_logits(model, loader, criterion, device="cpu"):
    model.train(False)
    with torch.no_grad():
        pairs = [(model(X), y) for X, y in loader]
    logits, labels = torch.cat([p for p, _ in pairs]), torch.cat([t for _, t in pairs])
    return criterion(logits, labels).item(), (logits.argmax(1) == labels).float().mean().item()


@torch.no_grad()
def tensor_totals(model, loader, criterion, device="cpu"):
    model.eval()
    loss_sum, right, count = torch.zeros(()), torch.zeros((), dtype=torch.long), 0
    for inputs, targets in loader:
        outputs = model(inputs)
        loss_sum += criterion(outputs, targets) * inputs.size(0)
        right += (torch.max(outputs, 1)[1] == targets).sum()
        count += inputs.size(0)
    return float(loss_sum / count), float(right / count)


EVALUATIONS = [retyped(train.evaluate), evaluate_solution, inference_mode_and_dataset_size,
               concatenated_logits, tensor_totals]  # fmt: skip


@pytest.mark.parametrize("student", EVALUATIONS, ids=lambda f: f.__name__)
def test_every_correct_evaluation_passes(student):
    passes(check.evaluate, student)


# Evaluation mistakes, written as a student would make them.

net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
# the notebook's model, a global a student may reach for instead of the argument


def never_switches_to_eval_mode(model, loader, criterion, device="cpu"):
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X.to(device))
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
    return total_loss / n, correct / n


def eval_without_parentheses(model, loader, criterion, device="cpu"):
    model.eval  # noqa: B018 (looks like a call, does nothing)
    total, hits = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            out = model(X)
            total += criterion(out, y).item() * len(y)
            hits += (out.argmax(1) == y).sum().item()
    return total / len(loader.dataset), hits / len(loader.dataset)


def forgets_no_grad(model, loader, criterion, device="cpu"):
    model.eval()
    running_loss, right, seen = 0.0, 0, 0
    for inputs, labels in loader:
        outputs = model(inputs)
        running_loss += criterion(outputs, labels).item() * inputs.size(0)
        right += (outputs.argmax(dim=1) == labels).sum().item()
        seen += inputs.size(0)
    return running_loss / seen, right / seen


def copied_the_training_loop(model, loader, criterion, device="cpu"):
    model.eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    total_loss, correct, n = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n += len(y)
    return total_loss / n, correct / n


def uses_the_notebook_model(model, loader, criterion, device="cpu"):
    net.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = net(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)


def mean_of_batch_means(model, loader, criterion, device="cpu"):
    model.eval()
    losses, correct, n = [], 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            losses.append(criterion(logits, y).item())
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
    return sum(losses) / len(losses), correct / n


def divides_the_loss_by_the_batches(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / len(loader), correct / len(loader.dataset)


def accuracy_in_percent(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
    return total_loss / n, 100 * correct / n  # as a percentage, easier to read


def adds_up_the_batch_accuracies(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, acc_sum, n = 0.0, 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            acc_sum += (logits.argmax(dim=1) == y).float().mean().item()
            n += len(y)
    return total_loss / n, acc_sum / n


def keeps_the_tensors(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y) * len(y)
            correct += (logits.argmax(dim=1) == y).sum()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)


def returns_a_dict(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
    return {"loss": total_loss / n, "accuracy": correct / n}


def sums_with_cross_entropy(model, loader, criterion, device="cpu"):
    model.eval()
    summed, hits = 0.0, 0
    with torch.inference_mode():
        for X, y in loader:
            out = model(X.to(device))
            summed += F.cross_entropy(out, y, reduction="sum").item()
            hits += (out.argmax(1) == y).sum().item()
    return summed / len(loader.dataset), hits / len(loader.dataset)


def cross_entropy_per_batch(model, loader, criterion, device="cpu"):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            logits = model(X)
            total_loss += F.cross_entropy(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
    return total_loss / n, correct / n


EVALUATE_MISTAKES = [
    (never_switches_to_eval_mode, "eval_mode"),
    (eval_without_parentheses, "eval_mode"),
    (forgets_no_grad, "no_grad"),
    (copied_the_training_loop, "changed"),
    (uses_the_notebook_model, "no_forward"),
    (mean_of_batch_means, "per_batch"),
    (divides_the_loss_by_the_batches, "loss"),
    (accuracy_in_percent, "percent"),
    (adds_up_the_batch_accuracies, "accuracy"),
    (keeps_the_tensors, "not_pair"),
    (returns_a_dict, "not_pair"),
    (sums_with_cross_entropy, "ignores_criterion"),
    (cross_entropy_per_batch, "ignores_criterion"),
]


@pytest.mark.parametrize(
    ("student", "expected"), EVALUATE_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_evaluation_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.evaluate, student) == expected


def test_the_course_evaluate_imported_is_refused():
    assert diagnosis(check.evaluate, train.evaluate) == "borrowed"


def test_all_the_evaluation_mistakes_are_listed_the_bigger_first():
    def no_eval_no_grad_percent(model, loader, criterion, device="cpu"):
        total_loss, correct, n = 0.0, 0, 0
        for X, y in loader:
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
        return total_loss / n, 100 * correct / n

    result = check.evaluate(no_eval_no_grad_percent)
    assert result.diagnoses == ("eval_mode", "no_grad", "percent")
    assert diagnosis(check.evaluate, copied_the_training_loop) == "changed"
    assert check.evaluate(copied_the_training_loop).diagnoses[:2] == ("changed", "no_grad")


# Correct fits (the lesson writes the loop around the epoch's body).


def fit_solution(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                 device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def cloned_tensors(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                   device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        loss, acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(loss)
        history["val_acc"].append(acc)
        if loss < best_loss:
            best_loss = loss
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def copied_model(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                 device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"] += [train_epoch(model, train_loader, criterion, optimizer, device)]
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"] += [val_loss]
        history["val_acc"] += [val_acc]
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model).state_dict()
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def compared_with_the_history(model, train_loader, val_loader, criterion, optimizer,
                              num_epochs, device="cpu", progress=True,
                              keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        measured = evaluate(model, val_loader, criterion, device)
        for key, value in zip(("val_loss", "val_acc"), measured, strict=True):
            history[key].append(value)
        best_loss = min(history["val_loss"])
        if history["val_loss"][-1] == best_loss:
            best_state = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def own_loop_in_eval_mode_for_validation(model, train_loader, val_loader, criterion, optimizer,
                                         num_epochs, device="cpu", progress=True,
                                         keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        model.eval()
        with torch.inference_mode():  # validation written out instead of calling evaluate
            pairs = [(model(X), y) for X, y in val_loader]
        logits, labels = torch.cat([o for o, _ in pairs]), torch.cat([t for _, t in pairs])
        history["val_loss"].append(criterion(logits, labels).item())
        history["val_acc"].append((logits.argmax(1) == labels).float().mean().item())
        if history["val_loss"][-1] < best_loss:
            best_loss = history["val_loss"][-1]
            best_state = copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


FITS = [retyped(train.fit), fit_solution, cloned_tensors, copied_model, compared_with_the_history,
        own_loop_in_eval_mode_for_validation]  # fmt: skip


@pytest.mark.parametrize("student", FITS, ids=lambda f: f.__name__)
def test_every_correct_fit_passes(student):
    passes(check.fit, student)


# Fit mistakes, written as a student would make them (in the lesson's frame).


def keeps_a_reference(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                      device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, model.state_dict()
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def copies_only_the_dict(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                         device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss = val_loss
            best_state = model.state_dict().copy()  # a copy (of the dict, not of the tensors)
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def never_updates_the_best_loss(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                                device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        train_loss = train_epoch(model, train_loader, criterion, optimizer, device)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["train_loss"].append(train_loss)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_state = copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def best_by_the_training_loss(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                              device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        train_loss = train_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].append(train_loss)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if train_loss < best_loss:
            best_loss, best_state = train_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def validates_before_training(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                         device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)  # where we start
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def validates_on_the_training_data(model, train_loader, val_loader, criterion, optimizer,
                                   num_epochs, device="cpu", progress=True,
                                   keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, train_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def evaluates_twice(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                    device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        history["val_loss"].append(evaluate(model, val_loader, criterion, device)[0])
        history["val_acc"].append(evaluate(model, val_loader, criterion, device)[1])
        if history["val_loss"][-1] < best_loss:
            best_loss = history["val_loss"][-1]
            best_state = copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def trains_twice(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                 device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        train_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def forgets_the_accuracy(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                         device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, _ = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def chooses_on_the_test_data(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                             device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        test_loss = evaluate(model, test_loader, criterion, device)[0]
        if test_loss < best_loss:
            best_loss, best_state = test_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def returns_the_best_loss_too(model, train_loader, val_loader, criterion, optimizer,
                              num_epochs, device="cpu", progress=True,
                              keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    for _epoch in trange(num_epochs, disable=not progress):
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history, best_loss  # handy to print the best loss


def validates_with_cross_entropy(model, train_loader, val_loader, criterion, optimizer,
                                 num_epochs, device="cpu", progress=True,
                                 keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        model.eval()
        with torch.no_grad():  # validation written out instead of calling evaluate
            pairs = [(model(X), y) for X, y in val_loader]
        logits, labels = torch.cat([o for o, _ in pairs]), torch.cat([t for _, t in pairs])
        history["val_loss"].append(F.cross_entropy(logits, labels).item())
        history["val_acc"].append((logits.argmax(1) == labels).float().mean().item())
        if history["val_loss"][-1] < best_loss:
            best_loss = history["val_loss"][-1]
            best_state = copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def best_by_the_validation_accuracy(model, train_loader, val_loader, criterion, optimizer,
                                    num_epochs, device="cpu", progress=True,
                                    keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None  # noqa: F841 (the frame, left unused)
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_acc == max(history["val_acc"]):  # the most accurate epoch so far
            best_state = copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def highest_accuracy_in_best_loss(model, train_loader, val_loader, criterion, optimizer,
                                  num_epochs, device="cpu", progress=True,
                                  keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if best_loss == float("inf") or val_acc > best_loss:
            best_loss, best_state = val_acc, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


def appends_the_accuracy_as_a_percentage(model, train_loader, val_loader, criterion, optimizer,
                                         num_epochs, device="cpu", progress=True,
                                         keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(100 * val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


FIT_MISTAKES = [
    (keeps_a_reference, "kept_last"),
    (copies_only_the_dict, "kept_last"),
    (never_updates_the_best_loss, "best_loss_not_updated"),
    (best_by_the_training_loss, "kept_last"),
    (validates_before_training, "not_best"),
    (validates_on_the_training_data, "passes"),
    (evaluates_twice, "passes"),
    (trains_twice, "passes"),
    (forgets_the_accuracy, "history"),
    (chooses_on_the_test_data, "uses_test"),
    (returns_the_best_loss_too, "not_dict"),
    (validates_with_cross_entropy, "ignores_criterion"),
    (best_by_the_validation_accuracy, "best_by_accuracy"),
    (highest_accuracy_in_best_loss, "best_by_accuracy"),
    (appends_the_accuracy_as_a_percentage, "history_values"),
]


@pytest.mark.parametrize(
    ("student", "expected"), FIT_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_fit_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.fit, student) == expected


def test_fit_mistake_messages():
    assert "val_loader was gone through 8 times" in check.fit(evaluates_twice).message
    assert "history['val_acc'] must hold 4 values and holds 0" in (
        check.fit(forgets_the_accuracy).message
    )


def test_stubs_are_not_done_yet():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    assert check.evaluate(stub).status == checks.TODO
    assert check.fit(stub).status == checks.TODO


def test_spanish_messages_carry_no_english(spanish):
    message = check.evaluate(accuracy_in_percent).message
    assert "un porcentaje" in message
    students = (accuracy_in_percent, mean_of_batch_means, keeps_a_reference, evaluates_twice,
                cross_entropy_per_batch, never_updates_the_best_loss,
                best_by_the_validation_accuracy, appends_the_accuracy_as_a_percentage)  # fmt: skip
    for student in students:
        result = (check.fit if student in dict(FIT_MISTAKES) else check.evaluate)(student)
        words = set(re.findall(r"[a-záéíóúñü]+", re.sub(r"«[^»]*»", " ", result.message).lower()))
        assert not words & {"the", "loss", "accuracy", "batch", "weights", "test", "epoch"}


# The problems are drawn from the seed (as when grading).

SEEDS = (1, 2, 12345)


@pytest.mark.parametrize("seed", SEEDS)
def test_correct_answers_pass_on_every_seed(seed):
    for student in EVALUATIONS:
        assert judged(check.evaluate, seed, student).passed, student.__name__
    for student in FITS:
        assert judged(check.fit, seed, student).passed, student.__name__


@pytest.mark.parametrize("seed", SEEDS)
def test_mistakes_get_their_diagnosis_on_every_seed(seed):
    for exercise, mistakes in ((check.evaluate, EVALUATE_MISTAKES), (check.fit, FIT_MISTAKES)):
        for student, expected in mistakes:
            assert judged(exercise, seed, student).diagnosis == expected, student.__name__


@pytest.mark.parametrize("seed", range(40))
def test_every_problem_tells_the_best_epoch_apart(seed):
    history = check._reference(seed)
    by_loss = history["val_loss"].index(min(history["val_loss"]))
    accuracies = history["val_acc"]
    by_accuracy = accuracies.index(max(accuracies))
    model, _train, val_loader, criterion, _optimizer = probe.fit_problem(seed).build()
    measured = [evaluate(model, val_loader, criterion)[0], *history["val_loss"][:-1]]
    validated_first = measured.index(min(measured))  # the epoch validating before training keeps
    assert accuracies.count(max(accuracies)) == 1
    assert len({by_loss, by_accuracy, validated_first, probe.EPOCHS - 1}) == 4
    assert history["train_loss"] == sorted(history["train_loss"], reverse=True)
    model, loader, _criterion = probe.evaluate_problem(seed)
    right = sum((model.net(X).argmax(1) == y).sum().item() for X, y in loader)
    assert 0 < right < len(loader.dataset) and len(loader.dataset) % loader.batch_size


def test_an_answer_copied_from_the_notebook_problem_fails_on_another():
    loss, accuracy = probe.evaluate(evaluate_solution, seed=0)["returned"]["values"]

    def copied_evaluate(model, loader, criterion, device="cpu"):
        evaluate_solution(model, loader, criterion, device)
        return loss, accuracy

    assert judged(check.evaluate, 0, copied_evaluate).passed
    assert judged(check.evaluate, 1, copied_evaluate).diagnosis == "loss"

    seen = probe.fit(fit_solution, seed=0)
    history = {k: seen["history"][k]["values"] for k in probe.KEYS}
    best = seen["state"]

    def copied_fit(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                   device="cpu", progress=True, keep_best=False):  # fmt: skip
        for _epoch in range(num_epochs):
            train_epoch(model, train_loader, criterion, optimizer, device)
            evaluate(model, val_loader, criterion, device)
        model.load_state_dict(dict(zip(model.state_dict(), best, strict=True)))
        return copy.deepcopy(history)

    assert judged(check.fit, 0, copied_fit).passed
    assert not judged(check.fit, 1, copied_fit).passed


def test_a_record_no_probe_writes_is_refused():
    def observed(exercise, student) -> dict:
        return record.decode(record.encode(probes.observe(exercise.probe, (student,), 0)))

    seen = observed(check.fit, fit_solution)
    seen["data"]["passes"] = [4]
    with pytest.raises(record.Malformed):
        check.fit.verdict(0, seen)
    seen = observed(check.evaluate, evaluate_solution)
    seen["data"]["returned"]["values"] = [0.5]
    with pytest.raises(record.Malformed):
        check.evaluate.verdict(0, seen)


def test_the_probe_imports_neither_the_judges_nor_the_course_loops():
    code = (
        "import sys, course_utils.probes.evaluation\n"
        "refused = ('course_utils.checks', 'course_utils.train')\n"
        "assert not [m for m in sys.modules if m.startswith(refused)]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)

"""Lesson 02's checks: correct answers in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import copy
from collections import OrderedDict

import pytest
import torch
import torch.nn.functional as F
from tqdm.auto import trange

from course_utils import checks, i18n, train
from course_utils.checks import evaluation as check
from course_utils.train import evaluate, train_epoch
from tests.student import diagnosis, passes, retyped

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


def inference_mode_and_sum_reduction(model, loader, criterion, device="cpu"):
    model.eval()
    summed, hits = 0.0, 0
    with torch.inference_mode():
        for X, y in loader:
            out = model(X.to(device))
            summed += F.cross_entropy(out, y, reduction="sum").item()
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


EVALUATIONS = [retyped(train.evaluate), evaluate_solution, inference_mode_and_sum_reduction,
               concatenated_logits, tensor_totals]  # fmt: skip


@pytest.mark.parametrize("student", EVALUATIONS, ids=lambda f: f.__name__)
def test_every_correct_evaluation_passes(student):
    passes(check.evaluate, student)


def make_evaluate(*, eval_mode="before", no_grad=True, train_step=False, loss="per_sample",
                  accuracy="fraction", returns="pair"):  # fmt: skip
    """An evaluation with one change a student makes by mistake."""

    def evaluate(model, loader, criterion, device="cpu"):
        if eval_mode == "before":
            model.eval()
        total, batch_means, correct, n = 0.0, [], 0, 0
        with torch.set_grad_enabled(not no_grad):
            for X, y in loader:
                logits = model(X)
                batch_loss = criterion(logits, y)
                if train_step:
                    batch_loss.backward()
                    torch.optim.SGD(model.parameters(), lr=0.1).step()
                total += batch_loss.item() * len(y)
                batch_means.append(batch_loss.item())
                correct += (logits.argmax(dim=1) == y).sum().item()
                n += len(y)
        if eval_mode == "after":
            model.eval()
        mean = {"per_sample": total / n, "per_batch": sum(batch_means) / len(loader)}
        acc = {
            "fraction": correct / n,
            "percent": 100 * correct / n,
            "per_batch": correct / len(loader),
        }
        result = (mean.get(loss, total), acc[accuracy])
        return {"pair": result, "loss_only": result[0], "tensors": torch.tensor(result)}[returns]

    return evaluate


EVALUATE_MISTAKES = [
    ({"eval_mode": "never"}, "eval_mode"),
    ({"eval_mode": "after"}, "eval_mode"),
    ({"no_grad": False, "train_step": True}, "changed"),
    ({"no_grad": False}, "no_grad"),
    ({"loss": "per_batch"}, "per_batch"),
    ({"loss": "sum"}, "loss"),
    ({"accuracy": "percent"}, "percent"),
    ({"accuracy": "per_batch"}, "accuracy"),
    ({"returns": "loss_only"}, "not_pair"),
    ({"returns": "tensors"}, "not_pair"),
]


@pytest.mark.parametrize(("change", "expected"), EVALUATE_MISTAKES, ids=lambda v: str(v))
def test_each_evaluation_mistake_gets_its_diagnosis(change, expected):
    assert diagnosis(check.evaluate, make_evaluate(**change)) == expected


def test_an_evaluation_that_never_runs_the_model_and_the_course_own():
    assert diagnosis(check.evaluate, lambda model, loader, criterion, device: (1.0, 0.5)) == (
        "no_forward"
    )
    assert diagnosis(check.evaluate, train.evaluate) == "borrowed"


def test_all_the_evaluation_mistakes_are_listed():
    result = check.evaluate(make_evaluate(eval_mode="never", no_grad=False, accuracy="percent"))
    assert result.diagnoses == ("eval_mode", "no_grad", "percent")


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


def fit_with(body):
    """The lesson's ``fit`` around an epoch body ``body(model, ..., history, best) -> best``."""

    def fit(model, train_loader, val_loader, criterion, optimizer, num_epochs, device="cpu",
            progress=True, keep_best=False):  # fmt: skip
        history = {"train_loss": [], "val_loss": [], "val_acc": []}
        best = (float("inf"), None)
        for _epoch in trange(num_epochs, disable=not progress):
            best = body(
                model, train_loader, val_loader, criterion, optimizer, device, history, best
            )
        if keep_best and best[1] is not None:
            model.load_state_dict(best[1])
        return history

    return fit


def cloned_tensors(model, train_loader, val_loader, criterion, optimizer, device, history, best):
    history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
    loss, acc = evaluate(model, val_loader, criterion, device)
    history["val_loss"].append(loss)
    history["val_acc"].append(acc)
    if loss < best[0]:
        return loss, {k: v.clone() for k, v in model.state_dict().items()}
    return best


def copied_model(model, train_loader, val_loader, criterion, optimizer, device, history, best):
    history["train_loss"] += [train_epoch(model, train_loader, criterion, optimizer, device)]
    val_loss, val_acc = evaluate(model, val_loader, criterion, device)
    history["val_loss"] += [val_loss]
    history["val_acc"] += [val_acc]
    return (val_loss, copy.deepcopy(model).state_dict()) if val_loss < best[0] else best


def compared_with_the_history(model, train_loader, val_loader, criterion, optimizer, device,
                              history, best):  # fmt: skip
    history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
    measured = evaluate(model, val_loader, criterion, device)
    for key, value in zip(("val_loss", "val_acc"), measured, strict=True):
        history[key].append(value)
    if history["val_loss"][-1] <= min(history["val_loss"]):
        state = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
        return history["val_loss"][-1], state
    return best


FITS = [retyped(train.fit), fit_solution, fit_with(cloned_tensors), fit_with(copied_model),
        fit_with(compared_with_the_history)]  # fmt: skip


@pytest.mark.parametrize("student", FITS, ids=range(len(FITS)))
def test_every_correct_fit_passes(student):
    passes(check.fit, student)


def _body(*, keep="deepcopy", data="val", val_passes=1, train_passes=1, acc=True, compare="<",
          update_best=True):  # fmt: skip
    """An epoch body with one change a student makes by mistake."""

    def body(model, train_loader, val_loader, criterion, optimizer, device, history, best):
        for _ in range(train_passes):
            loss = train_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].append(loss)
        loader = {"val": val_loader, "train": train_loader, "test": test_loader}[data]
        for _ in range(val_passes):
            val_loss, val_acc = evaluate(model, loader, criterion, device)
        history["val_loss"].append(val_loss)
        if acc:
            history["val_acc"].append(val_acc)
        better = val_loss < best[0] if compare == "<" else val_loss > best[0]
        if better:
            state = model.state_dict()
            state = {"deepcopy": copy.deepcopy, "shallow": dict.copy, "none": dict}[keep](state)
            return (val_loss if update_best else best[0]), state
        return best

    return body


def chooses_on_the_test_data(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                             device="cpu", progress=True, keep_best=False):  # fmt: skip
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    for _epoch in trange(num_epochs, disable=not progress):
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        test_loss = evaluate(model, test_loader, criterion)[0]
        if test_loss < best_loss:
            best_loss, best_state = test_loss, copy.deepcopy(model.state_dict())
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


FIT_MISTAKES = [
    (fit_with(_body(keep="none")), "kept_last"),
    (fit_with(_body(keep="shallow")), "kept_last"),
    (fit_with(_body(update_best=False)), "kept_last"),
    (fit_with(_body(compare=">")), "kept_last"),
    (fit_with(_body(data="train")), "passes"),
    (fit_with(_body(val_passes=2)), "passes"),
    (fit_with(_body(train_passes=2)), "passes"),
    (fit_with(_body(acc=False)), "history"),
    (chooses_on_the_test_data, "uses_test"),
]


@pytest.mark.parametrize(("student", "expected"), FIT_MISTAKES, ids=[e for _s, e in FIT_MISTAKES])
def test_each_fit_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.fit, student) == expected


def test_fit_mistake_messages():
    assert "val_loader was gone through 6 times" in check.fit(fit_with(_body(val_passes=2))).message
    assert "history['val_acc'] must hold 3 values and holds 0" in (
        check.fit(fit_with(_body(acc=False))).message
    )


def test_stubs_are_not_done_yet_and_messages_follow_the_language():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    assert check.evaluate(stub).status == checks.TODO
    assert check.fit(stub).status == checks.TODO
    i18n.set_language("es")
    assert "un porcentaje" in check.evaluate(make_evaluate(accuracy="percent")).message

"""Lesson 02's checks: the course's functions pass, and every diagnosed mistake is named."""

from __future__ import annotations

import copy

import pytest
import torch

from course_utils import checks, i18n, train
from course_utils.checks import evaluation as check_evaluation
from tests.student import retyped

test_loader = None  # what a notebook's fit might wrongly reach for


pytestmark = pytest.mark.usefixtures("english")


def make_evaluate(
    *,
    eval_mode: str = "before",
    no_grad: bool = True,
    train_step: bool = False,
    loss: str = "per_sample",
    accuracy: str = "fraction",
    returns: str = "pair",
):
    """An evaluation function with one deliberate mistake switched on by the arguments."""

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
        acc = {"fraction": correct / n, "percent": 100 * correct / n, "per_batch": correct}
        result = (mean.get(loss, total), acc[accuracy])
        return {"pair": result, "loss_only": result[0], "tensors": torch.tensor(result)}[returns]

    return evaluate


def _failed(result: checks.Result) -> str:
    assert result.status == checks.FAILED, result.message
    return result.message


def test_the_course_evaluate_passes_when_retyped_not_when_imported():
    assert check_evaluation.evaluate(retyped(train.evaluate)).passed
    assert "from course_utils.train" in _failed(check_evaluation.evaluate(train.evaluate))
    assert check_evaluation.evaluate(make_evaluate()).passed


def test_stubs_are_not_done_yet():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    assert check_evaluation.evaluate(stub).status == checks.TODO
    assert check_evaluation.fit(stub).status == checks.TODO


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ({"eval_mode": "never"}, "was in training mode"),
        ({"eval_mode": "after"}, "was in training mode"),
        ({"no_grad": False, "train_step": True}, "changed the model's weights"),
        ({"no_grad": False}, "gradients were computed"),
        ({"loss": "per_batch"}, "mean of the batches' means"),
        ({"loss": "sum"}, "the mean per sample is"),
        ({"accuracy": "percent"}, "a percentage"),
        ({"accuracy": "per_batch"}, "the fraction correct is 0.3000"),
        ({"returns": "loss_only"}, "two Python numbers"),
        ({"returns": "tensors"}, "two Python numbers"),
    ],
)
def test_each_evaluate_mistake_is_named(mistake, words):
    assert words in _failed(check_evaluation.evaluate(make_evaluate(**mistake)))


def make_fit(*, chooser: str = "best", copy_state: bool = True, val_passes: int = 1, acc=True):
    """A ``fit`` with one deliberate mistake switched on by the arguments."""

    def fit(model, train_loader, val_loader, criterion, optimizer, num_epochs, device="cpu",
            progress=True, keep_best=False):  # fmt: skip
        history = {"train_loss": [], "val_loss": [], "val_acc": []}
        best_loss, best_state = float("inf"), None
        for epoch in range(num_epochs):
            history["train_loss"].append(
                train.train_epoch(model, train_loader, criterion, optimizer)
            )
            for _ in range(val_passes):
                val_loss, val_acc = train.evaluate(model, val_loader, criterion)
            history["val_loss"].append(val_loss)
            if acc:
                history["val_acc"].append(val_acc)
            better = epoch == 1 if chooser == "middle" else val_loss < best_loss
            if better:
                best_loss = val_loss
                state = model.state_dict()
                best_state = copy.deepcopy(state) if copy_state else state
        if keep_best:
            model.load_state_dict(best_state)
        return history

    return fit


def fit_choosing_on_test(model, train_loader, val_loader, criterion, optimizer, num_epochs,
                         device="cpu", progress=True, keep_best=False):  # fmt: skip
    """Validates every epoch but picks the weights by their test loss."""
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    for _epoch in range(num_epochs):
        history["train_loss"].append(train.train_epoch(model, train_loader, criterion, optimizer))
        val_loss, val_acc = train.evaluate(model, val_loader, criterion)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        test_loss = train.evaluate(model, test_loader, criterion)[0]
        if test_loss < best_loss:
            best_loss, best_state = test_loss, copy.deepcopy(model.state_dict())
    if keep_best:
        model.load_state_dict(best_state)
    return history


def test_the_course_fit_passes():
    assert check_evaluation.fit(retyped(train.fit)).passed
    assert "the course's own code" in _failed(check_evaluation.fit(train.fit))
    assert check_evaluation.fit(make_fit()).passed


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ({"copy_state": False}, "keep a copy of the weights"),
        ({"chooser": "middle"}, "does not hold the weights of the epoch with the lowest"),
        ({"val_passes": 2}, "val_loader was gone through 6 times"),
        ({"acc": False}, "history['val_acc'] must hold 3 values and holds 0"),
    ],
)
def test_each_fit_mistake_is_named(mistake, words):
    assert words in _failed(check_evaluation.fit(make_fit(**mistake)))


def test_test_data_used_for_model_choice_is_named():
    message = _failed(check_evaluation.fit(fit_choosing_on_test))
    assert "fit uses test_loader: test data must play no part in choosing" in message


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = _failed(check_evaluation.evaluate(make_evaluate(accuracy="percent")))
    assert "un porcentaje" in message

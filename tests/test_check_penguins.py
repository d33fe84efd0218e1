"""course_utils.checks.penguins: lesson 05's solutions pass, and every usual mistake is named."""

from __future__ import annotations

import pytest
import torch

from course_utils import checks, i18n
from course_utils.checks import penguins as check_penguins

pytestmark = pytest.mark.usefixtures("english")


def make_train_epoch(loss_mode: str = "ok", acc_mode: str = "ok", break_steps: bool = False):
    """The lesson's train_epoch, with one statistic computed the way a mistake would."""

    def train_epoch(model, loader, criterion, optimizer):
        model.train()
        losses, sizes, hits = [], [], []
        for X, y in loader:
            logits = model(X)
            loss = criterion(logits, y)
            optimizer.zero_grad()
            loss.backward()
            if not (break_steps and len(losses) == 1):
                optimizer.step()
            losses.append(loss.item())
            sizes.append(len(y))
            hits.append((logits.argmax(dim=1) == y).sum().item())
        n = sum(sizes)
        loss_value = {
            "ok": sum(v * s for v, s in zip(losses, sizes, strict=True)) / n,
            "per_batch": sum(losses) / len(losses),
            "last": losses[-1],
            "sum": sum(v * s for v, s in zip(losses, sizes, strict=True)),
            "not_weighted": sum(losses) / n,
            "tensor": torch.tensor(losses[-1]),
            "junk": 0.5,
        }[loss_mode]
        accuracy = {
            "ok": sum(hits) / n,
            "percent": 100 * sum(hits) / n,
            "per_batch": sum(h / s for h, s in zip(hits, sizes, strict=True)) / len(hits),
            "last": hits[-1] / sizes[-1],
            "by_batches": sum(hits) / len(hits),
            "full_batches": sum(hits) / (len(hits) * loader.batch_size),
            "count": sum(hits),
            "string": "54%",
            "junk": 0.25,
        }[acc_mode]
        return loss_value, accuracy

    return train_epoch


def test_the_solution_passes():
    result = check_penguins.epoch_statistics(make_train_epoch())
    assert result.passed, result.message
    assert result.message == "✅ epoch_statistics: correct!"


def test_a_stub_is_not_done_yet():
    def stub(model, loader, criterion, optimizer):
        raise NotImplementedError()

    assert check_penguins.epoch_statistics(stub).status == checks.TODO
    assert check_penguins.evaluate(lambda model, loader: stub(0, 0, 0, 0)).status == checks.TODO


@pytest.mark.parametrize(
    ("loss_mode", "acc_mode", "expected"),
    [
        ("per_batch", "ok", "it averages the batches' losses, but the last batch is smaller"),
        ("last", "ok", "only takes the last batch into account"),
        ("sum", "ok", "the loss is a sum; divide it by the number of samples"),
        ("not_weighted", "ok", "each loss.item() is already its batch's mean"),
        ("tensor", "ok", "loss is a tensor: add up Python numbers with .item()"),
        ("junk", "ok", "the loss is 0.5000 and should be 1.3922"),
        ("ok", "percent", "the accuracy is a percentage; return it as a fraction"),
        ("ok", "per_batch", "it averages the batches' accuracies, but the last batch is smaller"),
        ("ok", "last", "only takes the last batch into account"),
        ("ok", "by_batches", "divides the hits by the number of batches"),
        ("ok", "full_batches", "it divides by batches × batch size"),
        ("ok", "count", "it returns the number of hits"),
        ("ok", "string", "accuracy must be a Python number (float), not str"),
        ("ok", "junk", "the accuracy is 0.2500 and should be 0.5455"),
    ],
)
def test_each_statistics_mistake_is_named(loss_mode, acc_mode, expected):
    result = check_penguins.epoch_statistics(make_train_epoch(loss_mode, acc_mode))
    assert result.status == checks.FAILED
    assert expected in result.message


def test_broken_steps_are_named():
    result = check_penguins.epoch_statistics(make_train_epoch(break_steps=True))
    assert "keep the four steps as they were" in result.message


def test_returning_one_number_is_named():
    def one(model, loader, criterion, optimizer):
        return 0.5

    assert "it must return two numbers, (mean loss, accuracy), not float" in (
        check_penguins.epoch_statistics(one).message
    )


def test_a_crash_is_reported_not_raised():
    def crashes(model, loader, criterion, optimizer):
        return 1 / 0

    result = check_penguins.epoch_statistics(crashes)
    assert result.status == checks.FAILED and "ZeroDivisionError" in result.message


def make_evaluate(eval_mode=True, no_grad=True, mode="ok", step=False):
    def evaluate(model, loader):
        if eval_mode:
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
        return {
            "ok": hits / n,
            "percent": 100 * hits / n,
            "per_batch": sum(per_batch) / len(per_batch),
            "last": per_batch[-1],
            "tensor": torch.tensor(hits / n),
        }[mode]

    return evaluate


def test_the_evaluation_solution_passes():
    result = check_penguins.evaluate(make_evaluate())
    assert result.passed, result.message
    assert result.message == "✅ evaluate_accuracy: correct!"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"eval_mode": False}, "call model.eval() before evaluating"),
        ({"no_grad": False}, "evaluate inside with torch.no_grad()"),
        ({"mode": "percent"}, "the accuracy is a percentage"),
        ({"mode": "per_batch"}, "it averages the batches' accuracies"),
        ({"mode": "last"}, "only takes the last batch into account"),
        ({"mode": "tensor"}, "accuracy is a tensor"),
        ({"step": True}, "the evaluation changed the weights"),
    ],
)
def test_each_evaluation_mistake_is_named(kwargs, expected):
    result = check_penguins.evaluate(make_evaluate(**kwargs))
    assert result.status == checks.FAILED
    assert expected in result.message


def test_an_evaluation_that_never_runs_the_model():
    result = check_penguins.evaluate(lambda model, loader: 0.5)
    assert "it never called the model" in result.message


def test_messages_follow_the_language():
    i18n.set_language("es")
    result = check_penguins.evaluate(make_evaluate(eval_mode=False))
    assert "llama a model.eval() antes de evaluar" in result.message


def test_the_reference_problem_tells_the_mistakes_apart():
    """Every mistake gives a different number, far from the right one."""
    loader = check_penguins._loader()
    batches = check_penguins._batches(check_penguins._Spy(), loader)
    assert [(size, right) for _loss, size, right in batches] == [(4, 4), (4, 0), (3, 2)]
    accuracy = 6 / 11
    candidates = [accuracy, 100 * accuracy, (1 + 0 + 2 / 3) / 3, 2 / 3, 6 / 3, 6 / 12, 6]
    assert min(abs(a - b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]) > 0.01

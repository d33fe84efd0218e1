"""course_utils.train: the same code the lessons write in the open, and right by hand counts."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_tools import build
from course_utils import train

TAUGHT = [
    ("01", "train_epoch"),
    ("02", "train_epoch"),
    ("02", "evaluate"),
    ("02", "fit"),
    ("02", "predict"),
]


def _lesson_function(lesson: str, name: str) -> ast.FunctionDef:
    tree = ast.parse(build.find_source(lesson).read_text())
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    assert len(found) == 1, f"lesson {lesson} should define {name} once"
    return found[0]


@pytest.mark.parametrize(("lesson", "name"), TAUGHT)
def test_the_module_keeps_the_lessons_code(lesson, name):
    """Edit a lesson's function and course_utils.train together (comments aside)."""
    module = ast.parse(textwrap.dedent(inspect.getsource(getattr(train, name)))).body[0]
    assert ast.dump(_lesson_function(lesson, name)) == ast.dump(module)


def test_every_function_of_the_module_is_taught():
    public = {
        n
        for n, f in vars(train).items()
        if inspect.isfunction(f) and f.__module__ == train.__name__
    }
    assert public == {name for _lesson, name in TAUGHT}


def _line(weight: float = 0.0) -> nn.Linear:
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(weight)
        model.bias.fill_(0.0)
    return model


def test_train_epoch_returns_the_mean_loss_per_sample():
    # a model stuck at 0 (lr 0); batches of 2, 2, 1 with squared errors 1, 1 | 4, 4 | 9
    X, y = torch.zeros(5, 1), torch.tensor([[1.0], [1.0], [2.0], [2.0], [3.0]])
    loader = DataLoader(TensorDataset(X, y), batch_size=2)
    model = _line()
    loss = train.train_epoch(model, loader, nn.MSELoss(), torch.optim.SGD(model.parameters(), 0))
    assert loss == pytest.approx((2 * 1 + 2 * 4 + 1 * 9) / 5)  # 3.8, not (1 + 4 + 9) / 3


def test_train_epoch_takes_one_fresh_step_per_batch():
    # y = 2 at x = 1 from w = b = 0: dL/dw = dL/db = 2 (pred - 2)
    loader = DataLoader(TensorDataset(torch.ones(2, 1), torch.full((2, 1), 2.0)), batch_size=1)
    model = _line()
    model.eval()
    train.train_epoch(model, loader, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1))
    # step 1: grad -4 -> w = b = 0.4; step 2: pred 0.8, grad -2.4 -> 0.64 (1.04 if accumulated)
    assert model.weight.item() == pytest.approx(0.64)
    assert model.bias.item() == pytest.approx(0.64)
    assert model.training


LOGITS = torch.tensor(
    [[3.0, 0, 0], [0, 3.0, 0], [0, 0, 3.0], [3.0, 0, 0], [0, 3.0, 0]]
)  # predicts 0, 1, 2, 0, 1
LABELS = torch.tensor([0, 1, 1, 2, 1])  # 3 of 5 right


def test_evaluate_averages_per_sample_and_counts_hits():
    loader = DataLoader(TensorDataset(LOGITS, LABELS), batch_size=2)  # batches 2, 2, 1
    loss, accuracy = train.evaluate(nn.Identity(), loader, nn.CrossEntropyLoss())
    assert accuracy == 0.6
    assert loss == pytest.approx(nn.functional.cross_entropy(LOGITS, LABELS).item())


def test_evaluate_leaves_weights_and_gradients_alone():
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5), nn.BatchNorm1d(3))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    loader = DataLoader(TensorDataset(LOGITS, LABELS), batch_size=2)
    train.evaluate(model, loader, nn.CrossEntropyLoss())
    assert not model.training
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())


def test_predict_returns_labels_and_argmax_in_order():
    loader = DataLoader(TensorDataset(LOGITS, LABELS), batch_size=2)
    labels, preds = train.predict(nn.Identity(), loader)
    assert labels.tolist() == [0, 1, 1, 2, 1]
    assert preds.tolist() == [0, 1, 2, 0, 1]


@pytest.mark.parametrize(("keep_best", "weight"), [(True, 2.0), (False, 3.0)])
def test_fit_records_every_epoch_and_keeps_the_best(monkeypatch, keep_best, weight):
    """Epoch k sets the weight to k; validation losses 3, 1, 2 make epoch 2 the best."""
    val_losses = iter([3.0, 1.0, 2.0])

    def fake_epoch(model, *args):
        with torch.no_grad():
            model.weight += 1
        return 10.0 - model.weight.item()

    monkeypatch.setattr(train, "train_epoch", fake_epoch)
    monkeypatch.setattr(train, "evaluate", lambda *args: (next(val_losses), 0.5))
    model = _line()
    history = train.fit(model, None, None, None, None, 3, progress=False, keep_best=keep_best)
    assert history == {
        "train_loss": [9.0, 8.0, 7.0],
        "val_loss": [3.0, 1.0, 2.0],
        "val_acc": [0.5, 0.5, 0.5],
    }
    assert model.weight.item() == weight

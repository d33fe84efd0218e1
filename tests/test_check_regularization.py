"""Lesson 03's checks: the solutions pass, stubs are todo, every diagnosed mistake is named."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import checks, i18n, models
from course_utils.checks import regularization as check_regularization
from tests.student import retyped

pytestmark = pytest.mark.usefixtures("english")


class _Layers(nn.Module):
    """The source's mlp layers; subclasses write ``forward``."""

    def __init__(self, p: float = 0.2) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 256), nn.Linear(256, 10)
        self.p = p


class _Base(_Layers):
    """The layers plus two dropout modules."""

    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.dropout1, self.dropout2 = nn.Dropout(p), nn.Dropout(p)


class Unused(_Base):
    def forward(self, x):
        x = self.dropout1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.fc2(x)))


class AfterOutput(_Base):
    def forward(self, x):
        x = self.dropout1(F.relu(self.fc1(x.flatten(1))))
        return self.dropout2(self.fc3(F.relu(self.fc2(x))))


class BeforeRelu(_Base):  # the source's order: fine with ReLU
    def forward(self, x):
        x = F.relu(self.dropout1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.dropout2(self.fc2(x))))


class FunctionalAlwaysOn(_Layers):  # F.dropout's training argument defaults to True
    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), self.p)
        return self.fc3(F.dropout(F.relu(self.fc2(x)), self.p))


class FunctionalDone(_Layers):
    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), self.p, self.training)
        return self.fc3(F.dropout(F.relu(self.fc2(x)), self.p, self.training))


class FixedP(nn.Module):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.net(x)


class Wider(models.MLPDropout):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.fc3 = nn.Linear(256, 11)


class Stub(nn.Module):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__()
        raise NotImplementedError()


def _reason(result: checks.Result) -> str:
    assert result.status == checks.FAILED, result.message
    return result.message


def test_reference_dropout_models_pass():
    for model_class in (retyped(models.MLPDropout), BeforeRelu, FunctionalDone):
        result = check_regularization.mlp_dropout(model_class)
        assert result.passed, (model_class.__name__, result.message)


def test_dropout_stub_is_todo():
    assert check_regularization.mlp_dropout(Stub).status == checks.TODO


@pytest.mark.parametrize(
    ("model_class", "expected"),
    [
        (lambda p=0.2: models.MLP(), "number of dropouts applied in each pass: 0"),
        (Unused, "the layer dropout2 is created in __init__ but forward never uses it"),
        (AfterOutput, "it applies dropout to the last layer's output"),
        (
            FunctionalAlwaysOn,
            "in eval() mode two passes over the same images give different results",
        ),
        (FixedP, "with MLPDropout(p=0.5) dropout uses probability 0.2"),
        (Wider, "it has 269579 parameters"),
    ],
    ids=["no_dropout", "never_used", "after_output", "on_in_eval", "p_ignored", "architecture"],
)
def test_dropout_mistakes(model_class, expected):
    assert expected in _reason(check_regularization.mlp_dropout(model_class))


def test_dropout_recording_is_undone():
    check_regularization.mlp_dropout(models.MLPDropout)
    assert F.dropout.__module__ == "torch.nn.functional"


def _accuracy(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total


def _train_mode(model, loader):
    with torch.no_grad():
        hits = [(model(X).argmax(dim=1) == y).float() for X, y in loader]
    return torch.cat(hits).mean().item()


def _with_grad(model, loader):
    model.eval()
    hits = [(model(X).argmax(dim=1) == y).float() for X, y in loader]
    return torch.cat(hits).mean().item()


def _per_batch(model, loader):
    model.eval()
    with torch.no_grad():
        accs = [(model(X).argmax(dim=1) == y).float().mean().item() for X, y in loader]
    return sum(accs) / len(accs)


def _stub(model, loader):
    raise NotImplementedError()


def test_accuracy_solution_passes_and_stub_is_todo():
    assert check_regularization.accuracy(_accuracy).passed
    assert check_regularization.accuracy(_stub).status == checks.TODO


@pytest.mark.parametrize(
    ("student", "expected"),
    [
        (_train_mode, "the model was evaluated in training mode: call model.eval()"),
        (_with_grad, "wrap the predictions in torch.no_grad()"),
        (_per_batch, "the mean of per-batch accuracies"),
        (lambda m, loader: 100 * _accuracy(m, loader), "not a percentage"),
        (lambda m, loader: 1 - _accuracy(m, loader), "this model's accuracy on this data"),
    ],
)
def test_accuracy_mistakes(student, expected):
    assert expected in _reason(check_regularization.accuracy(student))


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = _reason(check_regularization.accuracy(_train_mode))
    assert "el modelo se evaluó en modo entrenamiento" in message

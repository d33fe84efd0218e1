"""Lesson 03's model check: correct models in many styles pass, each usual mistake
gets its own diagnosis id."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.functional import dropout

from course_utils import checks, models
from course_utils.checks import regularization as check
from course_utils.probes import record
from tests.student import diagnosis, judged, passes, retyped

pytestmark = pytest.mark.usefixtures("english")


class _Layers(nn.Module):
    """The source's mlp layers; subclasses write ``forward``."""

    def __init__(self, p: float = 0.2) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 256), nn.Linear(256, 10)
        self.p = p


class _TwoDropouts(_Layers):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.d1, self.d2 = nn.Dropout(p), nn.Dropout(p)


# Correct models.


class BeforeRelu(_TwoDropouts):  # the source's order: the same with ReLU
    def forward(self, x):
        x = F.relu(self.d1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.d2(self.fc2(x))))


class Functional(_Layers):
    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), self.p, self.training)
        return self.fc3(F.dropout(F.relu(self.fc2(x)), p=self.p, training=self.training))


class ImportedDropout(_Layers):
    def forward(self, x):
        x = x.view(-1, 28 * 28)
        x = dropout(torch.relu(self.fc1(x)), self.p, training=self.training)
        x = dropout(torch.relu(self.fc2(x)), self.p, training=self.training)
        return self.fc3(x)


class SequentialModel(nn.Module):
    def __init__(self, p=0.2):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(inplace=True), nn.Dropout(p),
            nn.Linear(256, 256), nn.ReLU(inplace=True), nn.Dropout(p, inplace=True),
            nn.Linear(256, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.layers(x)


class OneSharedDropout(_Layers):  # dropout holds no state: one module can serve both layers
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        h = self.drop(F.relu(self.fc1(torch.flatten(x, 1))))
        return self.fc3(self.drop(F.relu(self.fc2(h))))


MODELS = [retyped(models.MLPDropout), BeforeRelu, Functional, ImportedDropout, SequentialModel,
          OneSharedDropout]  # fmt: skip


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_every_correct_dropout_model_passes(model_class):
    passes(check.mlp_dropout, model_class)


# Dropout mistakes.


class NoDropout(_Layers):
    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))


class DropOnOutput(_TwoDropouts):
    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.d2(self.fc3(F.relu(self.fc2(x))))


class SecondNeverUsed(_TwoDropouts):
    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.fc2(x)))


class AlwaysOn(_Layers):  # F.dropout's training argument defaults to True
    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), self.p)
        return self.fc3(F.dropout(F.relu(self.fc2(x)), self.p))


class FixedP(_Layers):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.d1, self.d2 = nn.Dropout(0.2), nn.Dropout(0.2)

    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


class KeepProbability(_Layers):  # p read as the probability of keeping a neuron
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.d1, self.d2 = nn.Dropout(1 - p), nn.Dropout(1 - p)

    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


class DropTheImage(_TwoDropouts):
    def forward(self, x):
        x = self.d1(x.flatten(1))
        x = self.d1(F.relu(self.fc1(x)))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


class SoftmaxOut(_TwoDropouts):
    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return F.softmax(self.fc3(self.d2(F.relu(self.fc2(x)))), dim=1)


class Wider(models.MLPDropout):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.fc3 = nn.Linear(256, 11)


class BiggerHidden(nn.Module):
    def __init__(self, p=0.2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Dropout(p),
            nn.Linear(512, 256), nn.ReLU(), nn.Dropout(p), nn.Linear(256, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.net(x)


class UnscaledDropout(nn.Module):  # a MyDropout that forgot the 1/(1 - p)
    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        return x * (torch.rand_like(x) > self.p).float()


class Unscaled(_Layers):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.d1, self.d2 = UnscaledDropout(p), UnscaledDropout(p)

    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


# What the later cells need: MLPDropout(p=0.5) and MLPDropout() with the source's 0.2.


class NamedProb(_Layers):
    def __init__(self, prob: float = 0.2) -> None:
        super().__init__(prob)
        self.d1, self.d2 = nn.Dropout(prob), nn.Dropout(prob)

    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


class NoDefault(NamedProb):
    def __init__(self, p: float) -> None:
        super().__init__(p)


class HalfByDefault(NamedProb):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)


class ReturnsATuple(NamedProb):
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)

    def forward(self, x):
        return super().forward(x), x


DROPOUT_MISTAKES = [
    (NamedProb, "signature"),
    (NoDefault, "no_default"),
    (HalfByDefault, "default_p"),
    (ReturnsATuple, "not_tensor"),
    (NoDropout, "no_dropout"),
    (DropOnOutput, "after_output"),
    (SecondNeverUsed, "missing"),
    (AlwaysOn, "eval_active"),
    (FixedP, "wrong_p"),
    (KeepProbability, "wrong_p"),
    (Unscaled, "unscaled"),
    (DropTheImage, "on_input"),
    (SoftmaxOut, "output_changed"),
    (Wider, "shape"),
    (BiggerHidden, "size"),
]


@pytest.mark.parametrize(
    ("model_class", "expected"), DROPOUT_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_dropout_mistake_gets_its_diagnosis(model_class, expected):
    assert diagnosis(check.mlp_dropout, model_class) == expected


def test_dropout_on_the_output_is_named_as_such():
    message = check.mlp_dropout(DropOnOutput).message
    assert "after the output layer" in message and "never" not in message
    assert "a fraction 0.2 of the neurons" in check.mlp_dropout(FixedP).message
    assert "a fraction 0.7 of the neurons" in check.mlp_dropout(KeepProbability).message
    message = check.mlp_dropout(Unscaled).message  # not "switches off a fraction 0.0"
    assert "fraction" not in message and "multiplied by 1/(1 − p)" in message


def test_dropout_stub_is_todo_and_the_random_state_is_left_alone():
    class Stub(nn.Module):
        def __init__(self, p: float = 0.2) -> None:
            super().__init__()
            raise NotImplementedError()

    assert check.mlp_dropout(Stub).status == checks.TODO
    torch.manual_seed(5)
    before = torch.random.get_rng_state()
    check.mlp_dropout(BeforeRelu)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_what_the_later_cells_need_is_said():
    message = check.mlp_dropout(NamedProb).message
    assert "under the name p" in message and "MLPDropout(p=0.5)" in message
    assert "give p the default value 0.2" in check.mlp_dropout(NoDefault).message
    assert "switches off a fraction 0.5" in check.mlp_dropout(HalfByDefault).message


@pytest.mark.parametrize("seed", [1, 12345])
def test_dropout_models_on_other_problems(seed):
    for model_class in MODELS:
        assert judged(check.mlp_dropout, seed, model_class).passed, model_class.__name__
    for model_class, expected in DROPOUT_MISTAKES:
        found = judged(check.mlp_dropout, seed, model_class).diagnosis
        assert found == expected, model_class.__name__


class NotebooksP(_Layers):  # tuned to the notebook's problem: any p given means 0.3
    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)
        self.d1 = self.d2 = nn.Dropout(0.3 if p != 0.2 else 0.2)

    def forward(self, x):
        x = self.d1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.d2(F.relu(self.fc2(x))))


def test_the_probability_is_drawn_from_the_seed_so_a_tuned_model_fails():
    assert judged(check.mlp_dropout, 0, NotebooksP).passed
    assert judged(check.mlp_dropout, 1, NotebooksP).diagnosis == "wrong_p"


def test_a_record_no_probe_writes_is_refused():
    for exercise in (check.mlp_dropout,):
        with pytest.raises(record.Malformed):
            exercise.verdict(0, {"outcome": "ran", "data": {"kind": "float"}})


def test_the_probes_import_no_judge_and_no_module_that_implements_an_exercise():
    forbidden = (*check.mlp_dropout.forbidden, "course_utils.checks")
    code = "import sys, course_utils.probes.regularization, course_utils.probes.l2; "
    code += "print(*sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    inside = tuple(f + "." for f in forbidden)
    assert not [m for m in run.stdout.split() if m in forbidden or m.startswith(inside)]

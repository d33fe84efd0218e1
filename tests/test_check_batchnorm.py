"""Lesson 04's check: correct models in many styles (``bias=False`` before BatchNorm too)
pass, each usual mistake gets its own diagnosis id, and a model whose layers the lesson's
later cells cannot reach by name (fc1, bn1, fc2, bn2) is told so."""

from __future__ import annotations

import pytest
import torch.nn.functional as F
from torch import nn

from course_utils import checks, i18n, models
from course_utils.checks import batchnorm as check
from course_utils.probes import batchnorm as probe
from tests.student import diagnosis, judged, passes, retyped

pytestmark = pytest.mark.usefixtures("english")


class _Layers(nn.Module):
    def __init__(self, bias: bool = True) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 256, bias=bias), nn.Linear(256, 256, bias=bias)
        self.fc3 = nn.Linear(256, 10)


class _TwoBN(_Layers):
    def __init__(self, bias: bool = True) -> None:
        super().__init__(bias)
        self.bn1, self.bn2 = nn.BatchNorm1d(256), nn.BatchNorm1d(256)


# Correct models.


class NoBiasBeforeBN(_TwoBN):  # BatchNorm's β makes the linear layer's bias redundant
    def __init__(self) -> None:
        super().__init__(bias=False)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn2(self.fc2(x))))


class SequentialWithNames(nn.Module):  # the named layers are also the Sequential's
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
            nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10),
        )  # fmt: skip
        self.fc1, self.bn1, self.fc2, self.bn2 = self.net[1], self.net[2], self.net[4], self.net[5]

    def forward(self, x):
        return self.net(x)


class LoopOverNamedLayers(_TwoBN):
    def forward(self, x):
        x = x.view(x.size(0), -1)
        for linear, norm in ((self.fc1, self.bn1), (self.fc2, self.bn2)):
            x = F.relu(norm(linear(x)))
        return self.fc3(x)


class OtherSettings(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm1d(256, momentum=0.05, eps=1e-3)
        self.bn2 = nn.BatchNorm1d(256, momentum=0.05, eps=1e-3)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.act(self.bn1(self.fc1(x.reshape(-1, 784))))
        return self.fc3(self.act(self.bn2(self.fc2(x))))


MODELS = [retyped(models.MLPBatchNorm), NoBiasBeforeBN, SequentialWithNames,
          LoopOverNamedLayers, OtherSettings]  # fmt: skip


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_every_correct_model_passes(model_class):
    passes(check.mlp_bn, model_class)


# Mistakes.


class OneBNTwice(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(256)

    def forward(self, x):
        x = F.relu(self.bn(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn(self.fc2(x))))


class SecondForgotten(_TwoBN):
    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.fc2(x)))


class OnTheOutput(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn1, self.bn2 = nn.BatchNorm1d(256), nn.BatchNorm1d(10)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.bn2(self.fc3(F.relu(self.fc2(x))))


class AfterRelu(_TwoBN):
    def forward(self, x):
        x = self.bn1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.bn2(F.relu(self.fc2(x))))


class AlwaysTraining(_TwoBN):
    def forward(self, x):
        self.bn1.train(), self.bn2.train()  # undoes model.eval()
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn2(self.fc2(x))))


class NoRunningStats(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm1d(256, track_running_stats=False)
        self.bn2 = nn.BatchNorm1d(256, track_running_stats=False)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn2(self.fc2(x))))


class NoAffine(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn1, self.bn2 = nn.BatchNorm1d(256, affine=False), nn.BatchNorm1d(256, affine=False)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn2(self.fc2(x))))


class NormalizesTheImage(_TwoBN):
    def __init__(self) -> None:
        super().__init__()
        self.bn0 = nn.BatchNorm1d(784)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(self.bn0(x.flatten(1)))))
        return self.fc3(F.relu(self.bn2(self.fc2(x))))


class TenOutputsMissing(_TwoBN):
    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return F.relu(self.bn2(self.fc2(x)))


# Right structure, but the later cells call model.fc1, model.bn1, model.fc2, model.bn2.


class SequentialModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
            nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.net(x)


class ModuleLists(nn.Module):
    def __init__(self):
        super().__init__()
        self.linears = nn.ModuleList([nn.Linear(784, 256), nn.Linear(256, 256)])
        self.norms = nn.ModuleList([nn.BatchNorm1d(256) for _ in range(2)])
        self.out = nn.Linear(256, 10)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        for linear, norm in zip(self.linears, self.norms, strict=True):
            x = F.relu(norm(linear(x)))
        return self.out(x)


class OtherNamesAndSettings(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.norm_a = nn.BatchNorm1d(256, momentum=0.05, eps=1e-3)
        self.norm_b = nn.BatchNorm1d(256, momentum=0.05, eps=1e-3)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.act(self.norm_a(self.fc1(x.reshape(-1, 784))))
        return self.fc3(self.act(self.norm_b(self.fc2(x))))


class SwappedNorms(_TwoBN):
    def forward(self, x):
        x = F.relu(self.bn2(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn1(self.fc2(x))))


class SwappedLinears(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(256, 256), nn.BatchNorm1d(256)
        self.fc2, self.bn2 = nn.Linear(784, 256), nn.BatchNorm1d(256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc2(x.flatten(1))))
        return self.fc3(F.relu(self.bn2(self.fc1(x))))


MISTAKES = [
    (retyped(models.MLPSharedBN), "shared"),
    (OneBNTwice, "shared"),
    (SecondForgotten, "missing"),
    (OnTheOutput, "after_output"),
    (AfterRelu, "after_relu"),
    (retyped(models.MLP), "no_bn"),
    (NoAffine, "size"),
    (AlwaysTraining, "eval_ignored"),
    (NoRunningStats, "no_running_stats"),
    (NormalizesTheImage, "on_input"),
    (TenOutputsMissing, "shape"),
    (SequentialModel, "names"),
    (ModuleLists, "names"),
    (OtherNamesAndSettings, "names"),
    (SwappedNorms, "names"),
    (SwappedLinears, "names"),
]


@pytest.mark.parametrize(
    ("model_class", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_mistake_gets_its_diagnosis(model_class, expected):
    assert diagnosis(check.mlp_bn, model_class) == expected


def test_messages_name_the_layer_and_the_count():
    assert "the layer bn is applied 2 times per pass" in check.mlp_bn(OneBNTwice).message
    assert "number of BatchNorms applied in each pass: 1" in check.mlp_bn(SecondForgotten).message
    assert "bn1 only receives values ≥ 0" in check.mlp_bn(AfterRelu).message


def test_the_names_later_cells_use_are_said():
    message = check.mlp_bn(OtherNamesAndSettings).message
    assert "the lesson's later cells use your layers by name" in message
    assert "it has no bn1, bn2." in message
    assert "bn1 must be the BatchNorm applied to the first" in check.mlp_bn(SwappedNorms).message
    assert "calling them that way raises RuntimeError" in check.mlp_bn(SwappedLinears).message
    assert check.mlp_bn(OneBNTwice).diagnoses == ("shared", "names")


@pytest.mark.parametrize("seed", [1, 2, 12345])
@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_correct_models_pass_on_other_seeds(model_class, seed):
    assert judged(check.mlp_bn, seed, model_class).passed


def test_the_batch_is_drawn_from_the_seed():
    sizes = [len(probe.images(seed)) for seed in (0, 1)]
    assert sizes[0] != sizes[1]
    for seed, n in zip((0, 1), sizes, strict=True):
        message = judged(check.mlp_bn, seed, TenOutputsMissing).message
        assert f"for {n} images ({n}, 1, 28, 28) it returned shape ({n}, 256)" in message


def test_the_course_model_imported_and_a_stub():
    borrowed = check.mlp_bn(type("Mine", (models.MLPBatchNorm,), {}))
    assert "“Mine” from course_utils.models" in borrowed.message

    class Stub(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            raise NotImplementedError()

    assert check.mlp_bn(Stub).status == checks.TODO


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = check.mlp_bn(retyped(models.MLPSharedBN)).message
    assert "la capa bn1 se aplica 2 veces en cada pasada" in message
    assert "llamarlas así produce un «RuntimeError»" in check.mlp_bn(SwappedLinears).message


def test_parameter_counts_are_grouped_as_each_language_writes_them():
    assert "it has 269,322 parameters and 270,346 were expected" in check.mlp_bn(NoAffine).message
    i18n.set_language("es")
    assert (
        "tiene 269\u00a0322 parámetros y se esperaban 270\u00a0346"
        in check.mlp_bn(NoAffine).message
    )

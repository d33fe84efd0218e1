"""Lesson 04's check: the fixed model passes, a stub is todo, every diagnosed mistake is named."""

from __future__ import annotations

import pytest
import torch.nn.functional as F
from torch import nn

from course_utils import checks, i18n, models
from course_utils.checks import batchnorm as check_batchnorm
from tests.student import retyped

pytestmark = pytest.mark.usefixtures("english")


class _Layers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 256), nn.Linear(256, 10)


class OneBNTwice(_Layers):
    def __init__(self) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(256)

    def forward(self, x):
        x = F.relu(self.bn(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.bn(self.fc2(x))))


class SecondUnused(models.MLPBatchNorm):
    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.fc3(F.relu(self.fc2(x)))


class OnTheOutput(models.MLPBatchNorm):
    def __init__(self) -> None:
        super().__init__()
        self.bn2 = nn.BatchNorm1d(10)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x.flatten(1))))
        return self.bn2(self.fc3(F.relu(self.fc2(x))))


class AfterRelu(models.MLPBatchNorm):
    def forward(self, x):
        x = self.bn1(F.relu(self.fc1(x.flatten(1))))
        return self.fc3(self.bn2(F.relu(self.fc2(x))))


class AlwaysTraining(models.MLPBatchNorm):
    def forward(self, x):
        self.bn1.train(), self.bn2.train()  # undoes model.eval()
        return super().forward(x)


class NoRunningStats(models.MLPBatchNorm):
    def __init__(self) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm1d(256, track_running_stats=False)
        self.bn2 = nn.BatchNorm1d(256, track_running_stats=False)


class NoAffine(models.MLPBatchNorm):
    def __init__(self) -> None:
        super().__init__()
        self.bn1, self.bn2 = nn.BatchNorm1d(256, affine=False), nn.BatchNorm1d(256, affine=False)


class Stub(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError()


def test_the_fixed_model_passes_and_a_stub_is_todo():
    assert check_batchnorm.mlp_bn(retyped(models.MLPBatchNorm)).passed
    borrowed = check_batchnorm.mlp_bn(type("Mine", (models.MLPBatchNorm,), {}))
    assert "“Mine” from course_utils.models" in borrowed.message
    assert check_batchnorm.mlp_bn(Stub).status == checks.TODO


@pytest.mark.parametrize(
    ("model_class", "expected"),
    [
        (retyped(models.MLPSharedBN), "the layer bn1 is applied 2 times per pass"),
        (OneBNTwice, "the layer bn is applied 2 times per pass"),
        (SecondUnused, "the layer bn2 is created in __init__ but forward never uses it"),
        (OnTheOutput, "it normalizes the last layer's output (the 10 logits)"),
        (AfterRelu, "bn1 only receives values ≥ 0: it sits after the ReLU"),
        (retyped(models.MLP), "the model holds no nn.BatchNorm1d layer"),
        (NoAffine, "it has 269322 parameters and 270346 were expected"),
        (AlwaysTraining, "in eval() mode the output for one image changes with the other"),
        (NoRunningStats, "BatchNorm keeps using the batch statistics"),
    ],
)
def test_each_mistake_is_named(model_class, expected):
    result = check_batchnorm.mlp_bn(model_class)
    assert result.status == checks.FAILED
    assert expected in result.message


def test_one_bn_layer_only():
    class OneBN(_Layers):
        def __init__(self) -> None:
            super().__init__()
            self.bn1 = nn.BatchNorm1d(256)

        def forward(self, x):
            x = F.relu(self.bn1(self.fc1(x.flatten(1))))
            return self.fc3(F.relu(self.fc2(x)))

    message = check_batchnorm.mlp_bn(OneBN).message
    assert "number of BatchNorms applied in each pass: 1" in message


def test_messages_follow_the_language():
    i18n.set_language("es")
    message = check_batchnorm.mlp_bn(retyped(models.MLPSharedBN)).message
    assert "la capa bn1 se aplica 2 veces en cada pasada" in message

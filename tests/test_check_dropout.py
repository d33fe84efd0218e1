"""Lesson 03's ``MyDropout`` check: dropout written in many correct styles passes, each usual
mistake gets its own diagnosis id, on several problems."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import checks, i18n
from course_utils.checks import dropout as check
from course_utils.checks import regularization
from course_utils.probes import dropout as probe
from course_utils.probes import record
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


class _Dropout(nn.Module):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p


# Correct modules.


class Solution(_Dropout):  # the lesson's
    def forward(self, x):
        if not self.training:
            return x
        mask = (torch.rand_like(x) > self.p).float()
        return x * mask / (1 - self.p)


class Bernoulli(_Dropout):
    def forward(self, x):
        if self.training:
            keep = torch.bernoulli(torch.full_like(x, 1 - self.p))
            x = keep * x / (1 - self.p)
        return x


class BernoulliInPlaceOnTheMask(_Dropout):
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        mask = torch.empty_like(x).bernoulli_(1 - self.p)
        return x * mask.div_(1 - self.p)


class Where(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.keep = 1 - p

    def forward(self, x):
        if not self.training:
            return x
        kept = torch.rand(x.shape, device=x.device) < self.keep
        return torch.where(kept, x / self.keep, torch.zeros_like(x))


class MaskedFill(_Dropout):
    def forward(self, x):
        if self.training:
            dropped = torch.rand_like(x) < self.p
            return x.masked_fill(dropped, 0.0) * (1.0 / (1.0 - self.p))
        return x.clone()


class Buffer(nn.Module):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.register_buffer("p", torch.tensor(p))

    def forward(self, x):
        scale = 1 / (1 - self.p)
        return x * (torch.rand_like(x) >= self.p) * scale if self.training else x


MODULES = [Solution, Bernoulli, BernoulliInPlaceOnTheMask, Where, MaskedFill, Buffer]


@pytest.mark.parametrize("module", MODULES, ids=lambda c: c.__name__)
def test_every_correct_dropout_passes(module):
    passes(check.my_dropout, module)


@pytest.mark.parametrize("seed", [1, 2, 3, 12345])
def test_correct_dropouts_pass_on_other_problems(seed):
    for module in MODULES:
        result = judged(check.my_dropout, seed, module)
        assert result.passed, f"{module.__name__}: {result.message}"


# Mistakes, as a student would write them.


class NoScaling(_Dropout):
    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) if self.training else x


class ScaleByP(_Dropout):
    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) * self.p if self.training else x


class ScaleByInverseP(_Dropout):
    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) / self.p if self.training else x


class MultiplyByKeep(_Dropout):
    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) * (1 - self.p) if self.training else x


class KeepsWithP(_Dropout):  # the mask keeps with probability p
    def forward(self, x):
        if not self.training:
            return x
        return x * (torch.rand_like(x) < self.p).float() / (1 - self.p)


class MaskMadeOnce(_Dropout):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)
        self.masks = {}

    def forward(self, x):
        if not self.training:
            return x
        if x.shape not in self.masks:
            self.masks[x.shape] = (torch.rand_like(x) > self.p).float()
        return x * self.masks[x.shape] / (1 - self.p)


class SeededInside(_Dropout):
    def forward(self, x):
        if not self.training:
            return x
        torch.manual_seed(0)
        return x * (torch.rand_like(x) > self.p) / (1 - self.p)


class AlwaysOn(_Dropout):  # forgets self.training
    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) / (1 - self.p)


class Swapped(_Dropout):
    def forward(self, x):
        if self.training:
            return x
        return x * (torch.rand_like(x) > self.p) / (1 - self.p)


class OldStyle(_Dropout):  # drops without scaling, scales by 1 - p at evaluation
    def forward(self, x):
        if self.training:
            return x * (torch.rand_like(x) > self.p)
        return x * (1 - self.p)


class InPlace(_Dropout):
    def forward(self, x):
        if self.training:
            x.mul_(torch.rand_like(x) > self.p).div_(1 - self.p)
        return x


class UsesF(_Dropout):
    def forward(self, x):
        return F.dropout(x, self.p, self.training)


class WrapsModule(_Dropout):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)
        self.inner = nn.Dropout(p)

    def forward(self, x):
        return self.inner(x)


class Detached(_Dropout):
    def forward(self, x):
        if not self.training:
            return x
        with torch.no_grad():
            return x * (torch.rand_like(x) > self.p) / (1 - self.p)


class OneMaskPerFeature(_Dropout):  # one draw per column, shared by the whole batch
    def forward(self, x):
        if not self.training:
            return x
        return x * (torch.rand(x.shape[-1]) > self.p) / (1 - self.p)


class OnlyMatrices(_Dropout):
    def forward(self, x):
        if not self.training:
            return x
        mask = torch.rand(x.shape[0], x.shape[1]) > self.p
        return x * mask / (1 - self.p)


class DrawsTwice(_Dropout):  # two independent masks, each scaled
    def forward(self, x):
        if self.training:
            for _ in range(2):
                x = x * (torch.rand_like(x) > self.p) / (1 - self.p)
        return x


class ForgetsTheMask(_Dropout):
    def forward(self, x):
        if self.training:
            _mask = torch.rand_like(x) > self.p  # drawn, never used
            return x / (1 - self.p)
        return x


class NoThreshold(_Dropout):  # the random numbers themselves, not a mask of zeros and ones
    def forward(self, x):
        if not self.training:
            return x
        mask = torch.rand_like(x) - self.p
        mask[mask < 0] = 0
        return x * mask / (1 - self.p)


class StraightThrough(_Dropout):  # the gradient skips the mask
    def forward(self, x):
        if not self.training:
            return x
        dropped = x * (torch.rand_like(x) > self.p) / (1 - self.p)
        return x + (dropped - x).detach()


class ReturnsTheMaskToo(_Dropout):
    def forward(self, x):
        mask = (torch.rand_like(x) > self.p).float()
        return (x * mask / (1 - self.p), mask) if self.training else x


class Flattens(_Dropout):
    def forward(self, x):
        x = x.view(-1)
        return x * (torch.rand_like(x) > self.p) / (1 - self.p) if self.training else x


class ScalesBigInputsOnly(_Dropout):  # tried on one large batch only
    def forward(self, x):
        if not self.training:
            return x
        scale = 1 / (1 - self.p) if x.numel() > 1000 else 1.0
        return x * (torch.rand_like(x) > self.p) * scale


class NamedRate(nn.Module):
    def __init__(self, rate=0.5):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        return x


class NotAModule:  # forgets to subclass nn.Module
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x):
        return x * (torch.rand_like(x) > self.p) / (1 - self.p)


MISTAKES = [
    (NoScaling, "no_scaling"),
    (ScaleByP, "scale_p"),
    (ScaleByInverseP, "scale_inverse_p"),
    (MultiplyByKeep, "scale_keep"),
    (KeepsWithP, "keep_probability"),
    (MaskMadeOnce, "same_mask"),
    (SeededInside, "same_mask"),
    (AlwaysOn, "eval_active"),
    (Swapped, "modes_swapped"),
    (OldStyle, "eval_changed"),
    (InPlace, "in_place"),
    (UsesF, "uses_builtin"),
    (WrapsModule, "uses_builtin"),
    (Detached, "no_grad"),
    (OneMaskPerFeature, "shared_mask"),
    (OnlyMatrices, "any_shape"),
    (NamedRate, "signature"),
    (DrawsTwice, "wrong_fraction"),
    (ForgetsTheMask, "never_drops"),
    (NoThreshold, "not_a_mask"),
    (StraightThrough, "grad"),
    (ReturnsTheMaskToo, "not_tensor"),
    (ScalesBigInputsOnly, "mean"),
    (Flattens, "shape"),
    (NotAModule, "not_module"),
]


@pytest.mark.parametrize(("module", "expected"), MISTAKES, ids=lambda v: getattr(v, "__name__", v))
def test_each_mistake_gets_its_diagnosis(module, expected):
    assert diagnosis(check.my_dropout, module) == expected


@pytest.mark.parametrize("seed", [1, 12345])
def test_mistakes_on_other_problems(seed):
    for module, expected in MISTAKES:
        assert judged(check.my_dropout, seed, module).diagnosis == expected, module.__name__


def test_no_scaling_alone_is_said_once_and_values_are_quoted():
    result = check.my_dropout(NoScaling)
    assert result.diagnoses == ("no_scaling",)
    p = probe.problem(0)["p"]
    assert f"1/(1 − p) (here {round(1 / (1 - p), 3)})" in result.message


def test_a_wrong_fraction_and_scale_are_both_said():
    assert check.my_dropout(DrawsTwice).diagnoses == ("wrong_fraction", "wrong_scale")


def test_stub_is_todo_messages_follow_the_language_and_the_random_state_is_left_alone():
    class Stub(nn.Module):
        def __init__(self, p: float = 0.5) -> None:
            super().__init__()
            raise NotImplementedError()

    assert check.my_dropout(Stub).status == checks.TODO
    torch.manual_seed(5)
    before = torch.random.get_rng_state()
    check.my_dropout(Solution)
    assert torch.equal(torch.random.get_rng_state(), before)
    i18n.set_language("es")
    assert "no escala las unidades que sobreviven" in check.my_dropout(NoScaling).message


def test_the_lesson_calls_it_through_its_check_module():
    assert regularization.my_dropout is check.my_dropout


def test_a_record_no_probe_writes_is_refused():
    with pytest.raises(record.Malformed):
        check.my_dropout.verdict(0, {"outcome": "ran", "data": {"builtin": False}})


def test_the_probe_imports_no_judge():
    code = "import sys, course_utils.probes.dropout; print(*sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not [m for m in run.stdout.split() if m.startswith("course_utils.checks")]

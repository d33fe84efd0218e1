"""course_utils.device: CUDA first, then MPS, then the CPU; one line says which."""

from __future__ import annotations

import pytest
import torch

from course_utils import device, i18n

pytestmark = pytest.mark.usefixtures("spanish")


@pytest.fixture
def available(monkeypatch):
    """Pretend which accelerators exist: ``available(cuda=..., mps=...)``."""

    def pretend(cuda: bool, mps: bool) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Fake GPU 9000")
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return pretend


@pytest.mark.parametrize("mps", [True, False])
def test_cuda_comes_first(available, capsys, mps):
    available(cuda=True, mps=mps)
    assert device.pick() == torch.device("cuda")
    assert capsys.readouterr().out == "Usando el dispositivo: CUDA (Fake GPU 9000)\n"


def test_mps_comes_second(available, capsys):
    available(cuda=False, mps=True)
    assert device.pick() == torch.device("mps")
    assert capsys.readouterr().out == "Usando el dispositivo: MPS (Apple)\n"


def test_cpu_comes_last(available, capsys):
    available(cuda=False, mps=False)
    assert device.pick() == torch.device("cpu")
    assert capsys.readouterr().out == "Usando el dispositivo: CPU (no hay GPU disponible)\n"


def test_the_line_follows_the_language(available, capsys):
    available(cuda=False, mps=False)
    i18n.set_language("en")
    device.pick()
    assert capsys.readouterr().out == "Using device: CPU (no GPU available)\n"


def test_quiet(available, capsys):
    available(cuda=False, mps=True)
    assert device.pick(verbose=False) == torch.device("mps")
    assert capsys.readouterr().out == ""


def test_this_machine(capsys):
    picked = device.pick()
    assert torch.zeros(1, device=picked).device.type == picked.type
    assert len(capsys.readouterr().out.splitlines()) == 1

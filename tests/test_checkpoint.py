"""course_utils.checkpoint: round trip, exact resume, and every way a file can be wrong."""

from __future__ import annotations

import os

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checkpoint, i18n


def make_model(hidden: int = 5) -> nn.Sequential:
    return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 3))


def trained(seed: int = 0) -> tuple[nn.Module, torch.optim.Optimizer]:
    """A model and an Adam optimizer after two steps (so the optimizer has state)."""
    torch.manual_seed(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        loss = model(torch.randn(8, 4)).logsumexp(dim=1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model, optimizer


def same_tensors(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.fixture(params=["es", "en"])
def lang(request):
    """Each test that asks for it runs once per language."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("es")


@pytest.fixture
def saved(tmp_path):
    model, optimizer = trained()
    path = checkpoint.save(
        tmp_path / "good.pt", model, optimizer, epoch=7, best_metric=0.25, hparams={"hidden": 5}
    )
    return path, model, optimizer


def test_round_trip_restores_everything(saved):
    path, model, optimizer = saved
    fresh, fresh_optimizer = trained(seed=1)
    state = checkpoint.load(path, fresh, fresh_optimizer)
    assert same_tensors(fresh.state_dict(), model.state_dict())
    restored, original = fresh_optimizer.state_dict(), optimizer.state_dict()
    assert restored["param_groups"] == original["param_groups"]
    for key, values in original["state"].items():
        assert same_tensors(restored["state"][key], values)
    assert (state["epoch"], state["best_metric"], state["hparams"]) == (7, 0.25, {"hidden": 5})
    assert state["fingerprint"] == {
        "0.weight": [5, 4],
        "0.bias": [5],
        "2.weight": [3, 5],
        "2.bias": [3],
    }


def test_the_file_is_plain_weights_only_data(saved):
    state = torch.load(saved[0], weights_only=True)
    assert state["format"] == checkpoint.FORMAT and state["epoch"] == 7


def test_load_reads_weights_only_on_the_models_device(saved, monkeypatch):
    calls = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(checkpoint.torch, "load", spy)
    checkpoint.load(saved[0], make_model())
    checkpoint.load(saved[0], make_model(), map_location="cpu")
    assert [c["weights_only"] for c in calls] == [True, True]
    assert calls[0]["map_location"] == torch.device("cpu") and calls[1]["map_location"] == "cpu"


def run(model, optimizer, loader, num_epochs: int) -> None:
    criterion = nn.CrossEntropyLoss()
    for _ in range(num_epochs):
        for X, y in loader:
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def setup(seed: int):
    torch.manual_seed(seed)
    data = TensorDataset(torch.randn(50, 4), torch.randint(0, 3, (50,)))
    generator = torch.Generator().manual_seed(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    return model, optimizer, DataLoader(data, batch_size=8, shuffle=True, generator=generator)


def test_resuming_with_the_generator_is_bit_for_bit(tmp_path):
    model, optimizer, loader = setup(seed=0)
    run(model, optimizer, loader, 4)
    first, first_opt, first_loader = setup(seed=0)
    run(first, first_opt, first_loader, 2)
    checkpoint.save(
        tmp_path / "half.pt", first, first_opt, epoch=2, generator=first_loader.generator
    )
    resumed, resumed_opt, resumed_loader = setup(seed=1)  # other weights, other data order
    resumed_loader.dataset.tensors = first_loader.dataset.tensors
    state = checkpoint.load(
        tmp_path / "half.pt", resumed, resumed_opt, generator=resumed_loader.generator
    )
    run(resumed, resumed_opt, resumed_loader, 4 - state["epoch"])
    assert same_tensors(resumed.state_dict(), model.state_dict())


def test_a_missing_file_is_named(tmp_path, lang):
    with pytest.raises(FileNotFoundError) as caught:
        checkpoint.load(tmp_path / "nowhere" / "best.pt", make_model())
    message = str(caught.value)
    assert ("No existe el punto de control" in message) == (lang == "es")
    assert ("There is no checkpoint" in message) == (lang == "en")
    assert "nowhere" in message and "checkpoint.save" in message


@pytest.mark.usefixtures("spanish")
@pytest.mark.parametrize("keep", [0, 10, 0.5, -10], ids=["empty", "header", "half", "tail"])
def test_a_truncated_file_is_explained_and_nothing_changes(saved, keep):
    path = saved[0]
    content = path.read_bytes()
    size = int(len(content) * keep) if isinstance(keep, float) else keep % len(content)
    path.write_bytes(content[:size])
    model = make_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(path, model)
    message = str(caught.value)
    assert "good.pt está incompleto o dañado" in message and "usa otro punto de control" in message
    assert "truncated" not in message  # the current language only
    assert same_tensors(model.state_dict(), before)


@pytest.mark.usefixtures("english")
def test_a_file_that_is_not_torch_data_is_corrupt(tmp_path):
    path = tmp_path / "notes.pt"
    path.write_text("these are my notes, not a model")
    with pytest.raises(
        checkpoint.CheckpointError, match="notes.pt is truncated or corrupt.*another"
    ):
        checkpoint.load(path, make_model())


class RunsCode:
    """A pickle that would create a file when loaded without weights_only."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_an_untrusted_pickle_is_refused_without_running_it(tmp_path, lang):
    path, marker = tmp_path / "gift.pt", tmp_path / "i_ran"
    torch.save({"model": RunsCode(marker)}, path)
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(path, make_model())
    message = str(caught.value)
    assert ("podría ejecutar código" in message) == (lang == "es")
    assert ("could run code" in message) == (lang == "en")
    assert not marker.exists()


@pytest.mark.usefixtures("spanish")
def test_a_bare_state_dict_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save(make_model().state_dict(), path)
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(path, make_model())
    message = str(caught.value)
    assert "weights.pt no es un punto de control" in message and "model.load_state_dict" in message


def another_architecture(saved) -> str:
    """The message of loading ``saved`` into a wider model with one more layer."""
    other = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Linear(3, 3))
    before = {k: v.clone() for k, v in other.state_dict().items()}
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(saved[0], other)
    assert same_tensors(other.state_dict(), before)
    return str(caught.value)


@pytest.mark.usefixtures("spanish")
def test_another_architecture_names_keys_and_shapes(saved):
    message = another_architecture(saved)
    assert message.startswith("good.pt se guardó desde otra arquitectura")
    assert "{'hidden': 5}" in message
    assert "el modelo tiene y el archivo no: 3.weight, 3.bias" in message
    assert "0.weight: forma [5, 4] en el archivo, [8, 4] en el modelo" in message
    assert "2.bias" not in message  # same shape on both sides: not a difference
    assert "architecture" not in message  # the current language only


@pytest.mark.usefixtures("english")
def test_another_architecture_names_keys_and_shapes_in_english(saved):
    message = another_architecture(saved)
    assert message.startswith("good.pt was saved from another architecture")
    assert "Build the model as it was when saved" in message
    assert "in the model, not in the file: 3.weight, 3.bias" in message
    assert "2.weight: shape [3, 5] in the file, [3, 8] in the model" in message
    assert "2.bias" not in message and "arquitectura" not in message


@pytest.mark.usefixtures("english")
def test_keys_only_in_the_file_are_named(saved):
    smaller = nn.Sequential(nn.Linear(4, 5))
    with pytest.raises(
        checkpoint.CheckpointError, match="in the file, not in the model: 2.weight, 2.bias"
    ):
        checkpoint.load(saved[0], smaller)


def test_another_optimizer_type_is_refused_before_anything_changes(saved, lang):
    model = make_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(saved[0], model, torch.optim.SGD(model.parameters(), lr=0.1))
    expected = {
        "es": "de tipo Adam y le pasas uno de tipo SGD",
        "en": "of type Adam and you passed one of type SGD",
    }
    assert expected[lang] in str(caught.value)
    assert expected["en" if lang == "es" else "es"] not in str(caught.value)
    assert same_tensors(model.state_dict(), before)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("what", ["optimizer", "generator"])
def test_asking_for_state_the_file_lacks(tmp_path, what):
    model = make_model()
    path = checkpoint.save(tmp_path / "bare.pt", model, epoch=1)
    given = {
        "optimizer": torch.optim.Adam(model.parameters()),
        "generator": torch.Generator(),
    }
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(path, model, **{what: given[what]})
    assert f"bare.pt holds no state for {what}" in str(caught.value)
    assert f"checkpoint.save(..., {what}=...)" in str(caught.value)


def test_hyperparameters_must_load_with_weights_only(tmp_path, lang):
    with pytest.raises(TypeError) as caught:
        checkpoint.save(
            tmp_path / "x.pt", make_model(), epoch=1, hparams={"layers": [4, nn.ReLU()]}
        )
    expected = {
        "es": "hparams['layers'][1] es de tipo ReLU",
        "en": "hparams['layers'][1] is a ReLU",
    }
    assert str(caught.value).startswith(expected[lang])
    assert not list(tmp_path.iterdir())


def half_then_fail(error: BaseException):
    """A torch.save that writes half a file, then stops as a crash or a Ctrl+C would."""
    real_save = torch.save

    def fake(obj, file):
        real_save(obj, file)
        file.seek(0)
        file.truncate(file.tell() // 2 + 100)
        raise error

    return fake


@pytest.mark.parametrize(
    "error", [OSError("disk full"), KeyboardInterrupt()], ids=["crash", "ctrl-c"]
)
def test_an_interrupted_save_keeps_the_good_checkpoint(saved, monkeypatch, error):
    path, model, _optimizer = saved
    good = path.read_bytes()
    newer, newer_optimizer = trained(seed=3)
    monkeypatch.setattr(checkpoint.torch, "save", half_then_fail(error))
    with pytest.raises(type(error)):
        checkpoint.save(path, newer, newer_optimizer, epoch=8)
    monkeypatch.undo()
    assert path.read_bytes() == good
    assert [p.name for p in path.parent.iterdir()] == ["good.pt"]  # no temporary left behind
    restored = make_model()
    assert checkpoint.load(path, restored)["epoch"] == 7
    assert same_tensors(restored.state_dict(), model.state_dict())


def test_save_creates_the_folder_and_replaces_atomically(tmp_path, monkeypatch):
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(
        checkpoint.os, "replace", lambda a, b: replaced.append((a, b)) or real_replace(a, b)
    )
    path = checkpoint.save(tmp_path / "runs" / "last.pt", make_model(), epoch=0)
    assert path.is_file() and os.path.dirname(replaced[0][0]) == str(path.parent)
    assert replaced[0][1] == path

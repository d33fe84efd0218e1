"""course_utils.data: the data root, offline MNIST, its errors, the fast path, split and subset."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision import datasets, transforms

from course_utils import data

FILES = list(data.MNIST_FILES)
# Hand counts published with MNIST: the first ten training labels and the test set's classes.
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
TEST_CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Make every attempt to reach the network fail, and record it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


# What each error says, per language: the words of the language in force, never the other's.
SAYS = {
    "missing": {"es": "No encuentro MNIST en", "en": "MNIST is not in"},
    "delete": {"es": "Bórralo y vuelve a ejecutar la celda", "en": "Delete it and run the cell"},
    "corrupt": {
        "es": "({size} bytes, se esperaban {expected})",
        "en": "({size} bytes, expected {expected})",
    },
    "header": {
        "es": "su cabecera IDX es {found} y debería ser {expected}",
        "en": "its IDX header is {found} and should be {expected}",
    },
    "lengths": {
        "es": "No puedo dividir 100 ejemplos en {lengths}: usa números enteros mayores o "
        "iguales que 0 que sumen 100",
        "en": "Cannot split 100 samples into {lengths}: use whole numbers >= 0 that add up to 100",
    },
    "size": {
        "es": "No puedo tomar {n} ejemplos de un conjunto de 5: usa un número entero entre 1 y 5",
        "en": "Cannot take {n} samples from a dataset of 5: use a whole number between 1 and 5",
    },
}


def _other(lang: str) -> str:
    return {"es": "en", "en": "es"}[lang]


@pytest.fixture(scope="module")
def train_raw(mnist_available):
    return data.mnist(train=True)


@pytest.fixture(scope="module")
def test_raw(mnist_available):
    return data.mnist(train=False)


def _raw_copy(source: Path, target_root: Path, damaged: str, content: bytes) -> Path:
    """A data root whose ``damaged`` file holds ``content``; the others link to ``source``."""
    raw = target_root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in FILES:
        if name == damaged:
            (raw / name).write_bytes(content)
        else:
            (raw / name).symlink_to(source / "MNIST" / "raw" / name)
    return raw / damaged


# --- data_root -------------------------------------------------------------------------------


def test_data_root_honours_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert data.data_root() == tmp_path.resolve()


def test_data_root_defaults_to_repo_data_whatever_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    expected = Path(__file__).resolve().parents[1] / "data"
    assert data.data_root() == expected
    assert data.data_root().is_absolute()


# --- mnist: the real torchvision dataset, offline ----------------------------------------------


def test_mnist_loads_all_images_without_network(no_network, train_raw, test_raw):
    fresh_train, fresh_test = data.mnist(train=True), data.mnist(train=False)
    assert isinstance(fresh_train, datasets.MNIST)
    assert (len(fresh_train), len(fresh_test)) == (60_000, 10_000)
    assert fresh_train.data.shape == (60_000, 28, 28) and fresh_train.data.dtype == torch.uint8
    assert fresh_train.targets[:10].tolist() == FIRST_TRAIN_LABELS
    assert torch.bincount(fresh_test.targets).tolist() == TEST_CLASS_COUNTS
    assert no_network == []


def test_mnist_applies_the_transform(train_raw, no_network):
    dataset = data.mnist(train=False, transform=transforms.ToTensor())
    image, label = dataset[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32
    assert isinstance(label, int)


def test_missing_folder_is_explained_in_the_current_language(
    lang, no_network, tmp_path, monkeypatch
):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataError) as caught:
        data.mnist()
    message = str(caught.value)
    folder = tmp_path / "nowhere" / "MNIST" / "raw"
    assert message.count(str(folder)) == 1  # one language only
    assert all(message.count(name) == 1 for name in FILES)
    assert SAYS["missing"][lang] in message and SAYS["missing"][_other(lang)] not in message
    assert "COURSE_DATA_DIR" in message
    assert "network disabled by the test" in message  # the reason, in one line
    assert no_network, "the download was attempted"


def test_failed_download_of_any_kind_is_explained(monkeypatch, tmp_path):
    def full_disk(self):
        raise OSError("No space left on device")

    monkeypatch.setattr(datasets.MNIST, "download", full_disk)
    with pytest.raises(data.DataError, match="No space left on device") as caught:
        data.mnist(root=tmp_path)
    assert isinstance(caught.value.__cause__, OSError)


def test_truncated_file_says_to_delete_it(lang, mnist_available, tmp_path, no_network):
    source = mnist_available / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    path = _raw_copy(mnist_available, tmp_path, source.name, source.read_bytes()[:5_000])
    with pytest.raises(data.DataError) as caught:
        data.mnist(train=False, root=tmp_path)
    message = str(caught.value)
    assert message.count(str(path)) == 1
    assert SAYS["corrupt"][lang].format(size=5000, expected=10008) in message
    assert SAYS["delete"][lang] in message and SAYS["delete"][_other(lang)] not in message
    assert no_network == []


def test_corrupt_header_of_right_size_is_explained(lang, mnist_available, tmp_path):
    source = mnist_available / "MNIST" / "raw" / "train-labels-idx1-ubyte"
    content = struct.pack(">2I", 2051, 60_000) + source.read_bytes()[8:]  # an image magic
    path = _raw_copy(mnist_available, tmp_path, source.name, content)
    with pytest.raises(data.DataError) as caught:
        data.mnist(train=True, root=tmp_path)
    message = str(caught.value)
    assert message.count(str(path)) == 1
    assert SAYS["header"][lang].format(found=(2051, 60000), expected=(2049, 60000)) in message
    assert SAYS["delete"][lang] in message and SAYS["delete"][_other(lang)] not in message


def test_wrong_count_in_header_is_explained(mnist_available, tmp_path):
    source = mnist_available / "MNIST" / "raw" / "t10k-images-idx3-ubyte"
    content = bytearray(source.read_bytes())
    content[4:8] = struct.pack(">I", 9_999)
    _raw_copy(mnist_available, tmp_path, source.name, bytes(content))
    with pytest.raises(data.DataError, match=r"\(2051, 9999, 28, 28\)"):
        data.mnist(train=False, root=tmp_path)


# --- mnist_tensors: the fast path --------------------------------------------------------------


@pytest.fixture(scope="module")
def test_tensors(test_raw):
    return data.mnist_tensors(train=False)


def test_mnist_tensors_shapes(test_tensors, train_raw):
    X, y = test_tensors.tensors
    assert X.shape == (10_000, 1, 28, 28) and X.dtype == torch.float32
    assert y.shape == (10_000,) and y.dtype == torch.int64
    assert len(data.mnist_tensors(train=True)) == 60_000


def test_mnist_tensors_equal_to_tensor(test_tensors, test_raw):
    reference = data.mnist(train=False, transform=transforms.ToTensor())
    for i in [0, 1, 4_321, 9_999]:
        image, label = reference[i]
        assert torch.equal(test_tensors[i][0], image)
        assert test_tensors[i][1].item() == label


def test_mnist_tensors_equal_to_tensor_then_normalize(test_raw):
    mean, std = 0.1307, 0.3081
    fast = data.mnist_tensors(train=False, normalize=(mean, std))
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize((mean,), (std,))])
    reference = data.mnist(train=False, transform=pipeline)
    for i in [0, 7, 5_000, 9_999]:
        torch.testing.assert_close(fast[i][0], reference[i][0], rtol=0, atol=1e-6)
    assert abs(fast.tensors[0].mean().item()) < 0.05  # roughly centred, as intended


# --- split and subset --------------------------------------------------------------------------


def _indices(parts) -> list[list[int]]:
    return [list(part.indices) for part in parts]


def test_split_is_seeded_repeatable_and_a_partition():
    dataset = list(range(100))
    first = _indices(data.split(dataset, [80, 20], seed=3))
    assert first == _indices(data.split(dataset, [80, 20], seed=3))
    assert first != _indices(data.split(dataset, [80, 20], seed=4))
    assert [len(part) for part in first] == [80, 20]
    assert sorted(first[0] + first[1]) == dataset


def test_split_matches_random_split_with_a_seeded_generator():
    dataset = list(range(50))
    expected = torch.utils.data.random_split(
        dataset, [40, 10], generator=torch.Generator().manual_seed(7)
    )
    assert _indices(data.split(dataset, [40, 10], seed=7)) == _indices(expected)


def test_split_accepts_numpy_integers():
    parts = data.split(list(range(10)), [np.int64(7), np.int64(3)])
    assert [len(part) for part in parts] == [7, 3]


@pytest.mark.parametrize("lengths", [[80, 10], [90, 20], [110, -10], [0.8, 0.2]])
def test_split_rejects_bad_lengths(lang, lengths):
    with pytest.raises(data.DataError) as caught:
        data.split(list(range(100)), lengths)
    message = str(caught.value)
    assert SAYS["lengths"][lang].format(lengths=lengths) in message
    assert SAYS["lengths"][_other(lang)].format(lengths=lengths) not in message


def test_subset_is_seeded_and_repeatable():
    dataset = list(range(1_000))
    first = data.subset(dataset, 10, seed=1)
    assert len(first) == 10 and len(set(first.indices)) == 10
    assert first.indices == data.subset(dataset, 10, seed=1).indices
    assert first.indices != data.subset(dataset, 10, seed=2).indices
    assert [first[i] for i in range(10)] == first.indices


def test_subset_none_is_the_whole_dataset():
    dataset = list(range(5))
    assert data.subset(dataset, None) is dataset


@pytest.mark.parametrize("n", [0, -1, 6, 2.5, "3"])
def test_subset_rejects_bad_n(lang, n):
    with pytest.raises(data.DataError) as caught:
        data.subset(list(range(5)), n)
    message = str(caught.value)
    assert SAYS["size"][lang].format(n=n) in message
    assert SAYS["size"][_other(lang)].format(n=n) not in message

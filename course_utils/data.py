"""Course data: MNIST (offline-first) and Palmer penguins.

The data root is ``$COURSE_DATA_DIR`` if set, else ``<repo>/data`` whatever the
notebook's working directory. MNIST is read with ``torchvision.datasets.MNIST``;
it is downloaded only when its files are missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch.utils.data import Dataset, Subset, TensorDataset, random_split
from torchvision import datasets

from course_utils.i18n import Catalog

REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST_FILES = {  # file name -> size in bytes
    "train-images-idx3-ubyte": 47_040_016,
    "train-labels-idx1-ubyte": 60_008,
    "t10k-images-idx3-ubyte": 7_840_016,
    "t10k-labels-idx1-ubyte": 10_008,
}

_ = Catalog(
    {
        "missing": {
            "es": "No encuentro MNIST en {folder} y no se pudo descargar ({error}). "
            "Copia allí los cuatro archivos {files} o define COURSE_DATA_DIR "
            "con la carpeta que contiene MNIST/raw/.",
            "en": "MNIST is not in {folder} and could not be downloaded ({error}). "
            "Copy the four files {files} there, or set COURSE_DATA_DIR "
            "to the folder that holds MNIST/raw/.",
        },
        "corrupt": {
            "es": "El archivo {path} está incompleto o dañado ({size} bytes, se esperaban "
            "{expected}). Bórralo y vuelve a ejecutar la celda para descargarlo de nuevo.",
            "en": "The file {path} is truncated or corrupt ({size} bytes, expected "
            "{expected}). Delete it and run the cell again to download it anew.",
        },
        "bad_size": {
            "es": "No puedo tomar {n} ejemplos de un conjunto de {total}: "
            "usa un número entre 1 y {total}.",
            "en": "Cannot take {n} samples from a dataset of {total}: "
            "use a number between 1 and {total}.",
        },
    }
)


class DataError(RuntimeError):
    """Course data is missing, corrupt or asked for in a way that cannot work."""


def data_root() -> Path:
    """Return the folder that holds ``MNIST/raw`` (``$COURSE_DATA_DIR`` or ``<repo>/data``)."""
    env = os.environ.get("COURSE_DATA_DIR")
    return Path(env).expanduser().resolve() if env else REPO_ROOT / "data"


def _check_mnist_files(raw: Path) -> bool:
    """Return whether all four files exist; raise :class:`DataError` if one is the wrong size."""
    if not all((raw / name).is_file() for name in MNIST_FILES):
        return False
    for name, expected in MNIST_FILES.items():
        size = (raw / name).stat().st_size
        if size != expected:
            raise DataError(_.both("corrupt", path=raw / name, size=size, expected=expected))
    return True


def mnist(train: bool = True, transform=None, root: Path | None = None) -> datasets.MNIST:
    """Return torchvision's MNIST (train: 60,000 images; test: 10,000).

    Reads the local files when present and never touches the network then;
    downloads them otherwise, and explains what to do if that fails.
    """
    root = Path(root) if root else data_root()
    present = _check_mnist_files(root / "MNIST" / "raw")
    try:
        return datasets.MNIST(root, train=train, transform=transform, download=not present)
    except Exception as error:  # a failed download: no network, a proxy, a full disk...
        if present:
            raise
        folder, files = root / "MNIST" / "raw", ", ".join(MNIST_FILES)
        raise DataError(_.both("missing", folder=folder, files=files, error=error)) from error


def mnist_tensors(
    train: bool = True, normalize: tuple[float, float] | None = None, root: Path | None = None
) -> TensorDataset:
    """MNIST held in memory as float tensors ``X`` (N, 1, 28, 28) and ``y`` (N,).

    Gives the same values as ``ToTensor()`` (then ``Normalize((mean,), (std,))`` if
    ``normalize=(mean, std)``) without decoding one PIL image per sample.
    """
    raw = mnist(train, root=root)
    X = raw.data.unsqueeze(1).float().div(255)
    if normalize is not None:
        mean, std = normalize
        X = (X - mean) / std
    return TensorDataset(X, raw.targets.clone())


def split(dataset: Dataset, lengths: list[int], seed: int = 0) -> list[Subset]:
    """``random_split`` with a seeded generator, so the split is the same on every run."""
    if sum(lengths) != len(dataset) or min(lengths) < 0:
        raise ValueError(f"lengths {lengths} must be >= 0 and add up to {len(dataset)}")
    return random_split(dataset, lengths, generator=torch.Generator().manual_seed(seed))


def subset(dataset: Dataset, n: int | None, seed: int = 0) -> Dataset:
    """Return ``n`` samples chosen at random (seeded), or the whole dataset if ``n`` is None."""
    if n is None:
        return dataset
    if not 1 <= n <= len(dataset):
        raise DataError(_.both("bad_size", n=n, total=len(dataset)))
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed))
    return Subset(dataset, order[:n].tolist())

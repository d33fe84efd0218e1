"""Course data: MNIST, offline first.

The data root is ``$COURSE_DATA_DIR`` if set, else ``<repo>/data`` whatever the
notebook's working directory. MNIST is read with ``torchvision.datasets.MNIST``;
it is downloaded only when its files are missing, and checked before use.
"""

from __future__ import annotations

import math
import os
import struct
from numbers import Integral
from pathlib import Path

import torch
from torch.utils.data import Dataset, Subset, TensorDataset, random_split
from torchvision import datasets

from course_utils.i18n import Catalog

REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST_FILES = {  # file name -> IDX header: magic number, then the size of each dimension
    "train-images-idx3-ubyte": (2051, 60_000, 28, 28),
    "train-labels-idx1-ubyte": (2049, 60_000),
    "t10k-images-idx3-ubyte": (2051, 10_000, 28, 28),
    "t10k-labels-idx1-ubyte": (2049, 10_000),
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
        "header": {
            "es": "El archivo {path} está dañado: su cabecera IDX es {found} y debería ser "
            "{expected}. Bórralo y vuelve a ejecutar la celda para descargarlo de nuevo.",
            "en": "The file {path} is corrupt: its IDX header is {found} and should be "
            "{expected}. Delete it and run the cell again to download it anew.",
        },
        "bad_size": {
            "es": "No puedo tomar {n} ejemplos de un conjunto de {total}: "
            "usa un número entero entre 1 y {total}.",
            "en": "Cannot take {n} samples from a dataset of {total}: "
            "use a whole number between 1 and {total}.",
        },
        "bad_lengths": {
            "es": "No puedo dividir {total} ejemplos en {lengths}: usa números enteros "
            "mayores o iguales que 0 que sumen {total}.",
            "en": "Cannot split {total} samples into {lengths}: use whole numbers "
            ">= 0 that add up to {total}.",
        },
    }
)


class DataError(RuntimeError):
    """Course data is missing, corrupt or asked for in a way that cannot work."""


def data_root() -> Path:
    """Return the folder that holds ``MNIST/raw`` (``$COURSE_DATA_DIR`` or ``<repo>/data``)."""
    env = os.environ.get("COURSE_DATA_DIR")
    return Path(env).expanduser().resolve() if env else REPO_ROOT / "data"


def _check_file(path: Path, header: tuple[int, ...]) -> None:
    """Raise :class:`DataError` unless ``path`` has the size and IDX header MNIST's file has."""
    expected = 4 * len(header) + math.prod(header[1:])
    size = path.stat().st_size
    if size != expected:
        raise DataError(_("corrupt", path=path, size=size, expected=expected))
    with path.open("rb") as file:
        found = struct.unpack(f">{len(header)}I", file.read(4 * len(header)))
    if found != header:
        raise DataError(_("header", path=path, found=found, expected=header))


def _local_files(raw: Path) -> bool:
    """Return whether all four files are in ``raw``; raise :class:`DataError` if one is damaged."""
    if not all((raw / name).is_file() for name in MNIST_FILES):
        return False
    for name, header in MNIST_FILES.items():
        _check_file(raw / name, header)
    return True


def _download(root: Path) -> None:
    """Download the four files into ``root/MNIST/raw`` or explain what to do instead."""
    raw = root / "MNIST" / "raw"
    try:
        datasets.MNIST(root, download=True)
    except Exception as error:  # no network, a proxy, a full disk, a read-only folder...
        reason = [line for line in str(error).splitlines() if line.strip()] or [repr(error)]
        files = ", ".join(MNIST_FILES)
        raise DataError(_("missing", folder=raw, files=files, error=reason[-1])) from error
    _local_files(raw)


def mnist(train: bool = True, transform=None, root: Path | None = None) -> datasets.MNIST:
    """Return torchvision's MNIST (train: 60,000 images; test: 10,000).

    Reads the local files when present (and never touches the network then);
    downloads them otherwise, and explains what to do if that fails.
    """
    root = Path(root) if root else data_root()
    if not _local_files(root / "MNIST" / "raw"):
        _download(root)
    return datasets.MNIST(root, train=train, transform=transform)


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
    whole = all(isinstance(n, Integral) and n >= 0 for n in lengths)
    if not whole or sum(lengths) != len(dataset):
        raise DataError(_("bad_lengths", lengths=list(lengths), total=len(dataset)))
    return random_split(dataset, lengths, generator=torch.Generator().manual_seed(seed))


def subset(dataset: Dataset, n: int | None, seed: int = 0) -> Dataset:
    """Return ``n`` samples chosen at random (seeded), or the whole dataset if ``n`` is None."""
    if n is None:
        return dataset
    if not isinstance(n, Integral) or not 1 <= n <= len(dataset):
        raise DataError(_("bad_size", n=n, total=len(dataset)))
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed))
    return Subset(dataset, order[: int(n)].tolist())

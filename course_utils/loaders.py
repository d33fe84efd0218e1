"""Fast batches from in-memory tensors: the same batches as ``DataLoader``, fetched whole.

``DataLoader(dataset, batch_size=64, shuffle=True, generator=g)`` draws 64 indices,
reads 64 samples one by one and stacks them. For a ``TensorDataset`` (or a
``Subset`` of one, as ``data.mnist_tensors`` and ``data.split`` give) one tensor
indexing per batch gives the same batches, in the same order, in a fraction of
the time. Datasets that read one sample at a time need the plain ``DataLoader``.
"""

from __future__ import annotations

import torch
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, Subset, TensorDataset

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_tensors": {
            "es": "loaders.batched necesita un TensorDataset (o un Subset de uno), como los de "
            "data.mnist_tensors; recibí {kind}. Usa DataLoader(dataset, batch_size=...).",
            "en": "loaders.batched needs a TensorDataset (or a Subset of one), such as "
            "data.mnist_tensors gives; got {kind}. Use DataLoader(dataset, batch_size=...).",
        },
    }
)


def _in_memory(dataset: Dataset) -> bool:
    while isinstance(dataset, Subset):
        dataset = dataset.dataset
    return isinstance(dataset, TensorDataset)


def batched(
    dataset: Dataset,
    batch_size: int,
    shuffle: bool = False,
    generator: torch.Generator | None = None,
) -> DataLoader:
    """A ``DataLoader`` that yields exactly the batches of
    ``DataLoader(dataset, batch_size, shuffle=shuffle, generator=generator)``, one indexing each."""
    if not _in_memory(dataset):
        raise TypeError(_("not_tensors", kind=type(dataset).__name__))
    order = RandomSampler(dataset, generator=generator) if shuffle else range(len(dataset))
    sampler = BatchSampler(order, batch_size, drop_last=False)
    # The loader draws its workers' base seed from ``generator`` before the sampler
    # shuffles, as DataLoader(shuffle=True) does: same generator state, same batches.
    return DataLoader(dataset, sampler=sampler, batch_size=None, generator=generator)

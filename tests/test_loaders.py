"""course_utils.loaders: the same batches as DataLoader, and a clear error for other datasets."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from course_utils import data, loaders

DATASET = TensorDataset(torch.randn(203, 3, 2), torch.arange(203) % 7)


def _batches(loader) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(X.clone(), y.clone()) for X, y in loader]


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("dataset", [DATASET, data.split(DATASET, [150, 53], seed=1)[0]])
def test_same_batches_in_the_same_order_as_dataloader(dataset, shuffle):
    plain = DataLoader(dataset, batch_size=64, shuffle=shuffle, generator=torch.Generator())
    fast = loaders.batched(dataset, 64, shuffle=shuffle, generator=torch.Generator())
    plain.generator.manual_seed(3)
    fast.generator.manual_seed(3)
    expected, got = _batches(plain), _batches(fast)
    assert [len(y) for _X, y in got] == [len(y) for _X, y in expected]
    for (X, y), (eX, ey) in zip(got, expected, strict=True):
        assert torch.equal(X, eX) and torch.equal(y, ey)


def test_leaves_the_global_random_state_alone_with_a_generator():
    fast = loaders.batched(DATASET, 64, shuffle=True, generator=torch.Generator())
    before = torch.get_rng_state()
    _batches(fast)
    assert torch.equal(torch.get_rng_state(), before)


def test_shuffles_differently_every_epoch_and_repeats_with_the_seed():
    g = torch.Generator().manual_seed(0)
    fast = loaders.batched(DATASET, 64, shuffle=True, generator=g)
    first, second = _batches(fast), _batches(fast)
    assert not torch.equal(first[0][1], second[0][1])
    g.manual_seed(0)
    assert torch.equal(_batches(fast)[0][1], first[0][1])


NOT_TENSORS = {
    "es": "recibí list. Usa DataLoader(dataset, batch_size=...).",
    "en": "got list. Use DataLoader(dataset, batch_size=...).",
}


def test_a_dataset_read_sample_by_sample_gets_a_clear_error(lang):
    with pytest.raises(TypeError) as caught:
        loaders.batched([1, 2, 3], 2)
    message = str(caught.value)
    assert message.startswith("loaders.batched ")
    assert NOT_TENSORS[lang] in message
    assert NOT_TENSORS["en" if lang == "es" else "es"] not in message

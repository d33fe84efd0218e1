"""The compute floor of one epoch: its multiply-adds over the matmul throughput of this machine.

Only the three linear layers count (ReLU, softmax, Adam and data loading are
"free" here): a forward pass costs ``sum(in * out)`` multiply-adds (MACs) per
sample, and a training step costs about 3x that (forward, gradient of the
input, gradient of the weights). The validation pass is forward only.
"""

from __future__ import annotations

import time

import torch
from benchlib import LAYERS

CONVENTION = (
    "linear layers only; train = 3 x forward MACs (forward, input grad, weight grad), "
    "validation = 1 x forward; autograd skips fc1's input grad, so the exact count "
    "(exact_macs) is lower and this floor is slightly generous to the loops"
)


def forward_macs() -> int:
    """Multiply-adds of one sample's forward pass through the linear layers."""
    return sum(n_in * n_out for n_in, n_out in LAYERS)


def epoch_macs(n_train: int, n_val: int) -> int:
    """MACs of one epoch by the 3x convention: training samples 3x forward, validation 1x."""
    return forward_macs() * (3 * n_train + n_val)


def exact_epoch_macs(n_train: int, n_val: int) -> int:
    """MACs autograd actually runs: no input gradient for the first layer."""
    (first_in, first_out), rest = LAYERS[0], LAYERS[1:]
    train_step = 2 * first_in * first_out + 3 * sum(i * o for i, o in rest)
    return train_step * n_train + forward_macs() * n_val


def _throughput(
    mms: list[tuple[torch.Tensor, torch.Tensor]], seconds: float
) -> tuple[float, float]:
    """MACs per wall-clock second and per CPU second of running the products ``mms`` repeatedly."""
    macs = sum(a.shape[0] * a.shape[1] * b.shape[1] for a, b in mms)
    for a, b in mms:  # warm up
        torch.mm(a, b)
    rounds, start, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        for a, b in mms:
            torch.mm(a, b)
        rounds += 1
    return rounds * macs / elapsed, rounds * macs / (time.process_time() - cpu)


def same_shapes(batch_size: int = 64, seconds: float = 1.0) -> tuple[float, float]:
    """MACs/s (wall, CPU) of the step's own products: per layer forward, input and weight grad."""
    mms = []
    for n_in, n_out in LAYERS:
        x, w, grad = (
            torch.randn(batch_size, n_in),
            torch.randn(n_in, n_out),
            torch.randn(batch_size, n_out),
        )
        mms += [(x, w), (grad, w.t().contiguous()), (grad.t().contiguous(), x)]
    return _throughput(mms, seconds)


def big_gemm(size: int = 1024, seconds: float = 1.0) -> tuple[float, float]:
    """MACs/s (wall, CPU) of one large square product (near the machine's peak)."""
    a = torch.randn(size, size)
    return _throughput([(a, a)], seconds)


def with_threads(threads: int | None, fn, *args, **kwargs):
    """Call ``fn`` with torch using ``threads`` threads (None: unchanged), then restore."""
    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return fn(*args, **kwargs)
    finally:
        torch.set_num_threads(before)

"""Where the course's training step spends its time (torch.profiler, CPU)."""

from __future__ import annotations

import torch
from benchlib import SourceMLP
from floor import with_threads
from recipes import RECIPES, Setting, make_loaders
from torch import nn
from torch.profiler import ProfilerActivity, profile

from course_utils import train

GEMM_OPS = ("aten::mm", "aten::addmm")


def _category_times(events) -> dict[str, float]:
    """Seconds in data loading, the optimizer step, matrix products, ``.item()``, the rest."""
    total = sum(e.self_cpu_time_total for e in events)
    data = sum(e.cpu_time_total for e in events if e.key.startswith("enumerate(DataLoader)"))
    step = sum(e.cpu_time_total for e in events if e.key.startswith("Optimizer.step"))
    gemm = sum(e.self_cpu_time_total for e in events if e.key in GEMM_OPS)
    item = sum(e.cpu_time_total for e in events if e.key == "aten::item")
    parts = {"data loading": data, "optimizer step": step, "matrix products": gemm}
    parts["loss.item() per batch"] = item
    parts["everything else (autograd, other ops, Python)"] = total - sum(parts.values())
    return {name: us / 1e6 for name, us in parts.items()}


def profile_course(s: Setting, datasets: dict, n_batches: int, top: int = 12) -> dict:
    """Profile the course's ``train_epoch`` over ``n_batches`` batches after one warm-up pass."""
    small = Setting(n_batches * s.batch_size, s.batch_size, s.batch_size, s.seed)
    recipe = RECIPES["course"]
    train_loader, _val = make_loaders(recipe, small, datasets, torch.Generator())
    torch.manual_seed(s.seed)
    model = SourceMLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, fused=recipe.fused_adam)
    criterion = nn.CrossEntropyLoss()
    with_threads(recipe.threads, train.train_epoch, model, train_loader, criterion, optimizer)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        with_threads(recipe.threads, train.train_epoch, model, train_loader, criterion, optimizer)
    events = prof.key_averages()
    seconds = _category_times(events)
    total = sum(seconds.values())
    ranked = sorted(events, key=lambda e: e.self_cpu_time_total, reverse=True)[:top]
    return {
        "batches": n_batches,
        "seconds": seconds,
        "shares": {name: value / total for name, value in seconds.items()},
        "top_ops_self_seconds": {e.key: e.self_cpu_time_total / 1e6 for e in ranked},
    }

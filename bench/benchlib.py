"""What the benchmark scripts share: the source's model, timing, machine facts, tables, JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from course_utils.data import REPO_ROOT

REPORTS = REPO_ROOT / "reports" / "bench"
LAYERS = ((784, 256), (256, 256), (256, 10))  # the source's MLP 784-256-256-10


class SourceMLP(nn.Module):
    """The source notebook's model: 784-256-256-10 with ReLU (its ``mlp`` class)."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(-1, 28 * 28)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of one call of ``fn``.

    On a machine shared with other jobs the wall clock includes the time spent
    waiting for a core; the CPU time does not, so it is steadier.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def median(values: list[float]) -> float:
    """The median (robust to the one run a neighbour's job slowed down)."""
    return statistics.median(values)


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (how busy the machine is; 0 where unknown)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return [0.0, 0.0, 0.0]


def machine() -> dict:
    """Facts needed to read a timing: versions, cores, threads, load."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "load_average_start": load(),
    }


def parser(description: str, name: str) -> argparse.ArgumentParser:
    """An argument parser with the options every script has: ``--out`` and ``--threads``."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--out", type=Path, default=REPORTS / f"{name}.json", help="where to write the JSON"
    )
    p.add_argument(
        "--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)"
    )
    return p


def start(args: argparse.Namespace) -> dict:
    """Apply ``--threads`` and return the machine facts to store with the results."""
    if args.threads is not None:
        if args.threads < 1:
            raise SystemExit("--threads must be 1 or more")
        torch.set_num_threads(args.threads)
    return machine()


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (floats with 3 significant digits)."""

    def cell(value) -> str:
        return f"{value:.3g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write(payload: dict, path: Path) -> None:
    """Write the results as JSON (with the load average at the end) and say where."""
    payload["machine"]["load_average_end"] = load()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n")
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    print(f"\nwrote {shown}")

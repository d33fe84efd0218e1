"""Test accuracy after a fixed budget: the source's variants, mean ± std over seeds.

Trains each variant of ``course_utils.experiments`` (the models and recipe of
lessons 03-04: Adam lr 0.001, batch 64) on the source's 48,000-image training
split for ``--epochs`` epochs, once per seed, and scores it on the 10,000 test
images, next to the source's published single-run numbers. Prints a table and
writes ``reports/bench/accuracy.json``.

    .venv/bin/python bench/accuracy.py                 # 5 epochs, seeds 0 1 2
    .venv/bin/python bench/accuracy.py --epochs 1 --seeds 0 --train-subset 512 --test-subset 500
"""

from __future__ import annotations

import math
import sys
import time

import benchlib
import pandas as pd

from course_utils import data, experiments, tables

N_TRAIN, N_VAL = 48_000, 12_000  # the source's 80:20 split of the 60,000 training images


def options(argv: list[str] | None):
    p = benchlib.parser(__doc__.split("\n")[0], "accuracy")
    names = list(experiments.VARIANTS)
    p.add_argument("--variants", nargs="+", choices=names, default=names)
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--train-subset", type=int, default=None, help="default: all 48,000")
    p.add_argument("--test-subset", type=int, default=None, help="default: all 10,000")
    args = p.parse_args(argv)
    if args.epochs < 1:
        p.error("--epochs must be 1 or more")
    return args


def datasets(args):
    """The source's training split (seeded) and the test set, as in-memory tensors."""
    train_set, _val = data.split(data.mnist_tensors(train=True), [N_TRAIN, N_VAL], seed=0)
    train_set = data.subset(train_set, args.train_subset, seed=0)
    test_set = data.subset(data.mnist_tensors(train=False), args.test_subset, seed=0)
    return train_set, test_set


def summarize(table) -> list[dict]:
    """One dict per (variant, mode): mean and std in %, seeds, the source's number, the gap."""
    rows = []
    for (variant, mode), row in table.iterrows():
        std = 0.0 if math.isnan(row["std"]) else row["std"]
        source = None if math.isnan(row["source"]) else row["source"]
        rows.append(
            {
                "variant": variant,
                "mode": mode,
                "mean_pct": row["mean"],
                "std_pct": std,
                "seeds": int(row["count"]),
                "source_pct": source,
                "minus_source_pct": None if source is None else row["mean"] - source,
            }
        )
    return rows


def show(summary: list[dict], seconds: dict) -> None:
    """The accuracy table, then seconds per variant."""
    rows = [
        [
            r["variant"],
            r["mode"],
            f"{r['mean_pct']:.2f} ± {r['std_pct']:.2f}",
            r["seeds"],
            "-" if r["source_pct"] is None else f"{r['source_pct']:.2f}",
            "-" if r["minus_source_pct"] is None else f"{r['minus_source_pct']:+.2f}",
        ]
        for r in summary
    ]
    headers = ["variant", "evaluated in", "test accuracy % (mean ± std)", "seeds", "source %"]
    print(benchlib.table([*headers, "minus source"], rows))
    shown = ", ".join(f"{name} {s:.0f}" for name, s in seconds.items())
    print(f"seconds per variant (all seeds): {shown}")


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    machine = benchlib.start(args)
    train_set, test_set = datasets(args)
    frames, seconds = [], {}
    for name in args.variants:
        start = time.perf_counter()
        frames.append(experiments.results([name], args.seeds, train_set, test_set, args.epochs))
        seconds[name] = time.perf_counter() - start
    df = pd.concat(frames, ignore_index=True)
    summary = summarize(tables.summary(df))
    setting = {k: v for k, v in vars(args).items() if k != "out"}
    setting.update(n_train=len(train_set), n_test=len(test_set))
    result = {"benchmark": "accuracy", "machine": machine, "setting": setting}
    result.update(summary=summary, runs=df.to_dict(orient="records"), seconds=seconds)
    show(summary, seconds)
    benchlib.write(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One MNIST epoch, side by side in one run: the source recipe, the course, and proposed fixes.

Recipes run in turn (A B C ... A B C ...) for ``--repeats`` rounds, each on the
same seeded model, split and shuffle; the matmul throughput of this machine is
measured in every round too, for the compute floor. Prints a table and writes
``reports/bench/epoch_time.json``.

    .venv/bin/python bench/epoch_time.py                      # the full setting
    .venv/bin/python bench/epoch_time.py --n-train 640 --n-val 128 --repeats 1   # tiny
"""

from __future__ import annotations

import sys

import benchlib
import floor
import torch
from epoch_report import CLOCKS, TARGETS, show, summarize
from hotspots import profile_course
from recipes import RECIPES, Setting, load_datasets, prepare


def options(argv: list[str] | None):
    p = benchlib.parser(__doc__.split("\n")[0], "epoch_time")
    p.add_argument("--n-train", type=int, default=48_000, help="training images per epoch")
    p.add_argument("--n-val", type=int, default=12_000, help="validation images per epoch")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=3, help="rounds of A B C ...")
    p.add_argument("--recipes", nargs="+", choices=list(RECIPES), default=list(RECIPES))
    p.add_argument("--gemm-seconds", type=float, default=1.0, help="per throughput measurement")
    p.add_argument(
        "--profile",
        choices=["auto", "always", "never"],
        default="auto",
        help="profile the course loop (auto: when it is over 2x the floor)",
    )
    p.add_argument("--profile-batches", type=int, default=200)
    args = p.parse_args(argv)
    for needed in ("source", "course"):
        if needed not in args.recipes:
            p.error(f"--recipes must include {needed!r} (the ratio and the floor compare to it)")
    if min(args.n_train, args.n_val, args.batch_size, args.repeats) < 1:
        p.error("--n-train, --n-val, --batch-size and --repeats must be 1 or more")
    if args.n_train + args.n_val > 60_000:
        p.error("--n-train + --n-val must be at most 60000 (MNIST's training images)")
    return args


def measure(args, setting: Setting) -> tuple[dict, dict]:
    """Per clock (wall, cpu): seconds per recipe and MACs/s per measurement, over all rounds."""
    datasets = load_datasets({RECIPES[name].data for name in args.recipes})
    epochs = {name: prepare(RECIPES[name], setting, datasets) for name in args.recipes}
    threads = sorted({torch.get_num_threads(), 1}, reverse=True)
    keys = [f"same_shapes_{n}_threads" for n in threads] + ["big_gemm"]
    seconds = {clock: {name: [] for name in args.recipes} for clock in CLOCKS}
    gemm = {clock: {key: [] for key in keys} for clock in CLOCKS}
    floor.same_shapes(args.batch_size, seconds=0.2)  # warm up the math library
    for round_ in range(1, args.repeats + 1):
        for name, epoch in epochs.items():
            took = floor.with_threads(RECIPES[name].threads, benchlib.timed, epoch)
            for clock, value in zip(CLOCKS, took, strict=True):
                seconds[clock][name].append(value)
            print(f"round {round_}/{args.repeats} {name}: {took[0]:.2f} s", file=sys.stderr)
        for n in threads:
            rates = floor.with_threads(n, floor.same_shapes, args.batch_size, args.gemm_seconds)
            for clock, rate in zip(CLOCKS, rates, strict=True):
                gemm[clock][f"same_shapes_{n}_threads"].append(rate)
        for clock, rate in zip(CLOCKS, floor.big_gemm(seconds=args.gemm_seconds), strict=True):
            gemm[clock]["big_gemm"].append(rate)
    return seconds, gemm


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    machine = benchlib.start(args)
    setting = Setting(args.n_train, args.n_val, args.batch_size, args.seed)
    seconds, gemm = measure(args, setting)
    threads = {name: RECIPES[name].threads or torch.get_num_threads() for name in args.recipes}
    result = {"benchmark": "epoch_time", "machine": machine, "setting": vars(args).copy()}
    result["setting"]["out"] = str(args.out)
    result.update(summarize(args, seconds, gemm, threads))
    far = result["targets"]["x_floor"] > TARGETS["x_floor_max"]
    if args.profile == "always" or (args.profile == "auto" and far):
        datasets = load_datasets({"tensors"})
        result["profile"] = profile_course(setting, datasets, args.profile_batches)
    show(result)
    if "profile" in result:
        shares = result["profile"]["shares"]
        print("\nwhere the course's training step spends its time (torch.profiler):")
        print(benchlib.table(["part", "share"], [[k, f"{v:.0%}"] for k, v in shares.items()]))
    benchlib.write(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
from hotspots import profile_course
from recipes import RECIPES, Setting, load_datasets, prepare

TARGETS = {"speedup_min": 4.0, "speedup_aim": 6.0, "x_floor_max": 2.0}


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
    """Seconds per recipe and MACs/s per measurement, over all rounds."""
    datasets = load_datasets({RECIPES[name].data for name in args.recipes})
    epochs = {name: prepare(RECIPES[name], setting, datasets) for name in args.recipes}
    threads = sorted({torch.get_num_threads(), 1}, reverse=True)
    seconds = {name: [] for name in args.recipes}
    gemm = {f"same_shapes_{n}_threads": [] for n in threads} | {"big_gemm": []}
    floor.same_shapes(args.batch_size, seconds=0.2)  # warm up the math library
    for round_ in range(1, args.repeats + 1):
        for name, epoch in epochs.items():
            took = floor.with_threads(RECIPES[name].threads, benchlib.timed, epoch)
            seconds[name].append(took)
            print(f"round {round_}/{args.repeats} {name}: {took:.2f} s", file=sys.stderr)
        for n in threads:
            rate = floor.with_threads(n, floor.same_shapes, args.batch_size, args.gemm_seconds)
            gemm[f"same_shapes_{n}_threads"].append(rate)
        gemm["big_gemm"].append(floor.big_gemm(seconds=args.gemm_seconds))
    return seconds, gemm


def summarize(args, seconds: dict, gemm: dict) -> dict:
    """Medians, ratios, the floor, the data path's share and the targets."""
    macs = floor.epoch_macs(args.n_train, args.n_val)
    rates = {name: benchlib.median(values) for name, values in gemm.items()}
    best_same = max(v for k, v in rates.items() if k.startswith("same_shapes"))
    floor_s = macs / best_same
    med = {name: benchlib.median(values) for name, values in seconds.items()}
    recipes = {
        name: {
            "description": RECIPES[name].description,
            "seconds": seconds[name],
            "median_s": med[name],
            "speedup_vs_source": med["source"] / med[name],
            "x_floor": med[name] / floor_s,
        }
        for name in seconds
    }
    paths = [path for path in ("source", "course") if f"{path}_data" in med]
    shares = {path: med[f"{path}_data"] / med[path] for path in paths}
    speedup, x_floor = recipes["course"]["speedup_vs_source"], recipes["course"]["x_floor"]
    return {
        "recipes": recipes,
        "floor": {
            "macs_per_epoch": macs,
            "exact_macs_per_epoch": floor.exact_epoch_macs(args.n_train, args.n_val),
            "convention": floor.CONVENTION,
            "macs_per_s_medians": rates,
            "throughput_used": "the best same-shapes median (the step's batch-size GEMMs)",
            "macs_per_s_used": best_same,
            "floor_s": floor_s,
            "floor_big_gemm_s": macs / rates["big_gemm"],
        },
        "data_path_share_of_epoch": shares,
        "issue_2": {
            "standard_pipeline_epoch_s": med["source"],
            "fast_path_epoch_s": med["course"],
            "pil_decode_transform_share": shares.get("source"),
        },
        "targets": {
            **TARGETS,
            "speedup": speedup,
            "x_floor": x_floor,
            "speedup_met": speedup >= TARGETS["speedup_min"],
            "floor_met": x_floor <= TARGETS["x_floor_max"],
        },
    }


def show(result: dict) -> None:
    """Print the recipes table, the floor, the shares and the targets."""
    rows = [
        [name, r["median_s"], len(r["seconds"]), r["speedup_vs_source"], r["x_floor"]]
        for name, r in result["recipes"].items()
    ]
    print(benchlib.table(["recipe", "median s", "runs", "x faster than source", "x floor"], rows))
    f, t = result["floor"], result["targets"]
    print(
        f"\ncompute floor: {f['macs_per_epoch'] / 1e9:.1f} GMAC / "
        f"{f['macs_per_s_used'] / 1e9:.2f} GMAC/s = {f['floor_s']:.2f} s ({f['convention']})"
    )
    rates = ", ".join(f"{k} {v / 1e9:.2f}" for k, v in f["macs_per_s_medians"].items())
    print(f"matmul throughput (GMAC/s, medians): {rates}")
    for path, share in result["data_path_share_of_epoch"].items():
        print(f"{path}: data path alone = {share:.0%} of its epoch")
    print(
        f"course vs source: {t['speedup']:.2f}x faster (target >= {t['speedup_min']:g}x, "
        f"aim {t['speedup_aim']:g}x); course = {t['x_floor']:.2f}x the floor "
        f"(target <= {t['x_floor_max']:g}x)"
    )


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    machine = benchlib.start(args)
    setting = Setting(args.n_train, args.n_val, args.batch_size, args.seed)
    seconds, gemm = measure(args, setting)
    result = {"benchmark": "epoch_time", "machine": machine, "setting": vars(args).copy()}
    result["setting"]["out"] = str(args.out)
    result.update(summarize(args, seconds, gemm))
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

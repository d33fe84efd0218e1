"""The figures ``epoch_time.py`` reports: medians, ratios, the floor, the targets."""

from __future__ import annotations

import benchlib
import floor
from recipes import RECIPES

TARGETS = {"speedup_min": 4.0, "speedup_aim": 6.0, "x_floor_max": 2.0}
CLOCKS = ("wall", "cpu")  # wall-clock seconds; CPU seconds of this process (all its threads)


def per_clock(seconds: dict, gemm: dict, macs: int, threads: dict[str, int]) -> dict:
    """For one clock: medians, ratios to the source and to the floors, data path shares.

    ``x_floor`` compares a recipe with the floor of the threads it runs on
    (``threads[name]``); ``x_best_floor`` with the best throughput measured.
    """
    rates = {key: benchlib.median(values) for key, values in gemm.items()}
    best = max(rate for key, rate in rates.items() if key.startswith("same_shapes"))
    med = {name: benchlib.median(values) for name, values in seconds.items()}
    own_floor = {name: macs / rates[f"same_shapes_{n}_threads"] for name, n in threads.items()}
    paths = [path for path in ("source", "course") if f"{path}_data" in med]
    return {
        "recipes": {
            name: {
                "seconds": seconds[name],
                "median_s": med[name],
                "speedup_vs_source": med["source"] / med[name],
                "threads": threads[name],
                "floor_s": own_floor[name],
                "x_floor": med[name] / own_floor[name],
                "x_best_floor": med[name] / (macs / best),
            }
            for name in seconds
        },
        "macs_per_s_medians": rates,
        "macs_per_s_used": best,
        "floor_s": macs / best,
        "floor_big_gemm_s": macs / rates["big_gemm"],
        "data_path_share_of_epoch": {path: med[f"{path}_data"] / med[path] for path in paths},
    }


def summarize(args, seconds: dict, gemm: dict, threads: dict[str, int]) -> dict:
    """Both clocks, the floor's definition, issue 2's figures and the targets (wall clock)."""
    macs = floor.epoch_macs(args.n_train, args.n_val)
    found = {clock: per_clock(seconds[clock], gemm[clock], macs, threads) for clock in CLOCKS}
    course, wall = found["wall"]["recipes"]["course"], found["wall"]
    return {
        "recipes": {name: RECIPES[name].description for name in args.recipes},
        "floor": {
            "macs_per_epoch": macs,
            "exact_macs_per_epoch": floor.exact_epoch_macs(args.n_train, args.n_val),
            "convention": floor.CONVENTION,
            "throughput_used": "the same-shapes median (the step's batch-size GEMMs) at the "
            "recipe's own thread count; x_best_floor uses the best of them",
        },
        **found,
        "issue_2": {
            "standard_pipeline_epoch_s": wall["recipes"]["source"]["median_s"],
            "fast_path_epoch_s": course["median_s"],
            "pil_decode_transform_share": wall["data_path_share_of_epoch"].get("source"),
        },
        "targets": {
            **TARGETS,
            "speedup": course["speedup_vs_source"],
            "x_floor": course["x_floor"],
            "x_best_floor": course["x_best_floor"],
            "speedup_met": course["speedup_vs_source"] >= TARGETS["speedup_min"],
            "floor_met": course["x_floor"] <= TARGETS["x_floor_max"],
            "cpu_speedup": found["cpu"]["recipes"]["course"]["speedup_vs_source"],
            "cpu_x_floor": found["cpu"]["recipes"]["course"]["x_floor"],
        },
    }


def show(result: dict) -> None:
    """Print the recipes table, the floor, the shares and the targets."""
    wall, cpu, t = result["wall"]["recipes"], result["cpu"]["recipes"], result["targets"]
    rows = [
        [name, w["median_s"], cpu[name]["median_s"], len(w["seconds"]), w["speedup_vs_source"]]
        + [w["threads"], w["x_floor"], cpu[name]["speedup_vs_source"], cpu[name]["x_floor"]]
        for name, w in wall.items()
    ]
    headers = ["recipe", "wall s", "CPU s", "runs", "x faster than source", "threads", "x floor"]
    print(benchlib.table([*headers, "x faster (CPU)", "x floor (CPU)"], rows))
    print(f"\ncompute floor: {result['floor']['convention']}")
    for clock in CLOCKS:
        c = result[clock]
        rates = ", ".join(f"{k} {v / 1e9:.2f}" for k, v in c["macs_per_s_medians"].items())
        print(
            f"{clock}: {result['floor']['macs_per_epoch'] / 1e9:.1f} GMAC / "
            f"{c['macs_per_s_used'] / 1e9:.2f} GMAC/s = {c['floor_s']:.2f} s "
            f"(GMAC/s medians: {rates})"
        )
    for path, share in result["wall"]["data_path_share_of_epoch"].items():
        print(f"{path}: data path alone = {share:.0%} of its epoch (wall)")
    print(
        f"course vs source: {t['speedup']:.2f}x faster (target >= {t['speedup_min']:g}x, "
        f"aim {t['speedup_aim']:g}x); course = {t['x_floor']:.2f}x the floor of the threads "
        f"it uses (target <= {t['x_floor_max']:g}x; {t['x_best_floor']:.2f}x the best "
        f"floor); CPU time: {t['cpu_speedup']:.2f}x, "
        f"{t['cpu_x_floor']:.2f}x"
    )

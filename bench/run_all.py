"""Run the benchmarks in turn (one process, one torch import) and print their tables.

    .venv/bin/python bench/run_all.py            # the full settings (long: see bench/README.md)
    .venv/bin/python bench/run_all.py --smoke    # tiny settings, to check the scripts still work

JSON goes to ``reports/bench/`` (or ``--out-dir``). Extra options after ``--`` go to
every script, e.g. ``-- --threads 1``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import accuracy
import benchlib
import course_time
import epoch_time
import grade_time

SCRIPTS = {
    "epoch_time": epoch_time,
    "accuracy": accuracy,
    "course_time": course_time,
    "grade_time": grade_time,
}
SMOKE = {
    "epoch_time": "--n-train 256 --n-val 64 --repeats 1 --gemm-seconds 0.05 "
    "--profile always --profile-batches 2",
    "accuracy": "--epochs 1 --seeds 0 --train-subset 256 --test-subset 200 "
    "--variants baseline bn_shared",
    "course_time": "--lessons 00 --profiles quick --lang es",
    "grade_time": "--lesson 00_welcome --notebooks 2",
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny settings (about a minute)")
    p.add_argument("--only", nargs="+", choices=list(SCRIPTS), default=list(SCRIPTS))
    p.add_argument("--out-dir", type=Path, default=benchlib.REPORTS)
    p.add_argument("extra", nargs="*", help="options passed on to every script (after --)")
    args = p.parse_args(argv)
    status = 0
    for name in args.only:
        options = (SMOKE[name].split() if args.smoke else []) + args.extra
        print(f"\n## {name}\n", flush=True)
        code = SCRIPTS[name].main([*options, "--out", str(args.out_dir / f"{name}.json")])
        status = max(status, code)
    return status


if __name__ == "__main__":
    sys.exit(main())

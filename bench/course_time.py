"""Seconds to run every lesson, in both languages, quick and full profile (``course_tools.run``).

Each stored solutions notebook runs headless in a fresh kernel, as ``course run``
does (kernel start included). Prints a table and writes
``reports/bench/course_time.json``.

    .venv/bin/python bench/course_time.py                            # everything
    .venv/bin/python bench/course_time.py --lessons 00 --profiles quick --lang es   # tiny
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time

import benchlib
import psutil

from course_tools import build, run
from course_utils.i18n import LANGUAGES

TARGETS = {"lesson_full_max_s": 60.0, "course_full_max_s": 480.0}


def options(argv: list[str] | None):
    p = benchlib.parser(__doc__.split("\n")[0], "course_time")
    p.add_argument("--lessons", nargs="*", default=[], help="numbers or names (default: all)")
    p.add_argument("--profiles", nargs="+", choices=run.PROFILES, default=list(run.PROFILES))
    p.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    p.add_argument("--timeout", type=float, default=900, help="seconds per notebook at most")
    args = p.parse_args(argv)
    try:
        args.sources = [build.find_source(n) for n in args.lessons] or build.sources()
    except ValueError as error:
        p.error(str(error))
    return args


def watchdog(seconds: float) -> threading.Timer:
    """After ``seconds``, kill the kernels this process started (a limit per whole notebook)."""

    def kill() -> None:
        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):  # it may have exited meanwhile
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    child.kill()

    timer = threading.Timer(seconds, kill)
    timer.daemon = True
    timer.start()
    return timer


def run_one(source, lang: str, profile: str, timeout: float) -> dict:
    """Execute one solutions notebook; its seconds and whether it met its claims and checks."""
    path = build.target(source, "solutions", lang)
    row = {"lesson": source.stem, "lang": lang, "profile": profile}
    if not path.is_file():
        return {**row, "seconds": None, "ok": False, "failures": ["not built: run course build"]}
    timer, start = watchdog(timeout), time.perf_counter()
    try:
        outcome = run.run_notebook(path, profile)
    finally:
        timer.cancel()
    failures = outcome.failures
    if time.perf_counter() - start >= timeout:
        failures = [f"stopped after {timeout:g} s (--timeout)", *failures]
    seconds = outcome.seconds or None  # 0.0: the notebook did not run to the end
    shown = f"{seconds:.1f} s" if seconds else "did not finish"
    print(f"{profile} {source.stem} {lang}: {shown}", file=sys.stderr)
    return {**row, "seconds": seconds, "ok": outcome.ok, "failures": failures}


def totals(runs: list[dict], args) -> dict:
    """Seconds per profile: all notebooks, and per language."""
    found = {}
    for profile in args.profiles:
        mine = [r for r in runs if r["profile"] == profile and r["seconds"] is not None]
        found[profile] = {"all": sum(r["seconds"] for r in mine)}
        for lang in args.lang:
            found[profile][lang] = sum(r["seconds"] for r in mine if r["lang"] == lang)
    return found


def targets(runs: list[dict], total: dict, args) -> dict:
    """The full profile's targets; None where this run cannot tell (full not run, a subset)."""
    full = [r for r in runs if r["profile"] == "full"]
    whole = not args.lessons and set(args.lang) == set(LANGUAGES)
    complete = bool(full) and all(r["seconds"] is not None for r in full)
    slowest = max((r["seconds"] for r in full if r["seconds"] is not None), default=None)
    return {
        **TARGETS,
        "slowest_full_s": slowest,
        "lesson_full_met": slowest <= TARGETS["lesson_full_max_s"] if complete else None,
        "course_full_s": total["full"]["all"] if full else None,
        "course_full_met": (
            total["full"]["all"] <= TARGETS["course_full_max_s"] if complete and whole else None
        ),
    }


def targets_line(t: dict) -> str:
    """The two targets, each with this run's figure and whether it is met (or untold)."""
    told = {True: "met", False: "NOT met", None: "not told by this run"}
    slowest = "-" if t["slowest_full_s"] is None else f"{t['slowest_full_s']:.1f} s"
    course = "-" if t["course_full_s"] is None else f"{t['course_full_s']:.1f} s"
    return (
        f"targets: each lesson's full profile <= {t['lesson_full_max_s']:.0f} s: slowest "
        f"{slowest} ({told[t['lesson_full_met']]}); the whole course, both languages, full "
        f"profile <= {t['course_full_max_s']:.0f} s: {course} ({told[t['course_full_met']]})"
    )


def show(runs: list[dict], result: dict, args) -> None:
    """One row per lesson and language with a column per profile, then the totals."""
    rows = []
    for source in args.sources:
        for lang in args.lang:
            mine = [r for r in runs if r["lesson"] == source.stem and r["lang"] == lang]
            cells = {r["profile"]: "-" if r["seconds"] is None else r["seconds"] for r in mine}
            status = "ok" if all(r["ok"] for r in mine) else "FAILED"
            rows.append([source.stem, lang, *(cells[p] for p in args.profiles), status])
    print(benchlib.table(["lesson", "lang", *(f"{p} s" for p in args.profiles), "result"], rows))
    for profile, seconds in result["totals"].items():
        shown = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
        print(f"total {profile}: {shown}")
    print(targets_line(result["targets"]))
    for r in runs:
        if not r["ok"]:
            print(f"FAILED {r['profile']} {r['lesson']} {r['lang']}: {'; '.join(r['failures'])}")


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    machine = benchlib.start(args)
    if args.threads is not None:  # the notebooks' kernels are child processes: tell them
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    runs = [
        run_one(source, lang, profile, args.timeout)
        for profile in args.profiles
        for source in args.sources
        for lang in args.lang
    ]
    total = totals(runs, args)
    setting = {"lessons": [s.stem for s in args.sources], "profiles": args.profiles}
    result = {"benchmark": "course_time", "machine": machine, "setting": setting, "runs": runs}
    result.update(totals=total, targets=targets(runs, total, args))
    setting.update(lang=args.lang, threads=args.threads)
    show(runs, result, args)
    benchlib.write(result, args.out)
    return 0 if all(r["ok"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())

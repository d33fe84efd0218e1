"""Execute lessons headless and report seconds, metrics and claims per lesson and language."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_tools import build, measures
from course_utils import checks

PROFILES = ("quick", "full")


@dataclass
class Outcome:
    """What one executed notebook produced."""

    lesson: str
    lang: str
    seconds: float
    metrics: dict[str, float | str] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    headline: list[str] = field(default_factory=list)  # the metrics a summary shows

    @property
    def ok(self) -> bool:
        return not self.failures


def profile_parameters(nb: nbformat.NotebookNode, profile: str) -> dict:
    """The papermill parameters of a profile: the quick overrides, or none for full."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {PROFILES}")
    return dict(nb.metadata["course"]["quick"]) if profile == "quick" else {}


def check_results(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Exercise id -> status, read from the check cells' outputs."""
    return {
        out["data"][checks.MIME]["exercise"]: out["data"][checks.MIME]["status"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if checks.MIME in out.get("data", {})
    }


def numbers(metrics: dict) -> dict[str, float]:
    """The values that were measured (one that could not be is a string saying why)."""
    return {name: value for name, value in metrics.items() if isinstance(value, float)}


def unmet_claims(nb: nbformat.NotebookNode, metrics: dict, profile: str) -> list[str]:
    """The lesson's stated claims for ``profile`` that the measured values do not meet
    (a value that could not be measured carries why, and its claims are unmet)."""
    unmet = []
    for claim in nb.metadata["course"]["expect"][profile]:
        try:
            holds = eval(claim, {"__builtins__": {}}, numbers(metrics))
        except NameError as error:
            why = metrics.get(error.name, "not measured: add it under course: measure:")
            holds, claim = False, f"{claim} ({error.name}: {why})"
        if not holds:
            unmet.append(claim)
    return unmet


def execute(path: Path, profile: str = "quick", **overrides) -> tuple[nbformat.NotebookNode, float]:
    """Run a stored notebook in a fresh kernel with a profile; return it and its seconds."""
    nb = nbformat.read(path, as_version=4)
    parameters = {"LANG": nb.metadata["course"]["lang"], **profile_parameters(nb, profile)}
    start = time.perf_counter()
    executed = build.execute(nb, path.parent, **parameters, **overrides)
    return executed, time.perf_counter() - start


def headline(claims: list[str], metrics: dict[str, float], most: int = 3) -> list[str]:
    """The metrics a summary shows: those the claims name, accuracies first."""
    named = [m for m in numbers(metrics) if any(re.search(rf"\b{m}\b", c) for c in claims)]
    return sorted(named, key=lambda m: "accuracy" not in m)[:most]


def run_notebook(path: Path, profile: str = "quick") -> Outcome:
    """Execute a solutions notebook and judge it: no error, claims met, every check passed."""
    meta = nbformat.read(path, as_version=4).metadata["course"]
    outcome = Outcome(meta["lesson"], meta["lang"], 0.0)
    try:
        nb, outcome.seconds = execute(path, profile)
    except Exception as error:  # papermill raises PapermillExecutionError with the cell
        outcome.failures.append(f"{type(error).__name__}: {str(error).strip()[-400:]}")
        return outcome
    outcome.metrics, outcome.checks = measures.values(nb), check_results(nb)
    outcome.headline = headline(nb.metadata["course"]["expect"][profile], outcome.metrics)
    outcome.failures += unmet_claims(nb, outcome.metrics, profile)
    outcome.failures += [f"check {k}: {v}" for k, v in outcome.checks.items() if v != checks.PASSED]
    return outcome


def markdown(outcomes: list[Outcome], profile: str) -> str:
    """A Markdown report: one row per lesson and language, then the total."""
    lines = [
        f"# Course run ({profile} profile)",
        "",
        "| lesson | lang | seconds | metrics | result |",
        "|---|---|---:|---|---|",
    ]
    for o in outcomes:
        shown = ", ".join(f"{k} = {v:.4g}" for k, v in numbers(o.metrics).items())
        result = "ok" if o.ok else "FAILED: " + "; ".join(o.failures)
        lines.append(f"| {o.lesson} | {o.lang} | {o.seconds:.1f} | {shown} | {result} |")
    lines += ["", f"Total: {sum(o.seconds for o in outcomes):.1f} s"]
    return "\n".join(lines) + "\n"


def summary(outcomes: list[Outcome]) -> str:
    """What ``course run`` prints: a line per lesson and language, its headline metrics."""
    lines = [f"{'lesson':<20} {'lang':<4} {'seconds':>7}  {'claims':<6}  headline"]
    for o in outcomes:
        shown = ", ".join(f"{k} {o.metrics[k]:.4g}" for k in o.headline)
        verdict = "ok" if o.ok else f"FAILED ({len(o.failures)})"
        lines.append(f"{o.lesson:<20} {o.lang:<4} {o.seconds:>7.1f}  {verdict:<6}  {shown}")
    lines.append(f"{'total':<25} {sum(o.seconds for o in outcomes):>7.1f}")
    return "\n".join(lines)

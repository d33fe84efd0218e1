"""Grade a submission's exercises: the probes run beside its code, the judges apart.

The job sent to :mod:`course_tools.grading.probe` holds the student's code
cells, the lesson's parameters and, per check, the probe to run, the names it
hands in and a seed drawn for this run. That process sends back one record of
plain data per check. The judges run here, in the grader's process, which
never imports, runs or unpickles anything of the submission: each record is
read strictly (:func:`course_utils.probes.record.decode`) and judged against
a reference computed here from the same seed; a record that no probe could
have written makes the submission ``tampered``.

Threat model. A grade needs behaviour: the right result on a problem drawn
for this run, which the student's code must compute itself. Whatever that
code does in its own process (patching the probes, torch or builtins, lying
objects, reading frames, printing or writing fake records) can only change
the record, and a record passes only if it holds what a correct answer does
on a problem the code did not know before it ran. The course's own answers are
out of its reach: the judges, the references and the course modules that
implement an exercise cannot be imported or read there (an import hook and an
audit hook; in the sandbox the files are not even there). With ``sandbox``:
no network, an unprivileged user, the repo read-only with only what the
grading needs visible, a size-limited private ``/tmp``, limits on memory, CPU,
files and processes, every process killed at the end. Not defended: a
diagnosis the probe records beyond the result (the mode a model was in, say)
can be forged by code that patches the probe; without the sandbox a
submission runs with the grader's rights (its kernel can read and write what
the grader can and start processes that leave their process group).
"""

from __future__ import annotations

import ast
import json
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager

from course_tools import REPO_ROOT
from course_tools.grading import sandbox
from course_tools.grading.key import CHECK, INJECTED, PARAMETERS, Key
from course_utils import checks, i18n
from course_utils.probes import record

SCRIPT = Path(__file__).with_name("probe.py")
ALWAYS_FORBIDDEN = ("course_utils.checks",)  # the judges and their references
_JUDGING = threading.Lock()  # messages follow one language per process


@dataclass
class Verdict:
    """Each check's result, or why there is none."""

    results: dict[int, checks.Result] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)  # a probe that could not run
    missing: dict[int, str] = field(default_factory=dict)  # a name the submission lacks
    tampered: str = ""
    end: str = ""  # "": it finished; "timeout"; "died" (it ended without saying it was done)
    seconds: float = 0.0
    cut: bool = False  # the process wrote more than the grader reads


def student_cells(nb) -> list[str]:
    """The submission's code cells as Python (IPython syntax turned into calls)."""
    skip = {CHECK, PARAMETERS, INJECTED}
    cells = [c for c in nb.cells if c.cell_type == "code"]
    cells = [c for c in cells if not skip & set(c.metadata.get("tags", []))]
    transform = TransformerManager().transform_cell
    found = []
    for cell in cells:
        try:
            found.append(transform(cell.source))
        except Exception:  # IPython cannot read it: neither can the kernel
            continue
    return found


def forbidden(key: Key) -> list[str]:
    """The course modules the probe process may not import: judges, and what implements
    an exercise of the lesson."""
    exercises = [check.resolve() for check in key.checks]
    return sorted({*ALWAYS_FORBIDDEN, *(m for e in exercises for m in e.forbidden)})


def _imports_any(statement: str, modules: tuple[str, ...]) -> bool:
    """Whether ``from X import Y`` imports one of ``modules`` or something inside one."""
    node = ast.parse(statement).body[0]
    names = [node.module, f"{node.module}.{node.names[0].name}"]
    return any(n == m or n.startswith(m + ".") for n in names for m in modules)


def job(nb, key: Key, profile: str, seeds: list[int]) -> dict:
    """What the probe process needs: the student's cells, and which probes to run."""
    runs = []
    for check, seed in zip(key.checks, seeds, strict=True):
        probe = check.resolve().probe
        target = f"{probe.__module__}:{probe.__qualname__}"
        runs.append({"probe": target, "students": list(check.students), "seed": seed})
    banned = forbidden(key)
    imports = [line for line in key.imports.values() if not _imports_any(line, tuple(banned))]
    return {
        "lang": key.lang,
        "imports": imports,
        "parameters": key.parameters(profile),
        "cells": student_cells(nb),
        "forbidden": banned,
        "probes": runs,
    }


def read(stdout: bytes, verdict: Verdict) -> tuple[dict[int, str], bool]:
    """The records the probe process sent (first per check), and whether it said done."""
    records, done = {}, False
    for line in stdout.decode(errors="replace").splitlines():
        try:
            said = json.loads(line)
        except ValueError:
            continue
        if not isinstance(said, dict):
            continue
        index = said.get("index")
        if "tampered" in said:
            verdict.tampered = verdict.tampered or str(said["tampered"])[:200]
        elif said.get("done") is True:
            done = True
        elif type(index) is not int or index in records or index in verdict.errors:
            continue
        elif isinstance(said.get("record"), str):
            records[index] = said["record"]
        elif "missing" in said:
            verdict.missing[index] = str(said["missing"])[:60]
        elif "error" in said:
            verdict.errors[index] = str(said["error"])[:300]
    return records, done


def judge(key: Key, seeds: list[int], records: dict[int, str], verdict: Verdict) -> None:
    """Judge each record here, from the seed alone; one no probe could write is tampering."""
    for index, text in sorted(records.items()):
        if not 0 <= index < len(key.checks):
            continue
        exercise = key.checks[index].resolve()
        with _JUDGING:
            i18n.set_language(key.lang)
            try:
                verdict.results[index] = exercise.verdict(seeds[index], record.decode(text))
            except record.Malformed as error:
                verdict.tampered = verdict.tampered or f"{exercise.name}: {error}"[:200]


def grade(nb, key: Key, profile: str, limit: float, jail: bool) -> Verdict:
    """Run the key's probes on ``nb``'s definitions in a fresh (and sandboxed) process, with
    seeds drawn now, and judge what they recorded here."""
    seeds = [secrets.randbelow(2**31) for _ in key.checks]
    argv = [sandbox.sys.executable, "-I", str(SCRIPT), str(REPO_ROOT)]
    work = job(nb, key, profile, seeds)
    stdin = json.dumps(work).encode()
    with tempfile.TemporaryDirectory(prefix="course-probe-") as scratch:
        done = sandbox.run(argv, stdin, limit, jail, Path(scratch), hide=work["forbidden"])
    verdict = Verdict(seconds=done.seconds, cut=done.cut)
    records, finished = read(done.stdout, verdict)
    if not verdict.tampered:
        judge(key, seeds, records, verdict)
    if not finished and not verdict.tampered:
        verdict.end = "timeout" if done.returncode is None else "died"
    return verdict

"""Grade a submission's definitions in a separate, fresh process the submission never ran in.

The job sent to :mod:`course_tools.grading.trusted` holds the key's check
cells, their course imports and the lesson's parameters (all from the repo),
and the student's code cells; the grading process keeps only their
definitions. Only lines that carry this run's one-time token count.

Threat model. Defended: anything a notebook's top-level code does (patching
modules, IPython's transformers or formatters, import hooks, fake packages in
its folder: none of it runs where the checks run); printed or displayed fake
results; forged result lines (no token); patching a module or class the
checks use from inside a function (voided by the snapshot); reading frames,
``gc``, tracing, ctypes, starting processes, sockets, reading ``solutions/``,
``lessons/`` or ``.git`` and writing the repo from inside a function (the
audit hook ends the process: ``tampered``); a function returning an object
of its own class whose ``==`` lies. With ``sandbox``: no network, the repo
read-only with only ``course_utils/`` and ``course_tools/`` visible, a
private ``/tmp``, every process killed at the end, memory and CPU limits.
Not defended: the student's functions run inside the grading process, so a
patch that undoes itself before the check ends, a class (not a function)
whose methods return lying objects, or a hole in CPython's audit events can
still fool a check; a check is only as strict as its own comparisons. Without
the sandbox a submission runs with the grader's rights: its kernel can read
and write what the grader can (including the repo, for later submissions)
and start processes that leave their process group.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager

from course_tools import REPO_ROOT
from course_tools.grading import sandbox
from course_tools.grading.key import CHECK, INJECTED, PARAMETERS, Key

SCRIPT = Path(__file__).with_name("trusted.py")


@dataclass
class Verdict:
    """What the grading process said: each check's (status, message, diagnoses) or error, or
    why not."""

    results: dict[int, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    tampered: str = ""
    end: str = ""  # "": it finished; "timeout"; "died" (it ended without saying it was done)
    seconds: float = 0.0


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


def job(nb, key: Key, profile: str, token: str) -> dict:
    """What the grading process needs, all from the repo but the student's cells."""
    return {
        "token": token,
        "lang": key.lang,
        "imports": key.imports,
        "checks": [check.source for check in key.checks],
        "parameters": key.parameters(profile),
        "cells": student_cells(nb),
    }


def read(stdout: bytes, token: str, verdict: Verdict) -> bool:
    """Fill ``verdict`` from the lines that carry ``token``; True when the process said done."""
    done = False
    for line in stdout.decode(errors="replace").splitlines():
        try:
            said = json.loads(line)
        except ValueError:
            continue
        if not isinstance(said, dict) or said.get("token") != token:
            continue
        if "tampered" in said:
            verdict.tampered = verdict.tampered or str(said["tampered"])[:200]
        elif said.get("done") is True:
            done = True
        elif isinstance(said.get("index"), int) and "error" in said:
            verdict.errors.setdefault(said["index"], str(said["error"]))
        elif isinstance(said.get("index"), int):
            found = tuple(str(d)[:60] for d in said.get("diagnoses", []))[:20]
            outcome = (str(said["status"]), str(said["message"]), found)
            verdict.results.setdefault(said["index"], outcome)
    return done


def grade(nb, key: Key, profile: str, limit: float, jail: bool) -> Verdict:
    """Run the key's checks on ``nb``'s definitions in a fresh (and sandboxed) process."""
    token = secrets.token_hex(16)
    argv = [sandbox.sys.executable, "-I", str(SCRIPT), str(REPO_ROOT)]
    stdin = json.dumps(job(nb, key, profile, token)).encode()
    with tempfile.TemporaryDirectory(prefix="course-check-") as scratch:
        done = sandbox.run(argv, stdin, limit, jail, Path(scratch))
    verdict = Verdict(seconds=done.seconds)
    finished = read(done.stdout, token, verdict)
    if not finished and not verdict.tampered:
        verdict.end = "timeout" if done.returncode is None else "died"
    return verdict

"""Run one grading process: in its own process group, with limits, in bubblewrap if asked.

With ``sandbox=True`` the process runs under bubblewrap (Debian package
``bubblewrap``): no network, its own process, IPC and host-name namespaces
(every process it starts dies with it), a private ``/tmp`` and a read-only
view of only the system, the Python installation, the data folder and the
repo's ``course_utils/`` and ``course_tools/``: no ``solutions/``, no
``lessons/``, no ``.git``, no home folder. Either way ``prlimit`` caps its
memory, CPU time, file size and open files, and its process group is killed
when it ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course_tools import REPO_ROOT

VISIBLE = ("course_utils", "course_tools")  # the only parts of the repo a sandbox sees
SYSTEM = ("/usr", "/etc", "/opt")
MEMORY = 6 * 2**30  # bytes of address space per process (PyTorch maps a lot it never uses)


@dataclass
class Finished:
    """How a process ended: its exit status (None: killed at the time limit) and its output."""

    returncode: int | None
    stdout: bytes
    stderr: bytes
    seconds: float


def available() -> bool:
    """Whether bubblewrap is installed and can make namespaces here."""
    bwrap = shutil.which("bwrap")
    probe = [bwrap or "bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"]
    return bwrap is not None and subprocess.run(probe, capture_output=True).returncode == 0


def _binds(data: Path | None) -> list[str]:
    places = [*SYSTEM, sys.prefix, sys.base_prefix, *(str(REPO_ROOT / v) for v in VISIBLE)]
    places += [str(data)] if data else []
    args = []
    for place in dict.fromkeys(os.path.realpath(p) for p in places):
        args += ["--ro-bind", place, place] if os.path.exists(place) else []
    for link in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        args += ["--symlink", target, f"/{link}"] if target else []
    return args


def command(argv: list[str], sandbox: bool, limit: float, data: Path | None = None) -> list[str]:
    """``argv`` inside bubblewrap (when ``sandbox``) and under ``prlimit``."""
    limits = [f"--as={MEMORY}", f"--cpu={int(limit * 2) + 60}", f"--fsize={2**30}", "--nofile=1024"]
    wrapped = ["prlimit", *limits, "--", *argv] if shutil.which("prlimit") else argv
    if not sandbox:
        return wrapped
    # The private /tmp first: bubblewrap mounts in order, and the repo or the Python may
    # themselves live under /tmp (a CI checkout), to be bound on top of it.
    jail = ["bwrap", "--die-with-parent", "--new-session", "--unshare-all", "--tmpfs", "/tmp"]
    jail += [*_binds(data), "--dev", "/dev", "--proc", "/proc", "--chdir", "/tmp"]
    jail += ["--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin:/bin"]
    jail += ["--setenv", "MPLBACKEND", "Agg", "--setenv", "OMP_NUM_THREADS", "1"]
    jail += ["--setenv", "PYTHONPATH", str(REPO_ROOT)]  # the kernel's; the checks' run with -I
    jail += ["--setenv", "COURSE_DATA_DIR", str(data)] if data else []
    return [*jail, *wrapped]


def run(argv: list[str], stdin: bytes, limit: float, sandbox: bool, cwd: Path) -> Finished:
    """Run ``argv`` to its end or to ``limit`` seconds; its whole process group dies after."""
    from course_utils import data

    root = data.data_root()
    start = time.monotonic()
    process = subprocess.Popen(
        command(argv, sandbox, limit, root if root.is_dir() else None),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(stdin, timeout=limit)
        code = process.returncode
    except subprocess.TimeoutExpired:
        _kill(process.pid)
        try:
            out, err = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:  # a process out of the group holds the pipes
            out, err = b"", b""
        code = None
    _kill(process.pid)
    return Finished(code, out, err, time.monotonic() - start)


def _kill(group: int) -> None:
    """Kill what is left of a process group (a submission's background processes)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)

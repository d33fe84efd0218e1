"""Run one grading process: in its own process group, with limits, in bubblewrap if asked.

With ``sandbox=True`` the process runs under bubblewrap (Debian package
``bubblewrap``): no network, its own process, IPC and host-name namespaces
(every process it starts dies with it), a private ``/tmp`` of at most
:data:`TMP` bytes, and a read-only view of only the system (of ``/etc``, only
what Python needs), the Python installation, the data folder and the repo's
``course_utils/`` (less the modules ``hide`` names) and ``course_tools/``: no
``solutions/``, no ``lessons/``, no ``.git``, no home folder. Started as root,
it runs as the unprivileged user ``nobody``. Either way ``prlimit`` caps its
memory, CPU time, file size, open files and (when it can count them) processes,
its process group is killed when it ends, and the grader keeps at most
:data:`KEPT` bytes of what it writes (the rest is read and dropped).

Longer than 200 lines because everything that confines a grading process is
audited in one place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from course_tools import REPO_ROOT

VISIBLE = ("course_utils", "course_tools")  # the only parts of the repo a sandbox sees
SYSTEM = ("/usr", "/opt")
ETC = (  # what Python, PyTorch and a Jupyter kernel read of /etc (no secrets)
    *("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "hosts"),
    *("nsswitch.conf", "passwd", "group", "mime.types"),
)
MEMORY = 6 * 2**30  # bytes of address space per process (PyTorch maps a lot it never uses)
TMP = 512 * 2**20  # bytes of the sandbox's RAM-backed /tmp
PROCESSES = 512  # processes and threads a grading may start
KEPT = {"stdout": 40 * 2**20, "stderr": 2**20}  # bytes the grader keeps of each stream
NOBODY = 65534


@dataclass
class Finished:
    """How a process ended: its exit status (None: killed at the time limit) and its output."""

    returncode: int | None
    stdout: bytes
    stderr: bytes
    seconds: float
    cut: bool = False  # it wrote more than :data:`KEPT`


def available() -> bool:
    """Whether bubblewrap is installed and can make namespaces here."""
    bwrap = shutil.which("bwrap")
    probe = [bwrap or "bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"]
    return bwrap is not None and subprocess.run(probe, capture_output=True).returncode == 0


def _visible_copy(scratch: Path, hide: list[str]) -> Path:
    """A copy of ``course_utils/`` without the modules ``hide`` names, for the sandbox."""
    hidden = {REPO_ROOT.joinpath(*name.split(".")) for name in hide}

    def skip(folder: str, names: list[str]) -> list[str]:
        path = Path(folder)
        return [n for n in names if n == "__pycache__" or (path / n).with_suffix("") in hidden]

    copy = scratch / "visible" / "course_utils"
    shutil.copytree(REPO_ROOT / "course_utils", copy, ignore=skip)
    for folder in (scratch, scratch / "visible"):
        folder.chmod(0o755)  # for the unprivileged user the sandbox may run as
    return copy


def _binds(data: Path | None, course: Path | None) -> list[str]:
    """Read-only binds of what a grading process may see, each folder above them made
    readable by anyone (bubblewrap makes them private otherwise)."""
    places = [*SYSTEM, sys.prefix, sys.base_prefix, *(str(REPO_ROOT / v) for v in VISIBLE)]
    places += [os.path.join("/etc", name) for name in ETC]
    places += [str(data)] if data else []
    mounts = {os.path.realpath(p): os.path.realpath(p) for p in places if os.path.exists(p)}
    if course:
        mounts[os.path.realpath(REPO_ROOT / "course_utils")] = str(course)
    args, made = [], set()
    for target in sorted(mounts):
        for parent in map(str, reversed(Path(target).parents)):
            inside = any(parent == m or parent.startswith(m + "/") for m in mounts)
            if parent != "/" and parent not in made and not inside:
                args += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        args += ["--ro-bind", mounts[target], target]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        args += ["--symlink", target, f"/{link}"] if target else []
    return args


def _threads_of(uid: int) -> int:
    """How many processes and threads ``uid`` runs now (what RLIMIT_NPROC counts)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            text = status.read_text()
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
    return count


def command(
    argv: list[str],
    sandbox: bool,
    limit: float,
    data: Path | None = None,
    course: Path | None = None,
) -> list[str]:
    """``argv`` inside bubblewrap (when ``sandbox``; as ``nobody`` if we are root) and under
    ``prlimit``."""
    root = os.geteuid() == 0
    uid = NOBODY if sandbox and root else os.geteuid()
    limits = [f"--as={MEMORY}", f"--cpu={int(limit * 2) + 60}", f"--fsize={2**30}", "--nofile=1024"]
    limits += [f"--nproc={_threads_of(uid) + PROCESSES}"]  # not enforced for root
    wrapped = ["prlimit", *limits, "--", *argv]
    if not sandbox:
        return wrapped
    # As root: no user namespace, so that the process can drop to nobody for real (root's
    # processes are never counted against a process limit), with the rights to do only that.
    spaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    spaces += ["--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    jail = ["bwrap", "--die-with-parent", "--new-session", *(spaces if root else ["--unshare-all"])]
    # The private /tmp first: bubblewrap mounts in order, and the repo or the Python may
    # themselves live under /tmp (a CI checkout), to be bound on top of it.
    jail += ["--perms", "1777", "--size", str(TMP), "--tmpfs", "/tmp"]
    jail += [*_binds(data, course), "--dev", "/dev", "--proc", "/proc", "--chdir", "/tmp"]
    jail += ["--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin:/bin"]
    jail += ["--setenv", "MPLBACKEND", "Agg", "--setenv", "OMP_NUM_THREADS", "1"]
    jail += ["--setenv", "PYTHONPATH", str(REPO_ROOT)]  # the kernel's; the probes' run with -I
    jail += ["--setenv", "COURSE_DATA_DIR", str(data)] if data else []
    user = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    return [*jail, *(user if root else []), *wrapped]


def _drain(stream, cap: int, kept: list[bytes], cut: list[bool]) -> None:
    """Read ``stream`` to its end, keeping its first ``cap`` bytes."""
    size = 0
    while chunk := stream.read1(1 << 16):
        if size < cap:
            kept.append(chunk[: cap - size])
        cut[0] |= size + len(chunk) > cap
        size += len(chunk)


def _feed(stream, data: bytes) -> None:
    with contextlib.suppress(OSError):
        stream.write(data)
        stream.close()


def run(
    argv: list[str],
    stdin: bytes,
    limit: float,
    sandbox: bool,
    cwd: Path,
    hide: list[str] | None = None,
) -> Finished:
    """Run ``argv`` to its end or to ``limit`` seconds; its whole process group dies after.

    ``hide`` names course modules the process may not see (in the sandbox only).
    """
    from course_utils import data

    root = data.data_root()
    course = _visible_copy(cwd, hide) if sandbox and hide else None
    start = time.monotonic()
    process = subprocess.Popen(
        command(argv, sandbox, limit, root if root.is_dir() else None, course),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    )
    kept = {"stdout": [], "stderr": []}
    cut = [False]
    readers = [
        threading.Thread(target=_drain, args=(getattr(process, n), KEPT[n], kept[n], cut))
        for n in kept
    ]
    readers.append(threading.Thread(target=_feed, args=(process.stdin, stdin)))
    for thread in readers:
        thread.daemon = True
        thread.start()
    try:
        code = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        code = None
    _kill(process.pid)
    for thread in readers:
        thread.join(timeout=5)  # a process out of the group may hold the pipes: give up
    out, err = (b"".join(kept[n]) for n in ("stdout", "stderr"))
    return Finished(code, out, err, time.monotonic() - start, cut[0])


def _kill(group: int) -> None:
    """Kill what is left of a process group (a submission's background processes)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)

"""The probe process: run a lesson's probes on a submission's definitions, in a fresh Python.

Started by :mod:`course_tools.grading.isolate` as ``python -I probe.py REPO``
(isolated mode: no ``PYTHONPATH``, no user site, no current folder on
``sys.path``), in an empty scratch folder. It reads one job on stdin (the
student's code cells, the lesson's parameters, which probe to run on which of
their names with which seed, the modules it may not import), pins
``sys.path`` to the repo and the interpreter's own folders, imports PyTorch,
the probes and the lesson's other course modules, runs the student's
definitions (functions, classes, imports, constants: no other top-level
statement of the notebook), then each probe,
and writes each record as one JSON line to a copy of stdout made before any
student code ran (their prints go to stderr).

Nothing here decides a grade: the judge reads the records in another process
and trusts none of them. What this process refuses is defence in depth: the
course's judges and the modules that implement an exercise cannot be
imported or read (a function handing the exercise to the course's own code
would look right to any judge), nor can ``solutions/``, ``lessons/`` or
``.git``; the repo cannot be written; no process or socket can be started.
"""

import ast
import sys

SUBMISSION = "<submission>"  # the file name the student's code is compiled under
ALWAYS = (
    *("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"),
    *("os.forkpty", "pty.spawn", "socket.connect", "socket.bind", "socket.sendto", "os.kill"),
)
SECRET_DIRS = ("solutions", "lessons", ".git")


class _Forbidden:
    """A finder that refuses the modules a probe's process may not import."""

    def __init__(self, names: list[str]):
        self.names = tuple(names)

    def find_spec(self, name, path=None, target=None):
        if name in self.names or name.startswith(tuple(n + "." for n in self.names)):
            raise ImportError(f"{name} is not available while grading")
        return None


def _forbidden_paths(repo: str, names: list[str]) -> tuple[str, ...]:
    """Where the forbidden modules' files are (source, bytecode, or a package's folder)."""
    import os

    found = [os.path.join(repo, d) for d in SECRET_DIRS]
    for name in names:
        *parents, leaf = name.split(".")
        folder = os.path.join(repo, *parents)
        found += [os.path.join(folder, leaf) + os.sep, os.path.join(folder, leaf + ".py")]
        found.append(os.path.join(folder, "__pycache__", leaf + "."))
    return tuple(found)


def _guard(repo: str, names: list[str], tripped) -> None:
    """End the process on what no honest answer does: read what is forbidden, write the repo,
    start a process, open a socket."""
    import os

    forbidden = _forbidden_paths(repo, names)
    busy = [False]

    def hook(event: str, args: tuple) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
                path = os.path.realpath(os.fsdecode(args[0]))
                writes = isinstance(args[1], str) and any(c in args[1] for c in "wax+")
                writes |= isinstance(args[2], int) and bool(args[2] & (os.O_WRONLY | os.O_RDWR))
                if path.startswith(forbidden) or (writes and path.startswith(repo)):
                    tripped(f"open {path}")
                if path.startswith("/proc/") and path.endswith(("/mem", "/environ")):
                    tripped(f"open {path}")
            elif event.startswith(ALWAYS):
                tripped(event)
        finally:
            busy[0] = False

    sys.addaudithook(hook)


def _kept(node) -> bool:
    """A definition: a function, a class, an import, or a constant bound to a name."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return False
        return all(isinstance(target, ast.Name) for target in targets)
    return False


def _split(node) -> list:
    """An import of several names as one import per name (one refused name spares the rest)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)) and len(node.names) > 1:
        kind, fields = type(node), vars(node)
        return [ast.copy_location(kind(**{**fields, "names": [a]}), node) for a in node.names]
    return [node]


def _definitions(cells: list[str]) -> list:
    """Each definition compiled on its own, under one file name whose lines tracebacks show."""
    import linecache

    lines, found = [], []
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        ast.increment_lineno(tree, len(lines))
        lines += [line + "\n" for line in source.splitlines()]
        kept = [part for node in tree.body if _kept(node) for part in _split(node)]
        found += [compile(ast.Module([node], []), SUBMISSION, "exec") for node in kept]
    linecache.cache[SUBMISSION] = (sum(map(len, lines)), None, lines, SUBMISSION)
    return found


def main() -> None:
    repo = sys.argv[1]
    home = (sys.prefix, sys.base_prefix, sys.exec_prefix)
    sys.path[:] = [repo, *(p for p in sys.path if p.startswith(home))]
    import importlib
    import json
    import os

    job = json.loads(sys.stdin.read())
    write, leave, dumps = os.write, os._exit, json.dumps
    channel = os.dup(1)
    os.dup2(2, 1)

    def send(**values) -> None:
        write(channel, (dumps(values) + "\n").encode())

    def tripped(reason: str) -> None:
        send(tampered=reason)
        leave(3)

    import torch  # noqa: F401 - before any student code

    from course_utils import i18n, probes
    from course_utils.probes import record

    runs = []
    for run in job["probes"]:
        module, _, name = run["probe"].partition(":")
        if not module.startswith("course_utils.probes."):
            raise ValueError(f"not a probe: {run['probe']}")
        runs.append((getattr(importlib.import_module(module), name), run))
    forbidden = job["forbidden"]
    prefixes = tuple(f + "." for f in forbidden)
    if loaded := [m for m in sys.modules if m in forbidden or m.startswith(prefixes)]:
        raise RuntimeError(f"a probe imported what it may not: {loaded}")
    sys.meta_path.insert(0, _Forbidden(forbidden))
    for statement in job["imports"]:  # the lesson's other course modules, before student code
        try:
            exec(statement, {})
        except ImportError:  # it needs a module this lesson's exercises forbid
            continue
    _guard(os.path.realpath(repo), forbidden, tripped)
    student: dict = {"__name__": "__submission__"}
    parameters = compile(job["parameters"], "<parameters>", "exec")
    for code in [*_definitions(job["cells"]), parameters]:
        try:
            exec(code, student)
        except BaseException as error:  # noqa: BLE001 - a broken cell must not stop grading
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
    for index, (probe, run) in enumerate(runs):
        i18n.set_language(job["lang"])
        missing = [name for name in run["students"] if name not in student]
        if missing:
            send(index=index, missing=missing[0])
            continue
        handed = tuple(student[name] for name in run["students"])
        try:
            line = record.encode(probes.observe(probe, handed, run["seed"]))
        except BaseException as error:  # noqa: BLE001 - the probe itself could not go on
            send(index=index, error=f"{type(error).__name__}: {error}"[:300])
            continue
        send(index=index, record=line)
    send(done=True)
    leave(0)


if __name__ == "__main__":
    main()

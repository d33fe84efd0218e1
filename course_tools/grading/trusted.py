"""The grading process: run a lesson's checks on a submission's definitions, in a fresh Python.

Started by :mod:`course_tools.grading.isolate` as ``python -I trusted.py REPO``
(isolated mode: no ``PYTHONPATH``, no user site, no current folder on
``sys.path``), in an empty scratch folder. It reads one job on stdin (the
check cells, the lesson's parameters, the student's definitions, a one-time
token), pins ``sys.path`` to the repo and the interpreter's own folders,
imports PyTorch and the course's modules *before* any student code, and only
then runs the definitions (functions, classes, imports, constants: no
top-level statement of the notebook) and each check. Each result goes, with
the token, to a copy of stdout made before the student's code ran; their
prints go to stderr. A student can only forge a line by reading the token, so
reading frames or memory directly is refused: see :func:`_guard`. After each check the
attributes of every module loaded before the student's code are compared
with a snapshot; any change voids the result.

Longer than 200 lines because it is one self-contained script: it runs under
``python -I`` before any import path is trusted, and what the checks' process
trusts is audited in one place.
"""

import ast
import sys

SUBMISSION = "<submission>"  # the file name the student's code is compiled under
ALWAYS = (
    *("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"),
    *("os.forkpty", "pty.spawn", "socket.connect", "socket.bind", "socket.sendto", "os.kill"),
)
INTROSPECTION = (
    *("sys._getframe", "sys._current_frames", "gc.get_", "object.__getattr__", "ctypes."),
    *("code.__new__", "function.__new__", "sys.settrace", "sys.setprofile"),
    *("sys.addaudithook", "cpython."),
)
DIRECT = ("exec", "compile", "marshal.loads")  # refused when the student's own code calls them
SECRET_DIRS = ("solutions", "lessons", ".git")
LAZY = (type(None), int, float)  # values a module's own code rebinds as it runs
# Modules whose classes are snapshot too (PyTorch's other classes change as they run).
CLASSES = ("course_utils", "builtins", "dataclasses", "torch._tensor", "torch.nn.modules.module")


def _called_by_student(getframe, depth: int) -> bool:
    """Whether the submission's code is among the ``depth`` innermost frames of the event."""
    frame = getframe(2)
    for _ in range(depth):
        if frame is None:
            return False
        if frame.f_code.co_filename == SUBMISSION:
            return True
        frame = frame.f_back
    return False


class _Secret:
    """The token, hidden from ``repr`` (tracebacks that capture locals show reprs)."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __repr__(self) -> str:
        return "<secret>"


def _guard(repo: str, tripped) -> None:
    """Refuse, by ending the process, what would let the student's code reach the grader."""
    import os

    getframe, busy = sys._getframe, [False]
    secret = tuple(os.path.join(repo, d) for d in SECRET_DIRS)

    def hook(event: str, args: tuple) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
                path = os.path.realpath(os.fsdecode(args[0]))
                writes = isinstance(args[1], str) and any(c in args[1] for c in "wax+")
                writes |= isinstance(args[2], int) and bool(args[2] & (os.O_WRONLY | os.O_RDWR))
                if path.startswith(secret) or (writes and path.startswith(repo)):
                    tripped(f"open {path}")
                if path.startswith("/proc/") and path.endswith(("/mem", "/environ")):
                    tripped(f"open {path}")
            elif (
                event.startswith(ALWAYS)
                or (event.startswith(INTROSPECTION) and _called_by_student(getframe, 2))
                or (event in DIRECT and _called_by_student(getframe, 1))
            ):
                tripped(event)
        finally:
            busy[0] = False

    sys.addaudithook(hook)


def _snapshot() -> list:
    """Every loaded module's attributes (and :data:`CLASSES`' classes'), by identity; and the
    import machinery."""
    taken = []
    for name, module in list(sys.modules.items()):
        space = getattr(module, "__dict__", None)
        if not isinstance(space, dict):
            continue
        taken.append((name, module, space, dict(space)))
        for attr, value in list(space.items()):
            if isinstance(value, type) and name.startswith(CLASSES):
                inside = type.__getattribute__(value, "__dict__")  # no metaclass in the way
                if inside.get("__module__") == name:
                    taken.append((f"{name}.{attr}", None, inside, dict(inside)))
    return [*taken, ("sys.meta_path", None, None, (*sys.meta_path, *sys.path_hooks, *sys.path))]


def _changed(taken: list) -> str:
    """The first thing that is no longer what the snapshot holds, or ""."""
    for name, module, space, before in taken:
        if space is None:
            now = (*sys.meta_path, *sys.path_hooks, *sys.path)
            if len(now) != len(before) or any(a is not b for a, b in zip(now, before, strict=True)):
                return name
            continue
        if module is not None and sys.modules.get(name) is not module:
            return name
        for attr, value in before.items():
            if isinstance(value, LAZY):  # counters and lazily set globals change as code runs
                continue
            if attr not in space or space[attr] is not value:
                return f"{name}.{attr}"
    return ""


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


def _definitions(cells: list[str]) -> list:
    """Each cell's definitions, compiled under one file name whose lines tracebacks can show."""
    import linecache

    lines, found = [], []
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        ast.increment_lineno(tree, len(lines))
        lines += [line + "\n" for line in source.splitlines()]
        tree.body = [node for node in tree.body if _kept(node)]
        found.append(compile(tree, SUBMISSION, "exec"))
    linecache.cache[SUBMISSION] = (sum(map(len, lines)), None, lines, SUBMISSION)
    return found


def _theirs(kind: type) -> bool:
    """Whether a class has code the submission wrote (so its ``==`` may lie)."""
    spaces = (type.__getattribute__(k, "__dict__") for k in kind.__mro__)
    codes = (getattr(v, "__code__", None) for space in spaces for v in space.values())
    return any(getattr(code, "co_filename", "") == SUBMISSION for code in codes)


def _guarded(function):
    """A student's function whose results may not be of a class the submission defines."""
    import functools

    if getattr(getattr(function, "__code__", None), "co_filename", "") != SUBMISSION:
        return function

    @functools.wraps(function)
    def call(*args, **kwargs):
        got = function(*args, **kwargs)
        inside = (
            [*got]
            if isinstance(got, (list, tuple))
            else [*got.values()]
            if isinstance(got, dict)
            else []
        )
        if any(_theirs(type(value)) for value in [got, *inside]):
            raise TypeError(f"{function.__name__} returned a {type(got).__name__} of its own class")
        return got

    return call


def _check(source: str, trusted: dict, student: dict):
    """Run one check cell: its course names from ``trusted``, the rest from ``student``."""
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - trusted.keys()
    space = {**trusted, **{n: _guarded(student[n]) for n in names if n in student}}
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<check>", "exec"), space)
    return eval(compile(ast.Expression(last.value), "<check>", "eval"), space) if last else None


def main() -> None:
    repo = sys.argv[1]
    home = (sys.prefix, sys.base_prefix, sys.exec_prefix)
    sys.path[:] = [repo, *(p for p in sys.path if p.startswith(home))]
    import json
    import os

    job = json.loads(sys.stdin.read())
    token, write, leave, dumps = _Secret(job.pop("token")), os.write, os._exit, json.dumps
    channel = os.dup(1)
    os.dup2(2, 1)

    def send(**values) -> None:
        write(channel, (dumps({"token": token.value, **values}) + "\n").encode())

    def tripped(reason: str) -> None:
        send(tampered=reason)
        leave(3)

    trusted: dict = {}
    for statement in ["import torch", *job["imports"].values()]:
        exec(statement, trusted)
    from course_utils import checks, i18n

    result_type, statuses = checks.Result, (checks.PASSED, checks.FAILED, checks.TODO)
    i18n.set_language(job["lang"])
    sys.settrace = sys.setprofile = None  # a trace function would see the grader's frames
    taken = _snapshot()
    _guard(os.path.realpath(repo), tripped)
    student: dict = {"__name__": "__submission__"}
    parameters = compile(job["parameters"], "<parameters>", "exec")
    for code in [*_definitions(job["cells"]), parameters]:
        try:
            exec(code, student)
        except BaseException as error:  # noqa: BLE001 - a broken cell must not stop grading
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
    for index, source in enumerate(job["checks"]):
        i18n.set_language(job["lang"])
        try:
            result = _check(source, trusted, student)
        except BaseException as error:  # noqa: BLE001 - the check could not run
            send(index=index, error=f"{type(error).__name__}: {error}"[:300])
            continue
        if changed := _changed(taken):
            tripped(f"changed {changed}")
        if type(result) is not result_type or result.status not in statuses:
            send(index=index, error=f"not a check result: {type(result).__name__}")
        else:
            status, message = str(result.status), str(result.message)
            send(
                index=index, status=status, message=message, diagnoses=[*map(str, result.diagnoses)]
            )
    send(done=True)
    leave(0)


if __name__ == "__main__":
    main()

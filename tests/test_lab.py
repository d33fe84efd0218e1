"""The README's open command, `make lab`, starts a JupyterLab server that answers on localhost."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from course_utils.data import REPO_ROOT

STARTUP_SECONDS = 60


@dataclass
class Lab:
    base: str
    token: str
    server: subprocess.Popen
    log: Path

    def get(self, path: str, token: bool = True) -> tuple[int, bytes]:
        headers = {"Authorization": f"token {self.token}"} if token else {}
        request = urllib.request.Request(self.base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()

    def wait(self) -> None:
        """Poll /api/status until the server answers; fail with its log if it does not."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                self.get("/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        pytest.fail(
            f"`make lab` did not answer on {self.base} (exit {self.server.poll()}):\n{tail}"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Run `make lab` on a free port with a token; stop the whole process group afterwards."""
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}"
    if os.geteuid() == 0:  # containers and CI machines often run as root
        args += " --allow-root"
    folder = tmp_path_factory.mktemp("lab")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder)}
    # -o: never reinstall the environment the tests are running in (`make test` just did).
    command = ["make", "-o", ".venv/.installed", "lab", f"LAB_ARGS={args}"]
    log = folder / "lab.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, start_new_session=True, stdout=out, stderr=out
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, server, log)
    try:
        lab.wait()
        yield lab
    finally:
        # The group may be gone already (`make lab` failed): then the setup's failure is the news.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_make_lab_starts_a_server_that_answers(lab):
    status, body = lab.get("/api/status")
    assert status == 200
    assert {"started", "kernels", "connections"} <= set(json.loads(body))
    status, page = lab.get("/lab")
    assert status == 200 and b"JupyterLab" in page


def test_make_lab_serves_the_notebooks_folder(lab):
    status, body = lab.get("/api/contents")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert status == 200 and {"es", "en"} <= names


def test_the_spanish_language_pack_is_installed(lab):
    status, body = lab.get("/lab/api/translations")
    languages = json.loads(body)["data"]
    assert status == 200 and "es_ES" in languages
    assert languages["es_ES"]["nativeName"].lower().startswith("español")
    assert importlib.util.find_spec("jupyterlab_language_pack_es_ES") is not None


def test_without_the_token_the_server_refuses(lab):
    with pytest.raises(urllib.error.HTTPError) as caught:
        lab.get("/api/contents", token=False)
    assert caught.value.code == 403

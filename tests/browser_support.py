"""A private JupyterLab server on localhost, and a Playwright page driving it.

Also what every browser test shares: Debian's Chromium launched headless by Playwright
with the flags this closed network needs (``headless_chromium``), the skip-or-fail rule
(``require``) and a static file server on localhost (``serve``).

The server runs from this environment (``sys.executable``) with its own
temporary config, data, runtime, settings and workspace folders, so a test
never reads or writes the user's Jupyter setup. The page helpers wait for the
kernel *and* the page to be quiet, because widgets keep drawing after the
kernel goes idle.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# Debian's Chromium on a closed network: no sandbox (root), no GPU, no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTINGS = {  # plugin id -> settings JupyterLab reads from its settings folder
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # Every cell in the page, so off-screen outputs are checked too.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}


def chromium() -> str | None:
    """The system Chromium (``COURSE_CHROMIUM`` overrides), or None when there is none."""
    names = [os.environ.get("COURSE_CHROMIUM", ""), "chromium", "chromium-browser"]
    return next((shutil.which(name) for name in names if name and shutil.which(name)), None)


def require(ok: object, reason: str) -> None:
    """Fail in CI, skip elsewhere, when something a browser test needs is missing."""
    import pytest

    if not ok:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


@contextmanager
def headless_chromium() -> Iterator[object]:
    """Debian's Chromium, headless, launched by Playwright (its own download cannot work)."""
    try:
        from playwright import sync_api
    except ImportError:  # a dev dependency
        sync_api = None
    require(sync_api, "Playwright is missing: pip install playwright")
    executable = chromium()
    require(executable, "Chromium is missing: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # no access log in the test output
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve the files under ``root`` on localhost; yield the base address (ends with /)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    """A TCP port on localhost that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(settings_dir: Path, locale: str) -> None:
    """JupyterLab user settings: the interface language, no autosave, no news, no windowing."""
    plugins = {**SETTINGS, "@jupyterlab/translation-extension:plugin": {"locale": locale}}
    for plugin_id, values in plugins.items():
        package, plugin = plugin_id.split(":")
        path = settings_dir / package / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@dataclass
class Lab:
    """A running JupyterLab server."""

    url: str
    token: str
    log: Path

    def api(self, path: str) -> object:
        """GET a REST endpoint (``/api/...``) and decode its JSON."""
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def page_url(self, notebook: str) -> str:
        """The address that opens ``notebook`` (relative to the server root) in the lab."""
        return f"{self.url}/lab/tree/{notebook}?token={self.token}"

    def kernel_state(self, notebook: str) -> str | None:
        """The execution state of the kernel of ``notebook``'s session, if it has one."""
        sessions = [s for s in self.api("/api/sessions") if s["path"] == notebook]
        return sessions[0]["kernel"]["execution_state"] if sessions else None


def lab_environment(home: Path, locale: str, disabled: tuple[str, ...]) -> dict[str, str]:
    """Environment variables that keep the server's files under ``home``."""
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
    }
    env = {**os.environ, **{name: str(home / sub) for name, sub in folders.items()}}
    env.pop("MPLBACKEND", None)  # CI sets Agg; a kernel must keep its inline backend
    write_settings(home / "settings", locale)
    # What `jupyter labextension disable NAME` writes at the user level.
    page_config = home / "config" / "labconfig" / "page_config.json"
    page_config.parent.mkdir(parents=True, exist_ok=True)
    page_config.write_text(json.dumps({"disabledExtensions": dict.fromkeys(disabled, True)}))
    return env


@contextmanager
def jupyterlab(
    root: Path, home: Path, locale: str = "en", disabled: tuple[str, ...] = (), timeout: float = 180
) -> Iterator[Lab]:
    """Start ``jupyter lab`` on ``root`` (token, no browser, free port); stop it on exit."""
    token, port = secrets.token_hex(16), free_port()
    env = lab_environment(home, locale, disabled)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1"]
    command += ["--ServerApp.allow_root=True", "--LabApp.extension_manager=readonly"]
    command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    lab = Lab(f"http://127.0.0.1:{port}", token, home / "jupyterlab.log")
    with lab.log.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_server(lab, server, timeout)
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for_server(lab: Lab, server: subprocess.Popen, timeout: float) -> None:
    """Return once the server answers its status API; raise with its log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            lab.api("/api/status")
            return
        except OSError:
            time.sleep(0.5)
    exited = server.poll() is not None
    state = f"exited with code {server.returncode}" if exited else f"timed out ({timeout} s)"
    raise RuntimeError(f"JupyterLab did not start: {state}\n{lab.log.read_text()[-3000:]}")


# --- the page -------------------------------------------------------------------------------

RUN_MENU = re.compile(r"^(Run|Ejecutar)$")
# A fingerprint of the notebook when nothing is pending in it, else ''.
QUIET_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const images = nb ? [...nb.querySelectorAll('.jp-OutputArea-output img')] : [];
  const busy = !nb || document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status
    !== 'idle' || [...nb.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))
    || images.some(i => !i.complete || !i.naturalWidth);
  return busy ? '' : nb.textContent.length + '|' + images.map(i => i.src.length).join();
}"""
# What a student should never see: errors, warnings, broken widgets, widgets as plain text.
PROBLEMS_JS = r"""() => [...document.querySelectorAll('.jp-OutputArea-output')].flatMap(el => {
  const text = el.textContent, mime = el.dataset.mimeType;
  const stderr = mime === 'application/vnd.jupyter.stderr';
  let kind = null;
  if (stderr && /Traceback|^\s*[\w.]*(Error|Exception)\b/m.test(text)) kind = 'error';
  else if (stderr && /\w*Warning: /.test(text)) kind = 'warning';
  else if (/Error displaying widget/.test(text)) kind = 'broken widget';
  else if (mime === 'text/plain'
      && /^\s*(interactive|[A-Z]\w*(Slider|Button|Box|Output))\(/m.test(text))
    kind = 'widget shown as text';
  else if (mime === 'text/plain' && /^\s*\d+%\|/.test(text)) kind = 'progress bar as text';
  return kind ? [`${kind}: ${text.slice(0, 600)}`] : [];
})"""
IMAGES_JS = "cell => [...cell.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src)"


def wait_quiet(page, lab: Lab, notebook: str, timeout: float) -> None:
    """Wait until the kernel is idle and the notebook has not changed for 5 s."""
    deadline, calm, last = time.monotonic() + timeout, 0, None
    while calm < 10:
        dialog = page.locator(".jp-Dialog")
        assert not dialog.count(), f"JupyterLab asks: {dialog.first.inner_text()}"
        assert time.monotonic() < deadline, f"{notebook} still busy after {timeout} s"
        state = page.evaluate(QUIET_JS) if lab.kernel_state(notebook) == "idle" else ""
        calm = calm + 1 if state and state == last else 0
        last = state
        page.wait_for_timeout(500)


def open_and_run_all(page, lab: Lab, notebook: str, timeouts: tuple[float, float]) -> None:
    """Open a notebook, wait for its kernel, then Run → Run All Cells and wait for the end."""
    page.goto(lab.page_url(notebook))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeouts[0] * 1000)
    wait_quiet(page, lab, notebook, timeouts[0])
    page.locator(".lm-MenuBar-item", has_text=RUN_MENU).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_timeout(1000)
    wait_quiet(page, lab, notebook, timeouts[1])


def move_slider(cell) -> None:
    """Move the cell's first slider one step with the keyboard, as a student could."""
    readout = cell.locator(".widget-readout").first
    value = readout.inner_text()
    cell.locator(".widget-slider .noUi-handle").first.focus()
    cell.page.keyboard.press("ArrowRight")
    if readout.inner_text() == value:  # it sat at its maximum
        cell.page.keyboard.press("ArrowLeft")
    assert readout.inner_text() != value, "the slider did not move"

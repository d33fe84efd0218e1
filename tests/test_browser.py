"""The course as a student sees it: JupyterLab in headless Chromium, driven by Playwright.

For lesson 01 in Spanish and lesson 03 in English: open the notebook in a private
JupyterLab that speaks the lesson's language, run all cells, and check what the
student sees: no error, widgets drawn as widgets (not their text fallback), a plot,
and a plot that changes when a slider moves and the train button is pressed.
A control run with the ipywidgets front end disabled proves these checks can fail.
Screenshots land in ``artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager

import nbformat
import papermill
import pytest

from course_utils import build, run
from course_utils.data import REPO_ROOT

from . import browser_support as support

try:
    from playwright import sync_api
except ImportError:  # pip install playwright (a dev dependency)
    sync_api = None

# (language, lesson, label of its train button; lesson 01 retrains when the slider is released)
TARGETS = [("es", "01_training_loop", None), ("en", "03_regularization", "Train")]
TARGET_IDS = [f"{lesson}-{lang}" for lang, lesson, _button in TARGETS]
LOCALES = {"es": ("es_ES", "Archivo"), "en": ("en", "File")}  # lab locale, its File menu
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"
OPEN_TIMEOUT, RUN_TIMEOUT, TRAIN_TIMEOUT = 180, 900, 600  # seconds; 2 shared cores are slow
RUN_MENU = re.compile(r"^(Run|Ejecutar)$")
VIEWPORT = {"width": 1400, "height": 1000}

IDLE_JS = """() => !document.querySelector('.jp-Dialog')
  && document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'
  && ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.innerText.includes('*'))"""
PROBLEMS_JS = r"""() => [...document.querySelectorAll('.jp-OutputArea-output')].flatMap(el => {
  const text = el.innerText, mime = el.dataset.mimeType;
  const found = [];
  if (mime === 'application/vnd.jupyter.stderr'
      && /Traceback|^\s*[\w.]*(Error|Exception)\b/m.test(text)) found.push('error: ' + text);
  if (/Error displaying widget/.test(text)) found.push('broken widget: ' + text);
  if (mime === 'text/plain' && /^\s*(interactive|[A-Z]\w*(Slider|Button|Box|Output))\(/m.test(text))
    found.push('widget shown as text: ' + text);
  return found.map(f => f.slice(0, 600));
})"""
IMAGES_JS = "cell => [...cell.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src)"
CHANGED_JS = f"([cell, before]) => {{ const now = ({IMAGES_JS})(cell);"
CHANGED_JS += " return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before); }"

pytestmark = pytest.mark.notebook


def require(ok: object, reason: str) -> None:
    """Fail in CI, skip elsewhere, when something the browser test needs is missing."""
    if not ok:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, launched by Playwright (its own download cannot work)."""
    require(sync_api, "Playwright is missing: pip install playwright")
    executable = support.chromium()
    require(executable, "no Chromium: install it with `apt-get install chromium`")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=support.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_in(browser, tmp_path):
    """Open a page on a fresh JupyterLab serving ``tmp_path/root``; screenshot it on failure."""

    @contextmanager
    def page_in(locale: str, name: str, disabled: tuple[str, ...] = ()):
        home = tmp_path / "home"
        with support.jupyterlab(tmp_path / "root", home, locale, disabled) as lab:
            page = browser.new_page(viewport=VIEWPORT)
            try:
                yield page, lab
            except BaseException:
                shot(page, f"{name}-failed")
                raise
            finally:
                page.close()

    return page_in


def prepare(source, target) -> None:
    """Copy a lesson without outputs, with the quick profile's parameters injected."""
    nb = nbformat.read(source, as_version=4)
    quick = {"LANG": nb.metadata["course"]["lang"], **run.profile_parameters(nb, "quick")}
    nb = papermill.execute_notebook(
        nb, None, parameters=quick, prepare_only=True, progress_bar=False
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def wait_idle(page, lab: support.Lab, notebook: str, timeout: float) -> None:
    """Wait until the kernel is idle and no cell is queued, for 2 s in a row."""
    deadline, calm = time.monotonic() + timeout, 0
    while calm < 4:
        dialog = page.locator(".jp-Dialog")
        assert not dialog.count(), f"JupyterLab asks: {dialog.first.inner_text()}"
        assert time.monotonic() < deadline, f"the kernel is still busy after {timeout} s"
        idle = lab.kernel_state(notebook) == "idle" and page.evaluate(IDLE_JS)
        calm = calm + 1 if idle else 0
        page.wait_for_timeout(500)


def open_and_run_all(page, lab: support.Lab, notebook: str) -> None:
    """Open a notebook, wait for its kernel, then Run → Run All Cells and wait for the end."""
    page.goto(lab.page_url(notebook))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=OPEN_TIMEOUT * 1000)
    wait_idle(page, lab, notebook, OPEN_TIMEOUT)
    page.locator(".lm-MenuBar-item", has_text=RUN_MENU).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_timeout(1000)
    wait_idle(page, lab, notebook, RUN_TIMEOUT)


def move_slider_and_train(page, lab: support.Lab, notebook: str, button: str | None):
    """In the first cell with a slider: move it one step, press train, wait for a new plot."""
    cell = page.locator(".jp-CodeCell", has=page.locator(".widget-slider")).first
    cell.scroll_into_view_if_needed()
    before = cell.evaluate(IMAGES_JS)
    readout = cell.locator(".widget-readout").first
    value = readout.inner_text()
    cell.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    if readout.inner_text() == value:  # the slider sat at its maximum
        page.keyboard.press("ArrowLeft")
    assert readout.inner_text() != value, "the slider did not move"
    if button:
        cell.locator(".widget-button", has_text=re.compile(f"^{button}$")).click()
    changed = [cell.element_handle(), before]
    page.wait_for_function(CHANGED_JS, arg=changed, timeout=TRAIN_TIMEOUT * 1000)
    wait_idle(page, lab, notebook, TRAIN_TIMEOUT)
    return cell


def shot(page, name: str) -> None:
    """Save a screenshot of the browser window as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


@pytest.mark.parametrize(("lang", "lesson", "button"), TARGETS, ids=TARGET_IDS)
@pytest.mark.usefixtures("mnist_available")
def test_lesson_runs_in_jupyterlab(page_in, tmp_path, lang, lesson, button):
    source = REPO_ROOT / "notebooks" / lang / f"{lesson}.ipynb"
    if not source.is_file():
        pytest.skip(f"{source.relative_to(REPO_ROOT)} is not built yet")
    notebook, (locale, file_menu) = f"{lang}/{lesson}.ipynb", LOCALES[lang]
    prepare(source, tmp_path / "root" / notebook)
    name = f"{lesson}-{lang}"
    with page_in(locale, name) as (page, lab):
        open_and_run_all(page, lab, notebook)
        shot(page, f"{name}-1-ran")
        assert page.locator(".lm-MenuBar-item", has_text=file_menu).count() == 1
        assert page.evaluate(PROBLEMS_JS) == []
        assert page.locator(".jupyter-widgets.widget-slider").count() > 0
        if button:
            assert page.locator(".jupyter-widgets.widget-button", has_text=button).count() == 1
        assert page.locator(".jp-OutputArea-output img").count() > 0
        cell = move_slider_and_train(page, lab, notebook, button)
        shot(page, f"{name}-2-trained")
        assert cell.evaluate(IMAGES_JS), "the plot vanished"
        assert page.evaluate(PROBLEMS_JS) == []


CONTROL = [
    "import ipywidgets as widgets\nimport matplotlib.pyplot as plt",
    "slider = widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.5)\n"
    "out = widgets.Output()\nwith out:\n    plt.plot([0, 1], [0, slider.value])\n    plt.show()\n"
    "widgets.VBox([slider, widgets.Button(description='Train'), out])",
    "1 / 0",
]


def test_checks_catch_a_missing_widgets_front_end(page_in, tmp_path):
    """Control: without the ipywidgets front end, the checks above see text and the error."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CONTROL])
    nb.metadata["kernelspec"] = build.KERNELSPEC
    (tmp_path / "root").mkdir()
    nbformat.write(nb, tmp_path / "root" / "control.ipynb")
    with page_in("en", "control", disabled=(support.WIDGETS_EXTENSION,)) as (page, lab):
        open_and_run_all(page, lab, "control.ipynb")
        shot(page, "control-without-widgets-front-end")
        problems = page.evaluate(PROBLEMS_JS)
        assert page.locator(".jupyter-widgets").count() == 0
        assert [p.split(":")[0] for p in problems] == ["widget shown as text", "error"], problems
        assert "VBox(children=(FloatSlider(" in problems[0]
        assert "ZeroDivisionError" in problems[1]

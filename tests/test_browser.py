"""The course as a student sees it: JupyterLab in headless Chromium, driven by Playwright.

For lesson 01 in Spanish and lesson 03 in English: open the notebook in a private
JupyterLab that speaks the lesson's language, run all cells, and check what the
student sees: no error or warning, widgets drawn as widgets (not as their text
fallback), a plot, and a plot that changes when a slider moves (and, in lesson 03,
the train button is pressed). A control run with the ipywidgets front end disabled
proves that these checks fail when widgets cannot be drawn. Each notebook runs on
a copy with the quick profile, outside the repository. Screenshots land in
``artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill
import pytest

from course_tools import build, run
from course_utils.data import REPO_ROOT

from . import browser_support as support

try:
    from playwright import sync_api
except ImportError:  # a dev dependency: pip install playwright
    sync_api = None

# (language, lesson, its train button's label); lesson 01 retrains when the slider is released.
TARGETS = [("es", "01_training_loop", None), ("en", "03_regularization", "Train")]
TARGET_IDS = [f"{lesson}-{lang}" for lang, lesson, _button in TARGETS]
LOCALES = {"es": ("es_ES", "Archivo"), "en": ("en", "File")}  # lab locale, its File menu
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"
TIMEOUTS = (180, 900)  # seconds to open a notebook, to run it all (2 shared cores are slow)
TRAIN_TIMEOUT = 600
VIEWPORT = {"width": 1400, "height": 1000}
CHANGED_JS = f"""([cell, before]) => {{ const now = ({support.IMAGES_JS})(cell);
  return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before); }}"""

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, launched by Playwright (its own download cannot work)."""
    with support.headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def page_in(browser, tmp_path):
    """A page on a fresh JupyterLab serving ``tmp_path/root``; screenshot it on failure."""

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


def shot(page, name: str) -> None:
    """Save a screenshot of the browser window as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def prepare(source: Path, target: Path) -> None:
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


def press_and_wait(page, lab: support.Lab, notebook: str, cell, button: str | None) -> None:
    """Move the cell's slider, press its train button if any, wait for the plot to change."""
    before = cell.evaluate(support.IMAGES_JS)
    assert before, "no plot under the slider"
    support.move_slider(cell)
    train = cell.locator(".jupyter-widgets.widget-button", has_text=button or "")
    if button:
        train.click()
    changed = [cell.element_handle(), before]
    page.wait_for_function(CHANGED_JS, arg=changed, timeout=TRAIN_TIMEOUT * 1000)
    if button:  # disabled while it trains; the page may lag well behind the kernel
        sync_api.expect(train).to_be_enabled(timeout=TRAIN_TIMEOUT * 1000)
    support.wait_quiet(page, lab, notebook, TRAIN_TIMEOUT)


@pytest.mark.parametrize(("lang", "lesson", "button"), TARGETS, ids=TARGET_IDS)
@pytest.mark.usefixtures("mnist_available")
def test_lesson_runs_in_jupyterlab(page_in, tmp_path, lang, lesson, button):
    source = REPO_ROOT / "notebooks" / lang / f"{lesson}.ipynb"
    if not source.is_file():
        pytest.skip(f"{source.relative_to(REPO_ROOT)} is not built yet")
    notebook, name = f"{lang}/{lesson}.ipynb", f"{lesson}-{lang}"
    locale, file_menu = LOCALES[lang]
    prepare(source, tmp_path / "root" / notebook)
    with page_in(locale, name) as (page, lab):
        support.open_and_run_all(page, lab, notebook, TIMEOUTS)
        assert page.locator(".lm-MenuBar-item", has_text=file_menu).count() == 1
        assert page.evaluate(support.PROBLEMS_JS) == []
        assert page.locator(".jp-OutputArea-output img").count() > 0
        reveal_opens_on_a_click(page, source)
        slider = page.locator(".jupyter-widgets.widget-slider")
        assert slider.count(), "no slider drawn: is the ipywidgets front end installed?"
        cell = page.locator(".jp-CodeCell", has=slider).first
        cell.scroll_into_view_if_needed()
        shot(page, f"{name}-1-ran")
        press_and_wait(page, lab, notebook, cell, button)
        shot(page, f"{name}-2-trained")
        assert cell.evaluate(support.IMAGES_JS), "the plot vanished"
        assert page.evaluate(support.PROBLEMS_JS) == []


def reveal_opens_on_a_click(page, source: Path) -> None:
    """A prediction's reveal is drawn as ``<details>`` (JupyterLab's sanitizer keeps it): one
    per option, closed until a click opens it on its verdict and explanation."""
    nb = nbformat.read(source, as_version=4)
    options = sum(
        c.source.count("<details>") for c in nb.cells if "reveal" in c.metadata.get("course", {})
    )
    if not options:
        return
    details = page.locator(".jp-RenderedMarkdown details")
    assert details.count() == options
    first = details.first
    first.scroll_into_view_if_needed()
    body = first.locator("p").last
    assert not body.is_visible()
    first.locator("summary").click()
    sync_api.expect(body).to_be_visible()
    assert body.inner_text().startswith(("✅", "❌"))


CONTROL = [  # a warning and a progress bar, a long text below them, widgets, an error
    "import warnings\nimport ipywidgets as widgets\nimport matplotlib.pyplot as plt\n"
    "from tqdm.auto import tqdm\nwarnings.warn('careful')\nfor _ in tqdm(range(3)):\n    pass",
    "\n\n".join(f"Paragraph {i}." for i in range(60)),
    "slider = widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.5)\n"
    "out = widgets.Output()\nwith out:\n    plt.plot([0, 1], [0, slider.value])\n    plt.show()\n"
    "widgets.VBox([slider, widgets.Button(description='Train'), out])",
    "1 / 0",
]


def test_checks_catch_a_missing_widgets_front_end(page_in, tmp_path):
    """Control: without the ipywidgets front end, the checks above see text, not widgets."""
    cells = [nbformat.v4.new_code_cell(c) for c in CONTROL]
    cells[1] = nbformat.v4.new_markdown_cell(CONTROL[1])
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = build.KERNELSPEC
    (tmp_path / "root").mkdir()
    nbformat.write(nb, tmp_path / "root" / "control.ipynb")
    with page_in("en", "control", disabled=(support.WIDGETS_EXTENSION,)) as (page, lab):
        support.open_and_run_all(page, lab, "control.ipynb", TIMEOUTS)
        shot(page, "control-without-widgets-front-end")
        problems = page.evaluate(support.PROBLEMS_JS)
        warning = page.locator(".jp-OutputArea-output", has_text="careful").bounding_box()
        assert warning["y"] + warning["height"] < 0, "the warning should be scrolled off screen"
        assert page.locator(".jupyter-widgets").count() == 0
        found = {p.split(":")[0]: p for p in problems}
        kinds = {"warning", "progress bar as text", "widget shown as text", "error"}
        assert set(found) == kinds and len(problems) == len(kinds), problems
        assert "UserWarning: careful" in found["warning"]
        assert "VBox(children=(FloatSlider(" in found["widget shown as text"]
        assert "ZeroDivisionError" in found["error"]

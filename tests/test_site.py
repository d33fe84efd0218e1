"""The course as a website: `site/build.py` builds it, headless Chromium reads it.

The site is built once per test session (shared by the xdist workers) into a temporary
folder, with a repository address set so the Binder links exist. Then: both books and the
landing page are there, every internal link and image resolves, no page loads anything from
outside this machine, every page loads without console errors, math, plots and widgets are
drawn, code has a copy button, the language switch leads to the same page in the other
language, and the download link gives the student's notebook. As its readers meet it: both
menus open on a phone and nothing runs off its screen, every image is described by a
sentence of the lesson, the switch lands on the twin section and keeps a search query, a
Spanish page shows no English interface text, every control shows a focus ring, and every
lesson links its APIs' documentation, its papers and its source. Contrast is AA everywhere,
in light and dark mode: an audit run in the page measures every text, link in running text
and focus ring of every page (and its menus, search dialog, tooltips, and the theme's
components a lesson may use), and a control shows it reports faint ones. Screenshots land
in ``artifacts/site/`` (git-ignored).
"""

from __future__ import annotations

import fcntl
import html.parser
import importlib.util
import json
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from course_utils.data import REPO_ROOT

from . import browser_support as support
from .conftest import LESSONS

pytestmark = pytest.mark.site

LANGS = ("es", "en")
OTHER = {"es": "en", "en": "es"}
REPO_URL = "https://github.com/example/pytorch-course"
BUILD_SECONDS = 300  # "a few minutes at most", on two shared cores
ARTIFACTS = REPO_ROOT / "artifacts" / "site"
VIEWPORT = {"width": 1400, "height": 1000}
SHOTS = [("es", "01_training_loop", ".widget-slider"), ("en", "03_regularization", "mjx-container")]
PAGES = ["index", *LESSONS]  # the pages of each book that the switch must pair
# Drawn: every formula typeset by MathJax, every saved widget view rendered, every image loaded.
DRAWN_JS = """() => {
  const math = [...document.querySelectorAll('.math')];
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  return math.every(m => m.querySelector('mjx-container'))
    && views.every(v => v.parentElement.querySelector('.jupyter-widgets'))
    && [...document.images].every(i => i.complete);
}"""
REPORT_JS = """() => ({
  math: document.querySelectorAll('.math').length,
  mathErrors: document.querySelectorAll('mjx-merror').length,
  views: document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]').length,
  brokenWidgets: /Error displaying widget/.test(document.body.textContent),
  plots: [...document.querySelectorAll('.cell_output img')].filter(i => i.naturalWidth).length,
  brokenImages: [...document.images].filter(i => !i.naturalWidth).map(i => i.src),
  copyButtons: document.querySelectorAll('.cell_input button.copybtn').length,
  lang: document.documentElement.lang,
  title: document.querySelector('h1')?.textContent.trim() ?? '',
})"""


def notebook(kind: str, lang: str, lesson: str) -> Path:
    return REPO_ROOT / kind / lang / f"{lesson}.ipynb"


def has_output(lang: str, lesson: str, mime: str) -> bool:
    """Whether the page's notebook (the solution) has an output of this type."""
    nb = json.loads(notebook("solutions", lang, lesson).read_text())
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    return any(mime in o.get("data", {}) for o in outputs)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> dict:
    """Build the site once for the whole session; {'root', 'seconds'}."""
    support.require(
        importlib.util.find_spec("sphinx"), "the site's packages: pip install -e .[site]"
    )
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the workers' common folder: one build for all of them
    root, record = shared / "course-site", shared / "course-site.json"
    with (shared / "course-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():
            start = time.monotonic()
            env = {**os.environ, "COURSE_REPO_URL": REPO_URL}
            command = [sys.executable, str(REPO_ROOT / "site" / "build.py"), "--out", str(root)]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            result = {"seconds": round(time.monotonic() - start, 1), "returncode": done.returncode}
            result["log"] = (done.stdout + done.stderr)[-4000:]
            record.write_text(json.dumps(result))
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "build.json").write_text(json.dumps(result, indent=1))
    result = json.loads(record.read_text())
    assert result["returncode"] == 0, f"the site did not build:\n{result['log']}"
    return {"root": root, "seconds": result["seconds"]}


def test_site_builds_both_books_in_minutes(site):
    root = site["root"]
    assert site["seconds"] < BUILD_SECONDS, site
    for lang in LANGS:
        missing = [page for page in PAGES if not (root / lang / f"{page}.html").is_file()]
        assert not missing, f"{lang}: no page for {missing}"
    landing = (root / "index.html").read_text()
    assert 'href="es/index.html"' in landing and 'href="en/index.html"' in landing
    assert (root / ".nojekyll").is_file()  # GitHub Pages serves _static/ as it is
    assert not list(root.glob("*/genindex.html"))  # no index entries: no empty index page


@pytest.mark.parametrize("lang", LANGS)
def test_download_gives_the_student_notebook(site, lang):
    """The page shows the solved lesson; its download link gives the exercise version."""
    for lesson in LESSONS:
        page = (site["root"] / lang / f"{lesson}.html").read_text()
        assert f'href="notebooks/{lesson}.ipynb" download' in page, lesson
        served = site["root"] / lang / "notebooks" / f"{lesson}.ipynb"
        assert served.read_bytes() == notebook("notebooks", lang, lesson).read_bytes(), lesson


@pytest.mark.parametrize("lang", LANGS)
def test_binder_link_opens_the_student_notebook(site, lang):
    lesson = LESSONS[1]
    page = (site["root"] / lang / f"{lesson}.html").read_text()
    binder = "https://mybinder.org/v2/gh/example/pytorch-course/main"
    assert f"{binder}?urlpath=lab/tree/notebooks/{lang}/{lesson}.ipynb" in page


def test_binder_link_is_off_without_a_repository(monkeypatch):
    conf = REPO_ROOT / "site" / "conf.py"
    monkeypatch.delenv("COURSE_REPO_URL", raising=False)
    assert "launch_buttons" not in runpy.run_path(str(conf))["html_theme_options"]
    monkeypatch.setenv("COURSE_REPO_URL", REPO_URL)
    options = runpy.run_path(str(conf))["html_theme_options"]
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert options["repository_url"] == REPO_URL


class Links(html.parser.HTMLParser):
    """The addresses a page links to or loads, and the ids it defines."""

    ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, address)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        address = values.get(self.ATTRIBUTES.get(tag, ""))
        if address:
            self.links.append((tag, address))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text())
    return links


def test_every_internal_link_and_image_resolves_and_nothing_loads_from_outside(site):
    root = site["root"]
    # The pages (the themes also copy Jinja macro files named *.html into _static/).
    pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)
    parsed = {path: parse(path) for path in pages}
    broken, outside = [], []
    for path, links in parsed.items():
        for tag, address in links.links:
            parts = urlsplit(address)
            if parts.scheme or parts.netloc:
                if tag != "a":  # a link may leave the site; a page resource may not
                    outside.append(f"{path.relative_to(root)}: {tag} {address}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(root)}: {address}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(root)}: {address} (no such anchor)")
    assert len(pages) >= 2 * len(PAGES) + 1
    assert not broken, "\n".join(broken[:30])
    assert not outside, "\n".join(outside[:30])


@pytest.fixture(scope="module")
def browser():
    with support.headless_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def base(site):
    with support.serve(site["root"]) as url:
        yield url


class Visit:
    """A page opened offline: what it logged as errors and what it tried to fetch outside."""

    def __init__(self, browser, base: str) -> None:
        self.page = browser.new_page(viewport=VIEWPORT)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.route("**/*", lambda route: self._route(route, base))

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request) -> None:
        if request.failure != "net::ERR_ABORTED":  # not a page leaving before a load ends
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _route(self, route, base: str) -> None:
        if route.request.url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"fetched from outside: {route.request.url}")
            route.abort()

    def open(self, url: str) -> dict:
        """Go to ``url``, wait until math, widgets and images are drawn, report the page."""
        self.page.goto(url, wait_until="load")
        return self.settle()

    def settle(self) -> dict:
        """Wait until math, widgets and images are drawn and the network is quiet; report."""
        self.page.wait_for_function(DRAWN_JS, timeout=60_000)
        self.page.wait_for_load_state("networkidle")
        return self.page.evaluate(REPORT_JS)


@pytest.fixture
def visit(browser, base):
    opened = []

    def visit() -> Visit:
        opened.append(Visit(browser, base))
        return opened[-1]

    yield visit
    for page in opened:
        page.page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_loads_offline_and_draws_math_plots_and_widgets(site, base, visit, lang):
    pages = sorted(p.stem for p in (site["root"] / lang).glob("*.html"))
    assert set(PAGES) <= set(pages)
    tab = visit()
    for name in pages:
        tab.problems.clear()
        report = tab.open(f"{base}{lang}/{name}.html")
        assert tab.problems == [], (name, tab.problems)
        assert report["lang"] == lang, name
        assert report["mathErrors"] == 0 and not report["brokenWidgets"], (name, report)
        assert report["brokenImages"] == [], (name, report)
        if name not in LESSONS:
            continue
        assert report["title"].startswith(name[:2] + " ·"), (name, report["title"])
        assert report["copyButtons"] > 0, f"{name}: its code cannot be copied with a click"
        if "$" in notebook("solutions", lang, name).read_text():
            assert report["math"] > 0, f"{name}: no formula typeset"
        if has_output(lang, name, "image/png"):
            assert report["plots"] > 0, f"{name}: no plot drawn"
        if has_output(lang, name, "application/vnd.jupyter.widget-view+json"):
            assert report["views"] > 0, f"{name}: no widget on the page"


@pytest.mark.parametrize("lang", LANGS)
def test_the_switch_goes_to_the_same_page_in_the_other_language(base, visit, lang):
    tab = visit()
    for name in PAGES:
        here = tab.open(f"{base}{lang}/{name}.html")
        switch = tab.page.locator(".course-lang-switch")
        assert switch.count() == 1, name
        switch.click()
        tab.page.wait_for_url(f"{base}{OTHER[lang]}/{name}.html")
        there = tab.settle()
        assert there["lang"] == OTHER[lang], name
        if name in LESSONS:  # same lesson number, title in the other language
            assert there["title"][:4] == here["title"][:4] and there["title"] != here["title"]
    assert tab.problems == []


def test_the_landing_page_lets_a_visitor_choose(base, visit):
    tab = visit()
    tab.open(base)
    assert tab.page.locator("#choose-es").count() == 1
    tab.page.screenshot(path=shot_path("landing"))
    tab.page.locator("#choose-en").click()
    tab.page.wait_for_url(f"{base}en/index.html")
    assert tab.settle()["lang"] == "en"
    assert tab.problems == []


def shot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


@pytest.mark.parametrize(("lang", "lesson", "anchor"), SHOTS, ids=[f"{s[1]}-{s[0]}" for s in SHOTS])
def test_screenshot_of_one_lesson_per_language(base, visit, lang, lesson, anchor):
    tab = visit()
    report = tab.open(f"{base}{lang}/{lesson}.html")
    assert report["math"] > 0 or report["views"] > 0
    element = tab.page.locator(anchor).first
    element.scroll_into_view_if_needed()
    assert element.is_visible()
    tab.page.screenshot(path=shot_path(f"{lesson}-{lang}"))
    assert tab.problems == []


PHONE = {"width": 390, "height": 844}
# Interface texts the themes write in English; none may show on a Spanish page.
ENGLISH_UI = ["Toggle", "Search", "Link to this heading", "Main", "Page", "By ", "Contents"]
UI_TEXTS_JS = """() => {
  const texts = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('[lang]:not(html)')?.lang === 'en') continue;  // the switch
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  for (const part of document.querySelectorAll(
      'header, nav, footer, .bd-header-article, .prev-next-area, #pst-search-dialog')) {
    texts.push(part.innerText);
  }
  return texts;
}"""
IMAGES_JS = (
    """() => [...document.querySelectorAll('article img')].map(i => i.getAttribute('alt'))"""
)
FOCUS_JS = """() => {
  const e = document.activeElement, style = getComputedStyle(e), box = e.getBoundingClientRect();
  return {tag: e.tagName, text: (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40),
          cls: e.className, visible: box.width > 0 && box.height > 0,
          ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                || style.boxShadow !== 'none'};
}"""


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
def test_both_menus_open_on_a_phone(base, visit, lang):
    tab = visit()
    tab.page.set_viewport_size(PHONE)
    tab.open(f"{base}{lang}/{LESSONS[2]}.html")
    for toggle, drawer in [
        (".primary-toggle", "#pst-primary-sidebar-modal"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal"),
    ]:
        button = tab.page.locator(f".bd-header-article {toggle}")
        assert button.is_visible(), toggle
        assert not tab.page.locator(drawer).is_visible()
        button.click()
        tab.page.wait_for_selector(f"{drawer}[open]", state="visible", timeout=5_000)
        assert tab.page.locator(f"{drawer} a").first.is_visible(), drawer
        tab.page.keyboard.press("Escape")
        tab.page.wait_for_selector(f"{drawer}[open]", state="detached", timeout=5_000)
    assert tab.problems == []


def test_the_lessons_button_hides_the_list_on_a_wide_screen(base, visit):
    tab = visit()
    tab.open(f"{base}en/{LESSONS[1]}.html")
    sidebar = tab.page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    tab.page.locator(".bd-header-article .primary-toggle").click()
    sidebar.wait_for(state="hidden", timeout=5_000)


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_runs_off_a_phone_screen(site, base, visit, lang):
    tab = visit()
    tab.page.set_viewport_size(PHONE)
    for name in PAGES:
        tab.open(f"{base}{lang}/{name}.html")
        wide = tab.page.evaluate("""() => [...document.querySelectorAll(
            '.prev-next-area a, .cell_output .jupyter-widgets, .bd-header-article .btn')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert wide == [], (name, wide)


@pytest.mark.parametrize("lang", LANGS)
def test_every_image_is_described_by_a_sentence_of_the_page(base, visit, lang):
    """Alt text is a sentence of the lesson's own prose: in the page's language, no path."""
    tab = visit()
    described = 0
    for name in LESSONS:
        tab.open(f"{base}{lang}/{name}.html")
        prose = words(tab.page.locator("article").inner_text())
        for alt in tab.page.evaluate(IMAGES_JS):
            assert alt and "/" not in alt and ".png" not in alt, (name, alt)
            assert alt[0].isupper() and alt.endswith("."), (name, alt)
            assert len(alt.split()) >= 5, (name, alt)
            start = " ".join(alt.split(". ")[0].split()[:6])  # the lesson's, not an invented one
            assert start in prose, (name, alt)
            described += 1
    assert described >= 14  # plots and widget images of the seven lessons


def test_the_switch_lands_on_the_twin_section(base, visit):
    """From a deep section in Spanish, the switch opens the same section in English."""
    tab = visit()
    for lang in LANGS:
        tab.open(f"{base}{lang}/{LESSONS[2]}.html")
        here = tab.page.locator("article section[id]")
        count = here.count()
        there = tab.open(f"{base}{OTHER[lang]}/{LESSONS[2]}.html")
        assert tab.page.locator("article section[id]").count() == count, "sections do not pair"
        assert there["lang"] == OTHER[lang]
    tab.open(f"{base}es/{LESSONS[2]}.html")
    ids = tab.page.eval_on_selector_all("article section[id]", "s => s.map(x => x.id)")
    target = next(i for i, name in enumerate(ids) if "confusion" in name)
    tab.page.goto(f"{base}es/{LESSONS[2]}.html#{ids[target]}")
    tab.settle()
    tab.page.locator(".course-lang-switch").click()
    tab.page.wait_for_url(f"{base}en/{LESSONS[2]}.html#*")
    tab.settle()
    twin = tab.page.eval_on_selector_all("article section[id]", "s => s.map(x => x.id)")[target]
    assert tab.page.url.endswith(f"#{twin}") and "confusion" in twin, tab.page.url
    top = tab.page.locator(f"[id='{twin}']").bounding_box()["y"]
    assert 0 <= top < PHONE["height"], top  # the reader sees the section, not the page top
    assert tab.problems == []


def test_the_switch_keeps_a_search_query(base, visit):
    tab = visit()
    tab.open(f"{base}es/search.html?q=dropout")
    tab.page.wait_for_selector("#search-results .search-summary, #search-results p")
    status = tab.page.locator("#search-results").inner_text()
    assert "coinciden con la consulta" in status or "coincide con la consulta" in status
    summaries = tab.page.locator("#search-results .context").all_inner_texts()
    assert summaries and not any("Cuaderno" in s or "English" in s for s in summaries)
    tab.page.locator(".course-lang-switch").click()
    tab.page.wait_for_url(f"{base}en/search.html?q=dropout*")


@pytest.mark.parametrize("name", PAGES + ["search"])
def test_no_english_interface_text_on_a_spanish_page(base, visit, name):
    tab = visit()
    tab.open(f"{base}es/{name}.html")
    texts = tab.page.evaluate(UI_TEXTS_JS)
    english = sorted({w for t in texts for w in ENGLISH_UI if w and w in (t or "")})
    assert english == [], (name, english)


@pytest.mark.parametrize("lang", LANGS)
def test_every_control_shows_a_focus_ring(base, visit, lang):
    """Tab through the page's header and the lesson's first controls: each shows a ring."""
    tab = visit()
    tab.open(f"{base}{lang}/{LESSONS[2]}.html")
    seen, missing = set(), []
    for _ in range(40):
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(FOCUS_JS)
        if focused["visible"]:
            seen.add(focused["cls"])
            if not focused["ring"]:
                missing.append(focused)
    assert not missing, missing
    for control in ("course-lang-switch", "course-download", "primary-toggle"):
        assert any(control in cls for cls in seen), (control, seen)


COLORS_JS = """selector => [...document.querySelectorAll(selector)].map(a => {
    const s = getComputedStyle(a); return [s.color, s.backgroundColor]; })"""


@pytest.mark.parametrize(
    ("page", "selector"),
    [("", "a.go"), ("en/03_regularization.html", ".jupyter-button.mod-primary")],
    ids=["landing", "widget-button"],
)
def test_coloured_buttons_have_aa_contrast(base, visit, page, selector):
    """White on a coloured button: 4.5:1 at least (the landing page, ipywidgets' primary)."""
    tab = visit()
    tab.open(base + page)
    colors = tab.page.evaluate(COLORS_JS, selector)
    assert colors, selector
    for color, background in colors:
        assert contrast(color, background) >= 4.5, (color, background)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        channels = [int(v) / 255 for v in css[css.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# Contrast, measured in the page: every visible text against the background it is drawn on
# (its and its ancestors' backgrounds composited; a gradient by its worst colour; text on a
# picture is reported as skipped), 4.5:1 or 3:1 for large text; links in running text that
# are not underlined, 3:1 against the text around them; each kind of control's focus ring,
# 3:1 against what is around it (WCAG 1.4.11). {theme, checked, rings, failures, skipped}.
CONTRAST_JS = r"""(options) => {
  const scope = options?.scope;  // Playwright passes null without an argument
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const cache = new Map();
  const rgba = (css) => {  // any CSS colour -> [r, g, b, a] (a from 0 to 1), by the canvas
    if (!cache.has(css)) {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "rgba(0, 0, 0, 0)";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      cache.set(css, [r, g, b, a / 255]);
    }
    return cache.get(css);
  };
  const over = (top, bottom) => {  // `top` composited over `bottom`
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) =>
    "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const round = (value) => Math.round(value * 100) / 100;
  const opacity = (element) => {  // its opacity times its ancestors'
    let value = 1;
    for (let e = element; e; e = e.parentElement) value *= parseFloat(getComputedStyle(e).opacity);
    return value;
  };
  const COLORS = /(?:rgba?|hsla?|color|oklch|oklab|lab|lch)\([^()]*\)|#[0-9a-f]{3,8}\b/gi;
  // What is behind an element: its own and its ancestors' backgrounds, composited from the
  // page's white canvas up to it. A gradient counts as each of its colours (the worst one
  // decides); an image cannot be judged here and the text on it is reported as skipped.
  const backgrounds = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      const image = style.backgroundImage === "none" ? null : style.backgroundImage;
      layers.push({ e, color: rgba(style.backgroundColor), image });
      if (layers.at(-1).color[3] === 1 && !image) break;
    }
    let stack = [[255, 255, 255, 1]];
    let skipped = null;
    for (const { e, color, image } of layers.reverse()) {
      const alpha = opacity(e);
      if (image && image.includes("gradient")) {
        stack = image.match(COLORS).map(rgba).flatMap((c) =>
          stack.map((below) => over([...c.slice(0, 3), c[3] * alpha], below)));
      } else if (image && !image.includes("data:image/svg")) {  // svg: the theme's icons
        skipped = image.slice(0, 80);
      }
      stack = stack.map((below) => over([...color.slice(0, 3), color[3] * alpha], below));
    }
    return { stack, skipped };
  };
  const describe = (element) => {
    const parts = [];
    for (let e = element; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const classes = [...e.classList].slice(0, 2).map((c) => "." + c).join("");
      parts.unshift(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes);
    }
    return parts.join(" > ");
  };
  const shown = (node) => {  // drawn on the screen: not hidden, not clipped to a dot
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false;
    const style = getComputedStyle(node.parentElement);
    if (style.visibility !== "visible" || parseFloat(style.fontSize) < 1) return false;
    for (let e = node.parentElement; e; e = e.parentElement) {  // screen-reader-only text
      const s = getComputedStyle(e), r = e.getBoundingClientRect();
      if (s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)") return false;
      if (s.overflow === "hidden" && (r.width < 2 || r.height < 2)) return false;
    }
    return opacity(node.parentElement) > 0;
  };
  // Transitions off: measured is what the reader sees once a change has finished.
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition: none !important; "
    + "animation: none !important; }";
  document.head.append(still);
  const roots = scope ? [...document.querySelectorAll(scope)] : [document.body];
  const all = (selector) => [...new Set(roots.flatMap((root) =>
    [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)]))];
  const failures = [], skipped = [];
  let checked = 0;
  const check = (element, text, foreground, kind, need) => {
    const { stack, skipped: image } = backgrounds(element);
    if (image) return skipped.push({ where: describe(element), text, image });
    const fg = rgba(foreground);
    const alpha = fg[3] * opacity(element);
    let worst = null;
    for (const bg of stack) {
      const drawn = over([...fg.slice(0, 3), alpha], bg);
      const value = ratio(drawn, bg);
      if (!worst || value < worst.ratio) {
        worst = { ratio: value, color: hex(drawn), background: hex(bg) };
      }
    }
    checked += 1;
    if (worst.ratio < need) {
      failures.push({ kind, where: describe(element), text: text.slice(0, 40), ...worst,
                      ratio: round(worst.ratio), need });
    }
  };
  const need = (style) => {  // WCAG's large text: 24 px, or 18.66 px bold
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    return size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  };
  // 1. Every text node, in its element's colour (MathJax draws glyphs as CSS content: its
  //    container), and what is typed in, or the placeholder of, every field.
  const seen = new Set();
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || !element || seen.has(element)) continue;
      if (element.closest("script, style, noscript, template, mjx-assistive-mml")) continue;
      if (element.closest(":disabled, [aria-disabled=true]")) continue;  // inactive: exempt
      if (!shown(node)) continue;
      seen.add(element);
      const style = getComputedStyle(element);
      check(element, node.textContent.trim(), style.webkitTextFillColor || style.color,
            "text", need(style));
    }
  }
  for (const math of all("mjx-container")) {
    const box = math.getBoundingClientRect(), style = getComputedStyle(math);
    if (box.width >= 2 && box.height >= 2) check(math, "math", style.color, "math", need(style));
  }
  for (const field of all("input:not([type=hidden], [type=checkbox], [type=radio], "
                          + "[type=range]), textarea")) {
    const box = field.getBoundingClientRect(), text = field.value || field.placeholder;
    if (box.width < 2 || box.height < 2 || field.disabled || !text) continue;
    const style = getComputedStyle(field, field.value ? null : "::placeholder");
    check(field, text, style.color, field.value ? "field" : "placeholder", need(style));
  }
  // 2. A link in running text that is not underlined: 3:1 against the text around it.
  for (const link of all("p a, li a, td a")) {
    const style = getComputedStyle(link), around = getComputedStyle(link.parentElement);
    if (!link.textContent.trim() || link.getBoundingClientRect().width < 2) continue;
    if (style.textDecorationLine.includes("underline")) continue;
    if (parseFloat(style.borderBottomWidth) > 0) continue;
    const nodes = [...link.parentElement.childNodes];
    if (!nodes.some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    const value = ratio(rgba(style.color), rgba(around.color));
    if (value < 3) {
      failures.push({ kind: "link-in-text", where: describe(link), need: 3,
                      text: link.textContent.trim().slice(0, 40), ratio: round(value),
                      color: hex(rgba(style.color)), background: hex(rgba(around.color)) });
    }
  }
  // 3. The focus ring of each kind of control (WCAG 1.4.11: 3:1). A ring is an outline or a
  //    box-shadow of the control, or of an ancestor drawing it for its focused child
  //    (`:focus-within`); drawn outside the box, it is seen against what is around it.
  const ringsOf = (control) => {
    const found = [];
    for (let e = control, depth = 0; e && depth < 3; e = e.parentElement, depth += 1) {
      if (e !== control && !e.matches(":focus-within")) break;
      const style = getComputedStyle(e), around = e.parentElement || e;
      if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
        const inside = parseFloat(style.outlineOffset) < 0;
        found.push({ color: style.outlineColor, behind: inside ? e : around });
      }
      const shadows = style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\))/);
      for (const shadow of shadows) {
        const color = shadow.match(COLORS);
        const [x, y, blur, spread] = (shadow.replace(COLORS, "").match(/-?[\d.]+px/g) || [])
          .map(parseFloat);
        if (!color || !(spread > 0 || blur > 0 || x || y)) continue;
        found.push({ color: color[0], behind: shadow.includes("inset") ? e : around });
      }
    }
    return found;
  };
  const kinds = new Map();
  const controls = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";
  for (const control of all(controls)) {
    const box = control.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || control.disabled) continue;
    if (getComputedStyle(control).visibility !== "visible") continue;
    const kind = describe(control).replace(/#[\w-]+/g, "");
    if (!kinds.has(kind)) kinds.set(kind, control);
  }
  const scroll = [window.scrollX, window.scrollY];
  let rings = 0;
  for (const [kind, control] of kinds) {
    control.focus({ preventScroll: true, focusVisible: true });
    if (document.activeElement !== control) continue;
    rings += 1;
    let best = null;  // the most visible ring, each on the worst of what is behind it
    for (const ring of ringsOf(control)) {
      const c = rgba(ring.color);
      let worst = null;
      for (const bg of backgrounds(ring.behind).stack) {
        const value = ratio(over(c, bg), bg);
        if (!worst || value < worst.ratio) {
          worst = { ratio: value, color: hex(c), background: hex(bg) };
        }
      }
      if (worst && (!best || worst.ratio > best.ratio)) best = worst;
    }
    if (!best || best.ratio < 3) {
      failures.push({ kind: "focus", where: kind, text: control.textContent.trim().slice(0, 40),
                      need: 3, color: "none", background: "", ...best,
                      ratio: best ? round(best.ratio) : 0 });
    }
    control.blur();
  }
  window.scrollTo(...scroll);
  still.remove();
  const theme = document.documentElement.dataset.theme || "";
  return { theme, checked, rings, failures, skipped };
}"""
MODES = ("light", "dark")
QUERY = "dropout"  # the search page is audited with its results
# The theme's components the lessons do not use yet, put in a lesson to be audited: every
# admonition, a glossary, a quotation, keys, a search hit, a table, each Pygments token
# class in a code cell, and a cell's stderr and coloured (ANSI) output.
ADMONITIONS = ["note", "tip", "hint", "important", "attention", "caution", "warning"]
ADMONITIONS += ["danger", "error", "seealso", ""]
TOKENS = (  # Pygments' token classes, as the theme's styles name them
    "k kc kd kn kp kr kt n na nb bp nc no nd ni ne nf fm nl nn nt nv vc vg vi vm o ow p c c1"
    " ch cm cp cpf cs s sa sb sc dl sd s2 se sh si sx sr s1 ss m mb mf mh mi il mo gd ge gr"
    " gh gi go gp gs gu gt err"
)
ANSI = ["Red", "Green", "Yellow", "Blue", "Magenta", "Cyan"]
PROSE = (
    '<p>Text, <a class="reference external" href="#x">a link</a>, <code class="docutils literal'
    ' notranslate"><span class="pre">code</span></code>, <strong>bold</strong>, <em>em</em>.</p>'
)
SAMPLES = "".join(
    [
        '<section id="course-contrast-samples">',
        *(
            f'<div class="admonition {kind}"><p class="admonition-title">{kind or "Admonition"}'
            f"</p>{PROSE}</div>"
            for kind in ADMONITIONS
        ),
        '<dl class="simple glossary"><dt>term</dt><dd>definition</dd></dl>',
        f"<blockquote><div>{PROSE}</div></blockquote>",
        '<p><kbd class="kbd docutils literal notranslate">Ctrl</kbd> <span class="highlighted">'
        'hit</span> <span class="guilabel">Menu</span></p>',
        '<table class="table"><thead><tr><th class="head">head</th></tr></thead>'
        "<tbody><tr><td>cell</td></tr></tbody></table>",
        '<div class="cell docutils container"><div class="cell_input docutils container">'
        '<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span></span>',
        *(f'<span class="{token}">{token}_token</span> ' for token in TOKENS.split()),
        '</pre></div></div></div><div class="cell_output docutils container">'
        '<div class="output stderr highlight-myst-ansi notranslate"><div class="highlight"><pre>'
        "<span></span>UserWarning: a warning on stderr</pre></div></div>"
        '<div class="output text_plain highlight-myst-ansi notranslate"><div class="highlight">'
        "<pre><span></span>",
        *(f'<span class="-Color -Color-{color}">{color}</span> ' for color in ANSI),
        "</pre></div></div></div></div></section>",
    ]
)


def in_mode(tab: Visit, mode: str) -> Visit:
    """The tab's pages open in the theme's light or dark mode (the reader's saved choice)."""
    tab.page.add_init_script(f"localStorage.setItem('mode', '{mode}');")
    return tab


def low_contrast(report: dict, where: str) -> list[str]:
    return [
        f"{where}: {f['kind']} {f['text']!r} ({f['where']}) {f['color']} on {f['background']}"
        f" = {f['ratio']}:1 < {f['need']}:1"
        for f in report["failures"]
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_text_and_focus_ring_has_aa_contrast(site, base, visit, lang, mode):
    """Every page of the book (and the landing page), its menus, search box and tooltips."""
    tab = in_mode(visit(), mode)
    names = sorted(p.stem for p in (site["root"] / lang).glob("*.html"))
    addresses = [f"{lang}/{name}.html" for name in names]
    addresses[names.index("search")] += f"?q={QUERY}"
    failures, skipped = [], []
    for address in addresses + ([""] if lang == "en" else []):
        tab.open(base + address)
        if "search" in address:
            tab.page.wait_for_selector("#search-results .search-summary, #search-results p")
            assert tab.page.locator("#search-results li").count() > 0
        report = tab.page.evaluate(CONTRAST_JS)
        assert report["theme"] == (mode if address else ""), address  # the landing: no theme
        assert report["checked"] >= 20 and (report["rings"] >= 2 or not address), report
        failures += low_contrast(report, f"{address or 'landing'} [{mode}]")
        skipped += [f"{address}: {s['where']} on {s['image']}" for s in report["skipped"]]
    # What only shows on demand, on a lesson: the header's menus, the search dialog, a tooltip.
    tab.open(f"{base}{lang}/{LESSONS[2]}.html")
    tab.page.evaluate(
        "() => document.querySelectorAll('.dropdown-menu').forEach(m => m.classList.add('show'))"
    )
    report = tab.page.evaluate(CONTRAST_JS, {"scope": ".dropdown-menu.show"})
    assert report["checked"] >= 4, report  # the launch menu and the light/dark/system menu
    failures += low_contrast(report, f"menus [{mode}]")
    tab.page.evaluate(
        "() => document.querySelectorAll('.dropdown-menu').forEach(m => m.classList.remove('show'))"
    )
    tab.page.evaluate("() => document.querySelector('#pst-search-dialog').showModal()")
    tab.page.keyboard.type(QUERY)
    report = tab.page.evaluate(CONTRAST_JS, {"scope": "#pst-search-dialog"})
    assert report["checked"] >= 1 and report["rings"] >= 1, report
    failures += low_contrast(report, f"search dialog [{mode}]")
    tab.page.evaluate("() => document.querySelector('#pst-search-dialog').close()")
    tab.page.locator(".course-lang-switch").hover()
    tab.page.wait_for_selector(".tooltip.show")
    failures += low_contrast(
        tab.page.evaluate(CONTRAST_JS, {"scope": ".tooltip"}), f"tooltip [{mode}]"
    )
    assert not failures, "\n".join(failures)
    assert not skipped, "\n".join(skipped)  # text on a picture: judge it by hand, then allow
    assert tab.problems == []


@pytest.mark.parametrize("mode", MODES)
def test_the_themes_components_have_aa_contrast(base, visit, mode):
    """Admonitions, Pygments tokens, stderr and ANSI colours, ...: ready when a lesson uses them."""
    tab = in_mode(visit(), mode)
    tab.open(f"{base}en/{LESSONS[3]}.html")
    tab.page.evaluate(
        "html => document.querySelector('article').insertAdjacentHTML('beforeend', html)", SAMPLES
    )
    report = tab.page.evaluate(CONTRAST_JS, {"scope": "#course-contrast-samples"})
    assert report["theme"] == mode
    assert report["checked"] >= len(ADMONITIONS) * 5 + len(TOKENS.split()) + len(ANSI), report
    assert not report["failures"], "\n".join(low_contrast(report, f"components [{mode}]"))


def test_the_contrast_audit_reports_faint_text_links_and_rings(base, visit):
    """A control: faint elements put in a page are reported, their AA twins are not."""
    tab = visit()
    tab.open(f"{base}en/{LESSONS[1]}.html")
    tab.page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('afterbegin', `
        <div id="probe" style="background: #fff; color: #222">
          <p style="color: #999">faint</p>
          <p style="color: #767676">enough</p>
          <p style="color: #aaa; font-size: 24px">large faint</p>
          <p style="color: #949494; font-size: 24px">large enough</p>
          <p style="color: #949494; font-size: 18px; font-weight: 700">bold small</p>
          <div style="background: rgba(0, 0, 0, 0.75)"><p style="color: #555">veiled</p></div>
          <div style="background: linear-gradient(#fff, #333)"><p>gradient</p></div>
          <p>Text with <a href="#" style="color: #333; text-decoration: none">plain link</a>.</p>
          <button class="a" style="outline: none !important; box-shadow: none">no ring</button>
          <style>#probe .b:focus-visible { outline: 3px solid #eee !important; }</style>
          <button class="b">faint ring</button>
        </div>`)"""
    )
    report = tab.page.evaluate(CONTRAST_JS, {"scope": "#probe"})
    found = {f["text"]: f for f in report["failures"]}
    faint = {"faint", "large faint", "bold small", "veiled", "gradient", "plain link"}
    assert set(found) == faint | {"no ring", "faint ring"}, report["failures"]
    assert found["faint"]["ratio"] == pytest.approx(2.85, abs=0.01)
    assert found["faint"]["need"] == found["bold small"]["need"] == 4.5  # 18 px bold: not large
    assert found["large faint"]["need"] == 3
    assert found["plain link"]["kind"] == "link-in-text"
    assert found["no ring"]["kind"] == found["faint ring"]["kind"] == "focus"
    assert found["no ring"]["ratio"] == 0 and found["faint ring"]["ratio"] < 1.2
    tab.page.evaluate("() => document.querySelector('#probe').remove()")
    assert tab.page.evaluate(CONTRAST_JS)["failures"] == []  # the page itself passes


@pytest.mark.parametrize("lang", LANGS)
def test_every_lesson_links_its_apis_docs_papers_and_source(site, lang):
    """PyTorch's documentation of what each lesson teaches, the papers it cites, the source."""
    teaches = {
        "01": ["torch.optim.SGD.html", "torch.nn.CrossEntropyLoss.html", "zero_grad.html"],
        "02": ["torch.no_grad.html", "torch.nn.Module.eval", "data.html#torch.utils.data"],
        "03": ["torch.nn.Dropout.html", "torch.optim.Adam.html"],
        "04": ["torch.nn.BatchNorm1d.html", "arxiv.org/abs/1502.03167", "arxiv.org/abs/1805.11604"],
        "05": ["torch.utils.data.DataLoader", "doi.org/10.1371/journal.pone.0090081"],
        "06": ["torch.load.html", "torch.save.html", "torch.nn.Module.state_dict"],
    }
    for lesson in LESSONS:
        page = (site["root"] / lang / f"{lesson}.html").read_text()
        links = [address for tag, address in parse(site["root"] / lang / f"{lesson}.html").links]
        for expected in teaches.get(lesson[:2], []):
            assert any(expected in address for address in links), (lesson, expected)
        assert f"{REPO_URL}/blob/main/lessons/{lesson}.py" in links, lesson
        assert f"{REPO_URL}/issues" in links, lesson
        assert "course-build" in page and "20" in page.split("course-build")[1][:120]
        assert "✅" not in page, lesson  # drawn as an empty box without an emoji font
    lesson_links = [a for a in parse(site["root"] / lang / f"{LESSONS[2]}.html").links]
    assert ("a", f"{LESSONS[1]}.html") in lesson_links  # "lesson 01" leads to lesson 01

"""Sphinx configuration of one language's book; `site/build.py` sets the language.

The build script assembles the source folder (the lessons' executed notebooks and a
generated index) and runs Sphinx once per language with ``COURSE_SITE_LANG`` set.
Nothing is executed here: the notebooks' stored outputs are what the pages show.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import course_site  # noqa: E402  (the extension next to this file)

LANG = os.environ.get("COURSE_SITE_LANG", "en")
TEXT = course_site.TEXT[LANG]
# The one publishing setting: the repository's address (GitHub or GitLab). With it, each
# lesson gets a "launch on Binder" link (Binder builds the repo's environment.yml); without
# it, no launch link is shown.
REPO_URL = os.environ.get("COURSE_REPO_URL", "").rstrip("/")
REPO_BRANCH = os.environ.get("COURSE_REPO_BRANCH", "main")

project = TEXT["title"]
author = TEXT["authors"]
copyright = TEXT["authors"]
language = LANG

extensions = ["myst_nb", "sphinx_copybutton", "course_site"]
templates_path = [str(HERE / "_templates")]
html_static_path = [str(HERE / "_static")]
html_css_files = ["course.css"]
# The course's scripts: the sidebar buttons, the switch's section, widget labels, search.
html_js_files = [("course.js", {"defer": "defer"}), ("course-twins.js", {"defer": "defer"})]
html_use_index = False  # no index entries: an index page would be empty
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_title = TEXT["title"]
html_favicon = str(HERE / "_static" / "favicon.svg")
html_copy_source = False  # the download link gives the student's notebook instead
html_show_sourcelink = False
# What the "download notebook" link gives: the student's version, exercises to do.
course_student_notebooks = str(HERE.parent / "notebooks" / LANG)

# MyST and notebooks: never execute; `$…$` math; stored widget state rendered offline.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
nb_output_stderr = "show"
nb_merge_streams = True
# The widget manager and its bridge to MathJax 3, bundled in site/_static/widgets
# (no CDN at view time).
nb_ipywidgets_js = {"widgets/mathjax-hub.js": {}, "widgets/embed.js": {"defer": "defer"}}
# MathJax 3 bundled from the sphinx-mathjax-offline package (no CDN at view time).
mathjax_path = "mathjax/tex-chtml.js"
copybutton_exclude = ".linenos, .gp, .go"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,  # course_site adds the student's notebook instead
    "use_fullscreen_button": False,
    "article_header_end": ["lang-switch.html", "article-header-buttons.html"],
    "footer_content_items": ["course-footer.html"],
    "search_bar_text": TEXT["search_placeholder"],
}


def commit() -> str:
    """The commit the site is built from (short hash), or "?" outside a git checkout."""
    command = ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"]
    done = subprocess.run(command, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "?"


# An unset mode makes the theme log an error in the console of every page.
html_context = {
    "default_mode": "light",
    "course_version": commit(),
    "course_date": datetime.date.today().isoformat(),
    "course_source": "",  # set per lesson by course_site when REPO_URL is set
    "course_issues": f"{REPO_URL}/issues" if REPO_URL else "",
}
course_repo = {"url": REPO_URL, "branch": REPO_BRANCH}
if REPO_URL:
    html_theme_options |= {
        "repository_url": REPO_URL,
        "repository_branch": REPO_BRANCH,
        "path_to_docs": f"notebooks/{LANG}",  # the launch link opens the student's notebook
        "launch_buttons": {
            "binderhub_url": "https://mybinder.org",
            "notebook_interface": "jupyterlab",
        },
    }

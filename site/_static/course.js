/* The course's page behaviour (site/course_site.py adds it to every page).
 *
 * - Sidebar buttons: the book theme binds its toggles to the first `.primary-toggle` and
 *   `.secondary-toggle` it finds, which are hidden; the visible ones forward their click.
 * - Language switch: it opens the twin of the section being read (`course-twins.js`,
 *   written by site/build.py, lists the other book's section ids page by page) and keeps
 *   a search query.
 * - Widgets drawn from their saved state: images get the text of the page's notice
 *   (`data-alt`), sliders the name on their label.
 * - Search results: a page's summary is its lesson text, not its buttons.
 */
"use strict";

function forwardSidebarToggles() {
  for (const kind of ["primary", "secondary"]) {
    const buttons = [...document.querySelectorAll(`.${kind}-toggle`)];
    for (const button of buttons.slice(1)) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        buttons[0].click();
      });
    }
  }
}

function currentSection(sections) {
  // The section the address points to while it is on screen; else the last section
  // whose start has scrolled to the upper third of the screen.
  const hash = decodeURIComponent(window.location.hash.slice(1));
  const target = hash ? document.getElementById(hash) : null;
  const box = target?.getBoundingClientRect();
  if (box && box.bottom > 0 && box.top < window.innerHeight) {
    const index = sections.indexOf(target.closest("section[id]"));
    if (index >= 0) return index;
  }
  const line = window.innerHeight / 3;
  let index = -1;
  sections.forEach((section, i) => {
    if (section.getBoundingClientRect().top <= line) index = i;
  });
  return index;
}

function twinAddress(switcher) {
  const url = new URL(switcher.getAttribute("href"), window.location.href);
  const page = url.pathname.split("/").pop().replace(/\.html$/, "");
  const twins = (window.courseTwins || {})[page];
  const sections = [...document.querySelectorAll("article.bd-article section[id]")];
  const index = currentSection(sections);
  const paired = twins && twins.length === sections.length;
  url.hash = paired && index > 0 ? twins[index] : ""; // the first section is the page top
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) url.search = new URLSearchParams({ q: query }).toString();
  return url.href;
}

function followSectionsOnSwitch() {
  for (const switcher of document.querySelectorAll(".course-lang-switch")) {
    const update = () => switcher.setAttribute("href", twinAddress(switcher));
    for (const event of ["pointerdown", "focus", "mouseenter", "click"]) {
      switcher.addEventListener(event, update);
    }
  }
}

function labelWidgets() {
  for (const notice of document.querySelectorAll(".course-snapshot")) {
    const cell = notice.previousElementSibling; // the code cell whose widget it describes
    for (const image of cell?.querySelectorAll("img.widget-image:not([alt])") ?? []) {
      image.alt = notice.dataset.alt;
    }
  }
  for (const slider of document.querySelectorAll("[role=slider]:not([aria-label])")) {
    const label = slider.closest(".widget-slider, .jupyter-widgets")?.querySelector(".widget-label");
    if (label && label.textContent.trim()) slider.setAttribute("aria-label", label.textContent.trim());
  }
}

function watchWidgets() {
  labelWidgets();
  new MutationObserver(labelWidgets).observe(document.body, { childList: true, subtree: true });
}

function summarizeLessonText() {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const original = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".bd-header-article, #jb-print-docs-body, .course-snapshot")
      .forEach((element) => element.remove());
    return original(page.documentElement.outerHTML, anchor);
  };
}

summarizeLessonText();
document.addEventListener("DOMContentLoaded", () => {
  forwardSidebarToggles();
  followSectionsOnSwitch();
  watchWidgets();
});

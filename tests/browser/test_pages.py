"""Every page of the built book, read in a real offline Chromium as a student would see it.

Each page in _toc.yml is loaded once (see `visit`), and the tests below check what was measured:
it loads offline and without errors, its images load, its math is typeset, its widgets render,
its download buttons work, and no code cell, output or table is wider than the content column.
A full-page screenshot of each page is written to book/_build/screenshots/<page>.png.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .bookbrowser import SCREENSHOTS, VIEWPORT, guarded_page, is_notebook, settle, toc_pages

PAGES = toc_pages()
WIDGET_TIMEOUT_MS = 20_000
OVERFLOW_TOLERANCE_PX = 4  # sub-pixel rounding, borders

# Measured in the page: everything the tests below need, in one round trip.
MEASURE_JS = r"""
() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  // The column is the article's content box (its padding is the gutter, not room for code).
  const columnRight = article.getBoundingClientRect().right -
    parseFloat(getComputedStyle(article).paddingRight);
  const visibleText = (root) => {
    const clone = root.cloneNode(true);
    clone.querySelectorAll("pre, code, .highlight, script, style, mjx-container, .toggle-hidden")
      .forEach((el) => el.remove());
    return clone.textContent;
  };
  const describe = (el) => {
    const cell = el.closest(".cell");
    const where = cell ? `cell #${[...document.querySelectorAll(".cell")].indexOf(cell)} ` +
      (el.closest(".cell_output") ? "output" : "code") : "text";
    const text = (el.textContent || "").trim().split("\n")[0].slice(0, 60);
    return `${where} <${el.tagName.toLowerCase()} class="${el.className}"> "${text}"`;
  };
  // Wide things: code (input and output), tables, output areas, widgets, figures.
  const overflow = [];
  const wide = article.querySelectorAll(
    "div.cell pre, div.highlight, pre, table, .cell_output > *, .output, .jupyter-widgets, img, figure");
  for (const el of wide) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;  // not displayed
    if (r.right > columnRight + %TOL%) {
      overflow.push(`${describe(el)} extends ${Math.round(r.right - columnRight)} px past the column`);
    }
    const scrolls = ["PRE", "TABLE"].includes(el.tagName) || el.matches(".pst-scrollable-table-container");
    if (scrolls && el.scrollWidth > el.clientWidth + %TOL%) {
      overflow.push(`${describe(el)} scrolls sideways by ${el.scrollWidth - el.clientWidth} px`);
    }
  }
  for (const wrap of article.querySelectorAll(".pst-scrollable-table-container")) {
    if (wrap.scrollWidth > wrap.clientWidth + %TOL%) {
      overflow.push(`${describe(wrap.querySelector("table") || wrap)} scrolls sideways by ` +
                    `${wrap.scrollWidth - wrap.clientWidth} px`);
    }
  }
  const text = visibleText(article);
  // How many monospace characters fit on one line of a code cell (for the failure message).
  const pre = article.querySelector("div.cell pre") || article.querySelector("pre");
  let charsPerLine = null;
  if (pre) {
    const probe = document.createElement("span");
    probe.textContent = "x".repeat(100);
    pre.appendChild(probe);
    const cs = getComputedStyle(pre);
    const inner = pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    charsPerLine = Math.floor(inner / (probe.getBoundingClientRect().width / 100));
    probe.remove();
  }
  return {
    charsPerLine,
    images: [...article.querySelectorAll("img")].map((img) => ({
      src: img.getAttribute("src").slice(0, 80), ok: img.complete && img.naturalWidth > 0})),
    drawnCanvases: [...article.querySelectorAll("canvas")].filter(
      (c) => c.width > 0 && c.height > 0).length,  // the page-side charts (trainer, cliff map)
    mathElements: article.querySelectorAll(".math").length,
    untypesetMath: [...article.querySelectorAll(".math")].filter(
      (el) => !el.querySelector("mjx-container")).length,
    mjxContainers: article.querySelectorAll("mjx-container").length,
    mathErrors: [...article.querySelectorAll("mjx-merror")].map((el) => el.textContent.slice(0, 80)),
    rawMath: (text.match(/\$\$|\\\[|\\\(|\\begin\{/g) || []),
    widgetViews: document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgetsRendered: article.querySelectorAll(".jupyter-widgets").length,
    widgetPlaceholders: (text.match(/Loading widget|Error (displaying|rendering) widget|widget (model )?not found/gi) || []),
    downloads: [...document.querySelectorAll(".dropdown-download-buttons a[href]")].map(
      (a) => a.href),
    overflow,
  };
}
""".replace("%TOL%", str(OVERFLOW_TOLERANCE_PX))

WIDGETS_DONE_JS = """
() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
  .every((s) => s.parentElement.querySelector(".jupyter-widgets"))
"""

MATHJAX_DONE_JS = """
async () => {
  if (!document.querySelector(".math")) return true;
  for (let i = 0; i < 100 && !(window.MathJax && window.MathJax.startup &&
                               window.MathJax.startup.promise); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(window.MathJax && window.MathJax.startup)) return false;
  await window.MathJax.startup.promise;
  return true;
}
"""


@dataclass
class Visit:
    """What one page showed: its PageReport plus measurements (see MEASURE_JS)."""

    name: str
    report: object
    widgets_timed_out: bool = False
    mathjax_started: bool = True
    downloads: dict[str, int] = field(default_factory=dict)
    m: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def visit(browser, site):
    """visit(name) -> Visit; each page is loaded, measured and screenshotted once per module."""
    cache: dict[str, Visit] = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _visit(name: str) -> Visit:
        if name in cache:
            return cache[name]
        context, page, report = guarded_page(browser, f"{site}{name}.html")
        v = Visit(name=name, report=report)
        try:
            try:
                page.wait_for_function(WIDGETS_DONE_JS, timeout=WIDGET_TIMEOUT_MS)
            except Exception:  # playwright TimeoutError
                v.widgets_timed_out = True
            v.mathjax_started = page.evaluate(MATHJAX_DONE_JS)
            settle(page)  # fonts fetched by MathJax and widgets
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            # Measure with hidden solutions expanded: they must fit the column too.
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
            v.m = page.evaluate(MEASURE_JS)
            for url in v.m["downloads"]:
                v.downloads[url] = context.request.get(url).status
        finally:
            context.close()
        cache[name] = v
        return v

    return _visit


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_without_errors(visit, name):
    v = visit(name)
    assert v.report.status == 200, f"{name}.html: HTTP {v.report.status}"
    problems = v.report.problems()
    if problems:
        pytest.fail(f"{name}.html:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("name", PAGES)
def test_images_load(visit, name):
    images = visit(name).m["images"]
    broken = [i["src"] for i in images if not i["ok"]]
    assert not broken, f"{name}.html: images that did not load: {broken}"
    if is_notebook(name):  # a figure: a matplotlib image or a chart the page's JS draws
        assert images or visit(name).m["drawnCanvases"], \
            f"{name}.html: a chapter notebook shows no figure at all"


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset(visit, name):
    v = visit(name)
    m = v.m
    if m["mathElements"]:
        assert v.mathjax_started, f"{name}.html has math but MathJax never started"
        assert m["mjxContainers"] > 0 and m["untypesetMath"] == 0, (
            f"{name}.html: {m['untypesetMath']} of {m['mathElements']} equations not typeset")
    assert not m["mathErrors"], f"{name}.html: TeX errors: {m['mathErrors']}"
    assert not m["rawMath"], f"{name}.html: raw TeX in the text (not parsed as math): {m['rawMath']}"


@pytest.mark.parametrize("name", PAGES)
def test_widgets_render(visit, name):
    v = visit(name)
    m = v.m
    if m["widgetViews"]:
        assert not v.widgets_timed_out, (
            f"{name}.html: {m['widgetViews']} widget views, not all rendered after "
            f"{WIDGET_TIMEOUT_MS / 1000:.0f} s (saved widget state missing?)")
        assert m["widgetsRendered"] >= 1
    assert not m["widgetPlaceholders"], f"{name}.html: {m['widgetPlaceholders']}"


@pytest.mark.parametrize("name", PAGES)
def test_download_buttons_work(visit, name):
    v = visit(name)
    suffix = ".ipynb" if is_notebook(name) else ".md"
    assert any(u.endswith(f"{name}{suffix}") for u in v.downloads), (
        f"{name}.html: no download link for {name}{suffix}; links: {list(v.downloads)}")
    bad = {u: s for u, s in v.downloads.items() if s != 200}
    assert not bad, f"{name}.html: download links that fail: {bad}"


@pytest.mark.parametrize("name", PAGES)
def test_nothing_wider_than_the_column(visit, name):
    m = visit(name).m
    if m["overflow"]:
        pytest.fail(
            f"{name}.html at {VIEWPORT['width']} px: keep code and printed lines to "
            f"{m['charsPerLine']} characters at most (see book/_build/screenshots/{name}.png):"
            "\n  " + "\n  ".join(m["overflow"]), pytrace=False)


def test_the_offline_guard_catches_an_external_request(open_page):
    """Self-test of the fixture: a request to another host is aborted and reported."""
    page, report = open_page(PAGES[0])
    page.evaluate("() => fetch('http://cdn.example.invalid/x.js').catch(() => null)")
    assert "http://cdn.example.invalid/x.js" in report.external_requests
    assert any("external request" in p for p in report.problems())

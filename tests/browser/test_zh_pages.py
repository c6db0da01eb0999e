"""The Chinese edition (book/_build/html/zh_CN, issue 17) in a real, offline Chromium.

Every page of the book, in Chinese: it loads offline without console errors, its figures load,
its math is typeset, and its Chinese text is drawn with real glyphs (a CJK font is installed:
`.ci/run` installs Debian's fonts-noto-cjk), not "tofu" boxes. The language switch leads to the
same page in the other edition and back, also at 390 px and in dark mode; the explorer trains
in the browser with Chinese labels. Screenshots in book/_build/screenshots/zh_CN/.
Uses the fixtures of conftest.py (the site is book/_build/html; Chinese pages under zh_CN/).
"""
from __future__ import annotations

import pytest

from .bookbrowser import SCREENSHOTS, guarded_page, is_notebook, settle, toc_pages
from .conftest import require
from .test_pages import MATHJAX_DONE_JS, MEASURE_JS

PAGES = toc_pages()
ZH = "zh_CN"

# Draw each character on a canvas in the article's font. A missing glyph is drawn as the same
# box for every character (and the same as for U+10FFFD, which no font has); real glyphs differ.
GLYPHS_JS = r"""
(chars) => {
  const p = document.querySelector("article.bd-article p");
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d");
  ctx.font = `32px ${getComputedStyle(p).fontFamily}`;
  const draw = (ch) => { ctx.clearRect(0, 0, 48, 48); ctx.fillText(ch, 4, 36); return canvas.toDataURL(); };
  const missing = draw("\u{10FFFD}");
  const images = [...chars].map(draw);
  return {distinct: new Set(images).size, boxes: images.filter((i) => i === missing).length};
}
"""
CJK_SAMPLE = "梯度爆炸截断循环网络"


@pytest.fixture(scope="module")
def zh_visit(browser, site, built_html):
    """zh_visit(name) -> (report, measurements, glyphs) of zh_CN/<name>.html, loaded once."""
    require((built_html / ZH / "intro.html").exists(), "no Chinese edition: run `make book`")
    cache: dict[str, tuple] = {}

    def _visit(name: str):
        if name not in cache:
            context, page, report = guarded_page(browser, f"{site}{ZH}/{name}.html")
            try:
                started = page.evaluate(MATHJAX_DONE_JS)
                settle(page)
                page.screenshot(path=str(SCREENSHOTS / ZH / f"{name}.png"), full_page=True)
                cache[name] = (report, page.evaluate(MEASURE_JS), started,
                               page.evaluate(GLYPHS_JS, CJK_SAMPLE),
                               page.evaluate("() => document.documentElement.lang"))
            finally:
                context.close()
        return cache[name]

    return _visit


@pytest.mark.parametrize("name", PAGES)
def test_chinese_page_offline_figures_math(zh_visit, name):
    report, m, mathjax_started, _, lang = zh_visit(name)
    assert report.status == 200 and lang == "zh-CN"
    assert not report.problems(), f"{ZH}/{name}.html:\n  " + "\n  ".join(report.problems())
    assert not [i["src"] for i in m["images"] if not i["ok"]], f"{name}: images did not load"
    if is_notebook(name):
        assert m["images"] or m["drawnCanvases"], f"{ZH}/{name}.html shows no figure"
    if m["mathElements"]:
        assert mathjax_started and m["untypesetMath"] == 0, f"{name}: math not typeset"
    assert not m["mathErrors"] and not m["rawMath"], (m["mathErrors"], m["rawMath"])


@pytest.mark.parametrize("name", PAGES)
def test_chinese_glyphs_are_not_boxes(zh_visit, name):
    glyphs = zh_visit(name)[3]
    assert glyphs["boxes"] == 0 and glyphs["distinct"] == len(set(CJK_SAMPLE)), (
        f"{name}: CJK text drawn as boxes ({glyphs}); install fonts-noto-cjk")


def test_the_glyph_check_catches_boxes(open_page):
    """Self-test: private-use characters (no font has them) are reported as boxes."""
    page, _ = open_page(f"{ZH}/intro")
    glyphs = page.evaluate(GLYPHS_JS, "\ue000\ue001\ue002")
    assert glyphs["boxes"] == 3 and glyphs["distinct"] == 1


@pytest.mark.parametrize("width, dark", [(1280, False), (390, False), (390, True)])
def test_language_switch_round_trip(open_page, width, dark):
    page, report = open_page("03_gradient_explosion", width)
    if dark:
        page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    link = page.locator("nav.lang-switch a")
    box = link.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, f"switch off screen: {box}"
    colors = link.evaluate("(a) => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
    assert colors[0] != colors[1]
    page.screenshot(path=str(SCREENSHOTS / ZH / f"switch-{width}{'-dark' if dark else ''}.png"))
    link.click()
    page.wait_for_url(f"**/{ZH}/03_gradient_explosion.html")
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert page.locator("h1").first.text_content().startswith("3. 梯度为什么会爆炸")
    page.locator("nav.lang-switch a").click()
    page.wait_for_url("**/03_gradient_explosion.html")
    assert "zh_CN" not in page.url and page.evaluate("() => document.documentElement.lang") == "en"
    assert not report.problems(), report.problems()


def test_explorer_trains_in_chinese(open_page):
    page, report = open_page(f"{ZH}/explore", 1280, "steps=100&L=10&clip=20")
    page.wait_for_function(
        "() => { const r = document.querySelector('.rnn-trainer');"
        " return r && +(r.dataset.step || 0) >= 5; }", timeout=60_000)
    root = page.locator(".rnn-trainer")
    assert "学习率" in root.locator("label").all_text_contents()
    assert root.locator("[data-role=numbers]").text_content().startswith("第 ")
    assert root.locator("[data-role=status]").text_content().startswith(("训练中：", "完成"))
    assert root.locator(".trainer-phase h3").text_content() == "相图"
    page.wait_for_function(
        "() => document.querySelector('.rnn-trainer').dataset.state === 'done'", timeout=240_000)
    assert root.locator("[data-role=status]").text_content().startswith("完成：最佳验证准确率")
    page.screenshot(path=str(SCREENSHOTS / ZH / "explore-trainer.png"), full_page=True)
    assert not report.problems(), report.problems()

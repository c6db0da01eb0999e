"""中文版 build (issue 17): both editions from one execution, the same numbers on both.

Reads the built site (`make book`), so it runs with the browser tests, after the build;
skipped without it, except under CI=true.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .bookbrowser import HTML

ZH = HTML / "zh_CN"
SKIP = ("search.html", "genindex.html", "index.html")  # Sphinx's own pages; index is a redirect
PAGES = sorted(p.name for p in ZH.glob("*.html") if p.name not in SKIP)


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    """Skip (fail under CI=true) when the Chinese edition has not been built."""
    if not (ZH / "index.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("no book/_build/html/zh_CN: run `make book`")
        pytest.skip("no book/_build/html/zh_CN: run `make book`")


def _pasted(page: Path) -> list[str]:
    """Every glued value on the page, sorted (a translation may reorder a sentence)."""
    return sorted(re.findall(r'<span class="pasted-text">([^<]*)</span>', page.read_text()))


def test_every_page_has_both_editions() -> None:
    english = {p.name for p in HTML.glob("*.html") if p.name not in SKIP}
    assert english == set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_same_glued_numbers_and_figures(name: str) -> None:
    en, zh = (HTML / name).read_text(), (ZH / name).read_text()
    assert _pasted(HTML / name) == _pasted(ZH / name)
    assert "Could not find" not in zh and "pasted-text" in zh or "pasted-text" not in en
    assert len(re.findall(r"<img ", en)) == len(re.findall(r"<img ", zh))
    assert en.count('class="math') == zh.count('class="math')


@pytest.mark.parametrize("name", PAGES)
def test_language_switch_links_the_same_page(name: str) -> None:
    en, zh = (HTML / name).read_text(), (ZH / name).read_text()
    assert f'<a href="zh_CN/{name}" hreflang="zh-CN"' in en
    assert f'<a href="../{name}" hreflang="en"' in zh
    assert '<html lang="zh-CN"' in zh


def test_chinese_pages_are_in_chinese() -> None:
    """Most of each page's prose is Chinese (catches a build that ignored the catalogues)."""
    for name in PAGES:
        page = (ZH / name).read_text()
        article = page[page.find('<article'):page.find('</article>')]
        prose = re.sub(r"<pre.*?</pre>|<script.*?</script>|<[^>]+>", " ", article, flags=re.S)
        han = len(re.findall(r"[\u4e00-\u9fff]", prose))
        least = 4 if name == "references.html" else 200  # the bibliography stays as published
        assert han >= least, f"{name}: only {han} Chinese characters in the article"


@pytest.mark.parametrize("name", PAGES)
def test_page_title_is_translated(name: str) -> None:
    """The h1 too (Sphinx hands a translated title over as a setext heading; book/_ext/i18n.py)."""
    h1 = re.search(r"<h1>(.*?)<a class=\"headerlink\"", (ZH / name).read_text(), flags=re.S)
    assert h1 and re.search(r"[\u4e00-\u9fff]", h1.group(1)), (name, h1 and h1.group(1))

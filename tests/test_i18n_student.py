"""`make student LANG=zh_CN`: the student notebooks with their markdown in Chinese (issue 17)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student, translate_notebooks = _load("make_student"), _load("translate_notebooks")
MARKUP = re.compile(r"\{[\w:]+\}`[^`]*`|```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|<[^>]+>", re.S)


def english_lines(markdown: str) -> list[str]:
    """Lines of prose (markup, math and code removed) with 4+ English words and no Chinese."""
    prose = MARKUP.sub(" ", markdown)
    return [line for line in prose.splitlines()
            if len(re.findall(r"[A-Za-z]{3,}", line)) >= 4 and not re.search(r"[\u4e00-\u9fff]", line)]


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> tuple[Path, Path]:
    """(English student edition, Chinese student edition) of the book, written afresh."""
    en, zh = tmp_path_factory.mktemp("student"), tmp_path_factory.mktemp("student-zh_CN")
    make_student.main(ROOT / "book", en)
    translate_notebooks.main("zh_CN", en, zh)
    return en, zh


@pytest.mark.parametrize("stem", sorted(p.stem for p in (ROOT / "book").glob("*.ipynb")))
def test_markdown_is_chinese_and_code_unchanged(editions, stem: str) -> None:
    en_dir, zh_dir = editions
    en = nbformat.read(en_dir / f"{stem}.ipynb", as_version=4)
    zh = nbformat.read(zh_dir / f"{stem}.ipynb", as_version=4)
    assert 'os.environ["LABKIT_LANG"] = "zh_CN"' in zh.cells[1].source
    assert [c.source for c in zh.cells if c.cell_type == "code"][1:] == \
        [c.source for c in en.cells if c.cell_type == "code"]
    left = [line for c in zh.cells if c.cell_type == "markdown" for line in english_lines(c.source)]
    assert not left, f"{stem}: markdown left in English: {left[:5]}"
    assert "**学生版。**" in zh.cells[0].source


def test_english_lines_finds_english() -> None:
    """The check itself: an untranslated paragraph is found, a translated one with code is not."""
    assert english_lines("The gradient of the loss explodes here.\n$x$ 梯度 `a b c d`")
    assert not english_lines("梯度爆炸 with `some code in it` and $math$")

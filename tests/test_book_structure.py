"""Fast checks of the book's source tree (no build): the toc, committed notebooks, no re-declared library.

Each test names the rule it guards; its failure message names the file to fix.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .browser.bookbrowser import toc_pages

BOOK = Path(__file__).resolve().parents[1] / "book"
SKIP_DIRS = {"_build", ".ipynb_checkpoints", "_static", "_ext"}
# The library's core classes live in labkit; a notebook must import them, never re-declare them.
LIBRARY_DEFS = re.compile(
    r"^\s*(class\s+(SRN|Runner|GradNormLogger)\b|def\s+clip_gradients\b)", re.MULTILINE)


def book_files(suffix: str) -> list[Path]:
    """Files with `suffix` under book/, outside build output, checkpoints and static assets."""
    return sorted(p for p in BOOK.rglob(f"*{suffix}")
                  if not SKIP_DIRS.intersection(p.relative_to(BOOK).parts))


def stem(path: Path) -> str:
    """book-relative path without suffix, as the toc writes it."""
    return path.relative_to(BOOK).with_suffix("").as_posix()


def notebook_ids() -> list[str]:
    return [stem(p) for p in book_files(".ipynb")]


def test_toc_has_a_root_and_chapters() -> None:
    entries = toc_pages()
    assert entries[0] == "intro" and len(entries) > 1


def test_every_toc_entry_has_a_file() -> None:
    missing = [e for e in toc_pages()
               if not any((BOOK / f"{Path(e).with_suffix('')}{s}").exists() for s in (".md", ".ipynb"))]
    assert not missing, f"_toc.yml lists pages with no .md/.ipynb under book/: {missing}"


def test_every_notebook_is_in_the_toc() -> None:
    listed = {str(Path(e).with_suffix("")) for e in toc_pages()}
    orphans = [s for s in notebook_ids() if s not in listed]
    assert not orphans, f"notebooks missing from book/_toc.yml (never built or tested): {orphans}"


def test_no_stem_is_both_ipynb_and_md() -> None:
    md = {stem(p) for p in book_files(".md")}
    both = sorted(md.intersection(notebook_ids()))
    assert not both, f"both .ipynb and .md exist (two Sphinx documents, one name): {both}"


@pytest.mark.parametrize("name", notebook_ids())
def test_notebook_is_committed_without_outputs(name: str) -> None:
    nb = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{name}.ipynb: code cells {dirty} have outputs or execution counts; "
                       f"clear them (CI executes everything)")
    assert "widgets" not in nb.get("metadata", {}), f"{name}.ipynb: saved widget state in metadata"


# Control characters in prose are escapes gone wrong: "\\nabla" written as "\nabla" in a Python string
# leaves a newline and "abla", and "\\rVert" a carriage return, and the math breaks on the page.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@pytest.mark.parametrize("name", notebook_ids())
def test_prose_has_no_control_characters(name: str) -> None:
    nb = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf8"))
    bad = [(i, repr(m.group())) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
           for m in CONTROL.finditer("".join(c["source"]))]
    assert not bad, f"{name}.ipynb: control characters in markdown cells (cell, char): {bad}"
    lines = [(i, n) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
             for n, line in enumerate("".join(c["source"]).split("\n")) if line.startswith("abla")]
    assert not lines, f"{name}.ipynb: a line starts with 'abla' (a lost \\nabla) at (cell, line) {lines}"


@pytest.mark.parametrize("name", notebook_ids())
def test_notebook_imports_the_library(name: str) -> None:
    nb = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf8"))
    found = [m.group(1) for c in nb["cells"] if c["cell_type"] == "code"
             for m in LIBRARY_DEFS.finditer("".join(c["source"]))]
    assert not found, f"{name}.ipynb re-declares {found}: import them from labkit instead"


# A code line longer than this scrolls sideways in the page's column at 1280 px (the browser test
# tests/browser/test_pages.py measures the column: 91 characters); checked here without a build.
CODE_COLUMNS = 88


@pytest.mark.parametrize("name", notebook_ids())
def test_code_lines_fit_the_column(name: str) -> None:
    nb = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf8"))
    long = [(i, len(line)) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            for line in "".join(c["source"]).split("\n") if len(line) > CODE_COLUMNS]
    assert not long, f"{name}.ipynb: code lines over {CODE_COLUMNS} characters at (cell, length) {long}"


CHAPTERS = [name for name in notebook_ids() if name[:2].isdigit()]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_ends_with_self_checking_exercises(name: str) -> None:
    cells = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf8"))["cells"]
    heading = [i for i, c in enumerate(cells)
               if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## Exercises")]
    assert heading, f"{name}.ipynb has no '## Exercises' section "
    after = cells[heading[0]:]
    solutions = [c for c in after if "solution" in c.get("metadata", {}).get("tags", [])]
    checks = [c for c in after if c["cell_type"] == "code" and "check_" in "".join(c["source"])]
    assert len(solutions) >= 2 and len(checks) >= 2, (
        f"{name}.ipynb: {len(solutions)} solution and {len(checks)} check cells; each chapter needs 2-3 exercises")
    assert all("hide-input" in c["metadata"]["tags"] for c in solutions), "solutions must be folded"

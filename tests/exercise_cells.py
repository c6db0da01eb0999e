"""The exercise sections of the book's chapters, read from the notebooks (their one source)."""
from pathlib import Path

import nbformat

BOOK = Path(__file__).resolve().parents[1] / "book"
HEADING = "## Exercises"
CHAPTERS = sorted(p.stem for p in BOOK.glob("0*.ipynb"))


def exercise_cells(stem: str) -> list[nbformat.NotebookNode]:
    """The cells from chapter `stem`'s '## Exercises' heading to the end of the notebook."""
    cells = nbformat.read(BOOK / f"{stem}.ipynb", as_version=4).cells
    start = [i for i, c in enumerate(cells)
             if c.cell_type == "markdown" and c.source.startswith(HEADING)]
    assert len(start) == 1, f"{stem}: expected one {HEADING!r} heading, found {len(start)}"
    return cells[start[0]:]


def section_notebook(stem: str) -> nbformat.NotebookNode:
    """A notebook holding some chapter content, then chapter `stem`'s exercise section."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter"), nbformat.v4.new_code_cell("x = 1")]
    nb.cells += exercise_cells(stem)
    return nb

"""Write the student edition of the book's notebooks: every worked solution replaced by a placeholder.

In the book, a code cell tagged `solution` holds a worked answer (also tagged `hide-input`, so the
HTML shows it collapsed). In the student edition that cell becomes a placeholder, taken from

- the cell's metadata `student.placeholder` (a string of code), if present, else
- the lines above the marker comment `# ---- student edition stops here ----` (the signature and
  docstring), followed by `raise NotImplementedError("your code here")` at the marker's indent.

Check cells stay; a line `assert check_...(...)` loses its `assert`, so an unsolved exercise shows
the check's kind ✘ message instead of an AssertionError, and they lose the book's folding
(`hide-output`, toggle labels). A markdown cell with metadata `student.source` (e.g. the exercise
section's introduction, which talks about folded solutions) gets that text instead, so the
student edition describes itself. The notebooks are the one source of the exercise text; this
script only rewrites them; it does not execute them. Outputs are cleared.

    python scripts/make_student.py [--src book] [--out book/_build/student]
"""
from __future__ import annotations

import argparse
import copy
import re
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
MARKER = "# ---- student edition stops here ----"
PLACEHOLDER_RAISE = 'raise NotImplementedError("your code here")'
HIDING_TAGS = {SOLUTION_TAG, "hide-input", "hide-cell", "hide-output"}
CHECK_ASSERT = re.compile(r"^(\s*)assert ((?:\w+\.)*check_\w+\(.*)$", re.MULTILINE)
BANNER = ("**Student edition.** Each exercise's solution cell is replaced by a placeholder: "
          "write your code there, run it, then run the check cell below it.")


def placeholder(cell: nbformat.NotebookNode, where: str, given: str | None = None) -> str:
    """The student's starting code for one solution cell (`given`, else from its marker line);
    ValueError if it has neither."""
    if given is not None:
        return given
    lines = cell.source.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == MARKER]
    if len(marks) != 1:
        raise ValueError(f"{where}: a `{SOLUTION_TAG}` cell needs metadata student.placeholder "
                         f"or exactly one `{MARKER}` line; found {len(marks)} markers")
    indent = lines[marks[0]][: len(lines[marks[0]]) - len(lines[marks[0]].lstrip())]
    return "\n".join(lines[: marks[0]] + [indent + PLACEHOLDER_RAISE])


def student_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> tuple[nbformat.NotebookNode, int]:
    """A student copy of `nb` (outputs cleared, solutions replaced) and the number replaced."""
    nb = copy.deepcopy(nb)
    replaced = 0
    for index, cell in enumerate(nb.cells):
        student = cell.metadata.pop("student", {})
        if cell.cell_type != "code":
            cell.source = student.get("source", cell.source)
            continue
        tags = list(cell.metadata.get("tags", []))
        if SOLUTION_TAG in tags:
            cell.source = placeholder(cell, f"{name} cell {index}", student.get("placeholder"))
            cell.metadata["tags"] = [t for t in tags if t not in HIDING_TAGS] + ["exercise"]
            cell.metadata.pop("mystnb", None)  # the book's toggle labels
            replaced += 1
        elif CHECK_ASSERT.search(cell.source):
            cell.source = CHECK_ASSERT.sub(r"\1\2", cell.source)
            cell.metadata["tags"] = [t for t in tags if t not in HIDING_TAGS]
            cell.metadata.pop("mystnb", None)
        cell.outputs, cell.execution_count = [], None
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(BANNER))
    nbformat.validate(nb)
    return nb, replaced


def main(src: Path, out: Path) -> dict[str, int]:
    """Write a student copy of every `src/*.ipynb` into `out`; return {file name: solutions replaced}."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in sorted(src.glob("*.ipynb")):
        nb, counts[path.name] = student_notebook(nbformat.read(path, as_version=4), path.name)
        nbformat.write(nb, out / path.name)
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("book"))
    parser.add_argument("--out", type=Path, default=Path("book/_build/student"))
    args = parser.parse_args()
    for file, count in main(args.src, args.out).items():
        print(f"{args.out / file}: {count} solution cell(s) replaced by placeholders")

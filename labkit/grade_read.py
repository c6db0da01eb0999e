"""What `python -m labkit grade` reads: the book's exercises and the students' notebooks.

An exercise is a check cell of the book (`ex.check_x(answer)`, with or without `assert`) in
`book/0*.ipynb`; a student's answer to it is the cell tagged `exercise` just above the same check
call in the submission (the student edition, `make student`). Nothing is executed here.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

CHECK_CALL = re.compile(r"^\s*(?:assert\s+)?(ex\.(check_\w+)\(.*\))\s*$", re.MULTILINE)
MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)


@dataclass(frozen=True)
class Exercise:
    """One exercise: its check's name, the book's call (`ex.check_x(answer)`), its chapter's imports."""

    check: str
    call: str
    chapter: str
    setup: str


def chapter_imports(cells: list[dict]) -> str:
    """The top-level import statements of a notebook's code cells, in order, each once."""
    found: list[str] = []
    for cell in cells:
        source = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
        source = MAGIC.sub("", source)  # `%matplotlib inline` is not Python
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            text = ast.get_source_segment(source, node)
            if isinstance(node, (ast.Import, ast.ImportFrom)) and text not in found:
                found.append(text)
    return "\n".join(found)


def book_exercises(book: Path) -> list[Exercise]:
    """Every exercise of the book, in chapter order, from the check cells of `book/0*.ipynb`."""
    found = []
    for path in sorted(book.glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf8"))["cells"]
        setup = chapter_imports(cells)
        for cell in cells:
            match = CHECK_CALL.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
            if match:
                found.append(Exercise(match.group(2), match.group(1), path.name, setup))
    if not found:
        raise ValueError(f"no exercises found in {book}/0*.ipynb")
    return found


@dataclass(frozen=True)
class Submission:
    """A student's notebook as read: its code cells [(cell number, source)], its answer cells
    {check name: source}, and every check name its check cells call."""

    cells: list[tuple[int, str]]
    answers: dict[str, str]
    checks: frozenset[str]


def read_submission(notebook: Path) -> Submission | str:
    """The submission, or why the notebook cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf8"))["cells"]
        sources = [("".join(c["source"]), c["cell_type"], list(c.get("metadata", {}).get("tags", [])))
                   for c in cells]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        return f"not a readable notebook ({type(error).__name__})"
    answers, checks = {}, set()
    for i, (source, kind, _) in enumerate(sources):
        match = CHECK_CALL.search(source) if kind == "code" else None
        if match:
            checks.add(match.group(2))
            if i > 0 and "exercise" in sources[i - 1][2]:
                answers[match.group(2)] = sources[i - 1][0]
    code = [(i + 1, source) for i, (source, kind, _) in enumerate(sources) if kind == "code"]
    return Submission(code, answers, frozenset(checks))

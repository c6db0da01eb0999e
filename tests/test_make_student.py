"""scripts/make_student.py: the student edition keeps no solution code, has placeholders, is valid
nbformat, and its unsolved exercises make the checks print a kind message instead of raising."""
import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student, add_exercises = _load("make_student"), _load("add_exercises")


def book_like(stem: str) -> nbformat.NotebookNode:
    """A chapter notebook as the book holds it: some content, then the exercise section."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter"), nbformat.v4.new_code_cell("x = 1")]
    nb.cells += add_exercises.section_cells(stem)
    return nb


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Lines of the worked answers: below the marker, or the whole cell if it has a placeholder."""
    lines = []
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            body = cell.source.split(make_student.MARKER)[-1]
            lines += [line.strip() for line in body.splitlines() if line.strip()]
    return lines


@pytest.mark.parametrize("stem", sorted(add_exercises.SECTIONS))
def test_student_edition_has_placeholders_and_no_solution(stem):
    book = book_like(stem)
    student, replaced = make_student.student_notebook(book, stem)
    nbformat.validate(student)
    assert replaced == sum("solution" in c.metadata.get("tags", []) for c in book.cells) >= 2
    text = "\n".join(c.source for c in student.cells)
    assert not [line for line in solution_lines(book) if line in text]
    assert make_student.PLACEHOLDER_RAISE in text or "= ..." in text
    assert "assert ex.check_" not in text and "ex.check_" in text
    for cell in student.cells:
        assert not {"solution", "hide-input"} & set(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert any("solution" in c.metadata.get("tags", []) for c in book.cells)  # input untouched


@pytest.mark.parametrize("stem", sorted(add_exercises.SECTIONS))
def test_unsolved_student_notebook_runs_and_every_check_says_not_yet(stem, capsys):
    student, _ = make_student.student_notebook(book_like(stem), stem)
    namespace: dict = {}
    results = []
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        if "ex.check_" in cell.source:
            results.append(eval(cell.source.strip(), namespace))
        else:
            exec(cell.source, namespace)  # placeholders only define functions or `...`
    out = capsys.readouterr().out
    assert results and all(r is False for r in results)
    assert out.count("✘") == len(results) and "Traceback" not in out
    assert all(("not implemented yet" in block) or ("no prediction yet" in block)
               for block in out.split("✘")[1:])


def test_main_writes_every_notebook(tmp_path):
    src = tmp_path / "book"
    src.mkdir()
    nbformat.write(book_like("04_clipping"), src / "04_clipping.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), src / "explore.ipynb")
    counts = make_student.main(src, tmp_path / "student")
    assert counts == {"04_clipping.ipynb": 3, "explore.ipynb": 0}
    nbformat.validate(nbformat.read(tmp_path / "student" / "04_clipping.ipynb", as_version=4))


def test_a_solution_cell_without_placeholder_or_marker_is_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})]
    with pytest.raises(ValueError, match="needs metadata student.placeholder"):
        make_student.student_notebook(nb, "bad.ipynb")


@pytest.mark.parametrize("path", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_the_books_own_notebooks_leave_no_solution_in_the_student_edition(path):
    book = nbformat.read(path, as_version=4)
    student, _ = make_student.student_notebook(book, path.name)
    text = "\n".join(c.source for c in student.cells)
    assert not [line for line in solution_lines(book) if line in text]

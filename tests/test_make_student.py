"""scripts/make_student.py: the student edition keeps no solution code, has placeholders, is valid
nbformat, describes itself, and its unsolved exercises make the checks print a kind message
instead of raising. The exercise sections come from the book's notebooks, their one source."""
import importlib.util
from pathlib import Path

import nbformat
import pytest

from tests.exercise_cells import CHAPTERS, exercise_cells, section_notebook

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = _load("make_student")
book_like = section_notebook


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Lines of the worked answers: below the marker, or the whole cell if it has a placeholder."""
    lines = []
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            body = cell.source.split(make_student.MARKER)[-1]
            lines += [line.strip() for line in body.splitlines() if line.strip()]
    return lines


@pytest.mark.parametrize("stem", CHAPTERS)
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


@pytest.mark.parametrize("stem", CHAPTERS)
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


FOLDED_WORDS = ("Show solution", "folded", "open its solution", "the solution below", "toggle")


@pytest.mark.parametrize("stem", CHAPTERS)
def test_the_student_edition_describes_the_student_edition(stem):
    student, _ = make_student.student_notebook(book_like(stem), stem)
    text = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert not [w for w in FOLDED_WORDS if w in text], "student text talks about the book's folding"
    assert "reveal=True" in text and "placeholder" not in text.split("## Exercises")[1]
    for cell in student.cells:
        assert "mystnb" not in cell.metadata and "student" not in cell.metadata
        assert "hide-output" not in cell.metadata.get("tags", [])


@pytest.mark.parametrize("stem", CHAPTERS)
def test_exercise_section_structure(stem):
    """Each solution is folded and followed by its check, whose output is folded too."""
    cells = exercise_cells(stem)
    assert "student" in cells[0].metadata, "the section's introduction needs a student.source"
    solutions = [i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 2
    for i in solutions:
        assert "hide-input" in cells[i].metadata["tags"]
        check = cells[i + 1]
        assert check.cell_type == "code" and check.source.startswith("assert ex.check_")
        assert "hide-output" in check.metadata.get("tags", []), f"{stem}: check output unfolded"
        assert "tells the answer" in check.metadata["mystnb"]["code_prompt_show"]


def test_every_check_is_used_by_exactly_one_exercise():
    from labkit import exercises as ex
    used = [c.source.split("ex.")[1].split("(")[0] for stem in CHAPTERS
            for c in exercise_cells(stem) if c.cell_type == "code" and "ex.check_" in c.source]
    assert sorted(used) == sorted(ex.__all__)

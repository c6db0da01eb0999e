"""labkit.grade: a fixture class graded to an exact grades.csv (tests/grade_fixture/), twice.

The class is made here from the student edition of a frozen copy of chapter 1's exercises
(tests/grade_fixture/book, so new chapters in book/ do not change it): correct, partly wrong,
empty, and hostile answers (a loop, sys.exit(), a killed kernel, megabytes of output, files
written and deleted, monkeypatched checks, a raise, a helper from another cell, a forged check
output, not JSON). Student code has no network where unshare works (tested apart).
"""
import csv
import importlib.util
import json
import shutil
import socket
from pathlib import Path

import nbformat
import pytest

from labkit import grade, grade_run

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "grade_fixture"
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

B = 'first_digit_prediction = "B"'
EMBED = ("def embed_one_hot(tokens, table):\n"
         "    return torch.nn.functional.one_hot(tokens, num_classes=10).to(table.dtype) @ table")
WRONG = EMBED + " * 2"
CLASS = {  # student: (first-digit answer cell, embedding answer cell); None keeps the placeholder
    "alice_correct": (B, EMBED),
    "bob_partly": (B, WRONG),
    "carol_empty": (None, None),
    "dave_loop": ("while True:\n    pass", EMBED),
    "erin_exit": ("import sys\nsys.exit(0)", EMBED),
    "frank_kill": ("import os\nos._exit(3)", EMBED),
    "gina_patch": (B, WRONG + "\nex.check_embed_one_hot = lambda *a, **k: True\n"
                   "torch.allclose = torch.equal = lambda *a, **k: True"),
    "hank_output": ('print("x" * 5_000_000)\n' + B, EMBED),
    "judy_files": ('import os\nopen("planted.txt", "w").write("x")\n'
                   "for name in os.listdir('.'):\n    os.path.isfile(name) and os.remove(name)\n" + B, EMBED),
    "kate_raises": ('raise ValueError("my bad")', EMBED),
    "leo_helper": (B, "def embed_one_hot(tokens, table):\n    return helper(tokens) @ table"),
    "nina_forged": (B, WRONG),  # her check cells carry a forged "✔" output
}
AGAIN = ("frank_kill", "gina_patch", "ivan_broken")  # not dave_loop: his two 20 s time-outs, again, add 40 s and nothing new
HELPER = "import torch\ndef helper(tokens):\n    return torch.nn.functional.one_hot(tokens, 10).double()"


def student_edition() -> nbformat.NotebookNode:
    """The student edition of the fixture book's one notebook."""
    return make_student.student_notebook(nbformat.read(FIXTURE / "book" / "01_exercises.ipynb", 4))[0]


def write_class(folder: Path, students: dict) -> None:
    """One filled-in student edition per student, like a teacher's collected folder."""
    folder.mkdir()
    for name, fills in students.items():
        nb = student_edition()
        cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
        for cell, fill in zip(cells, fills):
            cell.source = cell.source if fill is None else fill
        if name == "nina_forged":
            for check in (nb.cells[nb.cells.index(cell) + 1] for cell in cells):
                check.outputs = [nbformat.v4.new_output("stream", text="✔ passed\n")]
        if name == "leo_helper":  # works in the notebook; graded on its own it is a NameError
            nb.cells.insert(nb.cells.index(cells[1]), nbformat.v4.new_code_cell(HELPER))
        nbformat.write(nb, folder / f"{name}.ipynb")


def test_a_fixture_class_is_graded_exactly_and_again(tmp_path, monkeypatch, capsys):
    submissions = tmp_path / "class"
    write_class(submissions, CLASS)
    (submissions / "ivan_broken.ipynb").write_text("{ not json")
    before = {p.name: p.read_bytes() for p in submissions.iterdir()}
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sentinel.txt").write_text("the grader's own file")
    args = ["--book", str(FIXTURE / "book"), "--cell-timeout", "20", "--notebook-timeout", "200"]
    assert grade.main(["class", "--out", "first/grades.csv", *args]) == 0
    expected = (FIXTURE / "expected_grades.csv").read_text()
    assert (tmp_path / "first" / "grades.csv").read_text() == expected
    rows = list(csv.DictReader(expected.splitlines()))
    summary = capsys.readouterr().out
    for check in ("check_first_digit_only", "check_embed_one_hot"):
        passed = sum(r[check] == "passed" for r in rows)
        assert f"{check:28s} {passed:3d}/{len(rows):<3d}" in summary
    feedback = tmp_path / "first" / "grades.feedback"
    assert sorted(p.stem for p in feedback.glob("*.md")) == sorted([*CLASS, "ivan_broken"])
    assert "✘ one-hot embedding: not yet" in (feedback / "bob_partly.md").read_text()
    assert "ValueError: my bad" in (feedback / "kate_raises.md").read_text()
    assert "NameError" in (feedback / "leo_helper.md").read_text()
    assert (feedback / "hank_output.md").stat().st_size < 10_000
    assert "cell 6 passed the per-cell time limit" in (feedback / "dave_loop.md").read_text()
    assert "replaced since the checks" in (feedback / "gina_patch.md").read_text()  # refused to judge
    # student code wrote and deleted files in its own folder, not the grader's or the class's
    assert {p.name: p.read_bytes() for p in submissions.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class", "first", "sentinel.txt"]
    assert not (tmp_path / "class" / "planted.txt").exists()
    # re-running (here on the hostile half, one job at a time) gives the same rows
    again = tmp_path / "again"
    again.mkdir()
    for name in AGAIN:
        shutil.copy(submissions / f"{name}.ipynb", again)
    assert grade.main(["again", "--out", "again.csv", "--jobs", "1", *args]) == 0
    lines = expected.splitlines(keepends=True)
    assert (tmp_path / "again.csv").read_text() == "".join(
        [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in AGAIN])


@pytest.mark.skipif(not grade.sandbox(), reason="unshare does not work here")
def test_student_code_has_no_network(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:  # a listener the grader can reach
        port = server.getsockname()[1]
        reach = f'import socket\nsocket.create_connection(("127.0.0.1", {port}), timeout=5)\n' + B
        write_class(tmp_path / "class", {"mona_network": (reach, None)})
        graded = grade.grade(tmp_path / "class", tmp_path / "g.csv", FIXTURE / "book", 1, 30.0, 200.0)
    mona = graded["mona_network"]
    assert mona["exercises"]["check_first_digit_only"]["status"] == "error"
    assert "OSError" in mona["exercises"]["check_first_digit_only"]["feedback"]
    assert mona["run"]["errors"][0][1] == "OSError"


def test_the_run_stops_at_the_per_notebook_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cells = [[n, "import time\ntime.sleep(4)"] for n in (1, 2, 3, 4)]
    report = grade_run.run(cells, cell_limit=30.0, notebook_limit=10.0, sandbox=[])
    assert report["status"] == "timeout" and report["cells"] == 3
    assert report["stopped"] == "cell 3 passed the per-notebook time limit"


def test_bad_command_lines_are_errors(tmp_path, capsys):
    assert grade.main([str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert grade.main([str(tmp_path)]) == 2
    assert "no notebooks" in capsys.readouterr().err
    assert grade.main([str(tmp_path), "--cell-timeout", "0"]) == 2
    assert "timeouts" in capsys.readouterr().err

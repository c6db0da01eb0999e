"""labkit.grade: a fixture class (correct, wrong, empty, looping, exiting, killing, monkeypatching,
not JSON) graded to an exact grades.csv; every notebook gets a row and a feedback file."""
import csv
import importlib.util
import json
import shutil
from pathlib import Path

import nbformat

from labkit import grade

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

EMBED = ("def embed_one_hot(tokens, table):\n"
         "    return torch.nn.functional.one_hot(tokens, num_classes=10).to(table.dtype) @ table")
CLASS = {  # student: (first-digit answer cell, embedding answer cell)
    "alice_correct": ('first_digit_prediction = "B"', EMBED),
    "bob_wrong": ('first_digit_prediction = "C"', "def embed_one_hot(tokens, table):\n    return table[tokens]"),
    "carol_empty": (None, None),
    "dave_loop": ("while True:\n    pass", EMBED),
    "erin_exit": ("import sys\nsys.exit(0)", EMBED),
    "frank_kill": ("import os\nos._exit(3)", EMBED),
    "gina_patch": ('ex.check_first_digit_only = lambda *a, **k: True\nfirst_digit_prediction = "C"', EMBED),
}
EXPECTED = [
    ["student", "check_first_digit_only", "check_embed_one_hot", "passed"],
    ["alice_correct", "passed", "passed", "2"], ["bob_wrong", "failed", "failed", "0"],
    ["carol_empty", "failed", "failed", "0"], ["dave_loop", "timeout", "passed", "1"],
    ["erin_exit", "error", "passed", "1"], ["frank_kill", "timeout", "passed", "1"],
    ["gina_patch", "failed", "failed", "0"], ["ivan_broken", "error", "error", "0"],
]


def test_a_fixture_class_is_graded_exactly(tmp_path, capsys):
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "book" / "01_dataset.ipynb", book)
    student, _ = make_student.student_notebook(nbformat.read(book / "01_dataset.ipynb", as_version=4))
    submissions = tmp_path / "class"
    submissions.mkdir()
    for name, fills in CLASS.items():
        nb = nbformat.from_dict(json.loads(json.dumps(student)))
        cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
        for cell, fill in zip(cells, fills):
            cell.source = cell.source if fill is None else fill
        nbformat.write(nb, submissions / f"{name}.ipynb")
    (submissions / "ivan_broken.ipynb").write_text("{ not json")
    out = tmp_path / "out" / "grades.csv"
    assert grade.main([str(submissions), "--out", str(out), "--book", str(book), "--timeout", "20"]) == 0
    assert list(csv.reader(out.open())) == EXPECTED
    feedback = (tmp_path / "out" / "grades.feedback" / "bob_wrong.md").read_text()
    assert "✘" in feedback and "Hint:" in feedback
    assert "1/8 passed" not in capsys.readouterr().out.splitlines()[0]
    assert len(list((tmp_path / "out" / "grades.feedback").glob("*.md"))) == 8


def test_bad_command_lines_are_errors(tmp_path, capsys):
    assert grade.main([str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err

"""Grading speed: a synthetic class graded by `python -m labkit grade`, 2 jobs (the default) and 1.

The class is chapter 1's student edition (`make student`) filled in with the book's own worked
solutions, except that every fourth answer is left as the placeholder (so some students get some
exercises wrong); the grades are checked against that before any time is printed. Each notebook
is run top to bottom in a fresh kernel and its answers graded in a fresh worker, as for a real
class. Prints seconds per notebook and in total, and the machine's load average (the machine is
shared: times are inflated by others' work; compare the two job counts measured in this run).

    python benchmarks/bench_grade.py [--students 40] [--compare 10]
"""
import argparse
import copy
import csv
import importlib.util
import os
import tempfile
import time
from pathlib import Path

import nbformat

from labkit import grade

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "01_dataset.ipynb"
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)


def write_class(folder: Path, students: int) -> dict[str, int]:
    """`students` filled-in student editions of chapter 1; {student: exercises answered}."""
    book = nbformat.read(CHAPTER, as_version=4)
    solutions = [c.source for c in book.cells if "solution" in c.metadata.get("tags", [])]
    edition, _ = make_student.student_notebook(book)
    folder.mkdir()
    answered = {}
    for k in range(students):
        nb = copy.deepcopy(edition)
        cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
        filled = [j for j in range(len(cells)) if (k + j) % 4 != 0]  # every fourth: left empty
        for j in filled:
            cells[j].source = solutions[j]
        name = f"student_{k:03d}"
        nbformat.write(nb, folder / f"{name}.ipynb")
        answered[name] = len(filled)
    return answered


def timed_grade(folder: Path, out: Path, jobs: int, answered: dict[str, int]) -> float:
    """Seconds to grade `folder` with `jobs` workers; every filled answer must pass, no other."""
    start = time.perf_counter()
    assert grade.main([str(folder), "--out", str(out), "--book", str(CHAPTER.parent),
                       "--jobs", str(jobs)]) == 0
    seconds = time.perf_counter() - start
    with out.open() as f:
        passed = {row["student"]: int(row["passed"]) for row in csv.DictReader(f)}
    assert passed == answered, "the benchmark's class was not graded as built"
    return seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=40)
    p.add_argument("--compare", type=int, default=10, help="students graded again with --jobs 1")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        answered = write_class(tmp / "class", args.students)
        small = {name: answered[name] for name in sorted(answered)[: args.compare]}
        (tmp / "small").mkdir()
        for name in small:
            os.link(tmp / "class" / f"{name}.ipynb", tmp / "small" / f"{name}.ipynb")
        load = os.getloadavg()[0]
        two = timed_grade(tmp / "class", tmp / "two.csv", 2, answered)
        one = timed_grade(tmp / "small", tmp / "one.csv", 1, small)
        print(f"\nload average (1 min) before: {load:.1f}, after: {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        print(f"--jobs 2: {args.students} notebooks in {two:.0f} s, {two / args.students:.1f} s per notebook")
        print(f"--jobs 1: {args.compare} notebooks in {one:.0f} s, {one / args.compare:.1f} s per notebook")
        print(f"speed-up of 2 jobs over 1: {(one / args.compare) / (two / args.students):.2f}x")


if __name__ == "__main__":
    main()

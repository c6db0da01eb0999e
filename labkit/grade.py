"""`python -m labkit grade SUBMISSIONS --out grades.csv`: grade a class's filled-in student editions.

For each notebook, each exercise's answer (the student's cell tagged `exercise`, just above the
check cell) is run in a fresh Python process (`python -m labkit.grade_worker`) in its own empty
temporary folder, after a fresh `import labkit`, and judged there by the grader's own check call,
taken from the book (`--book`): what the student's notebook printed, and how its check cells
were edited, are never trusted. Each exercise ends as passed / failed / error / timeout /
missing, with the check's feedback. One process per notebook runs its exercises in order; if
it dies or runs out of time on one, that one is recorded and a new process goes on with the rest.

Writes `grades.csv` (one row per student, named from the file name; one column per exercise;
the number passed), `<out>.feedback/<student>.md` (the feedback to send back) and prints the
pass rate per exercise.

Threat model: a student's code cannot harm another student's grade or the grader (separate
processes, time limits, truncated output, an empty working folder), and the checks refuse
monkeypatching and ready-made references (labkit.exercises). Code that deliberately forges the
worker's result (it runs in the worker's process) or reads files it can reach is not stopped:
run the grader as a user without access to anything else, and without network where possible.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import select
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CHECK_CALL = re.compile(r"^\s*(?:assert\s+)?(ex\.(check_\w+)\(.*\))\s*$", re.MULTILINE)
STATUSES = ("passed", "failed", "error", "timeout", "missing")
FEEDBACK_LIMIT = 2000  # characters of feedback kept per exercise
STARTUP = 300.0  # seconds for a worker to import torch and labkit (slow on a busy machine)


@dataclass(frozen=True)
class Exercise:
    """One exercise: its check's name and the call the book makes (e.g. `ex.check_x(answer)`)."""

    check: str
    call: str


def book_exercises(book: Path) -> list[Exercise]:
    """Every exercise of the book, in chapter order, from the check cells of `book/0*.ipynb`."""
    found = []
    for path in sorted(book.glob("0*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf8"))["cells"]:
            match = CHECK_CALL.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
            if match:
                found.append(Exercise(check=match.group(2), call=match.group(1)))
    if not found:
        raise ValueError(f"no exercises found in {book}/0*.ipynb")
    return found


def answers(notebook: Path, exercises: list[Exercise]) -> dict[str, str] | str:
    """{check name: the student's answer cell}, or why the notebook cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf8"))["cells"]
        sources = [("".join(c["source"]), c["cell_type"], c.get("metadata", {}).get("tags", []))
                   for c in cells]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        return f"not a readable notebook ({type(error).__name__})"
    names = {e.check for e in exercises}
    found = {}
    for i, (source, kind, _) in enumerate(sources):
        match = CHECK_CALL.search(source) if kind == "code" else None
        if match and match.group(2) in names and i > 0 and "exercise" in sources[i - 1][2]:
            found[match.group(2)] = sources[i - 1][0]
    return found


def _read_lines(fd: int, count: int, first: float, each: float) -> list[str]:
    """Up to `count` lines from `fd`: the first within `first` seconds, each next within `each`."""
    buffer, lines, limit = b"", [], first
    while len(lines) < count:
        ready, _, _ = select.select([fd], [], [], limit)
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:  # out of time, or the process is gone
            break
        buffer += chunk
        *done, buffer = buffer.split(b"\n")
        lines += [line.decode("utf8", "replace") for line in done]
        limit = each if done else limit
    return lines[:count]


def run_worker(jobs: list[dict], timeout: float) -> list[dict]:
    """Results of the jobs ({answer, call}) run by one worker process, until it stops: the worker
    gets STARTUP seconds to import labkit, then `timeout` seconds per job."""
    with tempfile.TemporaryDirectory(prefix="labkit-grade-") as cwd:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LABKIT_SEEDS")}
        env.update(OMP_NUM_THREADS="1", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        read, write = os.pipe()
        try:
            proc = subprocess.Popen([sys.executable, "-m", "labkit.grade_worker", str(write)],
                                    cwd=cwd, env=env, stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    pass_fds=(write,))
        finally:
            os.close(write)
        try:
            proc.stdin.write(json.dumps(jobs).encode())
            proc.stdin.close()
            lines = _read_lines(read, len(jobs) + 1, STARTUP, timeout)  # "ready", then results
        finally:
            os.close(read)
            proc.kill()
            proc.wait()
    return [json.loads(line) for line in lines[1:]]


def grade_notebook(notebook: Path, exercises: list[Exercise], timeout: float) -> dict[str, dict]:
    """{check name: {"status", "feedback"}} for one submission (`timeout` seconds per exercise)."""
    given = answers(notebook, exercises)
    if isinstance(given, str):
        return {e.check: {"status": "error", "feedback": given} for e in exercises}
    grades = {e.check: {"status": "missing", "feedback": "no answer cell above this check"}
              for e in exercises if e.check not in given}
    todo = [e for e in exercises if e.check in given]
    while todo:
        done = run_worker([{"answer": given[e.check], "call": e.call} for e in todo], timeout)
        for e, result in zip(todo, done):
            grades[e.check] = result
        if len(done) < len(todo):  # the worker died or ran out of time on this one
            stuck = todo[len(done)]
            grades[stuck.check] = {"status": "timeout", "feedback": f"stopped after {timeout:g} s, "
                                   "or the answer ended the process, while running this answer"}
        todo = todo[len(done) + 1:]
    return {e.check: grades[e.check] for e in exercises}


def write_outputs(grades: dict[str, dict[str, dict]], exercises: list[Exercise], out: Path) -> None:
    """grades.csv, one feedback Markdown file per student, and a summary on the terminal."""
    names = [e.check for e in exercises]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf8") as f:
        w = csv.writer(f)
        w.writerow(["student", *names, "passed"])
        for student in sorted(grades):
            row = [grades[student][n]["status"] for n in names]
            w.writerow([student, *row, row.count("passed")])
    folder = out.with_suffix(".feedback")
    folder.mkdir(exist_ok=True)
    for student, per in grades.items():
        text = [f"# Feedback for {student}\n"]
        for n in names:
            text.append(f"## {n}: {per[n]['status']}\n\n```\n{per[n]['feedback'].strip()}\n```\n")
        (folder / f"{student}.md").write_text("\n".join(text), encoding="utf8")
    print(f"{len(grades)} notebooks graded -> {out}, feedback in {folder}/")
    for n in names:
        passed = sum(grades[s][n]["status"] == "passed" for s in grades)
        print(f"  {n:28s} {passed:3d}/{len(grades)} passed")


def grade(submissions: Path, out: Path, book: Path, jobs: int = 2, timeout: float = 60.0) -> dict:
    """Grade every `submissions/*.ipynb`; write the outputs; return {student: {check: result}}."""
    exercises = book_exercises(book)
    notebooks = sorted(submissions.glob("*.ipynb"))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda p: grade_notebook(p, exercises, timeout), notebooks))
    grades = {p.stem: r for p, r in zip(notebooks, results)}
    write_outputs(grades, exercises, out)
    return grades


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m labkit grade`; returns the exit code."""
    p = argparse.ArgumentParser(prog="python -m labkit grade", description=__doc__.split("\n")[0])
    p.add_argument("submissions", type=Path, help="folder of filled-in student notebooks (*.ipynb)")
    p.add_argument("--out", type=Path, default=Path("grades.csv"))
    p.add_argument("--book", type=Path, default=Path(__file__).resolve().parents[1] / "book",
                   help="the book's notebooks, whose check calls are used (default: ./book)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per exercise")
    args = p.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a folder", file=sys.stderr)
        return 2
    if args.jobs < 1 or args.timeout <= 0:
        print("error: --jobs must be >= 1 and --timeout > 0", file=sys.stderr)
        return 2
    try:
        grade(args.submissions, args.out, args.book, args.jobs, args.timeout)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0

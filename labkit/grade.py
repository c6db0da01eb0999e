"""`python -m labkit grade SUBMISSIONS --out grades.csv`: grade a class's filled-in student editions.

Each notebook (made from `make student`, filled in) goes through two steps, each in its own
process and its own empty temporary working folder, with HOME pointing there:

1. The run (labkit.grade_run): the whole notebook, top to bottom, in a fresh Jupyter kernel with
   a per-cell and a per-notebook time limit. It tells the teacher whether the notebook runs
   (ran / raised / timeout / died); it is never used for the grade, because the student's code
   controls what that kernel prints and reports.
2. The grading (labkit.grade_worker): a fresh Python process imports labkit's checks first, then
   for each exercise runs the chapter's imports (taken from the book, `--book`), the source of the
   student's answer cell (the cell tagged `exercise` just above the check cell) and the book's own
   check call, under the per-cell time limit. What the student's notebook printed, and how its
   check cells were edited, are never trusted. An answer is graded on its own: a helper the
   student defined in another cell is a NameError (the feedback says so); the chapter's imports
   (torch, numpy as np, labkit as lk, ...) are there. This is enough because every check takes
   what it judges (a prediction, a function) as its argument and builds its own cases: no answer
   needs the state of the chapter's earlier cells; judging inside the executed notebook instead
   would let the student's other cells set up the judge. Each exercise ends as passed / failed /
   error / timeout / missing, with the check's feedback. The answers of one notebook share one
   process, in the book's order; if it dies or runs out of time on one, that one is recorded
   and a new process goes on with the rest.

Columns: the exercises of every book chapter whose check cells appear in the submissions (so a
folder of chapter-1 notebooks is graded on chapter 1's exercises only). Writes `grades.csv`,
`<out>.feedback/<student>.md` and a summary on the terminal (labkit.grade_report); students are
named from the file name. Re-running on the same folder gives the same CSV. The book and the
notebooks are read by labkit.grade_read.

Threat model. Student code cannot change another student's grade through the grading machinery
(only through the file system, below):
each notebook has its own processes and folders, time limits stop loops, output is discarded or
truncated, a process that exits or kills itself only loses its own exercise, the grader's checks
are captured before any answer runs and refuse to judge once labkit, torch or numpy was
monkeypatched. Where `unshare` works (Linux with user namespaces), student code has no network
(its own empty network namespace) and cannot see or signal the grader's processes (its own
process-id namespace); elsewhere the grader says so and runs without that, with network. What a
determined cheater can still do: forge its own result from inside the worker (the answer runs in
the process that reports it), and read, write or delete any file the grader's user can (there is
no file-system sandbox): run the grader as a user that can reach nothing else, on a copy of the
submissions.
"""
from __future__ import annotations

import argparse
import json
import os
import select
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .grade_read import Exercise, Submission, book_exercises, read_submission
from .grade_report import write_outputs
from .grade_run import STARTUP

SANDBOX = ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"]
ROOT = Path(__file__).resolve().parents[1]


def sandbox() -> list[str]:
    """The command prefix that takes network and process ids away, or [] if unshare fails here."""
    try:
        works = subprocess.run([*SANDBOX, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        works = False
    if not works:
        print("warning: `unshare` does not work here: student code runs WITH network access "
              "and can see the grader's processes", file=sys.stderr)
    return SANDBOX if works else []


def environment(folder: str) -> dict[str, str]:
    """The environment of student code: PATH, language, the book's seeds; HOME is its own folder."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LABKIT_SEEDS")}
    env.update(HOME=folder, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return env


def run_notebook(cells: list[tuple[int, str]], cell_limit: float, notebook_limit: float,
                 prefix: list[str]) -> dict:
    """The run report (labkit.grade_run) of a notebook's code cells, run in a fresh kernel."""
    job = {"cells": cells, "cell_limit": cell_limit, "notebook_limit": notebook_limit,
           "sandbox": prefix}
    with tempfile.TemporaryDirectory(prefix="labkit-run-") as cwd:
        try:
            done = subprocess.run([sys.executable, "-m", "labkit.grade_run"], input=json.dumps(job),
                                  capture_output=True, text=True, cwd=cwd, env=environment(cwd),
                                  timeout=notebook_limit + 2 * STARTUP)
            return json.loads(done.stdout.splitlines()[-1])
        except (subprocess.TimeoutExpired, IndexError, ValueError):
            return {"status": "died", "cells": 0, "errors": [], "stopped": "the run did not report"}


def _read_lines(fd: int, count: int, first: float, each: float) -> tuple[list[str], bool]:
    """Up to `count` lines from `fd` (the first within `first` seconds, each next within `each`),
    and whether the writer closed it (True) rather than ran out of time."""
    buffer, lines, limit = b"", [], first
    while len(lines) < count:
        ready, _, _ = select.select([fd], [], [], limit)
        if not ready:
            return lines, False
        chunk = os.read(fd, 65536)
        if not chunk:
            return lines, True
        buffer += chunk
        *done, buffer = buffer.split(b"\n")
        lines += [line.decode("utf8", "replace") for line in done]
        limit = each if done else limit
    return lines[:count], False


def run_worker(jobs: list[dict], timeout: float, prefix: list[str]) -> tuple[list[dict], bool]:
    """Results of the jobs ({setup, answer, call}) run by one worker process until it stops, and
    whether it ended by itself; it gets STARTUP seconds to import labkit, then `timeout` per job."""
    with tempfile.TemporaryDirectory(prefix="labkit-grade-") as cwd:
        read, write = os.pipe()
        try:
            proc = subprocess.Popen([*prefix, sys.executable, "-m", "labkit.grade_worker", str(write)],
                                    cwd=cwd, env=environment(cwd), stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    pass_fds=(write,))
        finally:
            os.close(write)
        try:
            proc.stdin.write(json.dumps(jobs).encode())
            proc.stdin.close()
            lines, ended = _read_lines(read, len(jobs) + 1, STARTUP, timeout)  # "ready", then results
        finally:
            os.close(read)
            proc.kill()
            proc.wait()
    return [json.loads(line) for line in lines[1:]], ended


def grade_answers(given: dict[str, str], exercises: list[Exercise], timeout: float,
                  prefix: list[str]) -> dict[str, dict]:
    """{check name: {"status", "feedback"}} for one notebook's answer cells."""
    grades = {e.check: {"status": "missing", "feedback": "no answer cell (tagged `exercise`) above "
                        "this exercise's check cell"} for e in exercises if e.check not in given}
    todo = [e for e in exercises if e.check in given]
    while todo:
        done, ended = run_worker([{"setup": e.setup, "answer": given[e.check], "call": e.call}
                                  for e in todo], timeout, prefix)
        for e, result in zip(todo, done):
            grades[e.check] = result
        if len(done) < len(todo):  # the worker ended, or ran out of time, on this one
            grades[todo[len(done)].check] = (
                {"status": "error", "feedback": "the answer ended the grading process"} if ended else
                {"status": "timeout", "feedback": f"stopped after {timeout:g} s running this answer"})
        todo = todo[len(done) + 1:]
    return {e.check: grades[e.check] for e in exercises}


def grade_notebook(read: Submission | str, exercises: list[Exercise], cell_limit: float,
                   notebook_limit: float, prefix: list[str]) -> dict:
    """{"run": the run report, "exercises": {check name: result}} for one submission."""
    if isinstance(read, str):
        return {"run": {"status": "unreadable", "errors": [], "stopped": read},
                "exercises": {e.check: {"status": "error", "feedback": read} for e in exercises}}
    return {"run": run_notebook(read.cells, cell_limit, notebook_limit, prefix),
            "exercises": grade_answers(read.answers, exercises, cell_limit, prefix)}


def grade(submissions: Path, out: Path, book: Path, jobs: int = 2, cell_limit: float = 300.0,
          notebook_limit: float = 1800.0) -> dict:
    """Grade every `submissions/*.ipynb`; write the outputs; return {student: graded}."""
    exercises = book_exercises(book)
    notebooks = sorted(submissions.glob("*.ipynb"))
    if not notebooks:
        raise ValueError(f"no notebooks (*.ipynb) in {submissions}")
    read = [read_submission(p) for p in notebooks]
    seen = set().union(*(r.checks for r in read if not isinstance(r, str)))
    chapters = {e.chapter for e in exercises if e.check in seen}
    exercises = [e for e in exercises if e.chapter in chapters] or exercises
    prefix = sandbox()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda r: grade_notebook(r, exercises, cell_limit, notebook_limit,
                                                         prefix), read))
    grades = {p.stem: r for p, r in zip(notebooks, results)}
    write_outputs(grades, [e.check for e in exercises], out)
    return grades


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m labkit grade`; returns the exit code."""
    p = argparse.ArgumentParser(prog="python -m labkit grade", description=__doc__.split("\n")[0])
    p.add_argument("submissions", type=Path, help="folder of filled-in student notebooks (*.ipynb)")
    p.add_argument("--out", type=Path, default=Path("grades.csv"),
                   help="the CSV; feedback goes to <out without .csv>.feedback/")
    p.add_argument("--book", type=Path, default=ROOT / "book",
                   help="the book's notebooks, whose check calls and imports are used (default: ./book)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks graded at the same time")
    p.add_argument("--cell-timeout", type=float, default=300.0,
                   help="seconds per notebook cell, and per answer with its check")
    p.add_argument("--notebook-timeout", type=float, default=1800.0,
                   help="seconds for the run of a whole notebook")
    args = p.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a folder", file=sys.stderr)
        return 2
    if args.jobs < 1 or args.cell_timeout <= 0 or args.notebook_timeout <= 0:
        print("error: --jobs must be >= 1 and the timeouts > 0", file=sys.stderr)
        return 2
    try:
        grade(args.submissions, args.out, args.book, args.jobs, args.cell_timeout,
              args.notebook_timeout)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0

"""The grader's worker: `python -m labkit.grade_worker FD`, jobs (JSON list of {setup, answer, call}) on stdin.

Imports labkit's checks first (so they seal torch and labkit before any student code runs), then
for each job, in a fresh namespace: runs the chapter's imports taken from the book (`setup`), the
student's answer cell, and the grader's own check call; writes `ready`, then one JSON line
{status, feedback} per job, to file descriptor FD (its stdout and stderr go nowhere). Used by
labkit.grade; the answers of one notebook share this process, in the book's order.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import types

import torch  # noqa: F401 - imported before any answer, like the checks

from labkit import exercises as ex
from labkit.grade_report import FEEDBACK_LIMIT

CHECKS = types.MappingProxyType({name: getattr(ex, name) for name in ex.__all__})  # before any answer
ON_ITS_OWN = "(an answer cell is graded on its own, after the chapter's imports)"


def _raised(what: str, error: BaseException) -> dict:
    """The error result for an exception raised by the answer or the check."""
    text = f"{what} raised {type(error).__name__}: {str(error)[:300]}"
    return {"status": "error", "feedback": text + (f" {ON_ITS_OWN}" if isinstance(error, NameError) else "")}


def run_job(setup: str, answer: str, call: str) -> dict:
    """Run the chapter's imports, one answer cell, then the check call with the checks as imported
    (an answer that replaces `ex.check_...` does not change what judges it); {status, feedback}."""
    namespace: dict = {}
    text = io.StringIO()
    with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
        try:
            exec(compile(setup, "<chapter imports>", "exec"), namespace)  # noqa: S102 - the book's
            exec(compile(answer, "<answer>", "exec"), namespace)  # noqa: S102 - grading runs it
        except BaseException as error:  # noqa: BLE001 - SystemExit, anything
            if isinstance(error, KeyboardInterrupt):
                raise
            return _raised("the answer cell", error)
        try:
            namespace["ex"] = types.SimpleNamespace(**CHECKS)
            passed = eval(compile(call, "<check>", "eval"), namespace)  # noqa: S307
        except BaseException as error:  # noqa: BLE001
            if isinstance(error, KeyboardInterrupt):
                raise
            return _raised("the check", error)
    status = "passed" if passed is True else "failed"
    return {"status": status, "feedback": text.getvalue()[:FEEDBACK_LIMIT]}


def main() -> None:
    """Run the jobs from stdin; one result line per job on the given file descriptor."""
    out = os.fdopen(int(sys.argv[1]), "w", encoding="utf8")
    jobs = json.loads(sys.stdin.read())
    out.write("ready\n")  # imports done: from now on each job has the grader's time limit
    out.flush()
    for job in jobs:
        out.write(json.dumps(run_job(job["setup"], job["answer"], job["call"])) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

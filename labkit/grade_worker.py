"""The grader's worker: `python -m labkit.grade_worker FD`, jobs (JSON list of {answer, call}) on stdin.

Imports labkit's checks first (so they seal torch and labkit before any student code runs), then
for each job runs the student's answer cell and the grader's check call in one namespace, and
writes `ready`, then one JSON line {status, feedback} per job, to file descriptor FD. Used by labkit.grade.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import types

import torch  # noqa: F401 - the answer cells expect it, as the notebook's set-up cell gives

from labkit import exercises as ex
from labkit.grade import FEEDBACK_LIMIT


CHECKS = types.MappingProxyType({name: getattr(ex, name) for name in ex.__all__})  # before any answer


def run_job(answer: str, call: str) -> dict:
    """Run one answer cell, then the check call with the checks as imported (an answer that
    replaces `ex.check_...` does not change what judges it); {status, feedback}."""
    namespace = {"torch": torch, "ex": ex}
    text = io.StringIO()
    with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
        try:
            exec(compile(answer, "<answer>", "exec"), namespace)  # noqa: S102 - grading runs it
        except BaseException as error:  # noqa: BLE001 - SystemExit, anything
            if isinstance(error, KeyboardInterrupt):
                raise
            return {"status": "error", "feedback": f"the answer cell raised {type(error).__name__}"}
        try:
            namespace["ex"] = types.SimpleNamespace(**CHECKS)
            passed = eval(compile(call, "<check>", "eval"), namespace)  # noqa: S307
        except BaseException as error:  # noqa: BLE001
            if isinstance(error, KeyboardInterrupt):
                raise
            return {"status": "error", "feedback": f"the check raised {type(error).__name__}"}
    status = "passed" if passed is True else "failed"
    return {"status": status, "feedback": text.getvalue()[:FEEDBACK_LIMIT]}


def main() -> None:
    """Run the jobs from stdin; one result line per job on the given file descriptor."""
    out = os.fdopen(int(sys.argv[1]), "w", encoding="utf8")
    jobs = json.loads(sys.stdin.read())
    out.write("ready\n")  # imports done: from now on each job has the grader's time limit
    out.flush()
    for job in jobs:
        out.write(json.dumps(run_job(job["answer"], job["call"])) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

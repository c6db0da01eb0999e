"""Run one student notebook top to bottom in a fresh Jupyter kernel: `python -m labkit.grade_run`.

Reads {"cells": [[cell number, source], ...], "cell_limit": s, "notebook_limit": s, "sandbox":
[argv prefix]} as JSON on stdin and prints one JSON line, {"status", "cells", "errors",
"stopped"}: status "ran" (every cell ran without raising), "raised" (some cells raised; the run
goes on, like the teacher pressing "run all" and reading on), "timeout" (a cell passed the
per-cell limit, or the run the per-notebook limit: the run stops there) or "died" (the kernel
ended). The kernel starts under the sandbox prefix (e.g. `unshare -rn -p -f --kill-child`: no
network, its own process ids), in this process's working folder, with its stdout and stderr on
/dev/null, and talks to us over Unix sockets (no network needed). Outputs are discarded.

This is the "does it run" report, not the grade: the kernel runs the student's code and can send
any message it likes, so nothing here is trusted for grading (see labkit.grade_worker).
"""
from __future__ import annotations

import json
import os
import queue
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

STARTUP = 300.0  # seconds for the kernel to start (slow on a busy machine)
POLL = 0.5  # seconds between checks that the kernel is alive


def start_kernel(sandbox: list[str], files: Path) -> KernelManager:
    """A fresh python kernel under `sandbox`, its spec and sockets in `files`, cwd this folder."""
    spec = files / "kernels" / "labkit-grade"
    spec.mkdir(parents=True)
    argv = [*sandbox, sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "grade",
                                                  "language": "python"}))
    km = KernelManager(kernel_name="labkit-grade", transport="ipc", ip=str(files / "socket"),
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]))
    with open(os.devnull, "w") as null:
        km.start_kernel(cwd=os.getcwd(), stdout=null, stderr=null)
    return km


def run_cell(km: KernelManager, client, source: str, deadline: float) -> str | None:
    """Run one cell: None if it finished, the exception's name if it raised, "timeout" or "died"."""
    msg_id, raised = client.execute(source, store_history=False), None
    while True:
        try:
            msg = client.get_iopub_msg(timeout=max(0.0, min(POLL, deadline - time.monotonic())))
        except queue.Empty:
            if not km.is_alive():
                return "died"
            if time.monotonic() >= deadline:
                return "timeout"
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            raised = str(msg["content"].get("ename", "error"))[:100]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return raised


def run(cells: list[list], cell_limit: float, notebook_limit: float, sandbox: list[str]) -> dict:
    """Run the cells in order in a fresh kernel; the report described in the module docstring."""
    report = {"status": "ran", "cells": 0, "errors": [], "stopped": None}
    with tempfile.TemporaryDirectory(prefix="labkit-kernel-") as files:
        km = start_kernel(sandbox, Path(files))
        client = km.client()
        try:
            client.start_channels()
            try:
                client.wait_for_ready(timeout=STARTUP)
            except RuntimeError:
                return {**report, "status": "died", "stopped": "the kernel did not start"}
            end = time.monotonic() + notebook_limit
            for number, source in cells:
                deadline = min(end, time.monotonic() + cell_limit)
                outcome = run_cell(km, client, source, deadline)
                report["cells"] += 1
                if outcome in ("timeout", "died"):
                    limit = "per-notebook" if deadline == end else "per-cell"
                    why = {"timeout": f"passed the {limit} time limit", "died": "ended the kernel"}
                    return {**report, "status": outcome, "stopped": f"cell {number} {why[outcome]}"}
                if outcome is not None:
                    report["status"] = "raised"
                    report["errors"].append([number, outcome])
            return report
        finally:
            client.stop_channels()
            km.shutdown_kernel(now=True)


def main() -> None:
    """Read the job from stdin, print the report as one JSON line."""
    job = json.loads(sys.stdin.read())
    report = run(job["cells"], job["cell_limit"], job["notebook_limit"], job["sandbox"])
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()

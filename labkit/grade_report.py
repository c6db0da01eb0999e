"""What `python -m labkit grade` writes: grades.csv, one feedback file per student, a summary.

Input: {student: {"run": the notebook run's report (labkit.grade_run), "exercises": {check name:
{"status", "feedback"}}}}. The CSV has one row per student (sorted): the notebook run's status,
one column per exercise (passed / failed / error / timeout / missing) and the number passed.
"""
from __future__ import annotations

import csv
from pathlib import Path

FEEDBACK_LIMIT = 2000  # characters of feedback kept per exercise
HOW = ("Each answer cell was graded on its own, after the chapter's imports, by the book's check "
       "in a fresh process: a helper defined in another cell is not there.")


def run_text(run: dict) -> str:
    """One sentence on how the student's notebook ran."""
    errors = ", ".join(f"cell {n} ({name})" for n, name in run.get("errors", []))
    text = {"ran": "every cell ran without an error.",
            "raised": f"it ran to the end; these cells raised an error: {errors}.",
            "timeout": f"stopped: {run.get('stopped')}.", "died": f"stopped: {run.get('stopped')}.",
            "unreadable": f"{run.get('stopped')}."}[run["status"]]
    if run["status"] in ("timeout", "died") and errors:
        text += f" Before that, these cells raised an error: {errors}."
    return text


def write_csv(grades: dict[str, dict], names: list[str], out: Path) -> None:
    """grades.csv: student, notebook, one column per exercise, passed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf8") as f:
        w = csv.writer(f)
        w.writerow(["student", "notebook", *names, "passed"])
        for student in sorted(grades):
            row = [grades[student]["exercises"][n]["status"] for n in names]
            w.writerow([student, grades[student]["run"]["status"], *row, row.count("passed")])


def write_feedback(grades: dict[str, dict], names: list[str], folder: Path) -> None:
    """<folder>/<student>.md: the run, then each exercise's status and the check's feedback."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, graded in grades.items():
        per = graded["exercises"]
        passed = sum(per[n]["status"] == "passed" for n in names)
        text = [f"# Feedback for {student}\n", f"{passed} of {len(names)} exercises passed. {HOW}\n",
                f"Your notebook, run from the top in a fresh kernel: {run_text(graded['run'])}\n"]
        for n in names:
            text.append(f"## {n}: {per[n]['status']}\n\n```\n{per[n]['feedback'].strip()}\n```\n")
        (folder / f"{student}.md").write_text("\n".join(text), encoding="utf8")


def summary(grades: dict[str, dict], names: list[str]) -> str:
    """The terminal summary: per-exercise pass rates, and how many notebooks ran cleanly."""
    count = len(grades)
    lines = [f"{'exercise':28s} passed  rate"]
    for n in names:
        passed = sum(g["exercises"][n]["status"] == "passed" for g in grades.values())
        lines.append(f"{n:28s} {passed:3d}/{count:<3d} {passed / max(count, 1):4.0%}")
    ran = sum(g["run"]["status"] == "ran" for g in grades.values())
    lines.append(f"{'notebook ran without errors':28s} {ran:3d}/{count:<3d} {ran / max(count, 1):4.0%}")
    return "\n".join(lines)


def write_outputs(grades: dict[str, dict], names: list[str], out: Path) -> None:
    """grades.csv, the feedback folder `<out>.feedback/` next to it, and the summary printed."""
    write_csv(grades, names, out)
    folder = out.with_suffix(".feedback")
    write_feedback(grades, names, folder)
    print(f"{len(grades)} notebooks graded -> {out}, feedback in {folder}/")
    print(summary(grades, names))

"""A run's output folder: filled as a temporary folder next to `--out`, then moved there in one rename.

So the artefacts in `--out` always come from one run. A non-empty `--out` is refused (before
training, and again by the rename itself, which fails if another run filled it meanwhile). With
`force`, a folder holding only an earlier run's artefacts is replaced as a whole; a folder holding
anything else is refused, so `--force` never deletes a file this command did not write.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

from .messages import UserError, shorten
from .tempfiles import remove_orphans, temp_path

ARTEFACTS = ("best.pt", "log.json", "norms.png")


def check_out(out: Path, force: bool) -> None:
    """Raise UserError unless `out` can take a run: new, empty, or (with force) an earlier run's artefacts."""
    try:
        if out.exists() and not out.is_dir():
            raise UserError(f"--out {out} exists and is not a folder")
        present = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    except OSError as error:
        raise UserError(f"cannot use --out {out}: {error.strerror}") from None
    if present and not force:
        raise UserError(f"--out {out} is not empty ({shorten(', '.join(present))}); "
                        f"use --force to replace an earlier run's files, or another folder")
    foreign = [name for name in present if name not in ARTEFACTS]
    if foreign:
        raise UserError(f"--out {out} holds files this command did not write ({shorten(', '.join(foreign))}); "
                        f"--force only replaces {', '.join(ARTEFACTS)}: choose another folder")


def make_run_folder(out: Path) -> tuple[Path, list[Path]]:
    """A new empty temp folder next to `out`, and the missing parent folders made for it (deepest first)."""
    made: list[Path] = []
    missing = []
    for parent in [out.parent, *out.parent.parents]:
        if parent.exists():
            break
        missing.append(parent)
    try:
        for parent in reversed(missing):
            parent.mkdir()
            made.insert(0, parent)
        remove_orphans(out)  # run folders of killed runs
        folder = temp_path(out)
        folder.mkdir()
    except OSError as error:
        remove_run_folder(None, made)
        raise UserError(f"cannot write next to --out {out}: {error.strerror}: {error.filename}") from None
    return folder, made


def remove_run_folder(folder: Path | None, made: list[Path]) -> None:
    """Delete the temp folder and the parent folders made for it, if still empty."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    for parent in made:
        try:
            parent.rmdir()
        except OSError:
            return


def publish(folder: Path, out: Path, force: bool, made: list[Path]) -> list[str]:
    """Move the filled temp folder to `out`; return the names it holds. UserError (nothing kept) if refused."""
    written = sorted(p.name for p in folder.iterdir())
    try:
        _move(folder, out, force)
    except (OSError, UserError) as error:
        remove_run_folder(folder, made)
        if isinstance(error, UserError):
            raise
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise UserError(f"--out {out} was filled by another run while this one trained; "
                            f"this run's files were not kept") from None
        raise UserError(f"cannot move the run's files to {out}: {error.strerror}") from None
    return written


def _move(folder: Path, out: Path, force: bool) -> None:
    if not (force and out.is_dir() and any(out.iterdir())):
        os.rename(folder, out)  # atomic; fails if `out` is not empty
        return
    check_out(out, force=True)
    aside = temp_path(out)
    os.rename(out, aside)
    try:
        os.rename(folder, out)
    except OSError:
        with contextlib.suppress(OSError):
            os.rename(aside, out)  # put the earlier run back, unless another run took its place
        raise
    finally:
        if aside.exists():
            _discard(aside)


def _discard(old_run: Path) -> None:
    """Delete an earlier run's artefacts and their folder (left in place if something else appeared in it)."""
    for name in ARTEFACTS:
        (old_run / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        old_run.rmdir()

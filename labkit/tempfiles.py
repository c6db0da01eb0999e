"""Temporary files and folders named after the process that writes them.

`temp_path(path)` is `.<name>.<pid>.<random>.tmp` next to `path`: a writer fills it, then renames it
over `path`. A killed writer leaves it behind; `remove_orphans(path)` deletes those whose process
no longer runs, and never touches a live writer's.
"""
from __future__ import annotations

import glob
import os
import secrets
import shutil
from pathlib import Path

NAME_CHARS = 100  # of the target's name kept in a temp name (file names stop at 255 bytes)


def temp_path(path: Path) -> Path:
    """A fresh temp name for `path`, in the same folder (so a rename over `path` is atomic)."""
    return path.parent / f".{path.name[:NAME_CHARS]}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def remove_orphans(path: Path) -> None:
    """Delete the temp files and folders of `path` whose writing process no longer runs."""
    prefix = f".{path.name[:NAME_CHARS]}."
    for tmp in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = tmp.name[len(prefix):].split(".")[0]
        if pid.isdigit() and _running(int(pid)):
            continue  # a name without a pid is an older labkit's temp file: an orphan too
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether a process with this id exists (outside POSIX every process counts as running)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)  # signal 0 only checks that the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True

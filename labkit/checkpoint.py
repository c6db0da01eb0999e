"""Saving and loading model weights safely: atomic writes, `weights_only` loads, clear errors."""
from __future__ import annotations

import glob
import os
import secrets
from pathlib import Path

import torch
from torch import nn


def save_checkpoint(state_dict: dict[str, torch.Tensor], path: str | os.PathLike) -> Path:
    """Write a state_dict atomically: to a temp file in the same folder, then rename over `path`.

    The temp file is `.<name>.<pid>.<random>.tmp`; one left by a killed process is removed by the next
    save to the same path. The checkpoint gets an ordinary file's permissions (0o666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state_dict, f)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_orphans(path: Path) -> None:
    """Delete the `.<name>.*.tmp` files next to `path` whose writing process no longer runs."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".")[0]
        if not (pid.isdigit() and _running(int(pid))):  # a name without a pid: an older labkit's temp file
            tmp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether a process with this id exists (outside POSIX every process counts as running)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def load_checkpoint(model: nn.Module, path: str | os.PathLike) -> nn.Module:
    """Load weights saved by `save_checkpoint` into `model`; a bad file raises a readable error."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        raise ValueError(f"{path} is not a readable checkpoint (corrupt or not a state_dict): {error}") from None
    if not isinstance(state, dict):
        raise ValueError(f"{path} holds a {type(state).__name__}, not a state_dict")
    expected = model.state_dict()
    missing, unexpected = sorted(set(expected) - set(state)), sorted(set(state) - set(expected))
    if missing or unexpected:
        raise ValueError(f"{path} does not fit this model: missing {missing}, unexpected {unexpected}")
    wrong = [f"{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(v.shape)}"
             for k, v in expected.items() if state[k].shape != v.shape]
    if wrong:
        raise ValueError(f"{path} does not fit this model: " + "; ".join(wrong))
    model.load_state_dict(state)
    return model

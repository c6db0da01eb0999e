"""Saving and loading model weights safely: atomic writes, `weights_only` loads, clear errors."""
from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from .tempfiles import remove_orphans, temp_path


def save_checkpoint(state_dict: dict[str, torch.Tensor], path: str | os.PathLike) -> Path:
    """Write a state_dict atomically: to a temp file in the same folder, then rename over `path`.

    The temp file is `tempfiles.temp_path(path)`; one left by a killed process is removed by the next
    save to the same path. The checkpoint gets an ordinary file's permissions (0o666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state_dict, f)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


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

"""Three ways to clip gradients, applied in place right before `optimizer.step()`.

- "global":     one L2 norm over all tensors, all scaled by the same factor (PyTorch `clip_grad_norm_`).
- "per_tensor": each tensor scaled so its own L2 norm is <= max_norm (Paddle `ClipGradByNorm`,
                what the original NNDL code used).
- "value":      each element clamped to [-max_norm, max_norm] (PyTorch `clip_grad_value_`).

Norm clipping keeps the gradient's direction; value clipping does not.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import torch

from .messages import short_repr

CLIP_MODES = ("global", "per_tensor", "value")
EPS = 1e-6  # as in torch.nn.utils.clip_grad_norm_: keeps the scale finite for a zero gradient


def check_clip(mode: str, max_norm: float | None) -> None:
    """Raise ValueError for an unknown mode, and as `check_max_norm` for a bad threshold."""
    if mode not in CLIP_MODES:
        raise ValueError(f"clip_mode must be one of {CLIP_MODES}, got {short_repr(mode)}")
    check_max_norm(max_norm)


def check_max_norm(max_norm: float | None) -> None:
    """Raise TypeError unless `max_norm` is None (no clipping) or a number, ValueError unless it is finite and > 0.

    A bool, a string or a tensor is not a number here; inf is refused too (it never clips: leave
    clipping off instead). TrainConfig uses this same check.
    """
    if max_norm is None:
        return
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real):
        raise TypeError(f"max_norm must be a number > 0 (or None: no clipping), got {short_repr(max_norm)} "
                        f"({type(max_norm).__name__})")
    if not (math.isfinite(max_norm) and max_norm > 0):
        raise ValueError(f"max_norm must be > 0 and finite, got {max_norm}")


def clip_gradients(parameters: Iterable[torch.nn.Parameter], mode: str, max_norm: float) -> torch.Tensor:
    """Clip the gradients in place; return each tensor's pre-clip L2 norm, shape [P].

    Parameters without a gradient are skipped (and get no entry).
    """
    if max_norm is None:
        raise TypeError("max_norm must be a number > 0, got None (None means no clipping: "
                        "do not call clip_gradients)")
    check_clip(mode, max_norm)
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.zeros(0)
    norms = torch.stack([g.detach().norm(2) for g in grads])  # [P]
    if mode == "global":
        total = norms.norm(2)
        scale = (max_norm / (total + EPS)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale)
    elif mode == "per_tensor":
        scales = (max_norm / (norms + EPS)).clamp(max=1.0)  # [P]
        for g, scale in zip(grads, scales):
            g.mul_(scale)
    else:
        for g in grads:
            g.clamp_(-max_norm, max_norm)
    return norms

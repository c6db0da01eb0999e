"""Three ways to clip gradients, applied in place right before `optimizer.step()`.

- "global":     one L2 norm over all tensors, all scaled by the same factor (PyTorch `clip_grad_norm_`).
- "per_tensor": each tensor scaled so its own L2 norm is <= max_norm (Paddle `ClipGradByNorm`,
                what the original NNDL code used).
- "value":      each element clamped to [-max_norm, max_norm] (PyTorch `clip_grad_value_`).

Norm clipping keeps the gradient's direction; value clipping does not.
"""
from __future__ import annotations

from collections.abc import Iterable

import torch

CLIP_MODES = ("global", "per_tensor", "value")
EPS = 1e-6  # as in torch.nn.utils.clip_grad_norm_: keeps the scale finite for a zero gradient


def check_clip(mode: str, max_norm: float | None) -> None:
    """Raise ValueError for an unknown mode or a non-positive threshold."""
    if mode not in CLIP_MODES:
        raise ValueError(f"clip mode must be one of {CLIP_MODES}, got {mode!r}")
    if max_norm is not None and not max_norm > 0:
        raise ValueError(f"max_norm must be > 0 (or None for no clipping), got {max_norm}")


def clip_gradients(parameters: Iterable[torch.nn.Parameter], mode: str, max_norm: float) -> torch.Tensor:
    """Clip the gradients in place; return each tensor's pre-clip L2 norm, shape [P].

    Parameters without a gradient are skipped (and get no entry).
    """
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

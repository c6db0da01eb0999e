"""How saturated the tanh units are: the fraction of hidden values with |h| above a threshold.

Where |h| is close to 1, tanh'(z) = 1 - h^2 is close to 0 and almost no gradient passes back
through that unit. This module measures; it does not plot or train.
"""
from __future__ import annotations

import torch
from torch import nn

from .runner import Callback, Runner


@torch.no_grad()
def saturated_fraction(model: nn.Module, tokens: torch.Tensor, threshold: float = 0.99) -> float:
    """Fraction of all hidden values h_t (every example, step and unit) with |h| > threshold."""
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    states = model.rnn_model.states(model.embed(tokens))  # [B, T, H]
    return (states.abs() > threshold).float().mean().item()


class SaturationLogger(Callback):
    """Records `saturated_fraction` on a fixed probe batch before every optimizer step."""

    def __init__(self, tokens: torch.Tensor, threshold: float = 0.99):
        if not 0 < threshold < 1:
            raise ValueError(f"threshold must be in (0, 1), got {threshold}")
        self.tokens, self.threshold = tokens, threshold
        self.fractions: list[float] = []

    def on_train_batch_start(self, runner: Runner, batch) -> None:
        self.fractions.append(saturated_fraction(runner.model, self.tokens, self.threshold))

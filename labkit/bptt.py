"""Looking inside backpropagation through time: rho(U) and the gradient reaching each h_t.

Through the recurrence, dL/dh_{t-1} = (dL/dh_t) diag(1 - h_t^2) U^T, so the gradient reaching an
early state is a product of Jacobians. Its size is governed by U (Pascanu, Mikolov & Bengio 2013):
since |tanh'| <= 1, a largest singular value sigma_max(U) < 1 is sufficient for the product to
vanish, and sigma_max(U) > 1 is necessary for it to explode. The spectral radius rho(U) <= sigma_max(U)
is the exact criterion only for the linear recurrence; we track it because it is what the long-run
growth of U^k follows.
"""
from __future__ import annotations

import torch
from torch import nn

from .runner import Callback, Runner


def spectral_radius(matrix: torch.Tensor) -> float:
    """Largest absolute eigenvalue of a square matrix."""
    return torch.linalg.eigvals(matrix.detach().double()).abs().max().item()


def hidden_grad_norms(model: nn.Module, tokens: torch.Tensor, labels: torch.Tensor, loss_fn) -> torch.Tensor:
    """||dL/dh_t|| for t = 1..T (L2 over the batch and hidden units): [T]. Leaves .grad untouched."""
    rnn, x = model.rnn_model, model.embed(tokens)  # [B, T, D]
    h = x.new_zeros(x.shape[0], rnn.hidden_size)  # [B, H]
    hs = []
    for t in range(x.shape[1]):
        h = rnn.step(x[:, t], h)  # [B, H]
        hs.append(h)
    loss = loss_fn(model.linear(h), labels)
    grads = torch.autograd.grad(loss, hs)  # T tensors [B, H]: the full BPTT gradient at each h_t
    return torch.stack([g.norm() for g in grads])


class SpectralRadiusLogger(Callback):
    """Records rho(U) of `model.rnn_model.U` before every optimizer step (and once at the start)."""

    def __init__(self):
        self.radii: list[float] = []

    def on_train_start(self, runner: Runner) -> None:
        self.radii.append(spectral_radius(runner.model.rnn_model.U))

    def on_train_batch_end(self, runner: Runner, loss: float) -> None:
        self.radii.append(spectral_radius(runner.model.rnn_model.U))


class HiddenGradLogger(Callback):
    """Records ||dL/dh_t|| for every t on a fixed probe batch, at every step: rows of a steps x T map."""

    def __init__(self, tokens: torch.Tensor, labels: torch.Tensor, loss_fn):
        self.tokens, self.labels, self.loss_fn = tokens, labels, loss_fn
        self.rows: list[list[float]] = []

    def on_train_batch_start(self, runner: Runner, batch) -> None:
        self.rows.append(hidden_grad_norms(runner.model, self.tokens, self.labels, self.loss_fn).tolist())

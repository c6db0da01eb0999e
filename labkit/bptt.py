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

from .models import SRN, recurrence
from .runner import Callback, Runner


def spectral_radius(matrix: torch.Tensor) -> float:
    """Largest absolute eigenvalue of a square matrix."""
    return torch.linalg.eigvals(matrix.detach().double()).abs().max().item()


def hidden_grad_norms(model: nn.Module, tokens: torch.Tensor, labels: torch.Tensor, loss_fn) -> torch.Tensor:
    """||dL/dh_t|| for t = 1..T (L2 over the batch and hidden units): [T]. Leaves .grad untouched.

    For the SRN, runs its own recurrence and reads the full BPTT gradient off its backward pass:
    dL/dh_T comes from the head, and dL/dh_t = (dL/dz_{t+1}) U^T for t < T, since h_t reaches the
    loss only through z_{t+1} + h_t U. A gated layer (gated.py) is driven one step at a time, and
    autograd gives the gradient of each h_t, which feeds h_{t+1} (and, in the LSTM, c_{t+1}).
    """
    rnn = model.rnn_model
    x = model.embed(tokens)  # [B, T, D]
    if not isinstance(rnn, SRN):
        hs = rnn.trajectory(x.detach())  # T tensors [B, H]
        grads = torch.autograd.grad(loss_fn(model.linear(hs[-1]), labels), hs)
        return torch.stack([g.norm() for g in grads])
    z = (x @ rnn.W + rnn.b).transpose(0, 1)[:, None].detach().requires_grad_()  # [T, 1, B, H]
    _, h_T = recurrence(z, rnn.U[None].detach())  # [1, B, H]
    loss = loss_fn(model.linear(h_T[0]), labels)
    grad_z, grad_h_T = torch.autograd.grad(loss, [z, h_T])  # [T, 1, B, H], [1, B, H]
    later = grad_z[1:, 0] @ rnn.U.detach().T  # dL/dh_t for t = 1..T-1               [T-1, B, H]
    return torch.cat([later.flatten(1).norm(dim=1), grad_h_T.norm()[None]])


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

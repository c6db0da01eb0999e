"""The simple recurrent network (SRN) written from scratch, and the digit-sum classifier around it.

    h_t = tanh(x_t W + h_{t-1} U + b)

Row-vector convention as in NNDL: W is [input, hidden], U is [hidden, hidden], b is [1, hidden].
The recurrence is written once, in `recurrence`, for K independent models at a time (K = 1 for one
model): `SRN`, `RNNClassifier`, the BPTT probe (`bptt.py`) and the batched sweep all run it.
Models here compute; they do not print, plot or touch files.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .gated import Gated

INITS = ("xavier", "zeros")
CELLS = ("srn", "lstm", "gru")  # the recurrent layer of `RNNClassifier`: ours, or a gated one (gated.py)


class Recurrence(torch.autograd.Function):
    """h_t = tanh(z_t + h_{t-1} U), t = 1..T, with backpropagation through time written by hand.

    forward(z [T, K, B, H], U [K, H, H], h0 [K, B, H]) -> (h_1..h_T [T, K, B, H], h_T [K, B, H]).
    The backward is the BPTT recursion, what autograd computes for the plain loop:

        delta_t = dL/dh_t * (1 - h_t^2)      dL/dh_{t-1} = delta_t U^T (+ any direct dL/dh_{t-1})
        dL/dz_t = delta_t                    dL/dU = sum_t h_{t-1}^T delta_t

    with a few in-place operations per time step instead of an autograd graph of 5T nodes.
    """

    @staticmethod
    def forward(ctx, z: torch.Tensor, U: torch.Tensor, h0: torch.Tensor):
        T = z.shape[0]
        hs = torch.empty((T + 1,) + z.shape[1:], dtype=z.dtype)  # h_0..h_T     [T+1, K, B, H]
        hs[0] = h0
        hs[1:] = z
        for t in range(T):
            hs[t + 1].baddbmm_(hs[t], U).tanh_()  # in place: z_t + h_{t-1} U, then tanh
        ctx.save_for_backward(hs, U)
        ctx.set_materialize_grads(False)
        return hs[1:], hs[T].clone()

    @staticmethod
    def backward(ctx, grad_states: torch.Tensor | None, grad_last: torch.Tensor | None):
        hs, U = ctx.saved_tensors
        T = hs.shape[0] - 1
        delta = torch.empty_like(hs[1:])  # dL/dz_t                                       [T, K, B, H]
        grad_U = torch.zeros_like(U)  # [K, H, H]
        U_T = U.transpose(1, 2)
        g = torch.zeros_like(hs[0]) if grad_last is None else grad_last  # dL/dh_T   [K, B, H]
        if grad_states is not None:
            g = g + grad_states[T - 1]
        for t in range(T - 1, -1, -1):  # delta[t] belongs to h_{t+1}, and h_t came before it
            h = hs[t + 1]
            torch.addcmul(g, g * h, h, value=-1, out=delta[t])  # g (1 - h^2): back through tanh
            grad_U.baddbmm_(hs[t].transpose(1, 2), delta[t])  # += h_t^T delta_{t+1}
            if t > 0:
                g = (torch.bmm(delta[t], U_T) if grad_states is None
                     else torch.baddbmm(grad_states[t - 1], delta[t], U_T))
        grad_h0 = torch.bmm(delta[0], U_T) if ctx.needs_input_grad[2] else None
        return delta, grad_U, grad_h0


def recurrence(z: torch.Tensor, U: torch.Tensor, h0: torch.Tensor | None = None
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """The SRN recurrence of K models: z [T, K, B, H] (x_t W + b), U [K, H, H] -> (every h_t [T, K, B, H], h_T [K, B, H])."""
    if h0 is None:
        h0 = z.new_zeros(z.shape[1:])  # [K, B, H]
    return Recurrence.apply(z, U, h0)


class SRN(nn.Module):
    """A tanh recurrent layer: `forward(x [B, T, D]) -> h_T [B, H]`."""

    def __init__(self, input_size: int, hidden_size: int, init: str = "xavier",
                 generator: torch.Generator | None = None):
        super().__init__()
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        self.input_size, self.hidden_size = input_size, hidden_size
        self.W = nn.Parameter(torch.zeros(input_size, hidden_size))
        self.U = nn.Parameter(torch.zeros(hidden_size, hidden_size))
        self.b = nn.Parameter(torch.zeros(1, hidden_size))
        if init == "xavier":
            for weight in (self.W, self.U):
                nn.init.xavier_uniform_(weight, generator=generator)

    def _run(self, x: torch.Tensor, h0: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """`recurrence` for this one model: x [B, T, D] -> (every h_t [T, 1, B, H], h_T [1, B, H])."""
        z = (x @ self.W + self.b).transpose(0, 1)[:, None]  # x_t W + b          [T, 1, B, H]
        return recurrence(z, self.U[None], None if h0 is None else h0[None])

    def step(self, x_t: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """One step of the recurrence: x_t [B, D], h_{t-1} [B, H] -> h_t [B, H]."""
        return self._run(x_t[:, None], h)[1][0]

    def states(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """Every hidden state h_1..h_T: [B, T, H]."""
        return self._run(x, h0)[0][:, 0].transpose(0, 1)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """The last hidden state h_T: [B, H]."""
        return self._run(x, h0)[1][0]


def classifier_logits(params: dict[str, torch.Tensor], tokens: torch.Tensor) -> torch.Tensor:
    """K classifiers at once: parameters stacked along axis 0 (names as in `RNNClassifier`), digit ids [K, B, T] -> logits [K, B, C].

    Model k reads only tokens[k] and slice k of each parameter. x_t W + b for digit d is row d of
    the table `embedding W + b` [K, 10, H], so every z_t is a row picked from that table, before
    the time loop.
    """
    emb = params["embedding"]  # [K, 10, D]
    K, digits, _ = emb.shape
    table = torch.baddbmm(params["rnn_model.b"], emb, params["rnn_model.W"])  # [K, 10, H]
    rows = tokens.permute(2, 0, 1) + digits * torch.arange(K)[:, None]  # row of table.view(K*10, H)  [T, K, B]
    # index_select, not table[rows]: the same rows, several times faster forward and backward
    z = table.view(K * digits, -1).index_select(0, rows.reshape(-1)).view(*rows.shape, -1)  # [T, K, B, H]
    _, h = recurrence(z, params["rnn_model.U"])  # h_T                              [K, B, H]
    head = params["linear.weight"].transpose(1, 2)  # [K, H, C]
    return torch.baddbmm(params["linear.bias"][:, None, :], h, head)  # [K, B, C]


class RNNClassifier(nn.Module):
    """Embedding -> SRN (or an LSTM / GRU: `cell`) -> linear head on the last state: `forward(tokens [B, T]) -> logits [B, C]`."""

    def __init__(self, num_digits: int = 10, input_size: int = 32, hidden_size: int = 32,
                 num_classes: int = 19, init: str = "xavier", seed: int | None = None,
                 cell: str = "srn"):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")
        generator = None if seed is None else torch.Generator().manual_seed(seed)
        self.embedding = nn.Parameter(torch.empty(num_digits, input_size))  # trainable, unlike the blog post's
        nn.init.xavier_uniform_(self.embedding, generator=generator)
        self.rnn_model = (SRN(input_size, hidden_size, init=init, generator=generator) if cell == "srn"
                          else Gated(cell, input_size, hidden_size, init=init, generator=generator))
        with torch.random.fork_rng():  # nn.Linear's throw-away init must not move the global RNG
            self.linear = nn.Linear(hidden_size, num_classes)
        bound = 1 / math.sqrt(hidden_size)  # nn.Linear's default init, but from our generator
        with torch.no_grad():
            self.linear.weight.uniform_(-bound, bound, generator=generator)
            self.linear.bias.uniform_(-bound, bound, generator=generator)

    def embed(self, tokens: torch.Tensor) -> torch.Tensor:
        """Digit ids [B, T] -> vectors [B, T, D]."""
        return self.embedding[tokens]

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Digit ids [B, T] -> class logits [B, C], read from the last hidden state (`classifier_logits`, K = 1)."""
        if not isinstance(self.rnn_model, SRN):
            return self.linear(self.rnn_model(self.embed(tokens)))
        params = {name: p[None] for name, p in self.named_parameters()}  # [1, ...]
        return classifier_logits(params, tokens[None])[0]

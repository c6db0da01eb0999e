"""The simple recurrent network (SRN) written from scratch, and the digit-sum classifier around it.

    h_t = tanh(x_t W + h_{t-1} U + b)

Row-vector convention as in NNDL: W is [input, hidden], U is [hidden, hidden], b is [1, hidden].
Models here compute; they do not print, plot or touch files.
"""
from __future__ import annotations

import math

import torch
from torch import nn

INITS = ("xavier", "zeros")


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

    def step(self, x_t: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """One step of the recurrence: x_t [B, D], h_{t-1} [B, H] -> h_t [B, H]."""
        return torch.tanh(x_t @ self.W + h @ self.U + self.b)

    def states(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """Every hidden state h_1..h_T: [B, T, H]."""
        batch, steps, _ = x.shape  # [B, T, D]
        h = x.new_zeros(batch, self.hidden_size) if h0 is None else h0  # [B, H]
        hs = []
        for t in range(steps):
            h = self.step(x[:, t], h)  # [B, H]
            hs.append(h)
        return torch.stack(hs, dim=1)  # [B, T, H]

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """The last hidden state h_T: [B, H] (the loop of `states`, without keeping every h_t)."""
        h = x.new_zeros(x.shape[0], self.hidden_size) if h0 is None else h0  # [B, H]
        for t in range(x.shape[1]):
            h = self.step(x[:, t], h)  # [B, H]
        return h


class RNNClassifier(nn.Module):
    """Embedding -> SRN -> linear head on the last state: `forward(tokens [B, T]) -> logits [B, C]`."""

    def __init__(self, num_digits: int = 10, input_size: int = 32, hidden_size: int = 32,
                 num_classes: int = 19, init: str = "xavier", seed: int | None = None):
        super().__init__()
        generator = None if seed is None else torch.Generator().manual_seed(seed)
        self.embedding = nn.Parameter(torch.empty(num_digits, input_size))  # trainable, unlike the blog post's
        nn.init.xavier_uniform_(self.embedding, generator=generator)
        self.rnn_model = SRN(input_size, hidden_size, init=init, generator=generator)
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
        """Digit ids [B, T] -> class logits [B, C], read from the last hidden state."""
        return self.linear(self.rnn_model(self.embed(tokens)))

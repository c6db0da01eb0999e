"""Gated recurrent layers, LSTM and GRU, with the SRN's interface: `forward(x [B, T, D]) -> h_T [B, H]`.

Built on `torch.nn.LSTM` / `torch.nn.GRU`, not written out. Training runs torch's fused loop over
the whole sequence (`forward`); the gradient probe drives the *same* module one step at a time
(`trajectory`), so that each h_t is a tensor that feeds h_{t+1} and autograd can give ∂L/∂h_t
(the output sequence of the fused call does not carry that gradient). tests/test_gated.py checks
that the two drives agree to 1e-6 in float64, outputs and gradients.

Initialisation as for the SRN: `"xavier"` draws each gate's input and recurrent weight block
Xavier-uniform from the given generator and sets every bias to zero (so every gate starts near
σ(0) = 0.5, the LSTM's forget gate included); `"zeros"` sets every weight and bias to zero.
This module is the layers only: no training, no plotting.
"""
from __future__ import annotations

import torch
from torch import nn

GATES = {"lstm": 4, "gru": 3}  # weight blocks per layer, in torch's order: LSTM i, f, g, o; GRU r, z, n


class Gated(nn.Module):
    """One torch LSTM or GRU layer: `forward(x [B, T, D], h0=None) -> h_T [B, H]`."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, init: str = "xavier",
                 generator: torch.Generator | None = None):
        super().__init__()
        if kind not in GATES:
            raise ValueError(f"kind must be one of {tuple(GATES)}, got {kind!r}")
        if init not in ("xavier", "zeros"):
            raise ValueError(f"init must be one of ('xavier', 'zeros'), got {init!r}")
        self.kind, self.input_size, self.hidden_size = kind, input_size, hidden_size
        module = {"lstm": nn.LSTM, "gru": nn.GRU}[kind]
        with torch.random.fork_rng():  # torch's own init is thrown away: it must not move the global RNG
            self.layer = module(input_size, hidden_size, batch_first=True)
        with torch.no_grad():
            for name, p in self.layer.named_parameters():
                p.zero_()
                if init == "xavier" and name.startswith("weight"):
                    for block in p.chunk(GATES[kind], dim=0):  # [H, D] or [H, H] per gate
                        nn.init.xavier_uniform_(block, generator=generator)

    def _state(self, h0: torch.Tensor | None):
        """h0 [B, H] (or None) -> torch's initial state argument."""
        if h0 is None:
            return None
        return (h0[None], torch.zeros_like(h0)[None]) if self.kind == "lstm" else h0[None]

    def _hidden(self, state) -> torch.Tensor:
        """torch's returned state -> its hidden state h [B, H] (the LSTM's state is (h, c))."""
        return (state[0] if self.kind == "lstm" else state)[0]

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """The last hidden state h_T [B, H], from torch's fused loop (c_0 = 0 for the LSTM)."""
        return self._hidden(self.layer(x, self._state(h0))[1])

    def states(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """Every hidden state h_1..h_T: [B, T, H]."""
        return self.layer(x, self._state(h0))[0]

    def trajectory(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> list[torch.Tensor]:
        """h_1..h_T as T tensors [B, H], the module driven one step at a time: h_t feeds h_{t+1}."""
        state, hs = self._state(h0), []
        for t in range(x.shape[1]):
            _, state = self.layer(x[:, t:t + 1], state)
            h = self._hidden(state)  # h_t [B, H]
            state = (h[None], state[1]) if self.kind == "lstm" else h[None]  # the next step reads this h_t
            hs.append(h)
        return hs

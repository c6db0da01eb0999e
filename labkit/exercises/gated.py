"""Exercises for the gated chapter (06): predict which freshly initialised layer passes the most
gradient back to h_1, and which LSTM gate sets how fast that gradient shrinks.

Both checks measure ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ with `bptt.hidden_grad_norms` at check time (length 35,
freshly initialised models) and explain the measured answer; they print ✔ or ✘ and return
True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable

import torch
from torch import nn

from ..bptt import hidden_grad_norms
from ..data import TensorBatches, digit_sum_splits
from ..models import RNNClassifier
from ..seeds import book_seeds
from ._feedback import judge, report
from ._values import as_letter, valid_seeds

LENGTH = 35
LAYERS = {"A": ("srn", "xavier"), "B": ("lstm", "xavier"), "C": ("gru", "xavier"), "D": ("srn", "zeros")}
LAYER_NAMES = {"A": "the SRN (Xavier)", "B": "the LSTM", "C": "the GRU", "D": "the zero-initialised SRN"}
GATES = {"A": "input", "B": "forget", "C": "cell candidate", "D": "output"}  # torch's order: i, f, g, o
SHIFT = 3.0  # added to one gate's bias: σ(3) ≈ 0.95
LAYER_HINT = ("at initialisation every gate of our LSTM and GRU sits near σ(0) = 0.5. What does a "
              "factor of about 0.5 per step do over 34 steps, compared with the SRN's "
              "diag(1 - h_t²) Uᵀ, whose ρ(U) starts near 1? And what does U = 0 pass back?")
GATE_HINT = ("write ∂c_t/∂c_{t-1} for c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t. Which gate multiplies the "
             "path from c_{t-1} to c_t directly, step after step?")


def first_to_last(model: RNNClassifier, length: int = LENGTH) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ on the first training batch (64 examples, summed loss)."""
    tokens, labels = next(iter(TensorBatches(digit_sum_splits(length)["train"], 64)))  # [64, T]
    norms = hidden_grad_norms(model, tokens, labels, nn.CrossEntropyLoss(reduction="sum"))  # [T]
    return (norms[0] / norms[-1]).item()


def median_first_to_last(build: Callable[[int], RNNClassifier], seeds: tuple[int, ...]) -> float:
    """The median over `seeds` of `first_to_last(build(seed))`."""
    return statistics.median(first_to_last(build(s)) for s in seeds)


def shifted_lstm(seed: int, gate: int, shift: float = SHIFT) -> RNNClassifier:
    """A freshly initialised LSTM classifier with `shift` added to the bias of gate `gate` (0..3: i, f, g, o)."""
    model = RNNClassifier(seed=seed, cell="lstm")
    bias = model.rnn_model.layer.bias_ih_l0  # [4H]
    with torch.no_grad():
        bias.view(4, -1)[gate] += shift
    return model


def check_layer_ranking(prediction: str, seeds: tuple[int, ...] | None = None,
                        reveal: bool = False) -> bool:
    """Predict which freshly initialised layer keeps the largest ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ (median over seeds)."""
    def run() -> str:
        letter = as_letter(prediction, "ABCD")
        chosen = valid_seeds(book_seeds() if seeds is None else seeds)
        medians = {k: median_first_to_last(lambda s: RNNClassifier(seed=s, cell=cell, init=init), chosen)
                   for k, (cell, init) in LAYERS.items()}
        answer = max(medians, key=medians.get)
        why = (f"measured over {len(chosen)} seeds, the median ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ at "
               f"initialisation is "
               + ", ".join(f"{LAYER_NAMES[k]} {v:.1e}" for k, v in medians.items())
               + ". With every gate near 0.5, a gated layer multiplies its gradient by about 0.5 "
                 "(times more) per step back; the Xavier SRN starts with ρ(U) near 1; U = 0 "
                 "passes nothing back at all. Gates help once they have learned to open, not before.")
        return judge(letter, answer, why, LAYER_HINT, reveal is True,
                     "ex.check_layer_ranking(..., reveal=True)")
    return report("which layer passes the gradient back", run)


def check_forget_gate(prediction: str, seeds: tuple[int, ...] | None = None,
                      reveal: bool = False) -> bool:
    """Predict which LSTM gate, pushed open (bias + 3), lifts ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ the most."""
    def run() -> str:
        letter = as_letter(prediction, "ABCD")
        chosen = valid_seeds(book_seeds() if seeds is None else seeds)
        base = median_first_to_last(lambda s: RNNClassifier(seed=s, cell="lstm"), chosen)
        lifted = {k: median_first_to_last(lambda s: shifted_lstm(s, gate), chosen)
                  for gate, k in enumerate(GATES)}
        answer = max(lifted, key=lifted.get)
        why = (f"measured over {len(chosen)} seeds, the median ratio is {base:.1e} without a shift; "
               f"with bias + {SHIFT:g} on "
               + ", ".join(f"the {GATES[k]} gate {v:.1e}" for k, v in lifted.items())
               + ". ∂c_t/∂c_{t-1} = diag(f_t) (plus paths through h): the forget gate multiplies "
                 "the cell's gradient once per step, so f ≈ 0.5 halves it every step and f ≈ 0.95 "
                 "lets it through. That is Hochreiter & Schmidhuber's constant error carousel.")
        return judge(letter, answer, why, GATE_HINT, reveal is True,
                     "ex.check_forget_gate(..., reveal=True)")
    return report("the gate that sets the decay", run)

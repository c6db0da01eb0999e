"""Figures about the digit-sum data (chapter 1). Each function returns a matplotlib `Figure`.

Data only: nothing here trains, shows or saves.
"""
from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from .data import NUM_CLASSES, NUM_DIGITS
from .plots import figure_and_axes


def pairs_per_sum(num_digits: int = NUM_DIGITS) -> list[int]:
    """How many (a, b) digit pairs add up to each s = 0..2(num_digits-1): 1, 2, ..., 10, ..., 1."""
    return [sum(1 for a in range(num_digits) if 0 <= s - a < num_digits)
            for s in range(2 * num_digits - 1)]


def plot_label_counts(labels: Sequence[int], expected: Sequence[float] | None = None,
                      title: str = "Label distribution") -> Figure:
    """Bar chart of how often each label 0..18 occurs, with an optional expected-count outline."""
    counts = [0] * NUM_CLASSES
    for label in labels:
        if not 0 <= label < NUM_CLASSES:
            raise ValueError(f"label {label} is outside 0..{NUM_CLASSES - 1}")
        counts[label] += 1
    fig, ax = figure_and_axes(size=(7, 3.5))
    ax.bar(range(NUM_CLASSES), counts, color="#1f77b4", label="measured count")
    if expected is not None:
        ax.step(range(NUM_CLASSES), expected, where="mid", color="#e4007f", lw=2,
                label="expected count")
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_xlabel("label s = a + b")
    ax.set_ylabel("number of examples")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize="small")
    return fig

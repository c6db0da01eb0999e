"""Distributions: how often each label occurs, and how test accuracy spreads over seeds.

Each function returns a matplotlib `Figure`; nothing here trains, shows or saves.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from matplotlib.figure import Figure

from .data import NUM_CLASSES, NUM_DIGITS
from .palette import BLUE, GREY, VERMILLION
from .plots import figure_and_axes
from .training import TrainResult


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
    ax.bar(range(NUM_CLASSES), counts, color=BLUE, label="measured count")
    if expected is not None:
        ax.step(range(NUM_CLASSES), expected, where="mid", color=VERMILLION, lw=2,
                label="expected count")
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_xlabel("label s = a + b")
    ax.set_ylabel("number of examples")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize="small")
    return fig


def plot_seed_accuracy(runs: Mapping[str, Sequence[TrainResult]],
                       baselines: Mapping[str, float] = {}, ax: Axes | None = None) -> Figure:
    """Test accuracy of every seed (dots) and mean ± sd (bars) per labelled setting, with baselines."""
    fig, ax = figure_and_axes(ax, (7, 4))
    for i, (label, results) in enumerate(runs.items()):
        accs = np.array([r.test_accuracy for r in results])
        ax.plot(np.full(len(accs), i), accs, "o", color=BLUE, alpha=0.6,
                label="one seed" if i == 0 else None)
        sd = accs.std(ddof=1) if len(accs) > 1 else 0.0
        ax.errorbar(i + 0.15, accs.mean(), yerr=sd, fmt="s", color=VERMILLION, capsize=4,
                    label="mean ± sd" if i == 0 else None)
    for (name, value), style in zip(baselines.items(), ["--", ":", "-."]):
        ax.axhline(value, color=GREY, ls=style, lw=1, label=f"{name} = {value:.3f}")
    ax.set_xticks(range(len(runs)), list(runs), fontsize="small", rotation=25, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("test accuracy (fraction correct)")
    ax.set_title("Test accuracy of the best dev checkpoint, per setting and seed")
    ax.legend(loc="upper left", fontsize="small")
    return fig

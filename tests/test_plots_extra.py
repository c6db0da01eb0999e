"""Tests for plots_data, the heat maps, the stacked panels and saturation."""
import math

import pytest
import torch
from matplotlib.figure import Figure

import labkit
from labkit import (RNNClassifier, SaturationLogger, TrainConfig, pairs_per_sum,
                    plot_explosion_dynamics, plot_hidden_grad_map, plot_hidden_states,
                    plot_label_counts, saturated_fraction, train)


def test_pairs_per_sum_matches_brute_force():
    brute = [0] * 19
    for a in range(10):
        for b in range(10):
            brute[a + b] += 1
    assert pairs_per_sum() == brute
    assert sum(pairs_per_sum()) == 100


def test_label_counts_bars_equal_the_counts():
    labels = [0, 9, 9, 18, 18, 18]
    fig = plot_label_counts(labels, expected=[1] * 19)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 19
    assert heights[0] == 1 and heights[9] == 2 and heights[18] == 3 and sum(heights) == 6
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError, match="outside"):
        plot_label_counts([19])


def test_hidden_states_heat_map_is_units_by_time():
    states = torch.linspace(-1, 1, 20 * 4).reshape(20, 4)  # [T, H]
    fig = plot_hidden_states(states, tokens=list(range(20)))
    image = fig.axes[0].images[0]
    assert image.get_array().shape == (4, 20)
    assert torch.allclose(torch.as_tensor(image.get_array()[:, 0]), states[0])
    with pytest.raises(ValueError, match=r"\[T, H\]"):
        plot_hidden_states(torch.zeros(2, 3, 4))


def test_hidden_grad_map_hides_zeros_and_keeps_shape():
    rows = [[1.0, 2.0, 0.0], [1e-20, 5.0, 6.0]]
    fig = plot_hidden_grad_map(rows)
    data = fig.axes[0].images[0].get_array()
    assert data.shape == (2, 3)
    hidden = torch.isnan(torch.as_tensor(data.filled(math.nan) if hasattr(data, "filled") else data))
    assert hidden.tolist() == [[False, False, True], [True, False, False]]
    assert data[1, 2] == 6.0
    with pytest.raises(ValueError, match="non-empty"):
        plot_hidden_grad_map([])


def test_explosion_dynamics_has_one_panel_per_entry():
    fig = plot_explosion_dynamics({"a": {"x": [1, 2, 3], "y": [3, 2, 1]}, "b": {"z": [1, 10, 100]}},
                                  log_panels=["b"], keep_steps=2)
    assert len(fig.axes) == 2
    assert [len(ax.lines) for ax in fig.axes] == [2, 1]
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 2]
    assert fig.axes[1].get_yscale() == "log"
    gaps = plot_explosion_dynamics({"b": {"z": [1.0, 0.0, 2.0]}}, log_panels=["b"])
    assert math.isnan(gaps.axes[0].lines[0].get_ydata()[1])  # a zero is a gap on a log axis


def test_saturated_fraction_counts_by_hand():
    model = RNNClassifier(seed=0)
    tokens = torch.randint(0, 10, (5, 7), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        model.rnn_model.U.mul_(50)  # drive the units into saturation
        states = model.rnn_model.states(model.embed(tokens))  # [B, T, H]
    expected = sum(1 for v in states.flatten().tolist() if abs(v) > 0.9) / states.numel()
    assert saturated_fraction(model, tokens, 0.9) == pytest.approx(expected)
    with pytest.raises(ValueError, match="threshold"):
        saturated_fraction(model, tokens, 1.0)


def test_saturation_logger_records_once_per_step():
    tokens = torch.tensor(labkit.digit_sum_splits(5)["dev"][0][0]).unsqueeze(0)  # [1, T]
    logger = SaturationLogger(tokens)
    result = train(TrainConfig(length=5, epochs=2), callbacks=[logger])
    assert len(logger.fractions) == len(result.step_losses) == 10
    assert all(0.0 <= f <= 1.0 for f in logger.fractions)
    assert isinstance(plot_label_counts([1]), Figure)

"""labkit.plots_clip, plot_heatmap, plot_seed_accuracy and labkit.grad_probe: geometry agrees with PyTorch."""
import numpy as np
import pytest
import torch

from labkit import RNNClassifier, clip_gradients
from labkit.grad_probe import cosine, flat, params_with_grads
from labkit.plots_clip import clipped_2d, plot_clip_geometry
from labkit.plots_heatmaps import plot_heatmap


def test_clipped_2d_matches_pytorch():
    g, c = [6.0, 1.5], 2.0
    norm_clipped, value_clipped = clipped_2d(g, "global", c), clipped_2d(g, "value", c)
    expected = torch.tensor(g) * c / torch.tensor(g).norm()
    np.testing.assert_allclose(norm_clipped, expected.numpy(), rtol=1e-5)
    np.testing.assert_allclose(value_clipped, [2.0, 1.5])
    assert cosine(torch.tensor(norm_clipped), torch.tensor(g)) == pytest.approx(1.0)
    assert cosine(torch.tensor(value_clipped), torch.tensor(g)) < 0.99


def test_geometry_figure_has_three_arrows_and_labels():
    fig = plot_clip_geometry([6.0, 1.5], 2.0)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and "max_norm = 2" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(s.startswith("norm-clipped") for s in labels) and any(s.startswith("value-clipped") for s in labels)


def test_heatmap_axes_and_cells():
    table = np.array([[0.1, 0.5], [0.2, 0.9]])
    fig = plot_heatmap(table, [0.1, 0.2], [None, 1.0], row_label="lr", col_label="max_norm",
                       title="acc", cbar_label="test accuracy")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "max_norm" and ax.get_ylabel() == "lr" and ax.get_title() == "acc"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["off", "1"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.10", "0.20", "0.50", "0.90"]
    assert fig.axes[1].get_ylabel() == "test accuracy"  # the colour bar
    with pytest.raises(ValueError):
        plot_heatmap(table, [0.1], [None, 1.0], row_label="", col_label="", title="", cbar_label="")


def test_params_with_grads_copies_and_flat_order():
    model = RNNClassifier(seed=0)
    for p in model.parameters():
        p.grad = torch.randn_like(p)
    grads = {n: p.grad for n, p in model.named_parameters()}
    params = params_with_grads(grads)
    assert torch.equal(flat(params), flat(model.parameters()))
    clip_gradients(params, "global", 1e-3)
    assert not torch.equal(flat(params), flat(model.parameters()))  # the originals are untouched
    assert cosine(flat(params), flat(model.parameters())) == pytest.approx(1.0, abs=1e-6)


def test_seed_accuracy_plot_shows_every_seed_and_mean():
    from labkit.plots_data import plot_seed_accuracy

    class R:
        def __init__(self, acc):
            self.test_accuracy = acc
    runs = {"off": [R(0.1), R(0.08)], "clip 1": [R(0.6), R(0.7), R(0.8)]}
    fig = plot_seed_accuracy(runs, {"majority": 0.1})
    ax = fig.axes[0]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert sorted(y for line in dots for y in line.get_ydata()) == [0.08, 0.1, 0.6, 0.7, 0.8]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["off", "clip 1"]
    assert "test accuracy" in ax.get_ylabel() and ax.get_ylim() == (0, 1)

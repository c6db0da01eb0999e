"""labkit.plots_training: the mean line and band are the runs' mean and range; figures are labelled."""
import dataclasses

import numpy as np
import pytest

from labkit import GradNormLog, TrainConfig, train
from labkit.curves import moving_average
from labkit.plots_training import (plot_against, plot_learning_curves, plot_norm_share,
                                   plot_radius_curves, plot_step_cap, plot_total_norm)


@pytest.fixture(scope="module")
def runs():
    base = TrainConfig(length=5, epochs=2, eval_steps=5, lr=0.05)
    return {"off": [train(dataclasses.replace(base, seed=s)) for s in (0, 1)],
            "clip": [train(dataclasses.replace(base, seed=s, max_norm=1.0)) for s in (0, 1)]}


def test_learning_curves_draw_the_mean_of_the_runs(runs):
    fig = plot_learning_curves(runs, smooth=3, baseline=0.1)
    loss_ax, acc_ax = fig.axes
    off_loss = loss_ax.get_lines()[0]
    expected = np.mean([moving_average(r.step_losses, 3) for r in runs["off"]], axis=0)
    np.testing.assert_allclose(off_loss.get_ydata(), expected)
    dev = acc_ax.get_lines()[0]
    np.testing.assert_allclose(dev.get_xdata(), [s for s, _ in runs["off"][0].dev_scores])
    np.testing.assert_allclose(dev.get_ydata(), np.mean([[a for _, a in r.dev_scores] for r in runs["off"]], axis=0))
    labels = [t.get_text() for t in acc_ax.get_legend().get_texts()]
    assert labels[:2] == ["off (n=2)", "clip (n=2)"]
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_band_spans_the_range():
    fig = plot_radius_curves({"a": [[0.2, 0.5, 1.0], [0.4, 0.1, 3.0]]})
    band = fig.axes[0].collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.1) and band.max() == pytest.approx(3.0)
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [0.3, 0.3, 2.0])


def test_against_and_step_cap_are_labelled():
    fig = plot_against([5, 10], {"off": [[0.1, 0.2], [0.3, 0.5]]}, xlabel="length", ylabel="acc", title="t")
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [0.15, 0.4])
    fig = plot_step_cap({0.2: {(0.2, 1.0): [0.5, 0.7], (0.05, 4.0): [0.6, 0.6]}}, {0.2: [0.1, 0.1]}, 0.1)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "lr · max_norm" in ax.get_xlabel()
    means = sorted(float(line.get_ydata()[0]) for line in ax.get_lines() if line.get_marker() == "o"
                   and len(line.get_ydata()) == 1)
    assert means == pytest.approx([0.6, 0.6])


def test_total_norm_and_share():
    log = GradNormLog(pre={"a": [30.0, 3.0], "b": [40.0, 4.0]}, post={"a": [0.6, 3.0], "b": [0.8, 4.0]})
    fig = plot_total_norm(log, max_norm=1.0)
    pre, post = fig.axes[0].get_lines()[:2]
    np.testing.assert_allclose(pre.get_ydata(), [50.0, 5.0])
    np.testing.assert_allclose(post.get_ydata(), [1.0, 5.0])
    fig = plot_norm_share([log, log])
    assert fig.axes[0].get_ylabel().startswith("share") and len(fig.axes[0].collections) == 2

"""The line figures (labkit.plots): what they draw, read back from the returned Figure."""
import math

from matplotlib.figure import Figure

from matplotlib.colors import to_hex

from labkit import (OKABE_ITO, GradNormLog, plot_curves, plot_explosion_dynamics, plot_grad_norms,
                    plot_losses)
from labkit.palette import GREY

LOG = GradNormLog(pre={"rnn_model.W": [1.0, 0.0, 3.0], "rnn_model.U": [2.0, 4.0, 0.0],
                       "rnn_model.b": [0.5, 0.5, 0.5], "embedding": [9.0, 9.0, 9.0]},
                  post={"rnn_model.W": [1.0, 0.0, 1.0], "rnn_model.U": [1.0, 1.0, 0.0],
                        "rnn_model.b": [0.5, 0.5, 0.5], "embedding": [1.0, 1.0, 1.0]})


def test_grad_norms_draws_w_u_b_and_their_clipped_versions():
    fig = plot_grad_norms(LOG, show_post=True, max_norm=1.0)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert isinstance(fig, Figure) and len(labels) == 7  # 3 before, 3 after, the max_norm line
    assert labels[:2] == ["‖∇W‖ before clip", "‖∇W‖ after clip"] and "max_norm = 1" in labels
    assert list(ax.get_lines()[2].get_ydata()) == [2.0, 4.0, 0.0]  # U before clipping, as logged
    assert ax.get_xlabel() == "optimizer step" and "norm" in ax.get_ylabel()


def test_log_scale_breaks_the_line_at_exact_zeros_and_marks_them_with_a_rug():
    ax = plot_grad_norms(LOG, log_scale=True, keep_steps=2).axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    w = list(lines["‖∇W‖"].get_ydata())
    assert w[0] == 1.0 and math.isnan(w[1]) and list(lines["‖∇U‖"].get_ydata()) == [2.0, 4.0]
    rug = lines["‖∇W‖ = 0 (rug)"]
    assert list(rug.get_xdata()) == [2] and rug.get_marker() == "|"  # step 2 of W is exactly 0
    assert rug.get_color() == lines["‖∇W‖"].get_color()
    assert "‖∇U‖ = 0 (rug)" not in lines  # U's zero is at step 3, cut by keep_steps
    assert ax.get_yscale() == "log"
    linear = plot_grad_norms(LOG, log_scale=False).axes[0]
    assert not any("rug" in line.get_label() for line in linear.get_lines())  # 0 fits a linear axis


def test_every_figure_draws_in_the_okabe_ito_palette():
    palette = {to_hex(c) for c in OKABE_ITO} | {to_hex(GREY)}
    figures = [plot_grad_norms(LOG, show_post=True, max_norm=1.0, log_scale=True),
               plot_losses([5.0, 4.0], [(2, 0.5)]),
               plot_curves({str(i): [1.0, 2.0] for i in range(8)}, "x", "y", "t"),
               plot_explosion_dynamics({"a": {"x": [1, 0]}, "b": {"y": [1, 2]}}, log_panels=["a"])]
    colours = {to_hex(line.get_color()) for fig in figures for ax in fig.axes for line in ax.lines}
    assert colours <= palette and len(colours) >= 8


def test_losses_with_dev_accuracy_on_a_second_axis():
    fig = plot_losses([5.0, 4.0, 3.0], [(2, 0.25), (3, 0.5)])
    loss_ax, acc_ax = fig.axes
    assert list(loss_ax.get_lines()[0].get_ydata()) == [5.0, 4.0, 3.0]
    assert list(acc_ax.get_lines()[0].get_xdata()) == [2, 3] and acc_ax.get_ylim() == (0, 1)

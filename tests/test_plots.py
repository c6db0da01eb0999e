"""plot_grad_norms / plot_losses: what they draw, read back from the returned Figure."""
import math

from matplotlib.figure import Figure

from labkit import GradNormLog, plot_grad_norms, plot_losses

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


def test_log_scale_turns_exact_zeros_into_gaps_and_keep_steps_cuts():
    ax = plot_grad_norms(LOG, log_scale=True, keep_steps=2).axes[0]
    w, u, _ = (list(line.get_ydata()) for line in ax.get_lines())
    assert w[0] == 1.0 and math.isnan(w[1]) and u == [2.0, 4.0]
    assert ax.get_yscale() == "log"


def test_losses_with_dev_accuracy_on_a_second_axis():
    fig = plot_losses([5.0, 4.0, 3.0], [(2, 0.25), (3, 0.5)])
    loss_ax, acc_ax = fig.axes
    assert list(loss_ax.get_lines()[0].get_ydata()) == [5.0, 4.0, 3.0]
    assert list(acc_ax.get_lines()[0].get_xdata()) == [2, 3] and acc_ax.get_ylim() == (0, 1)

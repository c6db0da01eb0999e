"""labkit: the rnn-gradients lab kit.

Digit-sum data, a from-scratch simple RNN (SRN), a Runner with callbacks, gradient-norm logging,
three gradient-clipping modes, metrics, batched sweeps, plots and widgets. The book's notebooks
import everything from here; `labkit.widgets` and `labkit.exercises` are imported on their own.
"""
import importlib

# data, model, training
from .checkpoint import load_checkpoint, save_checkpoint
from .clipping import CLIP_MODES, clip_gradients
from .config import TrainConfig
from .data import (LENGTHS, DigitSumDataset, TensorBatches, digit_sum_splits, generate_digit_sum,
                   load_digit_sum, write_digit_sum)
from .metrics import Accuracy, majority_baseline
from .gated import Gated
from .models import SRN, RNNClassifier
from .runner import Callback, Runner
from .seeds import book_seeds, demo_seed
from .training import TrainResult, train

# looking inside: gradient norms, BPTT, saturation, whole-gradient probes
from .bptt import HiddenGradLogger, SpectralRadiusLogger, hidden_grad_norms, spectral_radius
from .grad_log import GradNormLog, GradNormLogger, grad_norms
from .grad_probe import PeakGradSnapshot, PostClipMaxAbs, cosine, flat, params_with_grads
from .saturation import SaturationLogger, saturated_fraction

# the cliff: Pascanu et al.'s one-unit surface, and the SRN's loss along its spike step
from .cliff import Surface, descend, loss_and_grad, off_window, one_unit_loss, surface, wall_cells
from .cliff_srn import (LineProbe, SpikeStep, linear_until, loss_along, orthogonal_direction,
                        probe_line)

# many runs: batched sweeps, seed studies, grids
from .study import (Summary, final_test_accuracy, max_grad_norm, metric_grid, run_all, seed_study,
                    summarize, summary_table, with_seeds)
from .sweep import grid, sweep
from .curves import by_step_cap, fraction_clipped, mean_band, moving_average, norm_share, peak_norm
from .freeze import FreezeParameters

# figures (each returns a matplotlib Figure), grouped by what they draw; one palette. The plotting
# modules load on first use (module __getattr__, PEP 562): matplotlib costs seconds of start-up
# that a CLI run, a grading worker or a chapter that draws nothing need not pay.
from .palette import OKABE_ITO

_PLOTS = {
    "plots": ("plot_curves", "plot_explosion_dynamics", "plot_grad_norms", "plot_losses"),
    "plots_clip": ("clipped_2d", "plot_clip_geometry"),
    "plots_data": ("pairs_per_sum", "plot_label_counts", "plot_seed_accuracy"),
    "plots_heatmaps": ("plot_heatmap", "plot_hidden_grad_map", "plot_hidden_states"),
    "plots_training": ("plot_against", "plot_learning_curves", "plot_norm_share", "plot_radius_curves",
                       "plot_step_cap", "plot_total_norm"),
    "plots_surface": ("plot_line_probes", "plot_slice", "plot_surface_paths", "plot_wall_profile"),
}
_LAZY = {name: module for module, names in _PLOTS.items() for name in names}


def __getattr__(name: str):
    """`labkit.plot_x`: import its plotting module on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'labkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "Accuracy", "CLIP_MODES", "Callback", "DigitSumDataset", "Gated", "GradNormLog", "GradNormLogger",
    "HiddenGradLogger", "LENGTHS", "OKABE_ITO", "PeakGradSnapshot", "PostClipMaxAbs", "RNNClassifier", "Runner",
    "SRN", "SaturationLogger", "SpectralRadiusLogger", "Summary", "TensorBatches", "TrainConfig",
    "TrainResult", "book_seeds", "clip_gradients", "clipped_2d", "cosine", "demo_seed",
    "digit_sum_splits", "final_test_accuracy",
    "flat", "generate_digit_sum", "grad_norms", "grid", "hidden_grad_norms", "load_checkpoint",
    "load_digit_sum", "majority_baseline", "max_grad_norm", "metric_grid", "pairs_per_sum", "params_with_grads",
    "plot_clip_geometry", "plot_curves", "plot_explosion_dynamics", "plot_grad_norms",
    "plot_heatmap", "plot_hidden_grad_map", "plot_hidden_states", "plot_label_counts", "plot_losses",
    "plot_seed_accuracy", "run_all", "save_checkpoint", "saturated_fraction", "seed_study",
    "spectral_radius", "summarize", "summary_table", "sweep", "train", "with_seeds", "write_digit_sum",
    # over seeds: curves, clipped fractions, norm shares, frozen parameters, their figures
    "FreezeParameters", "by_step_cap", "fraction_clipped", "mean_band", "moving_average", "norm_share",
    "peak_norm", "plot_against", "plot_learning_curves", "plot_norm_share", "plot_radius_curves",
    "plot_step_cap", "plot_total_norm",
    # the cliff
    "LineProbe", "SpikeStep", "Surface", "descend", "linear_until", "loss_along", "loss_and_grad",
    "off_window", "one_unit_loss", "orthogonal_direction", "plot_line_probes", "plot_slice",
    "plot_surface_paths", "plot_wall_profile", "probe_line", "surface", "wall_cells",
]

"""labkit: the rnn-gradients lab kit.

Digit-sum data, a from-scratch simple RNN (SRN), a Runner with callbacks, gradient-norm logging,
three gradient-clipping modes, metrics and plots. The book's notebooks import everything from here.
"""
from .bptt import HiddenGradLogger, SpectralRadiusLogger, hidden_grad_norms, spectral_radius
from .checkpoint import load_checkpoint, save_checkpoint
from .clipping import CLIP_MODES, clip_gradients
from .config import TrainConfig
from .data import (LENGTHS, DigitSumDataset, TensorBatches, digit_sum_splits, generate_digit_sum,
                   load_digit_sum, write_digit_sum)
from .grad_log import GradNormLog, GradNormLogger, grad_norms
from .metrics import Accuracy
from .models import SRN, RNNClassifier
from .plots import plot_grad_norms, plot_losses
from .runner import Callback, Runner
from .training import TrainResult, train

__all__ = [
    "Accuracy", "CLIP_MODES", "Callback", "DigitSumDataset", "GradNormLog", "GradNormLogger",
    "HiddenGradLogger", "LENGTHS", "RNNClassifier", "Runner", "SRN", "SpectralRadiusLogger",
    "TensorBatches", "TrainConfig", "TrainResult", "clip_gradients", "digit_sum_splits",
    "generate_digit_sum", "grad_norms", "hidden_grad_norms", "load_checkpoint", "load_digit_sum",
    "plot_grad_norms", "plot_losses",
    "save_checkpoint", "spectral_radius", "train", "write_digit_sum",
]

# Chapters 1-3: data / recurrence figures and the tanh-saturation probe.
from .plots_bptt import (plot_curves, plot_explosion_dynamics, plot_hidden_grad_map,  # noqa: E402
                         plot_hidden_states)
from .plots_data import pairs_per_sum, plot_label_counts  # noqa: E402
from .saturation import SaturationLogger, saturated_fraction  # noqa: E402

__all__ += [
    "SaturationLogger", "pairs_per_sum", "plot_curves", "plot_explosion_dynamics",
    "plot_hidden_grad_map", "plot_hidden_states", "plot_label_counts", "saturated_fraction",
]

# Chapters 4-5: clipping geometry, whole-gradient probes, seed studies and lr x max_norm grids.
from .grad_probe import PeakGradSnapshot, PostClipMaxAbs, cosine, flat, params_with_grads  # noqa: E402
from .plots_clip import clipped_2d, plot_clip_geometry, plot_heatmap, plot_seed_accuracy  # noqa: E402
from .study import (Summary, final_test_accuracy, max_grad_norm, metric_grid, run_all,  # noqa: E402
                    seed_study, summarize, summary_table, with_seeds)

__all__ += ["PeakGradSnapshot", "PostClipMaxAbs", "cosine", "flat", "params_with_grads",
            "clipped_2d", "plot_clip_geometry", "plot_heatmap", "plot_seed_accuracy", "Summary", "final_test_accuracy",
            "max_grad_norm", "metric_grid", "run_all", "seed_study", "summarize", "summary_table",
            "with_seeds"]

# Many configs at once: K models stacked along a leading axis and trained in lockstep.
from .sweep import grid, sweep  # noqa: E402

__all__ += ["grid", "sweep"]

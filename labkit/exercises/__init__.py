"""Self-checking lab exercises, two or three per chapter.

Each `check_*` runs the student's answer against labkit (or autograd), prints specific, kind
feedback (✔ or ✘, what was expected, what came back, a hint) and returns True/False, so a book
cell can `assert check_...(answer)`. "Implement" checks run the student's function under a time
limit (`time_limit=`, 10 s by default), on cases drawn afresh each call, refuse the exercise's
ready-made reference, and read results through exact types only (see _guard.py, _values.py).
"Predict, then run" checks measure the answer at check time; a wrong prediction gets a hint,
the measured answer only with `reveal=True`. A check refuses to judge once labkit, torch or
numpy was monkeypatched (_seal.py). Worked solutions live in the book's `solution` cells.

| chapter | predict, then run | implement |
|---|---|---|
| 01 dataset | `check_first_digit_only` | `check_embed_one_hot` |
| 02 SRN forward | `check_parameter_count` | `check_srn_step` |
| 03 explosion | `check_length_doubling` | `check_bptt_step`, `check_spectral_radius` |
| 04 clipping | `check_lr_times_max_norm` | `check_clip_per_tensor`, `check_clip_value` |
| 04b the cliff | `check_wall_step` | `check_threshold` (choose) |
| 05 evaluation | `check_hyperparameters` (choose) | `check_accuracy` |
| 06 gated cells | `check_layer_ranking`, `check_forget_gate` | |
"""
from . import _feedback
from ._seal import Seal
from .ch01_dataset import check_embed_one_hot, check_first_digit_only
from .ch02_srn_forward import check_parameter_count, check_srn_step
from .ch03_gradient_explosion import check_bptt_step, check_length_doubling, check_spectral_radius
from .ch04_clipping import check_clip_per_tensor, check_clip_value, check_lr_times_max_norm
from .ch05_evaluation import check_accuracy, check_hyperparameters
from .cliff import check_threshold, check_wall_step
from .gated import check_forget_gate, check_layer_ranking

_feedback.SEAL = Seal()  # what labkit, torch and numpy held now; checks refuse to judge after changes

__all__ = [
    "check_accuracy", "check_bptt_step", "check_clip_per_tensor", "check_clip_value",
    "check_embed_one_hot", "check_first_digit_only", "check_forget_gate", "check_hyperparameters",
    "check_layer_ranking",
    "check_length_doubling", "check_lr_times_max_norm", "check_parameter_count",
    "check_spectral_radius", "check_srn_step", "check_threshold", "check_wall_step",
]

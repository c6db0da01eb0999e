"""Self-checking lab exercises, two or three per chapter.

Each `check_*` runs the student's answer against labkit (or autograd), prints specific, kind
feedback (✔ or ✘, what was expected, what came back, a hint) and returns True/False, so a book
cell can `assert check_...(answer)`. Exceptions from the student's code, including the
`NotImplementedError` placeholder of the student edition, are reported, never raised.
"Predict, then run" checks measure the answer at check time and explain it.
This package holds checks only; the worked solutions live in the book's `solution` cells.

| chapter | predict, then run | implement |
|---|---|---|
| 01 dataset | `check_first_digit_only` | `check_embed_one_hot` |
| 02 SRN forward | `check_parameter_count` | `check_srn_step` |
| 03 explosion | `check_length_doubling` | `check_bptt_step`, `check_spectral_radius` |
| 04 clipping | `check_lr_times_max_norm` | `check_clip_per_tensor`, `check_clip_value` |
| 05 evaluation | `check_hyperparameters` (choose) | `check_accuracy` |
"""
from .ch01_dataset import check_embed_one_hot, check_first_digit_only
from .ch02_srn_forward import check_parameter_count, check_srn_step
from .ch03_gradient_explosion import check_bptt_step, check_length_doubling, check_spectral_radius
from .ch04_clipping import check_clip_per_tensor, check_clip_value, check_lr_times_max_norm
from .ch05_evaluation import check_accuracy, check_hyperparameters

__all__ = [
    "check_accuracy", "check_bptt_step", "check_clip_per_tensor", "check_clip_value",
    "check_embed_one_hot", "check_first_digit_only", "check_hyperparameters",
    "check_length_doubling", "check_lr_times_max_norm", "check_parameter_count",
    "check_spectral_radius", "check_srn_step",
]

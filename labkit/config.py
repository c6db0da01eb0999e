"""`TrainConfig`: every knob of one training run, validated on creation.

The defaults are the blog post's explosion setting: length 20, SGD with lr 0.2, batch 64,
summed cross-entropy, 50 epochs (250 steps), evaluation every 100 steps, 32 hidden units.
Two of the blog post's bugs are fixed by default and can be turned back on to reproduce it:
`init="zeros"` and `shuffle=False`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .clipping import CLIP_MODES
from .data import LENGTHS
from .models import INITS

OPTIMIZERS = ("sgd", "adam")
REDUCTIONS = ("sum", "mean")
DTYPES = ("float32", "float64")  # float64: to hold labkit against the float64 JS engine


@dataclass(frozen=True)
class TrainConfig:
    """One training run. `max_norm=None` means no clipping."""

    length: int = 20
    lr: float = 0.2
    batch_size: int = 64
    epochs: int = 50
    optimizer: str = "sgd"
    loss_reduction: str = "sum"
    clip_mode: str = "global"
    max_norm: float | None = None
    init: str = "xavier"
    seed: int = 0            # model initialisation and batch order
    data_seed: int = 0       # which digit-sum data set is generated
    eval_steps: int = 100
    shuffle: bool = True
    input_size: int = 32
    hidden_size: int = 32
    dtype: str = "float32"   # the model's parameters and computation

    def __post_init__(self):
        def need(ok: bool, message: str) -> None:
            if not ok:
                raise ValueError(f"TrainConfig: {message}")

        need(self.length in LENGTHS, f"length must be one of the generated lengths {LENGTHS}, got {self.length}")
        need(self.lr > 0, f"lr must be > 0, got {self.lr}")
        need(self.max_norm is None or self.max_norm > 0, f"max_norm must be > 0 or None (no clipping), got {self.max_norm}")
        need(self.clip_mode in CLIP_MODES, f"clip_mode must be one of {CLIP_MODES}, got {self.clip_mode!r}")
        need(self.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        need(self.loss_reduction in REDUCTIONS, f"loss_reduction must be one of {REDUCTIONS}, got {self.loss_reduction!r}")
        need(self.init in INITS, f"init must be one of {INITS}, got {self.init!r}")
        need(self.dtype in DTYPES, f"dtype must be one of {DTYPES}, got {self.dtype!r}")
        for name in ("batch_size", "epochs", "eval_steps", "input_size", "hidden_size"):
            need(getattr(self, name) >= 1, f"{name} must be >= 1, got {getattr(self, name)}")

    @property
    def clip(self) -> tuple[str, float] | None:
        """(mode, max_norm) for the Runner, or None when clipping is off."""
        return None if self.max_norm is None else (self.clip_mode, self.max_norm)

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return asdict(self)

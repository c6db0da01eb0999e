"""`TrainConfig`: every knob of one training run, validated on creation.

The defaults are the blog post's explosion setting: length 20, SGD with lr 0.2, batch 64,
summed cross-entropy, 50 epochs (250 steps), evaluation every 100 steps, 32 hidden units.
Two of the blog post's bugs are fixed by default and can be turned back on to reproduce it:
`init="zeros"` and `shuffle=False`.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, fields

import numpy as np

from .clipping import CLIP_MODES, check_max_norm
from .data import LENGTHS
from .messages import short_repr
from .models import CELLS, INITS

OPTIMIZERS = ("sgd", "adam")
REDUCTIONS = ("sum", "mean")
DTYPES = ("float32", "float64")
SEED_MAX = 2**63 - 1  # seeds are ints in [0, SEED_MAX]: a signed 64-bit int, which torch.Generator accepts
CHOICES = {"length": LENGTHS, "optimizer": OPTIMIZERS, "loss_reduction": REDUCTIONS, "clip_mode": CLIP_MODES,
           "init": INITS, "dtype": DTYPES, "cell": CELLS}
INT_RANGES = {"batch_size": (1, 10**6), "epochs": (1, 10**5), "eval_steps": (1, 10**9), "input_size": (1, 4096),
              "hidden_size": (1, 4096), "seed": (0, SEED_MAX), "data_seed": (0, SEED_MAX)}


def _as_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {short_repr(value)} ({type(value).__name__})")
    value = int(value)
    low, high = INT_RANGES.get(name, (None, None))
    if low is not None and not low <= value <= high:
        raise ValueError(f"{name} must be >= {low} and <= {high}, got {short_repr(value)}")
    return value


def _as_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number > 0, got {short_repr(value)} ({type(value).__name__})")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be > 0 and finite, got {value}")
    return float(value)


def _as_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {short_repr(value)} ({type(value).__name__})")
    return bool(value)


def _as_str(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {short_repr(value)} ({type(value).__name__})")
    return str(value)


def _as_max_norm(name: str, value) -> float | None:
    check_max_norm(value)  # the same rule, and the same message, as clip_gradients
    return None if value is None else float(value)


CONVERT = {"int": _as_int, "float": _as_float, "bool": _as_bool, "str": _as_str, "float | None": _as_max_norm}


@dataclass(frozen=True)
class TrainConfig:
    """One training run. `max_norm=None` means no clipping.

    Every field is checked on creation (also by `dataclasses.replace`): a wrong type raises TypeError,
    a value out of range ValueError, both naming the field. Numbers are plain Python numbers: numpy
    integers and floats are accepted and converted, bools are not numbers here, and neither are strings
    or tensors; an int is accepted for a float field. lr and max_norm must be finite and > 0.
    """

    length: int = 20
    lr: float = 0.2
    batch_size: int = 64
    epochs: int = 50
    optimizer: str = "sgd"
    loss_reduction: str = "sum"
    clip_mode: str = "global"
    max_norm: float | None = None
    init: str = "xavier"
    seed: int = 0            # model initialisation and batch order, 0..SEED_MAX
    data_seed: int = 0       # which digit-sum data set is generated, 0..SEED_MAX
    eval_steps: int = 100
    shuffle: bool = True
    input_size: int = 32
    hidden_size: int = 32
    dtype: str = "float32"   # "float32" or "float64"
    cell: str = "srn"        # the recurrent layer: "srn" (ours), "lstm" or "gru" (torch's, gated.py)

    def __post_init__(self):
        try:
            for field in fields(self):
                value = CONVERT[field.type](field.name, getattr(self, field.name))
                if field.name in CHOICES and value not in CHOICES[field.name]:
                    raise ValueError(f"{field.name} must be one of {CHOICES[field.name]}, got {short_repr(value)}")
                object.__setattr__(self, field.name, value)  # plain Python types, so to_dict() is JSON-ready
            largest = float(np.finfo(self.dtype).max)  # torch's optimizers store lr in the model's dtype
            if self.lr > largest:
                raise ValueError(f"lr must be at most {largest:.3g} (the largest {self.dtype}), got {self.lr:g}")
        except (TypeError, ValueError) as error:
            raise type(error)(f"TrainConfig: {error}") from None

    @property
    def clip(self) -> tuple[str, float] | None:
        """(mode, max_norm) for the Runner, or None when clipping is off."""
        return None if self.max_norm is None else (self.clip_mode, self.max_norm)

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return asdict(self)

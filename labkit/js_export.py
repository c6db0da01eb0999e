"""What the in-browser trainer (`book/_static/trainer/`) needs from labkit, as JSON-ready data.

- `trainer_data()` / `write_trainer_data(path)`: the digit-sum splits of every length, compactly
  encoded (format "digit-sum-v1", decoded by `trainer/data.js`).
- `js_config(config)`: a `TrainConfig` as the JS engine's config object.
- `initial_state(config)`: the initial weights and the batch order of `train(config)`, so the JS
  engine can replay labkit's run exactly (the equivalence test).

Run `python -m labkit.js_export` to rewrite the committed data file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import torch

from .config import TrainConfig
from .data import LENGTHS, SPLITS, Example, TensorBatches, digit_sum_splits
from .models import RNNClassifier

FORMAT = "digit-sum-v1"
TRAINER_DATA = Path(__file__).resolve().parents[1] / "book" / "_static" / "trainer" / "digit_sum.json"


def encode_example(digits: list[int], label: int) -> str:
    """One example -> "abppn": answer digits a, b, the noise position pp (2 digits), the noise digit n."""
    length = len(digits)
    noisy = [i for i in range(2, length) if digits[i] != 0]
    if not 3 <= length <= 99 or len(noisy) > 1 or label != digits[0] + digits[1]:
        raise ValueError(f"not a digit-sum example (a, b, zeros and one noise digit; label a + b): "
                         f"{digits} -> {label}")
    position = noisy[0] if noisy else 2  # a zero noise digit may sit anywhere: any position decodes the same
    return f"{digits[0]}{digits[1]}{position:02d}{digits[position]}"


def trainer_data(seed: int = 0) -> dict:
    """Every length's train/dev/test splits (data seed `seed`), encoded for `trainer/data.js`."""
    return {"format": FORMAT,
            "about": "labkit.digit_sum_splits(length, seed); each example 'abppn': digits a, b at 0 and 1, "
                     "digit n at position pp, zeros elsewhere; label a + b. Written by labkit.js_export.",
            "seed": seed,
            "lengths": {str(L): {split: " ".join(encode_example(d, y) for d, y in examples)
                                 for split, examples in digit_sum_splits(L, seed).items()}
                        for L in LENGTHS}}


def dumps(data: dict) -> str:
    """The data file's exact text (one length per line)."""
    lines = [f"  {json.dumps(L)}: {json.dumps(splits)}" for L, splits in data["lengths"].items()]
    head = {k: v for k, v in data.items() if k != "lengths"}
    return json.dumps(head)[:-1] + ', "lengths": {\n' + ",\n".join(lines) + "\n}}\n"


def write_trainer_data(path: str | os.PathLike = TRAINER_DATA) -> Path:
    """Write `trainer_data()` to `path` (by default the trainer's committed `digit_sum.json`)."""
    path = Path(path)
    path.write_text(dumps(trainer_data()), encoding="utf-8")
    return path


def js_config(config: TrainConfig, n_train: int = 100 * SPLITS["train"]) -> dict:
    """`config` as the JS engine's config (camelCase; epochs become steps over `n_train` examples)."""
    if config.data_seed != 0:
        raise ValueError(f"the trainer's data file holds data_seed 0 only, got {config.data_seed}")
    return {"length": config.length, "lr": config.lr, "batchSize": config.batch_size,
            "steps": config.epochs * -(-n_train // config.batch_size), "optimizer": config.optimizer,
            "lossReduction": config.loss_reduction, "clipMode": config.clip_mode,
            "maxNorm": config.max_norm, "seed": config.seed, "evalSteps": config.eval_steps,
            "hiddenSize": config.hidden_size, "inputSize": config.input_size, "init": config.init,
            "shuffle": config.shuffle}


def epoch_orders(examples: list[Example], config: TrainConfig) -> list[list[int]]:
    """The example index order of each epoch of `train(config)`, drawn by the same `TensorBatches`."""
    # a loader over examples whose only "digit" is their own index yields the indices it batches
    indices = TensorBatches([([i], 0) for i in range(len(examples))], config.batch_size,
                            shuffle=config.shuffle, seed=config.seed)
    return [torch.cat([tokens[:, 0] for tokens, _ in indices]).tolist() for _ in range(config.epochs)]


def initial_state(config: TrainConfig) -> dict:
    """`train(config)`'s initial weights (name -> flat list, float64) and batch order (epochs x N)."""
    model = RNNClassifier(input_size=config.input_size, hidden_size=config.hidden_size,
                          init=config.init, seed=config.seed)
    init = {name: p.detach().double().flatten().tolist() for name, p in model.state_dict().items()}
    return {"init": init, "order": epoch_orders(digit_sum_splits(config.length, config.data_seed)["train"], config)}


if __name__ == "__main__":
    print(f"wrote {write_trainer_data()}")

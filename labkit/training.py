"""`train(config)`: one complete, reproducible experiment from a `TrainConfig`.

Builds the data, the model, the optimizer and a Runner with a `GradNormLogger`, trains, restores
the best dev checkpoint and scores it on the test set. Returns everything as a `TrainResult`.
"""
from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .batched import cross_entropy
from .config import TrainConfig
from .data import TensorBatches, digit_sum_splits, load_digit_sum
from .grad_log import GradNormLog, GradNormLogger
from .metrics import Accuracy
from .models import RNNClassifier
from .runner import Callback, Runner


@dataclass
class TrainResult:
    """What one run produced."""

    config: TrainConfig
    grad_norms: GradNormLog
    step_losses: list[float]
    dev_scores: list[tuple[int, float]]
    best_dev_accuracy: float
    best_step: int | None
    test_accuracy: float
    diverged_at: int | None
    model: RNNClassifier  # holds the best dev checkpoint's weights

    def to_dict(self) -> dict:
        """A JSON-ready summary (everything but the model)."""
        return {"config": self.config.to_dict(), "grad_norms": self.grad_norms.to_dict(),
                "step_losses": self.step_losses, "dev_scores": self.dev_scores,
                "best_dev_accuracy": self.best_dev_accuracy, "best_step": self.best_step,
                "test_accuracy": self.test_accuracy, "diverged_at": self.diverged_at}


def load_splits(config: TrainConfig, data_dir: str | os.PathLike | None = None) -> dict[str, list]:
    """The config's train/dev/test examples: read from `data_dir/<length>/` or generated in memory."""
    if data_dir is None:
        return digit_sum_splits(config.length, config.data_seed)
    folder = Path(data_dir) / str(config.length)
    return {split: load_digit_sum(folder / f"{split}.txt", length=config.length) for split in ("train", "dev", "test")}


def make_model(config: TrainConfig) -> RNNClassifier:
    """The config's freshly initialised classifier (the one place where `train` and `sweep` create models)."""
    model = RNNClassifier(input_size=config.input_size, hidden_size=config.hidden_size,
                          init=config.init, seed=config.seed, cell=config.cell)
    return model.to(getattr(torch, config.dtype))  # float64: to hold labkit against the JS engine


def make_loss(config: TrainConfig):
    """loss_fn(logits [K, B, C], labels [K, B]) -> [K], one loss per model, reduced as the config says."""
    return functools.partial(cross_entropy, reduction=config.loss_reduction)


def make_optimizer(config: TrainConfig, parameters) -> torch.optim.Optimizer:
    """SGD or Adam with the config's learning rate."""
    optimizer = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[config.optimizer]
    return optimizer(parameters, lr=config.lr)


@contextlib.contextmanager
def torch_threads(n: int):
    """Run torch on `n` intra-op threads, then restore the previous setting."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def one_thread():
    """Run torch on one intra-op thread (a context manager).

    Our matrices are tiny ([64, 32] x [32, 32]): splitting each op across threads costs more in
    synchronisation than it saves, and as soon as another process wants a core, threads that
    wait on each other make a run many times slower (benchmarks/bench_sweep.py measures it).
    """
    return torch_threads(1)


def train(config: TrainConfig, data_dir: str | os.PathLike | None = None,
          save_path: str | os.PathLike | None = None, callbacks: list[Callback] = (),
          progress: bool = False) -> TrainResult:
    """Train one model as `config` says; return its logs and the test accuracy of its best checkpoint."""
    splits = load_splits(config, data_dir)
    train_loader = TensorBatches(splits["train"], config.batch_size, shuffle=config.shuffle, seed=config.seed)
    dev_loader = TensorBatches(splits["dev"], config.batch_size)
    test_loader = TensorBatches(splits["test"], config.batch_size)

    model = make_model(config)
    logger = GradNormLogger()
    runner = Runner(model, make_optimizer(config, model.parameters()),
                    nn.CrossEntropyLoss(reduction=config.loss_reduction), Accuracy(),
                    callbacks=[logger, *callbacks], clip=config.clip)
    with one_thread():
        runner.train(train_loader, dev_loader, config.epochs, config.eval_steps, save_path=save_path,
                     progress=progress)
        test_accuracy = float("nan")
        if runner.best_state is not None:
            runner.load_best()
            test_accuracy, _ = runner.evaluate(test_loader)
    return TrainResult(config, logger.log, runner.step_losses, runner.dev_scores,
                       max(runner.best_score, 0.0), runner.best_step, test_accuracy,
                       runner.diverged_at, model)

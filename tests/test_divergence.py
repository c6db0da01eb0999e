"""Divergence, one rule in `train` and `sweep`: a non-finite or overflowing loss, gradient or weight stops
the run with its step, and a diverged model never becomes the "best" checkpoint."""
import dataclasses
import math

import pytest
import torch

from labkit import Accuracy, RNNClassifier, Runner, TensorBatches, TrainConfig, digit_sum_splits, train
from labkit.runner import OVERFLOW
from labkit.sweep import sweep

SHORT = TrainConfig(length=10, epochs=2, eval_steps=1)  # 10 steps, an evaluation after each


@pytest.mark.parametrize("lr", [1e38, 1e30])  # lr=inf is a TrainConfig error
def test_an_overflowing_update_stops_train_and_sweep_before_any_evaluation(lr, tmp_path):
    config = dataclasses.replace(SHORT, lr=lr)
    with pytest.warns(RuntimeWarning, match="diverged at step 2: the update left non-finite or overflowing"):
        result = train(config, save_path=tmp_path / "best.pt")
    assert (result.diverged_at, len(result.step_losses), result.grad_norms.steps) == (2, 1, 1)
    assert result.dev_scores == [] and result.best_step is None and math.isnan(result.test_accuracy)
    assert not (tmp_path / "best.pt").exists()  # no checkpoint of a diverged model
    calm = dataclasses.replace(SHORT, lr=0.01)
    with pytest.warns(RuntimeWarning, match="model 0 diverged at step 2"):
        batched, other = sweep([config, calm])
    assert (batched.diverged_at, batched.step_losses, batched.best_step, batched.dev_scores) == \
        (2, result.step_losses, None, [])
    assert math.isnan(batched.test_accuracy)
    assert other.diverged_at is None and other.step_losses == train(calm).step_losses


def test_weights_that_only_overflow_count_as_diverged():
    """lr 1e30 leaves finite weights of ~1e31: not NaN, but far beyond OVERFLOW."""
    model = RNNClassifier(seed=0)
    loader = TensorBatches(digit_sum_splits(10)["train"], 64)
    runner = Runner(model, torch.optim.SGD(model.parameters(), lr=1e30),
                    torch.nn.CrossEntropyLoss(reduction="sum"), Accuracy())
    with pytest.warns(RuntimeWarning, match="diverged at step 2"):
        runner.train(loader, loader, num_epochs=1)
    weights = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert torch.isfinite(weights).all() and weights.abs().max() > OVERFLOW
    assert runner.best_state is None and runner.dev_scores == []


def test_overflowing_gradients_stop_the_run_before_the_step():
    model = RNNClassifier(seed=0)
    loader = TensorBatches(digit_sum_splits(10)["train"], 64)
    huge = lambda logits, labels: torch.nn.functional.cross_entropy(logits, labels) * 1e20  # finite
    runner = Runner(model, torch.optim.SGD(model.parameters(), lr=0.1), huge, Accuracy())
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.warns(RuntimeWarning, match="diverged at step 1: the gradients are not finite or overflow"):
        runner.train(loader, loader, num_epochs=1)
    assert runner.global_step == 0 and runner.step_losses == []
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before))  # no update taken

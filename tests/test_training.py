"""Runner, GradNormLogger and train(config) against a plain hand-written loop; reliability."""
import dataclasses
import math

import pytest
import torch

from labkit.training import one_thread
from labkit import (Accuracy, Callback, GradNormLogger, RNNClassifier, Runner, TensorBatches, TrainConfig,
                    clip_gradients, digit_sum_splits, load_checkpoint, train)

SHORT = TrainConfig(length=10, epochs=3, eval_steps=5)  # 15 steps


def hand_loop(config: TrainConfig):
    """The training loop written out by hand, recording gradient norms before and after clipping.

    On one thread, as `train`: MKL's product of a [10, 32] and a [32, 32] matrix rounds differently
    on two threads, and the exploding runs amplify any rounding difference."""
    with one_thread():
        return _hand_loop(config)


def _hand_loop(config: TrainConfig):
    splits = digit_sum_splits(config.length, config.data_seed)
    loader = TensorBatches(splits["train"], config.batch_size, shuffle=config.shuffle, seed=config.seed)
    model = RNNClassifier(init=config.init, seed=config.seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr)
    loss_fn = torch.nn.CrossEntropyLoss(reduction=config.loss_reduction)
    pre, post, losses = [], [], []
    for _ in range(config.epochs):
        for tokens, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(tokens), labels)
            loss.backward()
            pre.append({n: p.grad.norm().item() for n, p in model.named_parameters()})
            if config.max_norm is not None:
                clip_gradients(model.parameters(), config.clip_mode, config.max_norm)
            post.append({n: p.grad.norm().item() for n, p in model.named_parameters()})
            optimizer.step()
            losses.append(loss.item())
    return model, pre, post, losses


@pytest.mark.parametrize("max_norm, mode", [(None, "global"), (1.0, "global"), (0.5, "per_tensor"), (0.01, "value")])
def test_logged_norms_equal_a_hand_written_loop(max_norm, mode):
    config = dataclasses.replace(SHORT, max_norm=max_norm, clip_mode=mode, eval_steps=1000)
    result = train(config)
    model, pre, post, losses = hand_loop(config)
    assert result.step_losses == pytest.approx(losses, rel=1e-6)
    for name in pre[0]:
        assert result.grad_norms.pre[name] == pytest.approx([row[name] for row in pre], rel=1e-5)
        assert result.grad_norms.post[name] == pytest.approx([row[name] for row in post], rel=1e-5)
    if max_norm is not None and mode == "global":
        assert max(result.grad_norms.total("post")) <= max_norm * (1 + 1e-5)
    if mode == "per_tensor":
        assert max(max(v) for v in result.grad_norms.post.values()) <= max_norm * (1 + 1e-5)
    if max_norm is None:
        assert result.grad_norms.pre == result.grad_norms.post


def test_same_seed_is_bit_identical_and_other_seed_differs():
    a, b, c = train(SHORT), train(SHORT), train(dataclasses.replace(SHORT, seed=1))
    assert a.grad_norms.pre == b.grad_norms.pre and a.step_losses == b.step_losses
    assert a.test_accuracy == b.test_accuracy and a.dev_scores == b.dev_scores
    assert a.grad_norms.pre != c.grad_norms.pre


class HookOrder(Callback):
    """Records the hook sequence and what the gradients looked like in each gradient hook."""

    def __init__(self):
        self.events, self.raw, self.before_step, self.clipped = [], [], [], []

    def on_train_start(self, runner): self.events.append("start")
    def on_train_batch_start(self, runner, batch): self.events.append("batch_start")
    def on_after_backward(self, runner):
        self.events.append("after_backward")
        self.raw.append(runner.model.rnn_model.U.grad.norm().item())
    def on_before_optimizer_step(self, runner):
        self.events.append("before_step")
        self.before_step.append(runner.model.rnn_model.U.grad.norm().item())
    def on_after_clip(self, runner):
        self.events.append("after_clip")
        self.clipped.append(runner.model.rnn_model.U.grad.norm().item())
    def on_train_batch_end(self, runner, loss): self.events.append("batch_end")
    def on_validation_end(self, runner, score, loss): self.events.append("validation_end")
    def on_train_end(self, runner): self.events.append("end")


def test_hooks_run_in_lightning_order_around_clipping():
    """As in Lightning 2.x, on_before_optimizer_step sees the raw gradients; on_after_clip the clipped ones."""
    hooks = HookOrder()
    result = train(dataclasses.replace(SHORT, max_norm=0.1, clip_mode="per_tensor"), callbacks=[hooks])
    step = ["batch_start", "after_backward", "before_step", "after_clip", "batch_end"]
    assert hooks.events[:1 + 5 * 5 + 1] == ["start"] + step * 5 + ["validation_end"]
    assert hooks.events[-2:] == ["validation_end", "end"] and hooks.events.count("validation_end") == 3
    assert hooks.raw == hooks.before_step == result.grad_norms.pre["rnn_model.U"]
    assert hooks.clipped == result.grad_norms.post["rnn_model.U"]
    assert max(hooks.clipped) <= 0.1 + 1e-6 < max(hooks.raw)


def test_best_checkpoint_is_saved_loadable_and_scores_the_test_accuracy(tmp_path):
    config = dataclasses.replace(SHORT, epochs=20, max_norm=1.0)
    result = train(config, save_path=tmp_path / "best.pt")
    assert (tmp_path / "best.pt").is_file() and not list(tmp_path.glob(".*tmp"))
    assert result.best_dev_accuracy == max(score for _, score in result.dev_scores)
    fresh = load_checkpoint(RNNClassifier(seed=99), tmp_path / "best.pt")
    runner = Runner(fresh, None, torch.nn.CrossEntropyLoss(), Accuracy())
    test = TensorBatches(digit_sum_splits(config.length)["test"], 64)
    assert runner.evaluate(test)[0] == result.test_accuracy
    assert all(torch.equal(p, q) for p, q in zip(fresh.parameters(), result.model.parameters()))


def test_corrupt_and_mismatched_checkpoints_give_clear_errors(tmp_path):
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        load_checkpoint(RNNClassifier(), tmp_path / "junk.pt")
    torch.save(RNNClassifier(hidden_size=8).state_dict(), tmp_path / "small.pt")
    with pytest.raises(ValueError, match=r"rnn_model.U: checkpoint \(8, 8\) vs model \(32, 32\)"):
        load_checkpoint(RNNClassifier(), tmp_path / "small.pt")
    torch.save({"W": torch.zeros(1)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="missing"):
        load_checkpoint(RNNClassifier(), tmp_path / "other.pt")
    with pytest.raises(FileNotFoundError):
        load_checkpoint(RNNClassifier(), tmp_path / "nothing.pt")


def test_nan_loss_stops_with_a_warning_and_keeps_the_log(tmp_path):
    class PoisonAt(Callback):
        """Writes NaN into U after step 7, so the loss at step 8 is NaN."""
        def on_train_batch_end(self, runner, loss):
            if runner.global_step == 7:
                with torch.no_grad():
                    runner.model.rnn_model.U.fill_(float("nan"))

    with pytest.warns(RuntimeWarning, match="diverged at step 8"):
        result = train(dataclasses.replace(SHORT, eval_steps=5), save_path=tmp_path / "best.pt",
                       callbacks=[PoisonAt()])
    assert result.diverged_at == 8 and len(result.step_losses) == 7
    assert result.grad_norms.steps == 7 and all(math.isfinite(v) for v in result.grad_norms.pre["rnn_model.U"])
    loaded = load_checkpoint(RNNClassifier(), tmp_path / "best.pt")  # the step-5 checkpoint survives
    assert torch.isfinite(loaded.rnn_model.U).all() and math.isfinite(result.test_accuracy)


@pytest.mark.parametrize("field, value, message", [
    ("lr", 0.0, "lr must be > 0"), ("lr", -1.0, "lr must be > 0"), ("max_norm", 0.0, "max_norm must be > 0"),
    ("clip_mode", "l2", "clip_mode must be one of"), ("length", 12, "length must be one of"),
    ("optimizer", "rmsprop", "optimizer must be one of"), ("loss_reduction", "none", "loss_reduction"),
    ("init", "ones", "init must be one of"), ("batch_size", 0, "batch_size must be >= 1")])
def test_invalid_config_values(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**{field: value})


def test_defaults_are_the_seed_explosion_setting():
    c = TrainConfig()
    assert (c.length, c.lr, c.batch_size, c.epochs, c.optimizer, c.loss_reduction, c.eval_steps, c.hidden_size) \
        == (20, 0.2, 64, 50, "sgd", "sum", 100, 32)
    assert c.max_norm is None and c.clip is None and TrainConfig(max_norm=5).clip == ("global", 5)


def test_adam_and_files_on_disk_work(tmp_path):
    from labkit import write_digit_sum
    write_digit_sum(tmp_path, length=10, seed=0)
    config = dataclasses.replace(SHORT, optimizer="adam", lr=0.01)
    on_disk, in_memory = train(config, data_dir=tmp_path), train(config)
    assert on_disk.step_losses == in_memory.step_losses

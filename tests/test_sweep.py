"""`sweep` against sequential `train` runs; the batched model against `RNNClassifier`; validation."""
import dataclasses
import math

import pytest
import torch

from labkit import Callback, RNNClassifier, TensorBatches, TrainConfig, digit_sum_splits, train
from labkit import batched
from labkit.sweep import batch_orders, grid, sweep

SHORT = TrainConfig(length=10, epochs=3, eval_steps=5)  # 5 batches per epoch: 15 steps, 3 evals
CALM = dataclasses.replace(SHORT, lr=0.01)  # far from explosion: rounding differences stay ~1e-7
CLIPS = [("global", None), ("global", 1.0), ("per_tensor", 1.0), ("value", 0.5)]


def clip_grid(lrs: list[float], seeds: list[int]) -> list[TrainConfig]:
    """lr x clipping x seed, with the four clipping settings of CLIPS."""
    return [c for mode, max_norm in CLIPS
            for c in grid(dataclasses.replace(SHORT, clip_mode=mode, max_norm=max_norm),
                          lr=lrs, seed=seeds)]


def assert_same_run(got, want, steps: int | None = None, rel: float = 1e-5, lr: float = 1.0) -> None:
    """Losses and pre/post gradient norms agree (the first `steps` steps, or all, and then everything).

    Weights are compared in units of `lr`: an update is lr * gradient, so a gradient that is off
    by 1e-7 moves a weight by lr * 1e-7."""
    assert len(got.step_losses) == len(want.step_losses)
    assert got.step_losses[:steps] == pytest.approx(want.step_losses[:steps], rel=rel)
    assert list(got.grad_norms.pre) == list(want.grad_norms.pre)
    for table in ("pre", "post"):
        for name, values in getattr(want.grad_norms, table).items():
            got_values = getattr(got.grad_norms, table)[name][:steps]
            assert got_values == pytest.approx(values[:steps], rel=rel), name
    if steps is None:
        assert got.dev_scores == want.dev_scores
        assert (got.best_step, got.best_dev_accuracy, got.diverged_at) == \
            (want.best_step, want.best_dev_accuracy, want.diverged_at)
        assert got.test_accuracy == want.test_accuracy or (math.isnan(got.test_accuracy)
                                                           and math.isnan(want.test_accuracy))
        for (name, p), (_, q) in zip(got.model.named_parameters(), want.model.named_parameters()):
            torch.testing.assert_close(p / lr, q / lr, rtol=1e-5, atol=1e-5, equal_nan=True, msg=name)


def test_every_model_equals_its_sequential_train_run():
    configs = clip_grid(lrs=[0.005, 0.01], seeds=[0, 1])  # 16 models
    results = sweep(configs)
    assert [r.config for r in results] == configs
    for config, result in zip(configs, results):
        assert_same_run(result, train(config))


def test_clipped_runs_match_in_the_exploding_regime_unclipped_only_at_first():
    """At lr 0.2 the unclipped gradients explode: rounding differences (1e-7) grow ~10x per step,
    so a batched and a sequential run agree only on the first steps. Clipped runs stay together."""
    configs = [dataclasses.replace(SHORT, lr=0.2, clip_mode=m, max_norm=n) for m, n in CLIPS[:3]]
    unclipped, *clipped = sweep(configs)
    assert_same_run(unclipped, train(configs[0]), steps=3)
    for config, result in zip(configs[1:], clipped):
        assert_same_run(result, train(config))


def test_a_diverging_model_stops_and_the_others_go_on_unchanged():
    configs = [CALM, dataclasses.replace(CALM, lr=1e38),
               dataclasses.replace(SHORT, seed=1, max_norm=1.0)]
    with pytest.warns(RuntimeWarning, match="model 1 diverged at step 2"):
        results = sweep(configs)
    bad = results[1]
    with pytest.warns(RuntimeWarning, match="diverged at step 2"):
        # the step-1 update overflows the weights, so the loss at step 2 is NaN
        assert_same_run(bad, train(configs[1]), lr=1e38)
    assert (bad.diverged_at, len(bad.step_losses), bad.grad_norms.steps) == (2, 1, 1)
    assert bad.dev_scores == []
    assert bad.best_step is None and math.isnan(bad.test_accuracy)
    alone = sweep([configs[0], configs[2]])
    for i, j in ((0, 0), (2, 1)):
        assert_same_run(results[i], train(configs[i]))
        assert results[i].step_losses == alone[j].step_losses  # the stopped model changed nothing


class PoisonAt(Callback):
    """Writes NaN into U after step 7, so the loss at step 8 is NaN."""

    def on_train_batch_end(self, runner, loss):
        if runner.global_step == 7:
            with torch.no_grad():
                runner.model.rnn_model.U.fill_(float("nan"))


def test_a_model_stopped_after_an_evaluation_keeps_its_best_checkpoint(monkeypatch):
    configs = [CALM, dataclasses.replace(CALM, seed=1)]
    losses, calls = batched.losses, []

    def poisoned(params, tokens, labels, reduction):  # the same NaN, injected into model 1
        calls.append(1)
        if len(calls) == 8:
            with torch.no_grad():
                params["rnn_model.U"][1] = float("nan")
        return losses(params, tokens, labels, reduction)

    monkeypatch.setattr(batched, "losses", poisoned)
    with pytest.warns(RuntimeWarning, match="model 1 diverged at step 8"):
        healthy, stopped = sweep(configs)
    with pytest.warns(RuntimeWarning, match="diverged at step 8"):
        want = train(configs[1], callbacks=[PoisonAt()])
    assert_same_run(stopped, want)
    assert (stopped.diverged_at, stopped.best_step, len(stopped.dev_scores)) == (8, 5, 1)
    assert math.isfinite(stopped.test_accuracy) and torch.isfinite(stopped.model.rnn_model.U).all()
    assert_same_run(healthy, train(configs[0]))


def test_batch_orders_are_the_orders_train_uses():
    configs = [dataclasses.replace(SHORT, seed=s, shuffle=sh) for s in (0, 3) for sh in (True, False)]
    examples = digit_sum_splits(SHORT.length)["train"]
    tokens = torch.tensor([d for d, _ in examples])
    orders = batch_orders(configs, len(examples))  # [E, K, N]
    for k, c in enumerate(configs):
        loader = TensorBatches(examples, c.batch_size, shuffle=c.shuffle, seed=c.seed)
        for epoch in range(c.epochs):
            assert torch.equal(torch.cat([t for t, _ in loader]), tokens[orders[epoch, k]])


def test_batched_forward_equals_each_classifier():
    models = [RNNClassifier(seed=s, init=i) for s, i in ((0, "xavier"), (1, "xavier"), (2, "zeros"))]
    params = batched.stack_parameters(models)
    tokens = torch.randint(0, 10, (3, 7, 12), generator=torch.Generator().manual_seed(0))  # [K, B, T]
    logits = batched.forward(params, tokens)  # [K, B, C]
    for k, model in enumerate(models):
        torch.testing.assert_close(logits[k], model(tokens[k]), rtol=1e-5, atol=1e-6)
    loaded = batched.load_slice(RNNClassifier(seed=9), params, 1)
    assert loaded.state_dict().keys() == models[1].state_dict().keys()
    assert all(torch.equal(p, q) for p, q in zip(loaded.parameters(), models[1].parameters()))


def test_hand_written_bptt_equals_autograd():
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(3, 6, 4, 5, dtype=torch.float64, generator=gen, requires_grad=True)  # [K, T, B, H]
    U = (0.7 * torch.randn(3, 5, 5, dtype=torch.float64, generator=gen)).requires_grad_()
    assert torch.autograd.gradcheck(batched.Recurrence.apply, (z, U))
    h = torch.zeros(3, 4, 5, dtype=torch.float64)
    for t in range(6):
        h = torch.tanh(z[:, t] + h @ U)  # the plain loop
    torch.testing.assert_close(batched.Recurrence.apply(z, U), h)


def test_batched_clipping_equals_clip_gradients_per_model():
    from labkit import clip_gradients
    gen = torch.Generator().manual_seed(0)
    shapes = [(10, 4), (4, 3), (3,)]
    grads = [torch.randn(4, *s, generator=gen) * 5 for s in shapes]  # 4 models
    clips = [None, ("global", 1.0), ("per_tensor", 2.0), ("value", 0.3)]
    want = [[g[k].clone() for g in grads] for k in range(4)]
    for k, clip in enumerate(clips):
        if clip is not None:
            params = [torch.nn.Parameter(torch.zeros_like(g)) for g in want[k]]
            for p, g in zip(params, want[k]):
                p.grad = g
            clip_gradients(params, *clip)
    batched.clip_(grads, batched.grad_norms(grads), batched.clip_limits(clips))
    for k in range(4):
        for g, w in zip(grads, want[k]):
            torch.testing.assert_close(g[k], w)


def test_grid_is_the_cartesian_product_in_order():
    configs = grid(SHORT, lr=[0.1, 0.2], max_norm=[None, 1.0, 5.0])
    assert [(c.lr, c.max_norm) for c in configs] == \
        [(0.1, None), (0.1, 1.0), (0.1, 5.0), (0.2, None), (0.2, 1.0), (0.2, 5.0)]
    assert all(c.length == SHORT.length and c.epochs == SHORT.epochs for c in configs)
    assert grid(SHORT) == [SHORT]


@pytest.mark.parametrize("axes, message", [
    ({"learning_rate": [0.1]}, "not a TrainConfig field"), ({"lr": []}, "non-empty list"),
    ({"lr": 0.1}, "non-empty list"), ({"clip_mode": "global"}, "non-empty list"),
    ({"lr": [0.1, -1.0]}, "lr must be > 0")])
def test_grid_rejects_bad_axes(axes, message):
    with pytest.raises(ValueError, match=message):
        grid(SHORT, **axes)


@pytest.mark.parametrize("field, value", [
    ("length", 20), ("batch_size", 32), ("epochs", 4), ("eval_steps", 7), ("loss_reduction", "mean"),
    ("hidden_size", 16), ("input_size", 16), ("data_seed", 1)])
def test_sweep_rejects_configs_that_cannot_share_a_batch(field, value):
    with pytest.raises(ValueError, match=f"all configs must share {field}"):
        sweep([SHORT, dataclasses.replace(SHORT, **{field: value})])


def test_sweep_rejects_adam_an_empty_list_and_non_configs():
    with pytest.raises(ValueError, match="supports only 'sgd'"):
        sweep([SHORT, dataclasses.replace(SHORT, optimizer="adam")])
    with pytest.raises(ValueError, match="at least one config"):
        sweep([])
    with pytest.raises(ValueError, match="not a TrainConfig"):
        sweep([SHORT, {"lr": 0.1}])


def test_files_on_disk_and_the_progress_bar_give_the_same_run(tmp_path):
    from labkit import write_digit_sum
    write_digit_sum(tmp_path, length=SHORT.length, seed=0)
    configs = grid(dataclasses.replace(CALM, epochs=1), seed=[0, 1])
    on_disk, in_memory = sweep(configs, data_dir=tmp_path, progress=True), sweep(configs)
    assert [r.step_losses for r in on_disk] == [r.step_losses for r in in_memory]


def test_models_that_stop_at_the_first_step_get_empty_logs(monkeypatch):
    losses = batched.losses
    monkeypatch.setattr(batched, "losses", lambda *args: losses(*args) * float("nan"))
    with pytest.warns(RuntimeWarning, match="diverged at step 1"):
        results = sweep([CALM, dataclasses.replace(CALM, seed=1)])
    for r in results:
        assert (r.diverged_at, r.step_losses, r.grad_norms.pre, r.dev_scores, r.best_step) == \
            (1, [], {}, [], None)
        assert math.isnan(r.test_accuracy) and r.best_dev_accuracy == 0.0

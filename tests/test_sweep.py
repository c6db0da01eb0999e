"""`sweep` against sequential `train` runs (bit for bit); the batched model against `RNNClassifier`; validation."""
import dataclasses
import importlib
import math

import pytest
import torch

from labkit import Callback, RNNClassifier, TensorBatches, TrainConfig, digit_sum_splits, train
from labkit import batched
from labkit.models import Recurrence
from labkit.sweep import batch_orders, grid, sweep
from labkit.training import one_thread

sweep_module = importlib.import_module("labkit.sweep")  # `labkit.sweep` is also the function

SHORT = TrainConfig(length=10, epochs=3, eval_steps=5)  # 5 batches per epoch: 15 steps, 3 evals
CALM = dataclasses.replace(SHORT, lr=0.01)  # far from explosion: rounding differences stay ~1e-7
CLIPS = [("global", None), ("global", 1.0), ("per_tensor", 1.0), ("value", 0.5)]


def clip_grid(lrs: list[float], seeds: list[int]) -> list[TrainConfig]:
    """lr x clipping x seed, with the four clipping settings of CLIPS."""
    return [c for mode, max_norm in CLIPS
            for c in grid(dataclasses.replace(SHORT, clip_mode=mode, max_norm=max_norm),
                          lr=lrs, seed=seeds)]


def assert_same_run(got, want) -> None:
    """Every logged number, the evaluations, the outcome and the returned weights are equal, bit for bit."""
    assert (got.step_losses, got.grad_norms.pre, got.grad_norms.post, got.dev_scores) == \
        (want.step_losses, want.grad_norms.pre, want.grad_norms.post, want.dev_scores)
    assert (got.best_step, got.best_dev_accuracy, got.diverged_at) == \
        (want.best_step, want.best_dev_accuracy, want.diverged_at)
    assert got.test_accuracy == want.test_accuracy or (math.isnan(got.test_accuracy)
                                                       and math.isnan(want.test_accuracy))
    for (name, p), (_, q) in zip(got.model.named_parameters(), want.model.named_parameters()):
        assert torch.equal(p, q) or torch.equal(p.isnan(), q.isnan()), name


def test_every_model_equals_its_sequential_train_run():
    configs = clip_grid(lrs=[0.005, 0.01], seeds=[0, 1])  # 16 models
    results = sweep(configs)
    assert [r.config for r in results] == configs
    for config, result in zip(configs, results):
        assert_same_run(result, train(config))


def test_exploding_runs_equal_train_bit_for_bit_too():
    """The issue's case (length 20, lr 0.2, clip 1: once > 10 % apart in loss by step 134) and
    unclipped explosion at length 10: the same numbers at every step, because every model's slice
    of the batched step is computed by the same operations as `train`'s."""
    long = TrainConfig(length=20, epochs=28, eval_steps=50, max_norm=1.0)  # 140 steps
    configs = [long, dataclasses.replace(long, max_norm=None)]
    for config, result in zip(configs, sweep(configs)):
        assert_same_run(result, train(config))
    configs = [dataclasses.replace(SHORT, lr=0.2, clip_mode=m, max_norm=n) for m, n in CLIPS]
    for config, result in zip(configs, sweep(configs)):
        assert_same_run(result, train(config))


def test_workers_split_the_configs_without_changing_a_number():
    configs = clip_grid(lrs=[0.01, 0.2], seeds=[0])  # 8 models
    for got, want in zip(sweep(configs, workers=3), sweep(configs)):
        assert_same_run(got, want)
    with pytest.raises(ValueError, match="workers must be an int >= 1"):
        sweep(configs, workers=0)


def test_a_diverging_model_stops_and_the_others_go_on_unchanged():
    configs = [CALM, dataclasses.replace(CALM, lr=1e38),
               dataclasses.replace(SHORT, seed=1, max_norm=1.0)]
    with pytest.warns(RuntimeWarning, match="model 1 diverged at step 2"):
        results = sweep(configs)
    bad = results[1]
    with pytest.warns(RuntimeWarning, match="diverged at step 2"):
        # the step-1 update overflows the weights: step 2 cannot be taken
        assert_same_run(bad, train(configs[1]))
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
    step, calls = sweep_module.training_step, []

    def poisoned(model, *args):  # the same NaN, injected into model 1 before step 8
        calls.append(1)
        if len(calls) == 8:
            with torch.no_grad():
                model.tensors()["rnn_model.U"][1] = float("nan")
        return step(model, *args)

    monkeypatch.setattr(sweep_module, "training_step", poisoned)
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


def test_batched_forward_equals_each_classifier_bit_for_bit():
    models = [RNNClassifier(seed=s, init=i) for s, i in ((0, "xavier"), (1, "xavier"), (2, "zeros"))]
    stacked = batched.StackedClassifier(models)
    tokens = torch.randint(0, 10, (3, 7, 12), generator=torch.Generator().manual_seed(0))  # [K, B, T]
    with one_thread():  # as train and sweep run (on two threads MKL rounds the [10, 32] table product differently)
        logits = stacked(tokens)  # [K, B, C]
        for k, model in enumerate(models):
            assert torch.equal(logits[k], model(tokens[k]))
    loaded = batched.load_slice(RNNClassifier(seed=9), stacked.tensors(), 1)
    assert loaded.state_dict().keys() == models[1].state_dict().keys()
    assert all(torch.equal(p, q) for p, q in zip(loaded.parameters(), models[1].parameters()))


def test_hand_written_bptt_equals_autograd():
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(6, 3, 4, 5, dtype=torch.float64, generator=gen, requires_grad=True)  # [T, K, B, H]
    U = (0.7 * torch.randn(3, 5, 5, dtype=torch.float64, generator=gen)).requires_grad_()
    h0 = torch.randn(3, 4, 5, dtype=torch.float64, generator=gen, requires_grad=True)
    for output in (0, 1):  # every state, or the last one only
        assert torch.autograd.gradcheck(lambda *a: Recurrence.apply(*a)[output], (z, U, h0))
    h, plain = h0, []
    for t in range(6):
        h = torch.tanh(z[t] + h @ U)  # the plain loop
        plain.append(h)
    states, last = Recurrence.apply(z, U, h0)
    torch.testing.assert_close(states, torch.stack(plain))
    torch.testing.assert_close(last, h)
    weights = torch.randn(6, 3, 4, 5, dtype=torch.float64, generator=gen)
    want = torch.autograd.grad((torch.stack(plain) * weights).sum() + h.sum(), (z, U, h0))
    got = torch.autograd.grad((states * weights).sum() + last.sum(), (z, U, h0))
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w)


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
    monkeypatch.setattr(sweep_module, "make_loss",
                        lambda c: lambda *args: batched.cross_entropy(*args, c.loss_reduction) * math.nan)
    with pytest.warns(RuntimeWarning, match="diverged at step 1"):
        results = sweep([CALM, dataclasses.replace(CALM, seed=1)])
    for r in results:
        assert (r.diverged_at, r.step_losses, r.grad_norms.pre, r.dev_scores, r.best_step) == \
            (1, [], {}, [], None)
        assert math.isnan(r.test_accuracy) and r.best_dev_accuracy == 0.0


def test_frozen_parameters_equal_train_with_freeze_parameters():
    from labkit import FreezeParameters
    from labkit.training import make_model
    configs = [dataclasses.replace(SHORT, lr=0.2, max_norm=1.0, seed=s) for s in (0, 1)] + [CALM]
    results = sweep(configs, frozen=["embedding"])
    for config, result in zip(configs, results):
        assert_same_run(result, train(config, callbacks=[FreezeParameters(["embedding"])]))
        assert torch.equal(result.model.embedding, make_model(config).embedding)  # never moved
        assert result.grad_norms.pre["embedding"] == [0.0] * result.grad_norms.steps
    assert not torch.equal(sweep(configs[:1])[0].model.embedding, make_model(configs[0]).embedding)
    with pytest.raises(ValueError, match="not parameters of the classifier"):
        sweep(configs, frozen=["embeding"])
    with pytest.raises(ValueError, match="list of parameter names"):
        sweep(configs, frozen="embedding")

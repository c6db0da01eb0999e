"""labkit.study: summaries equal numpy's, run_all equals train, grids land in the right cells."""
import math

import numpy as np
import pytest

from labkit import TrainConfig, train
from labkit.study import (Summary, final_test_accuracy, max_grad_norm, metric_grid, run_all, seed_study,
                          summarize, summary_table, with_seeds)


def test_summary_matches_numpy():
    values = [0.61, 0.74, 0.55, 0.9]
    s = summarize(values)
    assert s.mean == pytest.approx(np.mean(values))
    assert s.sd == pytest.approx(np.std(values, ddof=1))
    assert s.n == 4 and str(s) == f"{np.mean(values):.3f} ± {np.std(values, ddof=1):.3f} (n=4)"
    assert f"{s:.1f}" == f"{np.mean(values):.1f} ± {np.std(values, ddof=1):.1f} (n=4)"


def test_summary_edge_cases():
    assert math.isnan(summarize([0.5]).sd)
    with pytest.raises(ValueError):
        summarize([])
    with pytest.raises(ValueError):
        with_seeds({"a": TrainConfig()}, [])


def test_with_seeds_is_label_major():
    configs = with_seeds({"a": TrainConfig(lr=0.1), "b": TrainConfig(lr=0.2)}, [3, 4])
    assert [(c.lr, c.seed) for c in configs] == [(0.1, 3), (0.1, 4), (0.2, 3), (0.2, 4)]


@pytest.mark.parametrize("batched", [False, True])
def test_run_all_matches_train(batched):
    configs = [TrainConfig(length=5, epochs=2, eval_steps=5, lr=0.01, seed=s, max_norm=m)
               for s, m in [(0, None), (1, 1.0)]]
    got = run_all(configs, batched=batched)  # small lr: no explosion, so rounding stays tiny
    want = [train(c) for c in configs]
    for g, w in zip(got, want):
        assert g.config == w.config
        assert g.step_losses == pytest.approx(w.step_losses, rel=1e-4)
        assert g.test_accuracy == pytest.approx(w.test_accuracy)
        assert max_grad_norm(g) == pytest.approx(max(w.grad_norms.total("pre")), rel=1e-4)


def test_run_all_trains_what_the_sweep_cannot_run_one_by_one():
    float64 = TrainConfig(length=5, epochs=1, eval_steps=5, dtype="float64")  # the sweep is float32 only
    got, want = run_all([float64])[0], train(float64)
    assert got.step_losses == want.step_losses and got.test_accuracy == want.test_accuracy


def test_seed_study_and_table():
    base = TrainConfig(length=5, epochs=1, eval_steps=5)
    runs = seed_study({"off": base, "clip": TrainConfig(length=5, epochs=1, eval_steps=5, max_norm=1.0)},
                      [0, 1], batched=False)
    assert [r.config.seed for r in runs["clip"]] == [0, 1]
    assert all(r.config.max_norm == 1.0 for r in runs["clip"])
    table = summary_table(runs)
    assert isinstance(table["off"], Summary)
    assert table["off"].mean == pytest.approx(np.mean([final_test_accuracy(r) for r in runs["off"]]))


def test_metric_grid_places_and_averages():
    class R:  # a stand-in with only what metric_grid reads
        def __init__(self, lr, max_norm, seed, acc):
            self.config = TrainConfig(lr=lr, max_norm=max_norm, seed=seed)
            self.test_accuracy = acc
    results = [R(0.1, None, 0, 0.1), R(0.1, None, 1, 0.3), R(0.1, 1.0, 0, 0.5),
               R(0.2, None, 0, 0.7), R(0.2, 1.0, 0, 0.9)]
    rows, cols, table = metric_grid(results, "lr", "max_norm")
    assert rows == [0.1, 0.2] and cols == [None, 1.0]
    np.testing.assert_allclose(table, [[0.2, 0.5], [0.7, 0.9]])

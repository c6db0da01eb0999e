"""labkit.curves and labkit.freeze: summaries agree with plain loops; a frozen parameter never moves."""
import dataclasses
import math

import numpy as np
import pytest
import torch

from labkit import GradNormLog, TrainConfig, train
from labkit.curves import by_step_cap, fraction_clipped, mean_band, moving_average, norm_share, peak_norm
from labkit.freeze import FreezeParameters
from labkit.models import RNNClassifier


def test_mean_band_matches_loops():
    curves = [[1.0, 5.0, 2.0], [3.0, 1.0, 2.0], [2.0, 3.0, 8.0]]
    mean, low, high = mean_band(curves)
    for j in range(3):
        column = [c[j] for c in curves]
        assert mean[j] == pytest.approx(sum(column) / 3)
        assert low[j] == min(column) and high[j] == max(column)
    with pytest.raises(ValueError, match="length"):
        mean_band([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match="at least one"):
        mean_band([])


def test_moving_average_matches_a_loop():
    values = [4.0, 2.0, 9.0, 1.0, 0.0, 7.0]
    window = 3
    expected = [np.mean(values[max(0, i + 1 - window):i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(moving_average(values, window), expected)
    np.testing.assert_allclose(moving_average(values, 1), values)
    with pytest.raises(ValueError, match="window"):
        moving_average(values, 0)


def test_norm_share_sums_to_one_and_matches_hand_numbers():
    log = GradNormLog(pre={"a": [3.0, 0.0, 1.0], "b": [4.0, 0.0, 0.0]})
    share = norm_share(log)
    np.testing.assert_allclose(share["a"], [9 / 25, 0.0, 1.0])
    np.testing.assert_allclose(share["b"], [16 / 25, 0.0, 0.0])


@pytest.fixture(scope="module")
def runs():
    base = TrainConfig(length=5, epochs=2, eval_steps=5, lr=0.05)
    return [train(base), train(dataclasses.replace(base, max_norm=3.0)),
            train(dataclasses.replace(base, lr=0.2, max_norm=0.75))]


def test_fraction_clipped_and_peak_match_the_log(runs):
    off, clipped, _ = runs
    assert fraction_clipped(off) == 0.0
    pre = clipped.grad_norms.total("pre")
    assert fraction_clipped(clipped) == pytest.approx(sum(p > 3.0 for p in pre) / len(pre))
    assert 0 < fraction_clipped(clipped) <= 1
    assert peak_norm(off, "rnn_model.U") == max(off.grad_norms.pre["rnn_model.U"])
    with pytest.raises(ValueError, match="no parameter"):
        peak_norm(off, "V")


def test_by_step_cap_groups_equal_products(runs):
    caps = by_step_cap(runs, lambda r: r.test_accuracy)
    assert list(caps) == [0.15]  # 0.05 * 3 and 0.2 * 0.75; the unclipped run is left out
    assert set(caps[0.15]) == {(0.05, 3.0), (0.2, 0.75)}


def test_freeze_keeps_the_embedding_and_trains_the_rest():
    config = TrainConfig(length=5, epochs=2, eval_steps=5, lr=0.1, max_norm=1.0)
    start = RNNClassifier(seed=config.seed)
    frozen = train(config, callbacks=[FreezeParameters(["embedding"])])
    free = train(config)
    assert torch.equal(frozen.model.embedding, start.embedding)
    assert not torch.equal(free.model.embedding, start.embedding)
    assert not torch.equal(frozen.model.rnn_model.U, start.rnn_model.U)
    assert all(v == 0.0 for v in frozen.grad_norms.pre["embedding"])
    assert all(math.isfinite(v) and v > 0 for v in frozen.grad_norms.pre["rnn_model.U"])


def test_freeze_rejects_bad_names():
    with pytest.raises(ValueError, match="non-empty"):
        FreezeParameters("embedding")
    with pytest.raises(ValueError, match="no parameter"):
        train(TrainConfig(length=5, epochs=1), callbacks=[FreezeParameters(["emb"])])

"""rho(U), the per-timestep BPTT gradient, the loggers, and Accuracy."""
import numpy as np
import pytest
import torch

from labkit import (Accuracy, HiddenGradLogger, RNNClassifier, SpectralRadiusLogger, TrainConfig, hidden_grad_norms,
                    spectral_radius, train)


def test_spectral_radius_known_matrices():
    assert spectral_radius(torch.diag(torch.tensor([0.5, -2.0, 1.0]))) == pytest.approx(2.0)
    rotation = torch.tensor([[0.0, -1.5], [1.5, 0.0]])  # eigenvalues +-1.5i: complex, modulus 1.5
    assert spectral_radius(rotation) == pytest.approx(1.5)
    m = torch.randn(6, 6, generator=torch.Generator().manual_seed(0))
    assert spectral_radius(m) == pytest.approx(np.abs(np.linalg.eigvals(m.numpy())).max(), rel=1e-5)


def test_hidden_grads_follow_the_jacobian_product():
    model = RNNClassifier(seed=0)
    tokens, labels = torch.randint(0, 10, (5, 8)), torch.randint(0, 19, (5,))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    norms = hidden_grad_norms(model, tokens, labels, loss_fn)
    with torch.no_grad():  # by hand: v_{t-1} = (v_t * (1 - h_t^2)) U^T, starting from dL/dh_T
        hs = model.rnn_model.states(model.embed(tokens))  # [B, T, H]
        probs = torch.softmax(model.linear(hs[:, -1]), dim=1)
        v = (probs - torch.nn.functional.one_hot(labels, 19)) @ model.linear.weight  # [B, H]
        expected = [v.norm()]
        for t in range(hs.shape[1] - 1, 0, -1):
            v = (v * (1 - hs[:, t] ** 2)) @ model.rnn_model.U.T
            expected.append(v.norm())
    assert torch.allclose(norms, torch.stack(expected[::-1]), rtol=1e-5)
    assert all(p.grad is None for p in model.parameters())


def test_loggers_record_one_row_per_step():
    probe = torch.randint(0, 10, (4, 10)), torch.randint(0, 19, (4,))
    radii, rows = SpectralRadiusLogger(), HiddenGradLogger(*probe, torch.nn.CrossEntropyLoss())
    result = train(TrainConfig(length=10, epochs=2), callbacks=[radii, rows])
    assert len(radii.radii) == result.grad_norms.steps + 1 == 11
    assert radii.radii[0] == pytest.approx(spectral_radius(RNNClassifier(seed=0).rnn_model.U))
    assert len(rows.rows) == 10 and all(len(r) == 10 for r in rows.rows)


def test_accuracy_accumulates_over_batches():
    metric = Accuracy()
    assert metric.accumulate() == 0.0
    metric.update(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 1]))
    metric.update(torch.tensor([[0.0, 1.0]]), torch.tensor([1]))
    assert metric.accumulate() == pytest.approx(2 / 3)
    metric.reset()
    assert metric.accumulate() == 0.0
    with pytest.raises(ValueError, match="expected logits"):
        metric.update(torch.zeros(3), torch.zeros(3))

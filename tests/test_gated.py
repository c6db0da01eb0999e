"""The gated layers (LSTM, GRU): both drives against each other and against the written-out equations,
the classifier interface, the config's `cell`, and clipping / logging / the probe on gated models."""
import dataclasses
import math

import pytest
import torch

import labkit as lk
from labkit import RNNClassifier, TrainConfig
from labkit.bptt import HiddenGradLogger, hidden_grad_norms
from labkit.gated import Gated
from labkit.study import run_all
from labkit.sweep import sweep

SHORT = TrainConfig(length=5, epochs=2, eval_steps=3, cell="lstm")


def layer(kind: str, seed: int = 0) -> Gated:
    """A float64 layer with random biases too (so every term of the equations is exercised)."""
    g = Gated(kind, 5, 7, generator=torch.Generator().manual_seed(seed)).double()
    with torch.no_grad():
        for name, p in g.layer.named_parameters():
            if name.startswith("bias"):
                p.normal_(generator=torch.Generator().manual_seed(seed + 1))
    return g


def by_hand(g: Gated, x: torch.Tensor) -> list[torch.Tensor]:
    """h_1..h_T from the LSTM / GRU equations (torch's documentation), a plain loop, each h_t kept."""
    L = g.layer
    W, U, bw, bu = L.weight_ih_l0, L.weight_hh_l0, L.bias_ih_l0, L.bias_hh_l0
    h = x.new_zeros(x.shape[0], g.hidden_size)
    c, hs = torch.zeros_like(h), []
    for t in range(x.shape[1]):
        a, r = x[:, t] @ W.T + bw, h @ U.T + bu
        if g.kind == "lstm":
            i, f, gg, o = (a + r).chunk(4, dim=1)
            c = f.sigmoid() * c + i.sigmoid() * gg.tanh()
            h = o.sigmoid() * c.tanh()
        else:
            (ar, az, an), (rr, rz, rn) = a.chunk(3, dim=1), r.chunk(3, dim=1)
            reset, update = (ar + rr).sigmoid(), (az + rz).sigmoid()
            h = (1 - update) * (an + reset * rn).tanh() + update * h
        hs.append(h)
    return hs


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_fused_and_stepwise_drives_agree_with_the_equations(kind):
    g = layer(kind)
    x = torch.randn(3, 9, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    hand = by_hand(g, x)
    steps = g.trajectory(x)
    assert torch.allclose(g(x), hand[-1], atol=1e-6)
    assert torch.allclose(g.states(x), torch.stack(hand, dim=1), atol=1e-6)
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(steps, hand))
    fused = torch.autograd.grad(g(x).sum(), list(g.parameters()))
    stepwise = torch.autograd.grad(steps[-1].sum(), list(g.parameters()))
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(fused, stepwise))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_probe_gives_the_gradient_of_every_h_t(kind):
    model = RNNClassifier(input_size=5, hidden_size=7, seed=3, cell=kind).double()
    model.rnn_model = layer(kind, seed=4)
    tokens = torch.randint(0, 10, (6, 11), generator=torch.Generator().manual_seed(5))
    labels = torch.randint(0, 19, (6,), generator=torch.Generator().manual_seed(6))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    hs = by_hand(model.rnn_model, model.embed(tokens).detach())
    for h in hs:
        h.retain_grad()
    loss_fn(model.linear(hs[-1]), labels).backward()
    expected = torch.stack([h.grad.norm() for h in hs])  # [T]
    model.zero_grad()
    got = hidden_grad_norms(model, tokens, labels, loss_fn)
    assert got.shape == (11,) and torch.allclose(got, expected, rtol=1e-6)
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())  # .grad untouched


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_initialisation_is_seeded_xavier_per_gate_or_zeros(kind):
    state = torch.random.get_rng_state()
    a = Gated(kind, 32, 32, generator=torch.Generator().manual_seed(0))
    b = Gated(kind, 32, 32, generator=torch.Generator().manual_seed(0))
    assert torch.equal(state, torch.random.get_rng_state())  # the global RNG did not move
    bound = math.sqrt(6 / (32 + 32))  # Xavier-uniform of one [32, 32] gate block
    for (name, p), q in zip(a.layer.named_parameters(), b.layer.parameters()):
        assert torch.equal(p, q)
        if name.startswith("bias"):
            assert not p.any()
        else:
            assert p.abs().max() <= bound and p.abs().max() > 0.9 * bound
    zeros = Gated(kind, 4, 3, init="zeros")
    assert all(not p.any() for p in zeros.parameters())
    with pytest.raises(ValueError, match="kind must be one of"):
        Gated("rnn", 4, 3)
    with pytest.raises(ValueError, match="init must be one of"):
        Gated(kind, 4, 3, init="orthogonal")


def test_classifier_interface_and_shared_embedding():
    tokens = torch.randint(0, 10, (4, 6))
    srn = RNNClassifier(seed=1)
    for cell in ("lstm", "gru"):
        model = RNNClassifier(seed=1, cell=cell)
        assert model(tokens).shape == (4, 19)
        assert model.rnn_model(model.embed(tokens)).shape == (4, 32)
        assert model.rnn_model(model.embed(tokens), torch.zeros(4, 32)).shape == (4, 32)
        assert torch.equal(model.embedding, srn.embedding)  # drawn first, from the same seed
    with pytest.raises(ValueError, match="cell must be one of"):
        RNNClassifier(cell="transformer")


def test_config_validates_cell():
    assert TrainConfig(cell="gru").to_dict()["cell"] == "gru"
    assert TrainConfig().cell == "srn"
    with pytest.raises(ValueError, match="cell must be one of"):
        TrainConfig(cell="LSTM")
    with pytest.raises(TypeError, match="cell must be a string"):
        TrainConfig(cell=1)


def test_sweep_refuses_gated_configs_and_run_all_trains_them_one_by_one():
    with pytest.raises(ValueError, match="cell 'lstm'.*SRN only"):
        sweep([dataclasses.replace(SHORT, cell="srn"), SHORT])
    gated = run_all([SHORT, dataclasses.replace(SHORT, cell="gru")])
    assert [r.config.cell for r in gated] == ["lstm", "gru"]
    assert gated[0].grad_norms.total() == lk.train(SHORT).grad_norms.total()


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_clipping_logging_and_the_probe_work_on_gated_models(kind):
    config = dataclasses.replace(SHORT, cell=kind, max_norm=1.0)
    examples = lk.digit_sum_splits(5)["dev"][:16]
    tokens = torch.tensor([d for d, _ in examples])
    labels = torch.tensor([y for _, y in examples])
    probe = HiddenGradLogger(tokens, labels, torch.nn.CrossEntropyLoss(reduction="sum"))
    result = lk.train(config, callbacks=[probe])
    pre, post = result.grad_norms.total("pre"), result.grad_norms.total("post")
    assert result.grad_norms.steps == 10 and len(probe.rows) == 10
    assert "rnn_model.layer.weight_hh_l0" in result.grad_norms.pre
    assert max(pre) > 1.5  # the summed loss: clipping had work to do
    assert all(q <= 1.0 + 1e-5 and (p <= 1.0 or q > 0.999) for p, q in zip(pre, post))
    assert all(len(row) == 5 and min(row) > 0 for row in probe.rows)

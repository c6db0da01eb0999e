"""The from-scratch SRN against torch.nn.RNN, and the classifier around it."""
import pytest
import torch

from labkit import SRN, RNNClassifier


def srn_and_reference(input_size=5, hidden_size=7, seed=0):
    """An SRN with random weights and nn.RNN loaded with the same numbers."""
    torch.manual_seed(seed)
    srn = SRN(input_size, hidden_size)
    with torch.no_grad():
        srn.b.normal_()
    ref = torch.nn.RNN(input_size, hidden_size, nonlinearity="tanh", batch_first=True)
    with torch.no_grad():
        ref.weight_ih_l0.copy_(srn.W.T)
        ref.weight_hh_l0.copy_(srn.U.T)
        ref.bias_ih_l0.copy_(srn.b[0])
        ref.bias_hh_l0.zero_()
    return srn, ref


def test_forward_equals_nn_rnn():
    srn, ref = srn_and_reference()
    x, h0 = torch.randn(4, 9, 5), torch.randn(4, 7)
    outputs, last = ref(x, h0[None])
    assert torch.allclose(srn.states(x, h0), outputs, atol=1e-6)
    assert torch.allclose(srn(x, h0), last[0], atol=1e-6)
    assert torch.allclose(srn(x), ref(x)[1][0], atol=1e-6)


def test_gradients_equal_nn_rnn():
    srn, ref = srn_and_reference(seed=1)
    x = torch.randn(3, 12, 5, requires_grad=True)
    target = torch.randn(3, 7)
    ((srn(x) - target) ** 2).sum().backward()
    gx = x.grad.clone()
    x.grad = None
    ((ref(x)[1][0] - target) ** 2).sum().backward()
    assert torch.allclose(gx, x.grad, atol=1e-6)
    assert torch.allclose(srn.W.grad, ref.weight_ih_l0.grad.T, atol=1e-6)
    assert torch.allclose(srn.U.grad, ref.weight_hh_l0.grad.T, atol=1e-6)
    assert torch.allclose(srn.b.grad[0], ref.bias_ih_l0.grad, atol=1e-6)


def test_parameter_shapes_and_inits():
    srn = SRN(32, 16)
    assert srn.W.shape == (32, 16) and srn.U.shape == (16, 16) and srn.b.shape == (1, 16)
    assert srn.U.abs().max() <= (6 / 32) ** 0.5 and srn.U.std() > 0  # xavier uniform bound
    zeros = SRN(32, 16, init="zeros")
    assert all(p.abs().sum() == 0 for p in zeros.parameters())
    with pytest.raises(ValueError, match="init"):
        SRN(3, 3, init="orthogonal")


def test_classifier_names_shapes_and_trainable_embedding():
    model = RNNClassifier(seed=0)
    names = dict(model.named_parameters())
    assert {"rnn_model.W", "rnn_model.U", "rnn_model.b", "embedding"} <= set(names)
    logits = model(torch.randint(0, 10, (8, 20)))
    assert logits.shape == (8, 19)
    logits.sum().backward()
    assert names["embedding"].grad is not None and names["embedding"].grad.abs().sum() > 0


def test_classifier_seed_fixes_every_weight():
    a, b, c = RNNClassifier(seed=3), RNNClassifier(seed=3), RNNClassifier(seed=4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.rnn_model.U, c.rnn_model.U)


def test_a_seeded_classifier_leaves_the_global_rng_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    RNNClassifier(seed=0)
    assert torch.equal(torch.rand(3), expected)

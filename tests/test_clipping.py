"""The three clipping modes against PyTorch's own utilities and their defining properties."""
import pytest
import torch

from labkit import clip_gradients


def params_with_grads(scale: float, seed: int = 0) -> list[torch.nn.Parameter]:
    gen = torch.Generator().manual_seed(seed)
    params = [torch.nn.Parameter(torch.zeros(shape)) for shape in ((4, 3), (3, 3), (1, 3))]
    for p in params:
        p.grad = scale * torch.randn(p.shape, generator=gen)
    return params


@pytest.mark.parametrize("scale", [0.01, 1.0, 100.0])
def test_global_equals_clip_grad_norm(scale):
    ours, theirs = params_with_grads(scale), params_with_grads(scale)
    norms = clip_gradients(ours, "global", max_norm=1.0)
    total = torch.nn.utils.clip_grad_norm_(theirs, max_norm=1.0)
    assert torch.allclose(norms.norm(), total)  # pre-clip norms, as clip_grad_norm_ returns
    for p, q in zip(ours, theirs):
        assert torch.allclose(p.grad, q.grad, atol=1e-7)


def test_value_equals_clip_grad_value():
    ours, theirs = params_with_grads(5.0), params_with_grads(5.0)
    clip_gradients(ours, "value", max_norm=0.5)
    torch.nn.utils.clip_grad_value_(theirs, clip_value=0.5)
    assert all(torch.equal(p.grad, q.grad) for p, q in zip(ours, theirs))


def test_per_tensor_bounds_each_tensor_and_keeps_small_ones():
    params = params_with_grads(10.0)
    params[2].grad = torch.full((1, 3), 0.1)  # already below max_norm
    before = [p.grad.clone() for p in params]
    norms = clip_gradients(params, "per_tensor", max_norm=2.0)
    assert torch.allclose(norms, torch.stack([g.norm() for g in before]))
    for p, g in zip(params, before):
        assert p.grad.norm() <= 2.0 + 1e-6
        cosine = torch.nn.functional.cosine_similarity(p.grad.flatten(), g.flatten(), dim=0)
        assert cosine > 1 - 1e-6  # direction kept per tensor
    assert torch.equal(params[2].grad, before[2])


def test_norm_modes_keep_direction_value_mode_does_not():
    params = params_with_grads(10.0, seed=3)
    flat = torch.cat([p.grad.flatten() for p in params])
    for mode in ("global", "value"):
        clipped = params_with_grads(10.0, seed=3)
        clip_gradients(clipped, mode, 1.0)
        cosine = torch.nn.functional.cosine_similarity(torch.cat([p.grad.flatten() for p in clipped]), flat, dim=0)
        assert (cosine > 1 - 1e-6) if mode == "global" else (cosine < 0.999)


def test_zero_and_missing_gradients():
    params = params_with_grads(1.0)
    params[0].grad.zero_()
    params[1].grad = None
    norms = clip_gradients(params, "global", 1.0)
    assert norms.shape == (2,) and norms[0] == 0 and torch.isfinite(params[0].grad).all()
    assert clip_gradients([torch.nn.Parameter(torch.ones(2))], "per_tensor", 1.0).numel() == 0


@pytest.mark.parametrize("mode, max_norm, message", [
    ("l1", 1.0, "clip_mode must be one of"), ("global", 0.0, "max_norm must be > 0"),
    ("value", -1.0, "max_norm must be > 0")])
def test_bad_arguments(mode, max_norm, message):
    with pytest.raises(ValueError, match=message):
        clip_gradients(params_with_grads(1.0), mode, max_norm)

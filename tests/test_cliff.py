"""labkit.cliff (the one-unit cliff), labkit.cliff_srn (the SRN's line probe), their plots and
exercises, and the page's JavaScript engine held against labkit (in Node, when it is installed).

Oracles: a plain-Python loop for the loss, central finite differences for the gradient,
`clip_gradients` for the clipping rule, a real SGD step for the end of the line.
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import labkit as lk
from labkit import cliff
from labkit.cliff_srn import clipped_fraction, first_rise, line_fractions
from labkit.exercises import cliff as ex

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "book" / "_static" / "cliff"
POINTS = torch.tensor([[2.0, -1.0], [4.2, -2.1], [6.0, -2.0], [8.0, -3.0], [-1.0, 0.3]],
                      dtype=torch.float64)


def loop_loss(w: float, b: float) -> float:
    """The paper's model written as a plain loop (the oracle)."""
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    x = 0.5
    for _ in range(50):
        x = w * sig(x) + b
    return (sig(x) - 0.7) ** 2


def test_loss_matches_a_plain_loop():
    loss, _ = lk.loss_and_grad(POINTS)
    for (w, b), value in zip(POINTS.tolist(), loss.tolist()):
        assert value == pytest.approx(loop_loss(w, b), rel=1e-12, abs=1e-15)


def test_gradient_matches_finite_differences():
    _, grad = lk.loss_and_grad(POINTS)
    h = 1e-6
    for i, (w, b) in enumerate(POINTS.tolist()):
        fd = [(loop_loss(w + h, b) - loop_loss(w - h, b)) / (2 * h),
              (loop_loss(w, b + h) - loop_loss(w, b - h)) / (2 * h)]
        assert grad[i].tolist() == pytest.approx(fd, rel=1e-5, abs=1e-9)


def test_clip_step_is_labkits_global_rule():
    grad = torch.tensor([[30.0, -40.0], [0.3, 0.4], [0.0, 0.0]], dtype=torch.float64)
    out = cliff.clip_step(grad, 1.0)
    for g, o in zip(grad, out):
        p = nn.Parameter(torch.zeros(2, dtype=torch.float64))
        p.grad = g.clone()
        lk.clip_gradients([p], "global", 1.0)
        assert torch.allclose(o, p.grad, rtol=0, atol=1e-15)
    assert torch.equal(cliff.clip_step(grad, None), grad)
    with pytest.raises(ValueError, match="max_norm"):
        cliff.clip_step(grad, 0.0)


def test_descend_takes_clipped_gradient_steps():
    paths = lk.descend(POINTS, 0.5, 3, max_norm=0.2)                    # [N, 4, 2]
    assert paths.shape == (len(POINTS), 4, 2) and torch.equal(paths[:, 0], POINTS)
    for k in range(3):
        _, grad = lk.loss_and_grad(paths[:, k])
        assert torch.allclose(paths[:, k + 1], paths[:, k] - 0.5 * cliff.clip_step(grad, 0.2))
        assert ((paths[:, k + 1] - paths[:, k]).norm(dim=1) <= 0.5 * 0.2 + 1e-12).all()
    with pytest.raises(ValueError, match="lr"):
        lk.descend(POINTS, 0.0, 3)
    with pytest.raises(ValueError, match=r"\[N, 2\]"):
        lk.loss_and_grad(torch.zeros(3))


def test_surface_holds_the_grid_values_and_a_thin_wall():
    surf = lk.surface(*cliff.WINDOW, n=61)
    corner = torch.tensor([[surf.w[-1], surf.b[0]]], dtype=torch.float64)  # row: b, column: w
    loss, grad = lk.loss_and_grad(corner)
    assert surf.loss[0, -1] == loss[0] and surf.grad_norm[0, -1] == grad.norm()
    on_wall = lk.wall_cells(lk.surface(*cliff.WINDOW, n=241))
    assert 0 < len(on_wall) < 0.002 * 241 ** 2
    # every wall point lies close to the line where x_0 = 0.5 is the unit's unstable fixed point
    sig = 1 / (1 + math.exp(-0.5))
    assert (on_wall[:, 1] - (0.5 - sig * on_wall[:, 0])).abs().max() < 0.3
    with pytest.raises(ValueError, match="increasing"):
        lk.surface((1, 0), (0, 1))


def test_off_window():
    inside = torch.tensor([[5.0, -2.0]], dtype=torch.float64)
    outside = torch.tensor([[5.0, 3.0], [0.0, -2.0]], dtype=torch.float64)
    assert not lk.off_window(inside).any() and lk.off_window(outside).all()


def test_committed_reference_json_is_labkits_current_output():
    committed = json.loads((STATIC / "reference.json").read_text())
    fresh = json.loads(json.dumps(cliff.reference_values()))
    assert committed.keys() == fresh.keys()
    for key in fresh:
        a, b = torch.tensor(committed[key]), torch.tensor(fresh[key])
        assert a.shape == b.shape and torch.allclose(a, b, rtol=1e-12, atol=0), (
            f"book/_static/cliff/reference.json is stale ({key}): run "
            f"labkit.cliff.write_reference('book/_static/cliff/reference.json')")


NODE_CHECK = """
import { readFileSync } from "node:fs";
import { lossAndGrad, descend } from "%ENGINE%";
const ref = JSON.parse(readFileSync("%REF%"));
const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const worst = { loss: 0, grad: 0, unclipped: 0, clipped: 0 };
ref.points.forEach(([w, b], i) => {
  const r = lossAndGrad(w, b);
  worst.loss = Math.max(worst.loss, rel(r.loss, ref.loss[i]));
  worst.grad = Math.max(worst.grad, Math.hypot(r.gw - ref.grad[i][0], r.gb - ref.grad[i][1]) /
                                    Math.hypot(...ref.grad[i]));
  for (const [name, maxNorm] of [["unclipped", null], ["clipped", ref.max_norm]]) {
    descend([w, b], ref.lr, ref.steps, maxNorm).forEach(([pw, pb], k) => {
      const [qw, qb] = ref[name][i][k];
      worst[name] = Math.max(worst[name], Math.hypot(pw - qw, pb - qb) / Math.max(1, Math.hypot(qw, qb)));
    });
  }
});
console.log(JSON.stringify(worst));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_js_engine_matches_labkit_in_node():
    script = (NODE_CHECK.replace("%ENGINE%", (STATIC / "engine.mjs").as_uri())
              .replace("%REF%", str(STATIC / "reference.json")))
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                         text=True, timeout=60, check=True)
    worst = json.loads(out.stdout)
    assert worst["loss"] < 1e-12 and worst["grad"] < 1e-9, worst
    assert worst["unclipped"] < 1e-9 and worst["clipped"] < 1e-9, worst


@pytest.fixture(scope="module")
def probe():
    """A short unclipped run (length 5, one epoch, 16 steps) and its line probe."""
    config = lk.TrainConfig(length=5, epochs=1, eval_steps=1000)
    return lk.probe_line(config, s=line_fractions(points=13, smallest=1e-6))


def test_spike_step_is_the_largest_logged_norm(probe):
    rerun = lk.train(probe.config)
    totals = rerun.grad_norms.total()
    assert probe.spike.step == 1 + max(range(len(totals)), key=totals.__getitem__)
    assert probe.spike.norm == pytest.approx(max(totals), rel=1e-5)


def test_line_ends_where_sgd_lands_and_starts_at_the_batch_loss(probe):
    spike, config = probe.spike, probe.config
    model = lk.RNNClassifier(input_size=config.input_size, hidden_size=config.hidden_size)
    model.load_state_dict(spike.weights)
    loss_fn = nn.CrossEntropyLoss(reduction=config.loss_reduction)
    tokens, labels = spike.batch
    assert probe.losses[0].item() == pytest.approx(loss_fn(model(tokens), labels).item(), rel=1e-5)
    loss = loss_fn(model(tokens), labels)
    loss.backward()
    torch.optim.SGD(model.parameters(), lr=config.lr).step()       # the real update
    with torch.no_grad():
        assert probe.full_loss == pytest.approx(loss_fn(model(tokens), labels).item(), rel=1e-4)


def test_line_starts_downhill_as_the_gradient_says(probe):
    s = probe.s[1]                                 # 1e-6 of the step: first order holds here
    drop = (probe.losses[0] - probe.losses[1]).item()
    assert drop == pytest.approx((probe.config.lr * s * probe.spike.norm ** 2).item(), rel=1e-2)
    assert lk.linear_until(probe) > s


def test_clipped_landings_and_second_direction(probe):
    spike = probe.spike
    for max_norm in (0.1, 1e9):
        assert clipped_fraction(spike, max_norm) == pytest.approx(
            min(1.0, max_norm / (spike.norm + 1e-6)), rel=1e-5)
    v = lk.orthogonal_direction(spike, seed=3)
    dot = sum((v[n] * g).sum() for n, g in spike.grads.items()).item()
    vnorm = math.sqrt(sum((t * t).sum().item() for t in v.values()))
    assert abs(dot) < 1e-4 * spike.norm * vnorm and vnorm == pytest.approx(spike.norm, rel=1e-5)


def test_first_rise():
    s = torch.tensor([0.0, 0.1, 0.5, 1.0], dtype=torch.float64)
    assert first_rise(s, torch.tensor([2.0, 1.0, 3.0, 0.0])) == 0.5
    assert first_rise(s, torch.tensor([2.0, 1.0, 1.5, 0.0])) == math.inf
    with pytest.raises(ValueError, match="start at 0"):
        first_rise(s.flip(0), torch.zeros(4))


def test_probe_line_refuses_a_clipped_run():
    with pytest.raises(ValueError, match="unclipped SGD"):
        lk.probe_line(lk.TrainConfig(max_norm=1.0))


def test_plots_return_labelled_figures(probe):
    surf = lk.surface(*cliff.WINDOW, n=21)
    paths = lk.descend(POINTS[:2], 1.0, 3)
    figs = [lk.plot_surface_paths(surf, paths, paths, 1.0, 1.0),
            lk.plot_wall_profile(surf.b, surf.grad_norm[:, 5], w=surf.w[5].item()),
            lk.plot_line_probes([probe]),
            lk.plot_slice(probe.s[1:4], torch.linspace(-1, 1, 3), torch.ones(3, 3), probe)]
    for fig in figs:
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        assert ax.get_xlabel() and ax.get_ylabel()


def test_exercise_checks(capsys):
    assert ex.check_wall_step("B") and not ex.check_wall_step("A")
    assert not ex.check_wall_step(...)
    assert ex.check_threshold(1.0)
    assert not ex.check_threshold(5.0) and not ex.check_threshold(2.0)
    assert not ex.check_threshold(...) and not ex.check_threshold("1")
    out = capsys.readouterr().out
    assert "left the map" in out and "mean loss" in out and "replace the `...`" in out
